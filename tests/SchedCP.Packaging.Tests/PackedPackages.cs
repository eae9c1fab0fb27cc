using System.Reflection;

namespace SchedCP.Packaging.Tests;

/// <summary>
/// The solution's packable projects packed once into a folder outside the repository, from the build already made
/// (<c>--no-build</c>: the tests never rebuild assemblies other test runs may have loaded).
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    public string Root { get; } = Directory.CreateTempSubdirectory("schedcp-packaging-").FullName;

    public string Packages => Path.Combine(Root, "packages");

    /// <summary>A package folder of its own, so nothing installed comes from an earlier run's packages of the same version.</summary>
    public string PackageCache => Path.Combine(Root, "nuget-cache");

    public static string Version { get; } = typeof(PackedPackages).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "PackageVersion").Value!;

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public Dotnet? Pack { get; private set; }

    public async Task InitializeAsync()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        Pack = await Dotnet.RunAsync("dotnet", RepositoryRoot, PackageCache, null,
            "pack", Path.Combine(RepositoryRoot, "SchedCP.Sdk.sln"), "-c", configuration, "--no-build", "-o", Packages);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    private static string FindRepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "SchedCP.Sdk.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Cannot find the repository root from " + AppContext.BaseDirectory);
    }
}
