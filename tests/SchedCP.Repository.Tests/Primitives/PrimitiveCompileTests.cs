using SchedCP.Testing;

namespace SchedCP.Repository.Tests.Primitives;

/// <summary>Every composable primitive, and every template, compiles for the BPF target without a warning.</summary>
public sealed class PrimitiveCompileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("schedcp-primitives-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>The plainest primitive of each category, which a primitive under test replaces in its own category.</summary>
    private static readonly Dictionary<PrimitiveCategory, string> Plain = new()
    {
        [PrimitiveCategory.DsqTopology] = "dsq_global",
        [PrimitiveCategory.Ordering] = "order_fifo",
        [PrimitiveCategory.IdleCpuSelection] = "idle_default",
        [PrimitiveCategory.SlicePolicy] = "slice_fixed",
    };

    [BpfSourcesFact]
    public void Each_composable_primitive_compiles_with_the_plainest_of_the_other_categories()
    {
        var composer = new SchedulerComposer();
        var primitives = BuiltInCatalog.Catalog.Primitives.Where(SchedulerComposer.IsComposable).ToList();
        Assert.Equal(13, primitives.Count);
        foreach (var primitive in primitives)
        {
            var names = Plain.Select(kv => kv.Key == primitive.Category ? primitive.Name : kv.Value);
            var composed = composer.Compose("schedcp_" + primitive.Name, names).GetValueOrThrow();

            var (exit, diagnostics) = BpfClang.Compile(composed.Source, Path.Combine(_dir, primitive.Name + ".bpf.o"));

            Assert.True(exit == 0, $"{primitive.Name}: {diagnostics}");
        }
    }

    [BpfSourcesFact]
    public void Each_template_compiles_from_its_committed_source()
    {
        foreach (var template in SchedulerComposerTests.Templates())
        {
            var source = File.ReadAllText(Path.Combine(BuildOutputs.RepositoryRoot(), template.Source!.RelativePath!));

            var (exit, diagnostics) = BpfClang.Compile(source, Path.Combine(_dir, template.Name + ".bpf.o"));

            Assert.True(exit == 0, $"{template.Name}: {diagnostics}");
            Assert.True(new FileInfo(Path.Combine(_dir, template.Name + ".bpf.o")).Length > 0);
        }
    }
}
