using System.Buffers.Binary;
using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Bpf.Elf;
using SchedCP.Kernel.Bpf.Programs;
using SchedCP.Testing;
using SchedCP.Verifier.Pipeline;
using SchedCP.Verifier.StaticAnalysis;

namespace SchedCP.Verifier.Tests.StaticAnalysis;

/// <summary>The fuzz findings, one by one: each corrupt object gets a typed failure or a failed static stage.</summary>
public sealed class UntrustedObjectTests
{
    [BpfBuildFact]
    public void Struct_ops_variable_past_the_end_of_its_section_is_a_typed_failure()
    {
        var bytes = File.ReadAllBytes(BuildOutputs.BpfObject("fifo"));
        var elf = ElfFile.Parse(bytes).Value!;
        var symtab = elf.Sections.First(s => s.Type == ElfSectionType.SymTab);
        var ops = elf.GetSymbols().Value!.First(s => s.Name == "fifo_ops");
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)symtab.Offset + (ops.Index * 24) + 8), 0x7fff_ff00);

        var obj = BpfObject.Parse(bytes, "fifo.bpf.o");

        Assert.False(obj.Succeeded);
        Assert.Equal(BpfFailureKind.MalformedElf, obj.Failure.Kind);
        Assert.Contains("fifo_ops", obj.Failure.Message, StringComparison.Ordinal);
    }

    [BpfBuildFact]
    public void Ld_imm64_with_a_register_above_r10_is_refused_before_analysis()
    {
        var bytes = File.ReadAllBytes(BuildOutputs.BpfObject("fifo"));
        var elf = ElfFile.Parse(bytes).Value!;
        var code = elf.Sections.First(s => s.IsExecutable && elf.GetData(s).Span.IndexOf((byte)0x18) >= 0 && s.Size > 0);
        var data = elf.GetData(code).Span;
        var slot = 0;
        while (data[slot * 8] != 0x18)
        {
            slot++;
        }

        bytes[(int)code.Offset + (slot * 8) + 1] = 0x0f; // dst r15

        var obj = BpfObject.Parse(bytes, "fifo.bpf.o");

        Assert.False(obj.Succeeded);
        Assert.Contains("r0-r10", obj.Failure.Message, StringComparison.Ordinal);
    }

    [BpfBuildFact]
    public async Task Corrupt_btf_fails_the_static_stage_of_a_task_dropping_scheduler_with_the_reason()
    {
        var bytes = File.ReadAllBytes(BuildOutputs.BpfObject("stall"));
        var btf = ElfFile.Parse(bytes).Value!.FindSection(".BTF")!;
        bytes[(int)btf.Offset + 2] = 2; // BTF version 2 does not exist
        var path = Path.Combine(Path.GetTempPath(), $"schedcp-{Guid.NewGuid():N}.bpf.o");
        await File.WriteAllBytesAsync(path, bytes);
        try
        {
            var verdict = await new StaticAnalysisStage().VerifyAsync(new VerificationContext(new VerificationCandidate("stall") { ObjectPath = path }));

            Assert.False(verdict.Passed);
            var finding = Assert.Single(verdict.Findings, f => f.Severity == FindingSeverity.Error);
            Assert.Equal("btf", finding.Check);
            Assert.Contains("BTF version 1", verdict.Reason, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(finding.Remedy));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [BpfBuildFact]
    public void Struct_ops_map_whose_type_the_btf_no_longer_names_fails_instead_of_skipping_the_checks()
    {
        var bytes = File.ReadAllBytes(BuildOutputs.BpfObject("stall"));
        // Rename the type in the BTF strings so that BTF still parses but no sched_ext_ops is found.
        var btf = ElfFile.Parse(bytes).Value!.FindSection(".BTF")!;
        var at = (int)btf.Offset + bytes.AsSpan((int)btf.Offset, (int)btf.Size).IndexOf("\0sched_ext_ops\0"u8);
        bytes[at + 1] = (byte)'S';

        var result = SchedulerStaticAnalyzer.Analyze(BpfObject.Parse(bytes, "stall.bpf.o").Value!);

        Assert.False(result.Passed);
        Assert.Equal("btf", Assert.Single(result.Findings, f => f.Severity == FindingSeverity.Error).Check);
    }
}
