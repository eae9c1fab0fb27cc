using SchedCP.Core.Results;
using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.Bpf.Elf;
using SchedCP.Kernel.Bpf.Instructions;

namespace SchedCP.Kernel.Bpf.Programs;

/// <summary>
/// The program-level view of a compiled BPF object (<c>.bpf.o</c>): every function with decoded instructions and
/// resolved calls (helpers by id, kfuncs by name from relocations against undefined symbols, BPF-to-BPF calls), and the
/// struct_ops maps with the callbacks they define. Read-only and safe to share between threads.
/// </summary>
public sealed class BpfObject
{
    /// <summary>The largest object <see cref="Load"/> reads (64 MiB; schedulers are kilobytes to a few MiB).</summary>
    public const int MaxFileBytes = 64 << 20;

    private const uint RelocationInsn64 = 1;  // R_BPF_64_64: ld_imm64 of a map, variable or function address
    private const uint RelocationCall32 = 10; // R_BPF_64_32: call to a kfunc or another section's function
    private readonly Dictionary<string, BpfFunction> _byName;

    private BpfObject(string source, ElfFile elf, BtfSpec? btf, IReadOnlyList<BpfFunction> functions, IReadOnlyList<StructOpsMap> structOps)
    {
        Source = source;
        Elf = elf;
        Btf = btf;
        Functions = functions;
        StructOps = structOps;
        _byName = new Dictionary<string, BpfFunction>(StringComparer.Ordinal);
        foreach (var f in functions)
        {
            _byName.TryAdd(f.Name, f);
        }
    }

    /// <summary>Where the object came from.</summary>
    public string Source { get; }

    /// <summary>The underlying ELF file.</summary>
    public ElfFile Elf { get; }

    /// <summary>The object's BTF, when it has a <c>.BTF</c> section that parses.</summary>
    internal BtfSpec? Btf { get; }

    /// <summary>Whether the object has a <c>.BTF</c> section that parses; without it struct_ops member names and callbacks are unknown.</summary>
    public bool HasBtf => Btf is not null;

    /// <summary>
    /// Why the object's <c>.BTF</c> section could not be read, when it has one that does not parse; then <see cref="HasBtf"/>
    /// is false and nothing that depends on types (struct_ops member names, callbacks by name) is known.
    /// </summary>
    public BpfFailure? BtfFailure { get; private init; }

    /// <summary>All functions: programs and subprograms.</summary>
    public IReadOnlyList<BpfFunction> Functions { get; }

    /// <summary>The programs (functions in <c>struct_ops/</c> and <c>struct_ops.s/</c> sections).</summary>
    public IEnumerable<BpfFunction> Programs => Functions.Where(f => f.IsProgram);

    /// <summary>The struct_ops maps.</summary>
    public IReadOnlyList<StructOpsMap> StructOps { get; }

    /// <summary>A function by symbol name, or null.</summary>
    /// <param name="name">The symbol name.</param>
    public BpfFunction? FindFunction(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The function a callback of the first struct_ops map points at (<c>enqueue</c> → its program), or null.</summary>
    /// <param name="callback">The <c>sched_ext_ops</c> member name.</param>
    public BpfFunction? FindCallback(string callback) =>
        StructOps.Count > 0 && StructOps[0].Callbacks.TryGetValue(callback, out var name) ? FindFunction(name) : null;

    /// <summary>
    /// Reads and analyses an object file: a regular file of at most <see cref="MaxFileBytes"/> bytes (devices, FIFOs and
    /// directories are refused without blocking).
    /// </summary>
    /// <param name="path">The <c>.bpf.o</c>.</param>
    public static Outcome<BpfObject, BpfFailure> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = BpfFile.Read(path, MaxFileBytes);
        return bytes.Succeeded ? Parse(bytes.Value, path) : bytes.Failure;
    }

