using System.Globalization;

namespace SchedCP.Kernel.Bpf.Instructions;

/// <summary>Formats instructions in a compact, verifier-log-like syntax (<c>r1 = 5</c>, <c>if r1 &gt; 3 goto +2</c>).</summary>
internal static class BpfDisassembler
{
    private static readonly string[] AluOps = ["+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=", "neg", "%=", "^=", "=", "s>>=", "end"];
    private static readonly string[] JmpOps = ["goto", "==", ">", ">=", "&", "!=", "s>", "s>=", "call", "exit", "<", "<=", "s<", "s<="];

    /// <summary>Formats one instruction.</summary>
    /// <param name="insn">The instruction.</param>
    /// <returns>Its text.</returns>
    public static string Format(BpfInstruction insn)
    {
        var c = CultureInfo.InvariantCulture;
        var src = insn.UsesSourceRegister ? $"r{insn.Source}" : insn.Immediate.ToString(c);
        switch (insn.Class)
        {
            case BpfInstructionClass.Ld when insn.IsLoadImmediate64:
                return $"r{insn.Destination} = 0x{insn.Immediate64:x} ll" + (insn.Source != 0 ? $" (pseudo {insn.Source})" : "");
            case BpfInstructionClass.Ldx:
                return $"r{insn.Destination} = *(u{insn.AccessSize * 8} *)(r{insn.Source} {insn.Offset:+0;-0})";
            case BpfInstructionClass.St:
                return $"*(u{insn.AccessSize * 8} *)(r{insn.Destination} {insn.Offset:+0;-0}) = {insn.Immediate}";
            case BpfInstructionClass.Stx:
                return (insn.Opcode & 0xe0) == 0xc0
                    ? $"atomic 0x{insn.Immediate:x} *(u{insn.AccessSize * 8} *)(r{insn.Destination} {insn.Offset:+0;-0}), r{insn.Source}"
                    : $"*(u{insn.AccessSize * 8} *)(r{insn.Destination} {insn.Offset:+0;-0}) = r{insn.Source}";
            case BpfInstructionClass.Alu or BpfInstructionClass.Alu64:
                var op = insn.Operation >> 4;
                var reg = insn.Class == BpfInstructionClass.Alu ? "w" : "r";
                return op < AluOps.Length ? $"{reg}{insn.Destination} {AluOps[op]} {src}" : $"alu 0x{insn.Opcode:x2}";
            case BpfInstructionClass.Jmp or BpfInstructionClass.Jmp32:
                if (insn.IsCall)
                {
                    return insn.Source == BpfInstruction.PseudoCall ? $"call pc{insn.Immediate:+0;-0}" : $"call {insn.Immediate}";
                }

                if (insn.IsExit)
                {
                    return "exit";
                }

                if (insn.IsUnconditionalJump)
                {
                    return $"goto {insn.JumpTarget}";
                }

                var j = insn.Operation >> 4;
                return j < JmpOps.Length ? $"if r{insn.Destination} {JmpOps[j]} {src} goto {insn.JumpTarget}" : $"jmp 0x{insn.Opcode:x2}";
            default:
                return $"0x{insn.Opcode:x2}";
        }
    }
}
