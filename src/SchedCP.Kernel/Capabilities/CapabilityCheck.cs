namespace SchedCP.Kernel.Capabilities;

/// <summary>One line of a capability report: what was checked, what was found, and what to do if it is missing.</summary>
/// <param name="Name">What was checked.</param>
/// <param name="Available">Whether the capability is there.</param>
/// <param name="Finding">What was found, e.g. a version or a state.</param>
/// <param name="Advice">When missing: a sentence the user can act on. Empty when available.</param>
public sealed record CapabilityCheck(string Name, bool Available, string Finding, string Advice);
