using SchedCP.Kernel.Bpf.Instructions;

namespace SchedCP.Kernel.Bpf.Programs;

/// <summary>
/// A function of a BPF object: a program (in a <c>struct_ops/&lt;name&gt;</c> or <c>struct_ops.s/&lt;name&gt;</c> section)
/// or a subprogram (in <c>.text</c>), with its decoded instructions, resolved calls and control-flow graph.
/// </summary>
public sealed class BpfFunction
{
    private readonly Lazy<BpfControlFlowGraph> _cfg;

    internal BpfFunction(string name, string section, int startSlot, IReadOnlyList<BpfInstruction> instructions, IReadOnlyList<BpfCallSite> calls, IReadOnlyList<BpfDataReference> dataReferences)
    {
        Name = name;
        Section = section;
        StartSlot = startSlot;
        Instructions = instructions;
        Calls = calls;
        DataReferences = dataReferences;
        _cfg = new Lazy<BpfControlFlowGraph>(() => BpfControlFlowGraph.Build(Instructions));
    }

    /// <summary>The function's symbol name (<c>fifo_enqueue</c>).</summary>
    public string Name { get; }

    /// <summary>The section it lives in (<c>struct_ops/fifo_enqueue</c>, <c>.text</c>).</summary>
    public string Section { get; }

    /// <summary>The slot of its first instruction in the section.</summary>
    public int StartSlot { get; }

    /// <summary>True when this is a program the loader loads (a struct_ops section), false for a subprogram.</summary>
    public bool IsProgram => Section.StartsWith("struct_ops", StringComparison.Ordinal);

    /// <summary>True for a sleepable program (<c>struct_ops.s/</c>).</summary>
    public bool IsSleepable => Section.StartsWith("struct_ops.s/", StringComparison.Ordinal);

    /// <summary>The instructions, with slots relative to the function's start.</summary>
    public IReadOnlyList<BpfInstruction> Instructions { get; }

    /// <summary>The number of 8-byte slots (what the kernel counts as instructions).</summary>
    public int SlotCount => Instructions.Count == 0 ? 0 : Instructions[^1].Slot + Instructions[^1].Width;

    /// <summary>Calls to helpers, kfuncs and subprograms, and callback addresses taken, in order.</summary>
    public IReadOnlyList<BpfCallSite> Calls { get; }

    /// <summary>Maps and global variables whose address the function loads.</summary>
    public IReadOnlyList<BpfDataReference> DataReferences { get; }

    /// <summary>The control-flow graph (built on first use).</summary>
    public BpfControlFlowGraph ControlFlow => _cfg.Value;

    /// <summary>The bytes of stack this function's own frame uses (deepest frame-pointer-relative access, 8-byte aligned).</summary>
    public int StackBytes
    {
        get
        {
            var deepest = 0;
            var fpCopies = new Dictionary<byte, bool>();
            foreach (var insn in Instructions)
            {
                if (insn.IsStackAccess && insn.Offset < deepest)
                {
                    deepest = insn.Offset;
                }

                if (insn.Class == BpfInstructionClass.Alu64)
                {
                    // "rX = r10; rX += -16" passes a stack slot's address to a helper.
                    if (insn.Operation == 0xb0 && insn.UsesSourceRegister && insn.Source == BpfInstruction.FramePointer)
                    {
                        fpCopies[insn.Destination] = true;
                        continue;
                    }

                    if (insn.Operation == 0x00 && !insn.UsesSourceRegister && fpCopies.ContainsKey(insn.Destination) && insn.Immediate < deepest)
                    {
                        deepest = insn.Immediate;
                    }
                }

                if (insn.Class is BpfInstructionClass.Alu64 or BpfInstructionClass.Alu or BpfInstructionClass.Ldx || insn.IsLoadImmediate64)
                {
                    fpCopies.Remove(insn.Destination);
                }
            }

            return (-deepest + 7) / 8 * 8;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Section}:{Name} ({SlotCount} insns)";
}