    /// <summary>Analyses an object already in memory.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="source">A name for failure messages.</param>
    public static Outcome<BpfObject, BpfFailure> Parse(ReadOnlyMemory<byte> data, string source = "BPF object")
    {
        var elfResult = ElfFile.Parse(data, source);
        if (!elfResult.Succeeded)
        {
            return elfResult.Failure;
        }

        var elf = elfResult.Value!;
        if (elf.Machine != ElfFile.MachineBpf)
        {
            return BpfFailure.Elf(source, 18, $"e_machine {ElfFile.MachineBpf} (BPF)", $"{elf.Machine}");
        }

        var symbolsResult = elf.GetSymbols();
        var relocationsResult = elf.GetRelocations();
        if (!symbolsResult.Succeeded)
        {
            return symbolsResult.Failure;
        }

        if (!relocationsResult.Succeeded)
        {
            return relocationsResult.Failure;
        }

        var symbols = symbolsResult.Value!;
        var relocations = relocationsResult.Value!;
        BtfSpec? btf = null;
        BpfFailure? btfFailure = null;
        if (elf.FindSection(".BTF") is not null)
        {
            var btfResult = BtfSpec.FromElf(elf);
            btf = btfResult.Value;
            btfFailure = btfResult.Failure;
        }

        // Function symbols per code section, in address order (stable, so equal addresses keep symbol-table order).
        var funcsBySection = new Dictionary<int, List<ElfSymbol>>();
        foreach (var sym in symbols)
        {
            if (sym.Type == ElfSymbolType.Func && sym.SectionIndex > 0 && sym.SectionIndex < elf.Sections.Count && elf.Sections[sym.SectionIndex].IsExecutable)
            {
                var home = elf.Sections[sym.SectionIndex];
                if (sym.Value % BpfInstructionDecoder.SlotSize != 0 || sym.Value >= Math.Max(1, home.Size))
                {
                    return BpfFailure.Elf(source, (long)home.Offset, $"function '{sym.Name}' at an 8-byte-aligned offset inside section '{home.Name}' ({home.Size} bytes)", $"offset {sym.Value}");
                }

                if (!funcsBySection.TryGetValue(sym.SectionIndex, out var list))
                {
                    funcsBySection[sym.SectionIndex] = list = [];
                }

                list.Add(sym);
            }
        }

        var funcAt = new Dictionary<int, Dictionary<long, ElfSymbol>>();
        foreach (var (sectionIndex, list) in funcsBySection)
        {
            var sorted = list.OrderBy(s => s.Value).ToList();
            list.Clear();
            list.AddRange(sorted);
            var bySlot = new Dictionary<long, ElfSymbol>(list.Count);
            foreach (var sym in list)
            {
                bySlot.TryAdd((long)(sym.Value / BpfInstructionDecoder.SlotSize), sym);
            }

            funcAt[sectionIndex] = bySlot;
        }

        var relocsBySection = new Dictionary<int, Dictionary<ulong, ElfRelocation>>();
        foreach (var rs in relocations)
        {
            var map = new Dictionary<ulong, ElfRelocation>(rs.Entries.Count);
            foreach (var e in rs.Entries)
            {
                map[e.Offset] = e;
            }

            relocsBySection[rs.TargetSectionIndex] = map;
        }

        var functions = new List<BpfFunction>();
        foreach (var (sectionIndex, funcs) in funcsBySection.OrderBy(kv => kv.Key))
        {
            var section = elf.Sections[sectionIndex];
            var decoded = BpfInstructionDecoder.Decode(elf.GetData(section).Span, section.Name);
            if (!decoded.Succeeded)
            {
                return decoded.Failure;
            }

            var insns = decoded.Value!;
            var sectionRelocs = relocsBySection.GetValueOrDefault(sectionIndex) ?? [];
            var first = 0;
            for (var f = 0; f < funcs.Count; f++)
            {
                // Values were checked to lie inside the section, so slots fit an int.
                var start = (int)(funcs[f].Value / BpfInstructionDecoder.SlotSize);
                var end = f + 1 < funcs.Count ? (int)(funcs[f + 1].Value / BpfInstructionDecoder.SlotSize) : int.MaxValue;
                var body = new List<BpfInstruction>();
                var calls = new List<BpfCallSite>();
                var data2 = new List<BpfDataReference>();
                while (first < insns.Count && insns[first].Slot < start)
                {
                    first++;
                }

                for (var k = first; k < insns.Count && insns[k].Slot < end; k++)
                {
                    var insn = insns[k];
                    var local = insn with { Slot = insn.Slot - start };
                    body.Add(local);
                    var hasRel = sectionRelocs.TryGetValue((ulong)insn.Slot * BpfInstructionDecoder.SlotSize, out var rel);
                    var relSym = hasRel && rel.SymbolIndex < symbols.Count ? symbols[(int)rel.SymbolIndex] : null;
                    if (insn.IsCall)
                    {
                        calls.Add(ResolveCall(funcAt, sectionIndex, insn, local.Slot, relSym, rel));
                    }
                    else if (insn.IsLoadImmediate64 && relSym is not null)
                    {
                        if (insn.Source == BpfInstruction.PseudoFunc || (relSym.SectionIndex > 0 && relSym.SectionIndex < elf.Sections.Count && elf.Sections[relSym.SectionIndex].IsExecutable))
                        {
                            var target = FindFunctionAt(funcAt, relSym.SectionIndex, (long)(relSym.Value / 8) + (insn.Immediate / 8));
                            calls.Add(new BpfCallSite(local.Slot, target is null ? BpfCallKind.Unresolved : BpfCallKind.Callback, target?.Name ?? relSym.Name));
                        }
                        else
                        {
                            var secName = relSym.SectionIndex > 0 && relSym.SectionIndex < elf.Sections.Count ? elf.Sections[relSym.SectionIndex].Name : "";
                            data2.Add(new BpfDataReference(local.Slot, relSym.Name, secName, unchecked((long)relSym.Value + insn.Immediate)));
                        }
                    }
                }

                functions.Add(new BpfFunction(funcs[f].Name, section.Name, start, body, calls, data2));
            }
        }

        var structOps = ReadStructOps(elf, symbols, relocations, btf);
        if (!structOps.Succeeded)
        {
            return structOps.Failure;
        }

        return new BpfObject(source, elf, btf, functions, structOps.Value) { BtfFailure = btfFailure };
    }

