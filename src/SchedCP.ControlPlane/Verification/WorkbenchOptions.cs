namespace SchedCP.ControlPlane.Verification;

/// <summary>Where the <see cref="PolicyWorkbench"/> finds built objects and sources and writes what it builds.</summary>
public class WorkbenchOptions
{
    /// <summary>Where the project's built BPF objects are; null uses <c>SCHEDCP_BPF_DIR</c> or finds <c>bpf/build</c> above the application.</summary>
    public string? BpfObjectDirectory { get; set; }

    /// <summary>The checkout that holds <c>bpf/</c>, where policies' sources are read for revision; null uses <c>SCHEDCP_SOURCE_DIR</c> or finds it above the objects or the application.</summary>
    public string? SourceDirectory { get; set; }

    /// <summary>Where generated sources and their objects are written (default: a folder under the temp directory).</summary>
    public string? WorkDirectory { get; set; }
}
