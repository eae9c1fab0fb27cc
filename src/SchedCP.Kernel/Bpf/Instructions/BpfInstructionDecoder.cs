using System.Buffers.Binary;
using SchedCP.Core.Results;

namespace SchedCP.Kernel.Bpf.Instructions;

/// <summary>Decodes the bytes of a BPF code section into <see cref="BpfInstruction"/>s (little-endian encoding).</summary>
internal static class BpfInstructionDecoder
{
    /// <summary>The size of one instruction slot.</summary>
    public const int SlotSize = 8;

    private const byte MaxLoadImmediatePseudo = 6; // BPF_PSEUDO_MAP_IDX_VALUE

    /// <summary>Decodes a whole code section.</summary>
    /// <param name="code">The section's bytes; a multiple of 8.</param>
    /// <param name="source">A name for the bytes in failure messages (the section name).</param>
    /// <returns>The instructions in order, or a failure naming the byte offset that cannot be decoded.</returns>
    public static Outcome<IReadOnlyList<BpfInstruction>, BpfFailure> Decode(ReadOnlySpan<byte> code, string source = "BPF code")
    {
        if (code.Length % SlotSize != 0)
        {
            return 
                BpfFailure.Elf(source, code.Length, "a multiple of 8 bytes of BPF instructions", $"{code.Length} bytes");
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
            if (dst > 10 || src > 10)
            {
                return Invalid(source, slot, "registers r0-r10", $"dst r{dst}, src r{src} in opcode 0x{opcode:x2}");
            }

            if (opcode == 0x18)
            {
                if (slot + 1 >= slots)
                {
                    return Invalid(source, slot, "the second half of an ld_imm64", "the end of the section");
                }

                // The kernel's ld_imm64 rule: the second slot is all zero but its immediate, the source a pseudo kind up to BPF_PSEUDO_MAP_IDX_VALUE.
                var next = code.Slice((slot + 1) * SlotSize, SlotSize);
                if (src > MaxLoadImmediatePseudo || next[0] != 0 || next[1] != 0 || next[2] != 0 || next[3] != 0)
                {
                    return Invalid(source, slot, "an ld_imm64 with a pseudo kind 0-6 and a second slot of zeros but the immediate", $"src {src}, second slot opcode 0x{next[0]:x2} registers 0x{next[1]:x2}");
                }

                var high = BinaryPrimitives.ReadUInt32LittleEndian(next[4..]);
                var value = (long)(((ulong)high << 32) | (uint)imm);
                result.Add(new BpfInstruction(slot, opcode, dst, src, off, imm, value));
                slot++;
                continue;
            }

            if (!IsKnownOpcode(opcode))
            {
                return Invalid(source, slot, "a BPF opcode of the instruction set", $"opcode 0x{opcode:x2}");
            }

            result.Add(new BpfInstruction(slot, opcode, dst, src, off, imm, imm));
        }

        return result;
    }

    /// <summary>
    /// True for an opcode of the BPF instruction set (Documentation/bpf/standardization/instruction-set.rst, plus the
    /// legacy packet loads): what the kernel verifier would not refuse as unknown before looking at operands.
    /// </summary>
    /// <param name="opcode">The opcode byte.</param>
    public static bool IsKnownOpcode(byte opcode)
    {
        var mode = opcode & 0xe0;
        var size = opcode & 0x18;
        var op = opcode >> 4;
        return (BpfInstructionClass)(opcode & 0x07) switch
        {
            BpfInstructionClass.Ld => opcode == 0x18 || ((mode is 0x20 or 0x40) && size != 0x18), // ld_imm64; LD_ABS, LD_IND of w, h, b
            BpfInstructionClass.Ldx => mode is 0x60 or 0x80, // MEM, MEMSX
            BpfInstructionClass.St => mode == 0x60,
            BpfInstructionClass.Stx => mode == 0x60 || (mode == 0xc0 && size is 0x00 or 0x18), // MEM; ATOMIC of w, dw
            BpfInstructionClass.Alu or BpfInstructionClass.Alu64 => op <= 0xd,
            BpfInstructionClass.Jmp => op <= 0xd,
            _ => op <= 0xd && op is not (0x8 or 0x9), // JMP32 has no call or exit
        };
    }

    private static Outcome<IReadOnlyList<BpfInstruction>, BpfFailure> Invalid(string source, int slot, string expected, string found) =>
        BpfFailure.Elf(source, (long)slot * SlotSize, expected, found);
}
