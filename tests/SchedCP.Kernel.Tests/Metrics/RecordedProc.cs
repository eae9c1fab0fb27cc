namespace SchedCP.Kernel.Tests.Metrics;

/// <summary>Finds the recorded procfs samples in the source tree and lays them out as a fake root in a temp folder.</summary>
internal static class RecordedProc
{
    public static string Directory { get; } = Locate();

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name));

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name));

    /// <summary>Creates a temp root with the given files (path under the root → recorded sample name or literal text).</summary>
    public static TempRoot Root(params (string Path, string Text)[] files)
    {
        var root = new TempRoot();
        foreach (var (path, text) in files)
        {
            var full = System.IO.Path.Combine(root.Path, path);
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        return root;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "SchedCP.Kernel.Tests", "Metrics", "Recorded");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/SchedCP.Kernel.Tests/Metrics/Recorded not found above " + AppContext.BaseDirectory);
    }
}

internal sealed class TempRoot : IDisposable
{
    public TempRoot()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "schedcp-metrics-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose() => System.IO.Directory.Delete(Path, recursive: true);
}
