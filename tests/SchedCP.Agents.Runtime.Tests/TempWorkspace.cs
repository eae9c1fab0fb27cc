namespace SchedCP.Agents.Runtime.Tests;

internal sealed class TempWorkspace : IDisposable
{
    public TempWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "schedcp-rt-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var full = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    public AgentRuntimeOptions Options() => new() { WorkspaceRoot = Root, EventLogPath = null };

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
