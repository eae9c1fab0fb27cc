using System.Buffers;
using System.Text;

namespace SchedCP.Core.Processes;

/// <summary>
/// Drains a stream to its end, keeping at most a cap of bytes: the head or, as a ring, the tail. When a line callback
/// is given, every complete line (cut at 4 KiB) is also handed to it as it arrives, whatever was kept.
/// </summary>
internal sealed class BoundedCapture(int cap, OutputRetention retention, Action<string>? onLine = null)
{
    private const int MaxLineBytes = 4096;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly ArrayBufferWriter<byte> _head = new();
    private readonly byte[] _ring = retention == OutputRetention.Tail ? new byte[cap] : [];
    private readonly ArrayBufferWriter<byte> _line = new();
    private long _total;

    /// <summary>Reads <paramref name="stream"/> until it ends; never stops early, so the writer never blocks.</summary>
    public async Task DrainAsync(Stream stream)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
        {
            Append(buffer.AsSpan(0, read));
            if (onLine is not null)
            {
                SplitLines(buffer.AsSpan(0, read));
            }
        }

        if (onLine is not null && _line.WrittenCount > 0)
        {
            EmitLine();
        }
    }

    private void SplitLines(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var end = bytes.IndexOf((byte)'\n');
            var part = end < 0 ? bytes : bytes[..end];
            var room = MaxLineBytes - _line.WrittenCount;
            _line.Write(part[..Math.Min(room, part.Length)]);
            if (end < 0)
            {
                return;
            }

            EmitLine();
            bytes = bytes[(end + 1)..];
        }
    }

    private void EmitLine()
    {
        var span = _line.WrittenSpan;
        var text = Utf8.GetString(span[..CompleteLength(span)]).TrimEnd('\r');
        _line.Clear();
        onLine!(text);
    }

    /// <summary>What was kept, decoded; a character cut at the edge is dropped.</summary>
    public CapturedOutput Result()
    {
        var truncated = _total > cap;
        byte[] kept;
        if (retention == OutputRetention.Head || !truncated)
        {
            kept = retention == OutputRetention.Head ? _head.WrittenSpan.ToArray() : _ring.AsSpan(0, (int)_total).ToArray();
        }
        else
        {
            var start = (int)(_total % cap);
            kept = [.. _ring.AsSpan(start), .. _ring.AsSpan(0, start)];
        }

        var span = kept.AsSpan();
        if (truncated && retention == OutputRetention.Tail)
        {
            // Skip continuation bytes of a character whose first byte was dropped.
            var skip = 0;
            while (skip < span.Length && skip < 3 && (span[skip] & 0xC0) == 0x80)
            {
                skip++;
            }

            span = span[skip..];
        }
        else if (truncated)
        {
            span = span[..CompleteLength(span)];
        }

        return new CapturedOutput(Utf8.GetString(span), _total, truncated);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (retention == OutputRetention.Head)
        {
            var room = (int)Math.Max(0, cap - _head.WrittenCount);
            _head.Write(bytes[..Math.Min(room, bytes.Length)]);
        }
        else if (cap > 0)
        {
            if (bytes.Length > cap)
            {
                // Only the last cap bytes of this chunk can survive; account for the rest as dropped.
                _total += bytes.Length - cap;
                bytes = bytes[^cap..];
            }

            var at = (int)(_total % cap);
            var first = Math.Min(bytes.Length, cap - at);
            bytes[..first].CopyTo(_ring.AsSpan(at));
            bytes[first..].CopyTo(_ring);
            _total += bytes.Length;
            return;
        }

        _total += bytes.Length;
    }

    // The length of the prefix that ends on a whole UTF-8 character.
    private static int CompleteLength(ReadOnlySpan<byte> span)
    {
        for (var back = 1; back <= Math.Min(4, span.Length); back++)
        {
            var b = span[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }

            var need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return need > back ? span.Length - back : span.Length;
        }

        return span.Length;
    }
}
