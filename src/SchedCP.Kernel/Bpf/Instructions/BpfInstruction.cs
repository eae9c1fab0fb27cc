namespace SchedCP.Kernel.Bpf.Instructions;

/// <summary>The instruction class: the low three bits of the opcode (<c>BPF_CLASS</c>).</summary>
public enum BpfInstructionClass : byte
{
    /// <summary>Loads of immediates (<c>BPF_LD</c>), e.g. the 16-byte <c>ld_imm64</c>.</summary>
    Ld = 0,

    /// <summary>Loads from memory into a register (<c>BPF_LDX</c>).</summary>
    Ldx = 1,

    /// <summary>Stores of immediates (<c>BPF_ST</c>).</summary>
    St = 2,

    /// <summary>Stores of registers and atomics (<c>BPF_STX</c>).</summary>
    Stx = 3,

    /// <summary>32-bit arithmetic (<c>BPF_ALU</c>).</summary>
    Alu = 4,

    /// <summary>64-bit jumps, calls and exit (<c>BPF_JMP</c>).</summary>
    Jmp = 5,

    /// <summary>32-bit jumps (<c>BPF_JMP32</c>).</summary>
    Jmp32 = 6,

    /// <summary>64-bit arithmetic (<c>BPF_ALU64</c>).</summary>
    Alu64 = 7,
}

/// <summary>
/// One decoded BPF instruction. A <c>ld_imm64</c> occupies two 8-byte slots and is decoded as one instruction whose
/// <see cref="Immediate64"/> joins both halves; <see cref="Slot"/> is the index of its first slot, which is what jump
/// offsets, relocations and the kernel verifier count in.
/// </summary>
/// <param name="Slot">The index of the instruction's first 8-byte slot in its section.</param>
/// <param name="Opcode">The opcode byte.</param>
/// <param name="Destination">The destination register (0–10).</param>
/// <param name="Source">The source register, or the pseudo kind of calls and <c>ld_imm64</c>.</param>
/// <param name="Offset">The signed 16-bit offset (jump distance in slots, memory offset).</param>
/// <param name="Immediate">The signed 32-bit immediate (helper id, call distance, constant).</param>
/// <param name="Immediate64">For <c>ld_imm64</c>, the full 64-bit constant; otherwise <see cref="Immediate"/> sign-extended.</param>
public readonly record struct BpfInstruction(int Slot, byte Opcode, byte Destination, byte Source, short Offset, int Immediate, long Immediate64)
{
    /// <summary><c>src_reg</c> of a call to a BPF-to-BPF subprogram (<c>BPF_PSEUDO_CALL</c>).</summary>
    public const byte PseudoCall = 1;

    /// <summary><c>src_reg</c> of a call to a kernel function (<c>BPF_PSEUDO_KFUNC_CALL</c>), as libbpf rewrites it.</summary>
    public const byte PseudoKfuncCall = 2;

    /// <summary><c>src_reg</c> of an <c>ld_imm64</c> that loads a function address (<c>BPF_PSEUDO_FUNC</c>), e.g. a <c>bpf_loop</c> callback.</summary>
    public const byte PseudoFunc = 4;

    /// <summary>The frame pointer register.</summary>
    public const byte FramePointer = 10;

    /// <summary>The instruction's class.</summary>
    public BpfInstructionClass Class => (BpfInstructionClass)(Opcode & 0x07);

    /// <summary>The number of 8-byte slots: 2 for <c>ld_imm64</c>, otherwise 1.</summary>
    public int Width => IsLoadImmediate64 ? 2 : 1;

    /// <summary>True for the 16-byte <c>ld_imm64</c> (<c>BPF_LD | BPF_IMM | BPF_DW</c>).</summary>
    public bool IsLoadImmediate64 => Opcode == 0x18;

    /// <summary>The operation of a jump or arithmetic instruction (<c>BPF_OP</c>, the high four bits).</summary>
    public byte Operation => (byte)(Opcode & 0xf0);

    /// <summary>True when arithmetic or a jump compares with <see cref="Source"/> (<c>BPF_X</c>) rather than the immediate.</summary>
    public bool UsesSourceRegister => (Opcode & 0x08) != 0;

    /// <summary>True for <c>call</c>.</summary>
    public bool IsCall => Class == BpfInstructionClass.Jmp && Operation == 0x80;

    /// <summary>True for <c>exit</c>.</summary>
    public bool IsExit => Class == BpfInstructionClass.Jmp && Operation == 0x90;

    /// <summary>True for an unconditional jump (<c>ja</c>, 64- or 32-bit form).</summary>
    public bool IsUnconditionalJump => Class is BpfInstructionClass.Jmp or BpfInstructionClass.Jmp32 && Operation == 0x00;

    /// <summary>True for a conditional jump.</summary>
    public bool IsConditionalJump => Class is BpfInstructionClass.Jmp or BpfInstructionClass.Jmp32 && Operation is not (0x00 or 0x80 or 0x90);

    /// <summary>True for any instruction that may transfer control other than to the next one (jumps, not calls or exit).</summary>
    public bool IsJump => IsUnconditionalJump || IsConditionalJump;

    /// <summary>True for a call to a BPF-to-BPF subprogram.</summary>
    public bool IsSubprogramCall => IsCall && Source == PseudoCall;

    /// <summary>The slot a jump lands on. For <c>gotol</c> (32-bit <c>ja</c>) the distance is in the immediate.</summary>
    public int JumpTarget => Slot + 1 + (Class == BpfInstructionClass.Jmp32 && Operation == 0x00 ? Immediate : Offset);

    /// <summary>Memory access size in bytes for loads and stores (<c>BPF_SIZE</c>).</summary>
    public int AccessSize => (Opcode & 0x18) switch
    {
        0x00 => 4,
        0x08 => 2,
        0x10 => 1,
        _ => 8,
    };

    /// <summary>True for a load or store that addresses memory relative to the frame pointer (stack access).</summary>
    public bool IsStackAccess => Class switch
    {
        BpfInstructionClass.Ldx => Source == FramePointer,
        BpfInstructionClass.St or BpfInstructionClass.Stx => Destination == FramePointer,
        _ => false,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Slot}: {BpfDisassembler.Format(this)}";
}
