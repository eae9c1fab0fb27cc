using System.Security.Cryptography;
using System.Text;

namespace SchedCP.Kernel.Native;

/// <summary>
/// The native assets the packages carry under <c>runtimes/linux-x64/native/schedcp/</c>: the built BPF schedulers
/// (<c>bpf/</c>), the benchmark workloads (<c>workloads/</c>) and the sandbox toolchain's build kit (<c>kit/</c>: the
/// scripts and sources <c>schedcp setup</c> builds the guest kernel, loader and probe from). An application that
/// references the packages finds them next to itself, without environment variables or a repository checkout.
/// </summary>
/// <remarks>
/// NuGet does not keep Unix file modes, so executables are materialised once into the user's cache
/// (<c>$SCHEDCP_CACHE/native/&lt;content hash&gt;/</c>) with their execute bits set, and used from there.
/// </remarks>
public static class NativeAssets
{
    /// <summary>The folder, relative to the application, where the packages' native assets land.</summary>
    public static readonly string RelativeRoot = Path.Combine("runtimes", "linux-x64", "native", "schedcp");

    /// <summary>The packaged asset root next to the application, or null when the application was not built from the packages.</summary>
    public static string? PackagedRoot(string? baseDirectory = null)
    {
        var root = Path.Combine(baseDirectory ?? AppContext.BaseDirectory, RelativeRoot);
        return Directory.Exists(root) ? root : null;
    }

    /// <summary>The packaged BPF scheduler objects, or null.</summary>
    public static string? BpfDirectory(string? baseDirectory = null) =>
        PackagedRoot(baseDirectory) is { } root && Directory.Exists(Path.Combine(root, "bpf")) ? Path.Combine(root, "bpf") : null;

    /// <summary>The packaged toolchain build kit (<c>native/</c> and <c>bpf/probes/</c> of the source tree), or null.</summary>
    public static string? KitDirectory(string? baseDirectory = null) =>
        PackagedRoot(baseDirectory) is { } root && File.Exists(Path.Combine(root, "kit", "native", "build-toolchain.sh"))
            ? Path.Combine(root, "kit")
            : null;

    /// <summary>
    /// Where built BPF scheduler objects are looked for, in order: <paramref name="explicitDirectory"/>,
    /// <c>SCHEDCP_BPF_DIR</c>, the objects the packages ship next to the application, then <c>bpf/build</c> in the
    /// application's folder and each one above it (a checkout). Folders that may not exist are included.
    /// </summary>
    /// <param name="explicitDirectory">A folder to try first, or null.</param>
    public static IEnumerable<string> BpfObjectDirectories(string? explicitDirectory = null)
    {
        string?[] first = [explicitDirectory, Environment.GetEnvironmentVariable("SCHEDCP_BPF_DIR"), BpfDirectory()];
        return first.Where(d => !string.IsNullOrEmpty(d)).Select(d => d!).Concat(InCheckoutAbove("bpf", "build"));
    }

    /// <summary>
    /// <paramref name="relative"/> under the application's folder and under each folder above it, nearest first: where a
    /// checkout's build outputs are when the application runs from inside the checkout.
    /// </summary>
    /// <param name="relative">The path's parts below a checkout's root, e.g. <c>bpf</c>, <c>build</c>.</param>
    public static IEnumerable<string> InCheckoutAbove(params string[] relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine([dir.FullName, .. relative]);
        }
    }

    /// <summary>
    /// The packaged workload binaries, copied into the user's cache with execute permission, or null when the
    /// application carries none. The copy is keyed by the binaries' content, so an upgrade gets a fresh folder.
    /// </summary>
    public static string? ExecutableWorkloadsDirectory(string? baseDirectory = null, string? cacheDirectory = null) =>
        OperatingSystem.IsLinux() ? MaterialiseWorkloads(baseDirectory, cacheDirectory) : null;

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static string? MaterialiseWorkloads(string? baseDirectory, string? cacheDirectory)
    {
        if (PackagedRoot(baseDirectory) is not { } root || !Directory.Exists(Path.Combine(root, "workloads")))
        {
            return null;
        }

        var source = Path.Combine(root, "workloads");
        var files = Directory.GetFiles(source).Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            return null;
        }

        if (files.All(IsExecutable))
        {
            return source;
        }

        var target = Path.Combine(cacheDirectory ?? DefaultCache(), "native", ContentKey(files), "workloads");
        if (files.All(f => IsExecutable(Path.Combine(target, Path.GetFileName(f)))))
        {
            return target;
        }

        // Copy into a private folder, then rename: two processes materialising at once each finish a whole folder.
        var staging = target + "." + Environment.ProcessId + ".tmp";
        Directory.CreateDirectory(staging);
        foreach (var file in files)
        {
            var copy = Path.Combine(staging, Path.GetFileName(file));
            File.Copy(file, copy, overwrite: true);
            File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true);
        }

        return target;
    }

    /// <summary>The user's SchedCP cache: <c>$SCHEDCP_CACHE</c>, else <c>~/.cache/schedcp</c>.</summary>
    public static string DefaultCache() =>
        Environment.GetEnvironmentVariable("SCHEDCP_CACHE") is { Length: > 0 } cache
            ? cache
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "schedcp");

    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    private static bool IsExecutable(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0;

    private static string ContentKey(IEnumerable<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(file) + "\0"));
            hash.AppendData(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
    }
}
