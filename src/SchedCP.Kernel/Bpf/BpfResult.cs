using System.Diagnostics.CodeAnalysis;

namespace SchedCP.Kernel.Bpf;

/// <summary>Either a value or the <see cref="BpfFailure"/> that prevented it.</summary>
/// <typeparam name="T">The value type.</typeparam>
public readonly record struct BpfResult<T>
{
    internal BpfResult(T? value, BpfFailure? failure)
    {
        Value = value;
        Failure = failure;
    }

    /// <summary>The value; default when <see cref="Failure"/> is set.</summary>
    public T? Value { get; }

    /// <summary>Why there is no value, or null on success.</summary>
    public BpfFailure? Failure { get; }

    /// <summary>True when there is a value.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool Succeeded => Failure is null;

    /// <inheritdoc />
    public override string ToString() => Failure is { } f ? f.ToString() : $"{Value}";
}

/// <summary>Creates <see cref="BpfResult{T}"/> values.</summary>
public static class BpfResult
{
    /// <summary>A successful result.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    public static BpfResult<T> Success<T>(T value) => new(value, null);

    /// <summary>A failed result.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="failure">Why there is no value.</param>
    public static BpfResult<T> Failed<T>(BpfFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(default, failure);
    }

    /// <summary>
    /// Reads a whole regular file of at most <paramref name="maxBytes"/> bytes, turning expected I/O failures, non-regular
    /// files (devices, FIFOs, directories) and oversized files into a <see cref="BpfFailure"/>. Never blocks on a FIFO.
    /// </summary>
    internal static BpfResult<byte[]> ReadFile(string path, int maxBytes)
    {
        var error = RegularFile.TryReadAll(path, maxBytes, out var bytes);
        return error?.Problem switch
        {
            null => Success(bytes),
            RegularFileProblem.Missing => Failed<byte[]>(new BpfFailure(BpfFailureKind.FileMissing, error.Message, "Check the path; build the object or toolchain first.") { Source = path }),
            RegularFileProblem.AccessDenied => Failed<byte[]>(new BpfFailure(BpfFailureKind.AccessDenied, error.Message, "Run as a user allowed to read it.") { Source = path }),
            RegularFileProblem.NotRegular => Failed<byte[]>(new BpfFailure(BpfFailureKind.NotRegularFile, error.Message, "Give the path of a compiled object file (a regular file), not a device, FIFO or directory.") { Source = path }),
            RegularFileProblem.TooLarge => Failed<byte[]>(new BpfFailure(BpfFailureKind.TooLarge, error.Message, "Give the compiled object itself; BPF objects are far smaller than this.") { Source = path }),
            _ => Failed<byte[]>(new BpfFailure(BpfFailureKind.ReadFailed, error.Message, "Retry; check the file by hand.") { Source = path }),
        };
    }
}
