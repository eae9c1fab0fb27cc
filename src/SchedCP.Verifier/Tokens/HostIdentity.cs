namespace SchedCP.Verifier.Tokens;

/// <summary>The identity of the host a deployment is meant for.</summary>
public interface IHostIdentity
{
    /// <summary>A stable id of this host (e.g. <c>/etc/machine-id</c>).</summary>
    string HostId { get; }
}

/// <summary>A host identity given in configuration, or read from <c>/etc/machine-id</c> when none is given.</summary>
/// <param name="configuredId">The id to use; null to read <c>/etc/machine-id</c>.</param>
public sealed class MachineHostIdentity(string? configuredId = null) : IHostIdentity
{
    private readonly Lazy<string> _id = new(() => configuredId ?? (File.Exists("/etc/machine-id") ? File.ReadAllText("/etc/machine-id").Trim() : Environment.MachineName));

    /// <inheritdoc />
    public string HostId => _id.Value;
}
