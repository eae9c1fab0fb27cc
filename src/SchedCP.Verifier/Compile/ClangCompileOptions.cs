using System.ComponentModel.DataAnnotations;

namespace SchedCP.Verifier.Compile;

/// <summary>Options of the compile stage.</summary>
public sealed class ClangCompileOptions
{
    /// <summary>The largest source accepted by default: 1 MiB.</summary>
    public const long DefaultMaxSourceBytes = 1024 * 1024;

    /// <summary>The clang executable. Default <c>clang</c> from PATH.</summary>
    [Required]
    public string ClangPath { get; set; } = "clang";

    /// <summary>The sandbox toolchain folder (with <c>include/vmlinux.h</c>); default: the one <c>native/build-toolchain.sh</c> recorded.</summary>
    public string? ToolchainDirectory { get; set; }

    /// <summary>Where objects are written; default a folder under the system temp directory.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>How long one compilation may take. Default 60 s; past it clang's process tree is killed and the stage fails with a timeout finding.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The largest source file the stage reads, in bytes; a larger one is refused from its size on disk before it is
    /// read. Default <see cref="DefaultMaxSourceBytes"/> (1 MiB; the largest scheduler in bpf/ is about 20 KiB).
    /// </summary>
    [Range(1L, 64L * 1024 * 1024)]
    public long MaxSourceBytes { get; set; } = DefaultMaxSourceBytes;
}
