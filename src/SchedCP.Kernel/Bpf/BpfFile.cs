using SchedCP.Core.Results;

namespace SchedCP.Kernel.Bpf;

/// <summary>Reads the bytes of a BPF object, ELF file or BTF blob for the Bpf readers.</summary>
internal static class BpfFile
{
    /// <summary>
    /// Reads a whole regular file of at most <paramref name="maxBytes"/> bytes, turning expected I/O failures, non-regular
    /// files (devices, FIFOs, directories) and oversized files into a <see cref="BpfFailure"/>. Never blocks on a FIFO.
    /// </summary>
    internal static Outcome<byte[], BpfFailure> Read(string path, int maxBytes)
    {
        var error = RegularFile.TryReadAll(path, maxBytes, out var bytes);
        return error?.Problem switch
        {
            null => bytes,
            RegularFileProblem.Missing => new BpfFailure(BpfFailureKind.FileMissing, error.Message, "Check the path; build the object or toolchain first.") { Source = path },
            RegularFileProblem.AccessDenied => new BpfFailure(BpfFailureKind.AccessDenied, error.Message, "Run as a user allowed to read it.") { Source = path },
            RegularFileProblem.NotRegular => new BpfFailure(BpfFailureKind.NotRegularFile, error.Message, "Give the path of a compiled object file (a regular file), not a device, FIFO or directory.") { Source = path },
            RegularFileProblem.TooLarge => new BpfFailure(BpfFailureKind.TooLarge, error.Message, "Give the compiled object itself; BPF objects are far smaller than this.") { Source = path },
            _ => new BpfFailure(BpfFailureKind.ReadFailed, error.Message, "Retry; check the file by hand.") { Source = path },
        };
    }
}
