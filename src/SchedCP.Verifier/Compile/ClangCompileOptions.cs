using System.ComponentModel.DataAnnotations;

namespace SchedCP.Verifier.Compile;

/// <summary>Options of the compile stage.</summary>
public sealed class ClangCompileOptions
{
    /// <summary>The clang executable. Default <c>clang</c> from PATH.</summary>
    [Required]
    public string ClangPath { get; set; } = "clang";

    /// <summary>The sandbox toolchain folder (with <c>include/vmlinux.h</c>); default: the one <c>native/build-toolchain.sh</c> recorded.</summary>
    public string? ToolchainDirectory { get; set; }

    /// <summary>Where objects are written; default a folder under the system temp directory.</summary>
    public string? OutputDirectory { get; set; }

    /// <summary>How long one compilation may take. Default 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);
}
