using System.Buffers.Binary;

namespace SchedCP.Kernel.Bpf.Instructions;

/// <summary>Decodes the bytes of a BPF code section into <see cref="BpfInstruction"/>s (little-endian encoding).</summary>
public static class BpfInstructionDecoder
{
    /// <summary>The size of one instruction slot.</summary>
    public const int SlotSize = 8;

    /// <summary>Decodes a whole code section.</summary>
    /// <param name="code">The section's bytes; a multiple of 8.</param>
    /// <param name="source">A name for the bytes in failure messages (the section name).</param>
    /// <returns>The instructions in order, or a failure naming the byte offset that cannot be decoded.</returns>
    public static BpfResult<IReadOnlyList<BpfInstruction>> Decode(ReadOnlySpan<byte> code, string source = "BPF code")
    {
        if (code.Length % SlotSize != 0)
        {
            return BpfResult.Failed<IReadOnlyList<BpfInstruction>>(
                BpfFailure.Elf(source, code.Length, "a multiple of 8 bytes of BPF instructions", $"{code.Length} bytes"));
        }

        var result = new List<BpfInstruction>(code.Length / SlotSize);
        var slots = code.Length / SlotSize;
        for (var slot = 0; slot < slots; slot++)
        {
            var s = code.Slice(slot * SlotSize, SlotSize);
            var opcode = s[0];
            var dst = (byte)(s[1] & 0x0f);
            var src = (byte)(s[1] >> 4);
            var off = BinaryPrimitives.ReadInt16LittleEndian(s[2..]);
            var imm = BinaryPrimitives.ReadInt32LittleEndian(s[4..]);
            if (opcode == 0x18)
            {
                if (slot + 1 >= slots)
                {
                    return BpfResult.Failed<IReadOnlyList<BpfInstruction>>(
                        BpfFailure.Elf(source, slot * SlotSize, "the second half of an ld_imm64", "the end of the section"));
                }

                var high = BinaryPrimitives.ReadUInt32LittleEndian(code[(((slot + 1) * SlotSize) + 4)..]);
                var value = (long)(((ulong)high << 32) | (uint)imm);
                result.Add(new BpfInstruction(slot, opcode, dst, src, off, imm, value));
                slot++;
                continue;
            }

            if (dst > 10 || src > 10)
            {
                return BpfResult.Failed<IReadOnlyList<BpfInstruction>>(
                    BpfFailure.Elf(source, slot * SlotSize, "registers r0-r10", $"dst r{dst}, src r{src} in opcode 0x{opcode:x2}"));
            }

            result.Add(new BpfInstruction(slot, opcode, dst, src, off, imm, imm));
        }

        return BpfResult.Success<IReadOnlyList<BpfInstruction>>(result);
    }
}
