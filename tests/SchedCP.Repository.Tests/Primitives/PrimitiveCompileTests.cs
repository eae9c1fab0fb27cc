using SchedCP.Kernel.Bpf.Elf;
using SchedCP.Testing;

namespace SchedCP.Repository.Tests.Primitives;

/// <summary>Every composable primitive, and every template both as its recipe and as the catalog's source, compiles for the BPF target without a warning.</summary>
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

    /// <summary>
    /// clang composing a recipe with -I bpf/primitives (bpf/build.sh) and the catalog's complete source make the same
    /// program: every section the kernel loads, and its relocations, byte for byte (debug info and BTF carry line numbers).
    /// </summary>
    [BpfSourcesFact]
    public void Each_template_recipe_compiles_to_the_same_program_as_its_catalog_source()
    {
        foreach (var template in SchedulerComposerTests.Templates())
        {
            var fromRecipe = Path.Combine(_dir, template.Name + ".recipe.bpf.o");
            var fromCatalog = Path.Combine(_dir, template.Name + ".bpf.o");
            var recipe = BpfClang.Compile(File.ReadAllText(BuildOutputs.Source(template.Source!.RelativePath!)), fromRecipe, BuildOutputs.Source("bpf/primitives"));
            var catalog = BpfClang.Compile(template.Source.Content!, fromCatalog);

            Assert.True(recipe.Exit == 0, $"{template.Name} recipe: {recipe.Diagnostics}");
            Assert.True(catalog.Exit == 0, $"{template.Name} catalog source: {catalog.Diagnostics}");
            Assert.Equal(LoadedSections(fromCatalog), LoadedSections(fromRecipe));
        }
    }

    private static List<string> LoadedSections(string objectPath)
    {
        var elf = ElfFile.Load(objectPath).GetValueOrThrow();
        var loaded = elf.Sections.Where(s => (s.Flags & 2) != 0).Select(s => s.Index).ToHashSet();
        return [.. elf.Sections
            .Where(s => loaded.Contains(s.Index) || (s.Type == ElfSectionType.Rel && loaded.Contains((int)s.Info)))
            .Select(s => $"{s.Name}: {Convert.ToHexString(elf.GetData(s).Span)}")];
    }
}
