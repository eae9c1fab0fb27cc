using System.Buffers.Binary;
using SchedCP.Kernel.Bpf.Instructions;
using SchedCP.Kernel.Bpf.Programs;

namespace SchedCP.Verifier.StaticAnalysis;

/// <summary>A register's abstract value: unknown, a constant, or a pointer into read-only data.</summary>
internal readonly record struct RegisterValue(byte Kind, long Value)
{
    public static readonly RegisterValue Unknown;

    public bool IsConstant => Kind == 1;

    public bool IsRodataPointer => Kind == 2;

    public static RegisterValue Constant(long v) => new(1, v);

    public static RegisterValue Rodata(long offset) => new(2, offset);
}

/// <summary>
/// Forward constant propagation over one function's CFG: which blocks and edges are feasible once read-only data
/// (<c>const volatile</c> parameters, with the candidate's values) is folded in, and the constant arguments of each call.
/// This is what lets the checks ignore paths the kernel verifier would prune as dead (e.g. scx_qmap's stall knobs when 0).
/// </summary>
internal sealed class RegisterConstants
{
    private RegisterConstants(bool[] feasible, List<int>[] successors, Dictionary<int, RegisterValue[]> atCalls)
    {
        FeasibleBlocks = feasible;
        Successors = successors;
        AtCalls = atCalls;
    }

    public bool[] FeasibleBlocks { get; }

    public List<int>[] Successors { get; }

    /// <summary>Registers r0–r5 before each call instruction, by instruction index.</summary>
    public Dictionary<int, RegisterValue[]> AtCalls { get; }

    public static RegisterConstants Compute(BpfFunction function, ReadOnlyMemory<byte> rodata)
    {
        var insns = function.Instructions;
        var cfg = function.ControlFlow;
        var blocks = cfg.Blocks;
        var dataRefs = function.DataReferences.ToDictionary(d => d.Slot);
        var input = new RegisterValue[]?[blocks.Count];
        var successors = new List<int>[blocks.Count];
        var atCalls = new Dictionary<int, RegisterValue[]>();
        if (blocks.Count == 0)
        {
            return new RegisterConstants([], [], atCalls);
        }

        input[0] = new RegisterValue[11];
        var work = new Queue<int>();
        var queued = new bool[blocks.Count];
        work.Enqueue(0);
        queued[0] = true;
        while (work.Count > 0)
        {
            var b = work.Dequeue();
            queued[b] = false;
            var regs = (RegisterValue[])input[b]!.Clone();
            var block = blocks[b];
            for (var i = block.First; i <= block.Last; i++)
            {
                var insn = insns[i];
                if (insn.IsCall)
                {
                    atCalls[i] = regs[..6];
                }

                Transfer(insn, regs, dataRefs, rodata.Span);
            }

            var last = insns[block.Last];
            var succ = new List<int>(2);
            foreach (var s in block.Successors)
            {
                if (last.IsConditionalJump && Decide(last, regs) is { } taken)
                {
                    var isTarget = blocks[s].First < insns.Count && insns[blocks[s].First].Slot == last.JumpTarget;
                    var isFallthrough = s == b + 1;
                    if (!((taken && isTarget) || (!taken && isFallthrough)))
                    {
                        continue;
                    }
                }

                succ.Add(s);
            }

            successors[b] = succ;
            foreach (var s in succ)
            {
                if (Merge(ref input[s], regs) && !queued[s])
                {
                    queued[s] = true;
                    work.Enqueue(s);
                }
            }
        }

        for (var b = 0; b < blocks.Count; b++)
        {
            successors[b] ??= [];
        }

        return new RegisterConstants(input.Select(x => x is not null).ToArray(), successors, atCalls);
    }

    private static bool Merge(ref RegisterValue[]? into, RegisterValue[] from)
    {
        if (into is null)
        {
            into = (RegisterValue[])from.Clone();
            return true;
        }

        var changed = false;
        for (var r = 0; r < into.Length; r++)
        {
            if (into[r] != from[r] && into[r] != RegisterValue.Unknown)
            {
                into[r] = RegisterValue.Unknown;
                changed = true;
            }
        }

        return changed;
    }

