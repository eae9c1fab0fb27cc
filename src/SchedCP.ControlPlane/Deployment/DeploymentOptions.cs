namespace SchedCP.ControlPlane.Deployment;

/// <summary>Options of <see cref="DeploymentService"/>.</summary>
public sealed class DeploymentOptions
{
    /// <summary>
    /// Lab use only: accept <see cref="DeploymentRequest.UnsafeNoToken"/> (CLI <c>--unsafe-no-token</c>). Default false:
    /// every deployment needs a verifier-signed token. An unsafe deployment is journaled as such and still runs its canary.
    /// </summary>
    public bool AllowUnsafeNoToken { get; set; }

    /// <summary>The known-good history file; default <see cref="JsonFileKnownGoodStore.DefaultPath"/>.</summary>
    public string? KnownGoodPath { get; set; }

    /// <summary>The canary journal (JSON lines); default <c>deployments.jsonl</c> next to the known-good file.</summary>
    public string? JournalPath { get; set; }
}
