using SchedCP.Core.Results;

namespace SchedCP.Kernel.Bpf;

/// <summary>Why a BPF object, ELF file or BTF blob could not be read.</summary>
public enum BpfFailureKind
{
    /// <summary>The file does not exist.</summary>
    FileMissing,

    /// <summary>The file exists but this user may not read it.</summary>
    AccessDenied,

    /// <summary>Reading the file failed with an I/O error.</summary>
    ReadFailed,

    /// <summary>The bytes are not a 64-bit little-endian ELF file, or the ELF structure is truncated or inconsistent.</summary>
    MalformedElf,

    /// <summary>The ELF file has no <c>.BTF</c> section (compiled without <c>-g</c>).</summary>
    NoBtfSection,

    /// <summary>The BTF bytes are truncated, corrupt, big-endian or of an unsupported version.</summary>
    MalformedBtf,

    /// <summary>The path is not a regular file (a device such as <c>/dev/zero</c>, a FIFO, a socket, a directory, or a symlink to one).</summary>
    NotRegularFile,

    /// <summary>The file is larger than the reader's cap.</summary>
    TooLarge,
}

/// <summary>
/// An expected failure to read BPF metadata: what went wrong, where, and what to do about it. Returned, never thrown.
/// </summary>
/// <param name="Kind">The category of failure.</param>
/// <param name="Message">What went wrong, in a sentence.</param>
/// <param name="Remedy">What the user can do about it.</param>
public sealed record BpfFailure(BpfFailureKind Kind, string Message, string Remedy) : Failure<BpfFailureKind>(Kind, Message, Remedy)
{
    /// <summary>The file or a name for the bytes read.</summary>
    public string? Source { get; init; }

    /// <summary>The byte offset in the source at which the problem was found, when it concerns one place.</summary>
    public long? Offset { get; init; }

    /// <summary>What the reader expected to find there.</summary>
    public string? Expected { get; init; }

    internal static BpfFailure Btf(string source, long offset, string expected, string found) =>
        new(BpfFailureKind.MalformedBtf, $"{source} at byte {offset}: expected {expected}, found {found}.",
            "The BTF is truncated or corrupt; regenerate it (pahole, or clang -g for BPF objects).")
        {
            Source = source,
            Offset = offset,
            Expected = expected,
        };

    internal static BpfFailure Elf(string source, long offset, string expected, string found) =>
        new(BpfFailureKind.MalformedElf, $"{source} at byte {offset}: expected {expected}, found {found}.",
            "The file is not a complete 64-bit little-endian ELF object; rebuild it.")
        {
            Source = source,
            Offset = offset,
            Expected = expected,
        };
}