    private static void Transfer(BpfInstruction insn, RegisterValue[] regs, Dictionary<int, BpfDataReference> dataRefs, ReadOnlySpan<byte> rodata)
    {
        switch (insn.Class)
        {
            case BpfInstructionClass.Ld when insn.IsLoadImmediate64:
                regs[insn.Destination] = dataRefs.TryGetValue(insn.Slot, out var d)
                    ? d.Section == ".rodata" ? RegisterValue.Rodata(d.SectionOffset) : RegisterValue.Unknown
                    : insn.Source == 0 ? RegisterValue.Constant(insn.Immediate64) : RegisterValue.Unknown;
                break;
            case BpfInstructionClass.Ld:
                regs[0] = RegisterValue.Unknown;
                break;
            case BpfInstructionClass.Ldx:
                var p = regs[insn.Source];
                // Pointer offsets come from the object: compare without overflowing.
                var at = unchecked(p.Value + insn.Offset);
                regs[insn.Destination] = p.IsRodataPointer && p.Value is >= 0 and <= int.MaxValue && at >= 0 && at <= rodata.Length - insn.AccessSize
                    ? RegisterValue.Constant(insn.AccessSize switch
                    {
                        1 => rodata[(int)at],
                        2 => BinaryPrimitives.ReadUInt16LittleEndian(rodata[(int)at..]),
                        4 => BinaryPrimitives.ReadUInt32LittleEndian(rodata[(int)at..]),
                        _ => BinaryPrimitives.ReadInt64LittleEndian(rodata[(int)at..]),
                    })
                    : RegisterValue.Unknown;
                break;
            case BpfInstructionClass.Stx when (insn.Opcode & 0xe0) == 0xc0:
                regs[insn.Source] = RegisterValue.Unknown;
                regs[0] = RegisterValue.Unknown;
                break;
            case BpfInstructionClass.Alu or BpfInstructionClass.Alu64:
                regs[insn.Destination] = Alu(insn, regs);
                break;
            case BpfInstructionClass.Jmp when insn.IsCall:
                for (var r = 0; r <= 5; r++)
                {
                    regs[r] = RegisterValue.Unknown;
                }

                break;
        }
    }

    private static RegisterValue Alu(BpfInstruction insn, RegisterValue[] regs)
    {
        var is64 = insn.Class == BpfInstructionClass.Alu64;
        var dst = regs[insn.Destination];
        var src = insn.UsesSourceRegister ? regs[insn.Source] : RegisterValue.Constant(is64 ? insn.Immediate : (uint)insn.Immediate);
        if (insn.Operation == 0xb0 && insn.Offset == 0)
        {
            return is64 ? src : src.IsConstant ? RegisterValue.Constant((uint)src.Value) : RegisterValue.Unknown;
        }

        if (insn.Operation == 0x00 && is64 && dst.IsRodataPointer && src.IsConstant)
        {
            return RegisterValue.Rodata(dst.Value + src.Value);
        }

        if (!dst.IsConstant || (!src.IsConstant && insn.Operation != 0x80))
        {
            return RegisterValue.Unknown;
        }

        long a = dst.Value, b = src.Value;
        long? r = insn.Operation switch
        {
            0x00 => a + b,
            0x10 => a - b,
            0x20 => a * b,
            0x40 => a | b,
            0x50 => a & b,
            0x60 => a << (int)(b & 63),
            0x70 => (long)((ulong)a >> (int)(b & 63)),
            0x80 => -a,
            0xa0 => a ^ b,
            0xc0 => a >> (int)(b & 63),
            _ => null,
        };
        return r is { } v ? RegisterValue.Constant(is64 ? v : (uint)v) : RegisterValue.Unknown;
    }

    private static bool? Decide(BpfInstruction jump, RegisterValue[] regs)
    {
        var d = regs[jump.Destination];
        var s = jump.UsesSourceRegister ? regs[jump.Source] : RegisterValue.Constant(jump.Immediate);
        if (!d.IsConstant || !s.IsConstant)
        {
            return null;
        }

        var is32 = jump.Class == BpfInstructionClass.Jmp32;
        long a = is32 ? (int)d.Value : d.Value, b = is32 ? (int)s.Value : s.Value;
        ulong ua = is32 ? (uint)d.Value : (ulong)d.Value, ub = is32 ? (uint)s.Value : (ulong)s.Value;
        return jump.Operation switch
        {
            0x10 => ua == ub,
            0x20 => ua > ub,
            0x30 => ua >= ub,
            0x40 => (ua & ub) != 0,
            0x50 => ua != ub,
            0x60 => a > b,
            0x70 => a >= b,
            0xa0 => ua < ub,
            0xb0 => ua <= ub,
            0xc0 => a < b,
            0xd0 => a <= b,
            _ => null,
        };
    }
}