    private static BpfCallSite ResolveCall(Dictionary<int, Dictionary<long, ElfSymbol>> funcs, int sectionIndex, BpfInstruction insn, int localSlot, ElfSymbol? relSym, ElfRelocation rel)
    {
        if (relSym is not null && rel.Type is RelocationCall32 or RelocationInsn64)
        {
            if (relSym.SectionIndex == 0)
            {
                return new BpfCallSite(localSlot, BpfCallKind.Kfunc, relSym.Name);
            }

            // libbpf: the callee's slot is the symbol's slot plus imm + 1.
            var target = FindFunctionAt(funcs, relSym.SectionIndex, (long)(relSym.Value / 8) + insn.Immediate + 1);
            return target is null
                ? new BpfCallSite(localSlot, BpfCallKind.Unresolved, relSym.Name)
                : new BpfCallSite(localSlot, BpfCallKind.Subprogram, target.Name);
        }

        if (insn.Source == BpfInstruction.PseudoCall)
        {
            var target = FindFunctionAt(funcs, sectionIndex, insn.Slot + insn.Immediate + 1L);
            return target is null
                ? new BpfCallSite(localSlot, BpfCallKind.Unresolved, $"pc{insn.Immediate:+0;-0}")
                : new BpfCallSite(localSlot, BpfCallKind.Subprogram, target.Name);
        }

        return new BpfCallSite(localSlot, BpfCallKind.Helper, BpfHelperNames.Get(insn.Immediate), insn.Immediate);
    }

    private static ElfSymbol? FindFunctionAt(Dictionary<int, Dictionary<long, ElfSymbol>> funcs, int sectionIndex, long slot) =>
        funcs.TryGetValue(sectionIndex, out var bySlot) ? bySlot.GetValueOrDefault(slot) : null;

    private static Outcome<List<StructOpsMap>, BpfFailure> ReadStructOps(ElfFile elf, IReadOnlyList<ElfSymbol> symbols, IReadOnlyList<ElfRelocationSection> relocations, BtfSpec? btf)
    {
        var result = new List<StructOpsMap>();
        foreach (var section in elf.Sections)
        {
            if (section.Name is not (".struct_ops.link" or ".struct_ops"))
            {
                continue;
            }

            var data = elf.GetData(section);
            var rels = relocations.FirstOrDefault(r => r.TargetSectionIndex == section.Index)?.Entries ?? [];
            var datasec = btf?.Find(section.Name, BtfKind.DataSec);
            foreach (var sym in symbols.Where(s => s.SectionIndex == section.Index && s.Type == ElfSymbolType.DataObject).OrderBy(s => s.Value))
            {
                if (sym.Value > (ulong)data.Length || sym.Size > (ulong)data.Length - sym.Value)
                {
                    return BpfFailure.Elf(elf.Source, (long)section.Offset,
                        $"struct_ops variable '{sym.Name}' inside section '{section.Name}' ({data.Length} bytes)", $"offset {sym.Value} size {sym.Size}");
                }

                var start = (int)sym.Value;
                var size = (int)sym.Size;
                var typeName = "";
                IReadOnlyList<BtfMember> members = [];
                if (btf is not null && datasec is { } ds)
                {
                    foreach (var v in ds.SectionVariables)
                    {
                        if (v.Offset == sym.Value && btf.SkipQualifiers(btf[v.TypeId].ReferencedTypeId) is { } st && st.Kind == BtfKind.Struct)
                        {
                            typeName = st.Name;
                            members = st.Members;
                        }
                    }
                }

                var callbacks = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var r in rels)
                {
                    if (r.Offset < (ulong)start || r.Offset >= (ulong)(start + size) || r.SymbolIndex >= symbols.Count)
                    {
                        continue;
                    }

                    var memberOffset = (uint)(r.Offset - (ulong)start);
                    var member = members.FirstOrDefault(m => m.ByteOffset == memberOffset).Name ?? $"member@{memberOffset}";
                    callbacks[member] = symbols[(int)r.SymbolIndex].Name;
                }

                result.Add(new StructOpsMap(sym.Name, section.Name, typeName, data.Slice(start, size), members, callbacks));
            }
        }

        return result;
    }
}
