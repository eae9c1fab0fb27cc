using System.Diagnostics;
using SchedCP.Kernel.Bpf;
using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.Bpf.Elf;
using SchedCP.Kernel.Bpf.Instructions;
using SchedCP.Kernel.Bpf.Programs;

namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>Paths and bytes a caller cannot vouch for: refused with a typed failure, without blocking or reading on.</summary>
public sealed class UntrustedInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-untrusted-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_refuses_dev_zero_instead_of_reading_it_until_memory_runs_out()
    {
        var clock = Stopwatch.StartNew();

        var result = BpfObject.Load("/dev/zero");

        Assert.Equal(BpfFailureKind.NotRegularFile, result.Failure?.Kind);
        Assert.Contains("character device", result.Failure!.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Load_refuses_a_fifo_without_waiting_for_a_writer()
    {
        var fifo = Path.Combine(_dir, "sched.bpf.o");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var load = Task.Run(() => BpfObject.Load(fifo));
        var finished = await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Same(load, finished);
        Assert.Equal(BpfFailureKind.NotRegularFile, (await load).Failure?.Kind);
    }

    [Fact]
    public void Load_refuses_a_directory_and_a_symlink_to_a_device()
    {
        var link = Path.Combine(_dir, "zero.bpf.o");
        File.CreateSymbolicLink(link, "/dev/zero");

        Assert.Equal(BpfFailureKind.NotRegularFile, BpfObject.Load(_dir).Failure?.Kind);
        Assert.Equal(BpfFailureKind.NotRegularFile, BpfObject.Load(link).Failure?.Kind);
        Assert.Equal(BpfFailureKind.NotRegularFile, BtfSpec.Load(link).Failure?.Kind);
        Assert.Equal(BpfFailureKind.NotRegularFile, ElfFile.Load(link).Failure?.Kind);
    }

    [Fact]
    public void Load_follows_a_symlink_to_a_regular_file_and_reports_a_missing_one()
    {
        var file = Path.Combine(_dir, "real.bpf.o");
        File.WriteAllBytes(file, ElfBuilder.BpfObject(BtfBlobBuilder.AllKinds()));
        var link = Path.Combine(_dir, "link.bpf.o");
        File.CreateSymbolicLink(link, file);

        Assert.True(ElfFile.Load(link).Succeeded, ElfFile.Load(link).ToString());
        Assert.Equal(BpfFailureKind.FileMissing, BpfObject.Load(Path.Combine(_dir, "none.bpf.o")).Failure?.Kind);
    }

    [Fact]
    public void Load_refuses_a_file_larger_than_the_cap_without_reading_it()
    {
        var big = Path.Combine(_dir, "big.bpf.o");
        using (var stream = File.Create(big))
        {
            stream.SetLength(BpfObject.MaxFileBytes + 1L); // sparse: no bytes written
        }

        var failure = BpfObject.Load(big).Failure;

        Assert.Equal(BpfFailureKind.TooLarge, failure?.Kind);
        Assert.False(string.IsNullOrEmpty(failure!.Remedy));
    }

    [Theory]
    [InlineData(new byte[] { 0x18, 0x0b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "r0-r10")] // ld_imm64 dst r11
    [InlineData(new byte[] { 0x18, 0x01, 0, 0, 0, 0, 0, 0, 0x07, 0, 0, 0, 0, 0, 0, 0 }, "second slot")] // ld_imm64 second slot with an opcode
    [InlineData(new byte[] { 0x18, 0x71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, "pseudo kind")] // ld_imm64 pseudo kind 7
    [InlineData(new byte[] { 0xe7, 0x01, 0, 0, 0, 0, 0, 0 }, "opcode")] // ALU64 op 0xe does not exist
    [InlineData(new byte[] { 0x86, 0x00, 0, 0, 0, 0, 0, 0 }, "opcode")] // JMP32 call does not exist
    [InlineData(new byte[] { 0x61, 0xc1, 0, 0, 0, 0, 0, 0 }, "r0-r10")] // ldx src r12
    public void Decoder_rejects_invalid_encodings_with_the_offset(byte[] code, string expected)
    {
        var result = BpfInstructionDecoder.Decode(code, "struct_ops/x");

        Assert.False(result.Succeeded);
        Assert.Equal(BpfFailureKind.MalformedElf, result.Failure.Kind);
        Assert.Contains(expected, result.Failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, result.Failure.Offset);
    }

    [Fact]
    public void Decoder_still_reads_a_map_load_and_exit()
    {
        byte[] code = [0x18, 0x11, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0x95, 0, 0, 0, 0, 0, 0, 0];

        var insns = BpfInstructionDecoder.Decode(code).Value!;

        Assert.Equal(2, insns.Count);
        Assert.Equal(0x1_0000_0005L, insns[0].Immediate64);
        Assert.True(insns[1].IsExit);
    }
}
