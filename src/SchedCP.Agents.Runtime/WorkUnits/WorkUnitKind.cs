namespace SchedCP.Agents.Runtime.WorkUnits;

/// <summary>What a work unit stands for.</summary>
public enum WorkUnitKind
{
    /// <summary>One file, addressed by its path relative to the workspace root.</summary>
    File,
    /// <summary>A directory and its whole subtree; a claim on it conflicts with claims inside it.</summary>
    Directory,
    /// <summary>A named process resource such as <c>build</c> or <c>test</c>; not a path.</summary>
    Process,
}
