using System.Text;
using SchedCP.Verifier.Compile;

namespace SchedCP.Verifier.Tests.Compile;

/// <summary>Seeded random input: the scanner never throws and never lets through an include it cannot pin to an allowed file.</summary>
public sealed class IncludeScannerFuzzTests : IDisposable
{
    private readonly string _allowed = Directory.CreateTempSubdirectory("scanner-allowed").FullName;

    public IncludeScannerFuzzTests()
    {
        Directory.CreateDirectory(Path.Combine(_allowed, "scx"));
        File.WriteAllText(Path.Combine(_allowed, "scx", "common.bpf.h"), "");
    }

    public void Dispose() => Directory.Delete(_allowed, recursive: true);

    private const string Alphabet = "ab/\\.\"<>#%:_ \t\n\r\0\u0001\u007f\u2028\u00e9\u202e?=*'x\\scxcommon.bpfh";

    private static string RandomText(Random random, int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(8) == 0 ? (char)random.Next(0, 0x3000) : Alphabet[random.Next(Alphabet.Length)]);
        }

        return text.ToString();
    }

    [Fact]
    public void Random_include_operands_are_accepted_only_when_they_name_an_allowed_file_without_tricks()
    {
        var random = new Random(20261205);
        for (var n = 0; n < 20_000; n++)
        {
            var operand = RandomText(random, random.Next(0, 24));
            var refusals = IncludeScanner.Scan($"#include \"{operand}\"\nint x;\n", [_allowed]);
            if (refusals.Count == 0)
            {
                Assert.DoesNotContain(operand, char.IsControl);
                Assert.DoesNotContain("..", operand, StringComparison.Ordinal);
                Assert.False(operand.StartsWith('/'), operand);
                var full = Path.GetFullPath(Path.Combine(_allowed, operand));
                Assert.StartsWith(_allowed + "/", full, StringComparison.Ordinal);
                Assert.True(File.Exists(full), operand);
            }
        }
    }

    [Fact]
    public void Random_sources_never_make_the_scanner_throw()
    {
        var random = new Random(42);
        for (var n = 0; n < 5_000; n++)
        {
            var source = RandomText(random, random.Next(0, 200));
            _ = IncludeScanner.Scan(source, [_allowed]);
            _ = IncludeScanner.ScanPreprocessed(source);
        }
    }

    [Fact]
    public void The_provided_header_is_accepted()
    {
        Assert.Empty(IncludeScanner.Scan("#include <scx/common.bpf.h>\n#include \"scx/common.bpf.h\"\n", [_allowed]));
    }
}
