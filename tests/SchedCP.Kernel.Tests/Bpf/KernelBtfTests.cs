using SchedCP.Kernel.Bpf.Btf;
using SchedCP.Kernel.Bpf.Elf;

namespace SchedCP.Kernel.Tests.Bpf;

/// <summary>The reader on real kernel BTF and real BPF objects.</summary>
public sealed class KernelBtfTests
{
    [HostBtfFact]
    public void Host_vmlinux_has_task_struct_with_an_int_pid_and_sched_ext_ops_only_with_sched_ext()
    {
        var btf = BtfSpec.Load(KernelBtfFiles.HostVmlinux);

        Assert.True(btf.Succeeded, btf.ToString());
        var spec = btf.Value;
        Assert.True(spec.TypeCount > 10_000);
        var task = spec.Find("task_struct", BtfKind.Struct);
        Assert.NotNull(task);
        var pid = task.Value.FindMember("pid");
        Assert.NotNull(pid);
        Assert.Equal(0u, pid.Value.BitOffset % 32);
        var pidType = spec.SkipQualifiers(pid.Value.TypeId)!.Value;
        Assert.Equal(BtfKind.Int, pidType.Kind);
        Assert.Equal(new BtfIntInfo(true, false, false, 0, 32), pidType.IntInfo);
        Assert.Equal("pid_t", spec[pid.Value.TypeId].Name);

        // The kernel has sched_ext exactly when it exposes /sys/kernel/sched_ext (this project's hosts do not).
        Assert.Equal(Directory.Exists("/sys/kernel/sched_ext"), SchedExtOpsLayout.Probe(spec).Exists);
    }

    [GuestBtfFact]
    public void Guest_kernel_btf_has_sched_ext_ops_with_its_generation_markers()
    {
        var path = KernelBtfFiles.GuestBtf();
        Assert.True(path is not null, "the sandbox toolchain has no vmlinux.btf; run ./build.sh toolchain");

        var btf = BtfSpec.Load(path);

        Assert.True(btf.Succeeded, btf.ToString());
        var layout = SchedExtOpsLayout.Probe(btf.Value);
        Assert.True(layout.Exists);
        Assert.True(layout.HasMember("dump"));
        Assert.True(layout.HasMember("hotplug_seq"));
        Assert.True(layout.HasMember("timeout_ms"));
        Assert.True(layout.HasMember("name"));
    }

    [BpfObjectsFact]
    public void Every_built_bpf_object_has_readable_sections_symbols_relocations_and_btf()
    {
        var objects = KernelBtfFiles.BpfObjects();
        Assert.NotEmpty(objects);

        foreach (var path in objects)
        {
            var elf = ElfFile.Load(path);
            Assert.True(elf.Succeeded, elf.ToString());
            Assert.Equal(ElfFile.MachineBpf, elf.Value.Machine);
            Assert.True(elf.Value.GetSymbols().Succeeded, path);
            Assert.True(elf.Value.GetRelocations().Succeeded, path);
            var btf = BtfSpec.FromElf(elf.Value);
            Assert.True(btf.Succeeded, btf.ToString());
            Assert.True(btf.Value.TypeCount > 1, path);
        }
    }
}
