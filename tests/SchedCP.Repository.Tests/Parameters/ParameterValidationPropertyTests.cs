using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace SchedCP.Repository.Tests.Parameters;

public class ParameterValidationPropertyTests
{
    private static readonly SchedulerPolicy[] Policies = [.. BuiltInCatalog.Catalog.Policies.Where(p => p.Parameters.Count > 0)];
    private static readonly char[] Hostile = [';', '|', '&', '$', '`', '\'', '"', ' ', '\t', '\n', '\0', '<', '>', '\\', '*', '?', '~', '-', '.', '/', '=', ','];

    /// <summary>Values near and far from each schema: valid ones, off-by-one ranges, hostile text, random text.</summary>
    private static Gen<string> ValueFor(ParameterSchema p)
    {
        var min = (long)Math.Max(p.Minimum ?? -1000, -1_000_000_000);
        var max = (long)Math.Min(p.Maximum ?? 1000, 1_000_000_000);
        var number = Gen.Choose(0, 1000).Select(i => (min - 2 + ((max - min + 4) * i / 1000)).ToString(CultureInfo.InvariantCulture));
        var words = Gen.Elements(p.AllowedValues.Concat(["true", "false", "1", "0", "yes", "0x1f", "0xZZ", "0-3,8", "3-1", "5ms", "1500us", "2s", "-1", "1e3", "NaN", "Infinity", "f:/etc/scx/a.json", "f:../x.json", "/sys/fs/cgroup/a", "--help", "-5", ""]).ToArray());
        var hostile = Gen.ArrayOf(Gen.Elements(Hostile.Concat("abc019fx".ToCharArray()).ToArray())).Select(chars => new string(chars));
        var random = ArbMap.Default.GeneratorFor<string>().Where(s => s is not null);
        return Gen.OneOf(number, words, hostile, random, p.Default is null ? words : Gen.Constant(p.Default));
    }

    private static Gen<(SchedulerPolicy Policy, Dictionary<string, string> Values)> ParameterSets() =>
        from policy in Gen.Elements(Policies)
        from chosen in Gen.SubListOf(policy.Parameters.ToArray())
        from values in Gen.CollectToArray<ParameterSchema, string>(chosen, ValueFor)
        select (policy, chosen.Zip(values).ToDictionary(z => z.First.Name, z => z.Second, StringComparer.Ordinal));

    [Property(MaxTest = 2000)]
    public Property No_accepted_parameter_set_yields_an_argument_outside_its_schema() =>
        Prop.ForAll(ParameterSets().ToArbitrary(), set =>
        {
            var result = ParameterValidator.Validate(set.Policy, set.Values);
            if (!result.Succeeded)
            {
                return result.Failure.Message.Contains('\'', StringComparison.Ordinal);
            }

            var validated = result.Value;
            foreach (var (name, canonical) in validated.Values)
            {
                var schema = set.Policy.FindParameter(name)!;
                Assert.True(WithinSchema(schema, canonical), $"{set.Policy.Name}.{name}={canonical} is outside its schema");
                Assert.Equal(canonical, schema.Check(canonical).Value);
            }

            AssertArgumentsComeFromSchema(set.Policy, validated);
            return true;
        });

    [Property(MaxTest = 3000)]
    public Property Random_text_never_becomes_an_injected_argument(string? raw) =>
        Prop.ForAll(Gen.Elements(Policies.SelectMany(p => p.Parameters.Select(s => (p, s))).ToArray()).ToArbitrary(), pair =>
        {
            var (policy, schema) = pair;
            var text = raw ?? "";
            var result = ParameterValidator.Validate(policy, new Dictionary<string, string> { [schema.Name] = text + ";rm -rf /" });
            Assert.False(result.Succeeded);
            var plain = ParameterValidator.Validate(policy, new Dictionary<string, string> { [schema.Name] = text });
            if (plain.Succeeded)
            {
                Assert.All(plain.Value.Arguments, arg => Assert.DoesNotMatch(@"[\s;|&$`'""<>\\\x00-\x1f]", arg));
            }
        });

    [Property(MaxTest = 500)]
    public Property Rodata_values_always_fit_their_c_type() =>
        Prop.ForAll(ParameterSets().Where(s => s.Policy.UsesRodata).ToArbitrary(), set =>
        {
            var result = ParameterValidator.Validate(set.Policy, set.Values);
            if (result.Succeeded)
            {
                Assert.Empty(result.Value.Arguments);
                foreach (var assignment in result.Value.Rodata.Where(a => a.Type == RodataType.Comm))
                {
                    // A task name fits char[16] with its terminator and can never pose as a flag.
                    Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(assignment.Value), 1, 15);
                    Assert.False(assignment.Value.StartsWith('-'));
                }

                foreach (var assignment in result.Value.Rodata.Where(a => a.Type != RodataType.Comm))
                {
                    Assert.Matches("^[0-9]{1,20}$", assignment.Value);
                    Assert.True(ulong.TryParse(assignment.Value, CultureInfo.InvariantCulture, out _));
                }
            }
        });

    private static bool WithinSchema(ParameterSchema schema, string value)
    {
        switch (schema.Type)
        {
            case ParameterType.Integer or ParameterType.Duration:
                var n = decimal.Parse(value, CultureInfo.InvariantCulture);
                return n >= schema.Minimum && n <= schema.Maximum && n == decimal.Truncate(n);
            case ParameterType.Float:
                var d = double.Parse(value, CultureInfo.InvariantCulture);
                return double.IsFinite(d) && d >= (double)schema.Minimum! && d <= (double)schema.Maximum!;
            case ParameterType.Boolean:
                return value is "true" or "false";
            case ParameterType.Enum:
                return schema.AllowedValues.Contains(value);
            case ParameterType.String:
                return value.Length <= schema.MaxLength && !value.StartsWith('-') && Regex.IsMatch(value, @"\A(?:" + schema.Pattern + @")\z");
            case ParameterType.CpuMask:
                return schema.AllowedValues.Contains(value) || Regex.IsMatch(value, @"\A(0x[0-9a-f]+|[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*)\z");
            default:
                return false;
        }
    }

    private static void AssertArgumentsComeFromSchema(SchedulerPolicy policy, ValidatedParameters validated)
    {
        var args = validated.Arguments;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var explained = policy.Parameters.Any(p => validated.Values.TryGetValue(p.Name, out var v) && p.Style switch
            {
                FlagStyle.Switch => arg == p.Flag && v == "true",
                FlagStyle.EnumSwitch => arg == "--" + v,
                FlagStyle.Positional => arg == v,
                _ => arg == p.Flag + "=" + v || (arg == p.Flag && i + 1 < args.Count && args[i + 1] == v) || (i > 0 && args[i - 1] == p.Flag && arg == v),
            });
            Assert.True(explained, $"{policy.Name}: argument '{arg}' is not explained by the schema");
        }
    }
}
