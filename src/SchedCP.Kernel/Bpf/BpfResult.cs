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

    /// <summary>Reads a whole file, turning expected I/O failures into a <see cref="BpfFailure"/>.</summary>
    internal static BpfResult<byte[]> ReadFile(string path)
    {
        try
        {
            return Success(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Failed<byte[]>(new BpfFailure(BpfFailureKind.FileMissing, $"{path} does not exist.", "Check the path; build the object or toolchain first.") { Source = path });
        }
        catch (UnauthorizedAccessException e)
        {
            return Failed<byte[]>(new BpfFailure(BpfFailureKind.AccessDenied, $"{path} may not be read: {e.Message}", "Run as a user allowed to read it.") { Source = path });
        }
        catch (IOException e)
        {
            return Failed<byte[]>(new BpfFailure(BpfFailureKind.ReadFailed, $"Reading {path} failed: {e.Message}", "Retry; check the file by hand.") { Source = path });
        }
    }
}
