namespace SchedCP.Kernel.Bpf.Programs;

/// <summary>What a call instruction (or a function-address load) reaches.</summary>
public enum BpfCallKind
{
    /// <summary>A BPF helper, by id (<c>bpf_map_lookup_elem</c>...).</summary>
    Helper,

    /// <summary>A kernel function resolved by name from a relocation against an undefined symbol (<c>scx_bpf_dispatch</c>...).</summary>
    Kfunc,

    /// <summary>A BPF-to-BPF call to a subprogram of the same object.</summary>
    Subprogram,

    /// <summary>A function whose address is loaded (<c>ld_imm64</c> with <c>BPF_PSEUDO_FUNC</c>) to be called back, e.g. by <c>bpf_loop</c>.</summary>
    Callback,

    /// <summary>A call whose target could not be resolved from the object.</summary>
    Unresolved,
}

/// <summary>One call from a function.</summary>
/// <param name="Slot">The instruction slot of the call, relative to the start of the calling function.</param>
/// <param name="Kind">What is called.</param>
/// <param name="Target">The helper, kfunc or subprogram name.</param>
/// <param name="HelperId">The helper id for <see cref="BpfCallKind.Helper"/>; otherwise -1.</param>
public sealed record BpfCallSite(int Slot, BpfCallKind Kind, string Target, int HelperId = -1)
{
    /// <inheritdoc />
    public override string ToString() => $"{Slot}: {Kind} {Target}";
}

/// <summary>A load of the address of a map or global variable (<c>ld_imm64</c> relocated against a data symbol).</summary>
/// <param name="Slot">The instruction slot, relative to the start of the function.</param>
/// <param name="Symbol">The map or variable name.</param>
/// <param name="Section">The section the symbol lives in (<c>.maps</c>, <c>.rodata</c>, <c>.bss</c>...).</param>
/// <param name="SectionOffset">The byte offset in that section the loaded address points at (symbol value plus addend).</param>
public sealed record BpfDataReference(int Slot, string Symbol, string Section, long SectionOffset = 0);
