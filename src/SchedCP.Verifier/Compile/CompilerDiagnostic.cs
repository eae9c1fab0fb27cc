using System.Globalization;
using System.Text.RegularExpressions;

namespace SchedCP.Verifier.Compile;

/// <summary>One clang diagnostic, parsed from <c>file:line:col: severity: message</c>.</summary>
/// <param name="File">The file.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Severity"><c>error</c>, <c>fatal error</c>, <c>warning</c> or <c>note</c>.</param>
/// <param name="Message">The message, without clang's <c>[-Wflag]</c> suffix.</param>
public sealed partial record CompilerDiagnostic(string File, int Line, int Column, string Severity, string Message)
{
    /// <summary>True for <c>error</c> and <c>fatal error</c>.</summary>
    public bool IsError => Severity is "error" or "fatal error";

    /// <summary>Parses every diagnostic line of clang's output; other lines (source excerpts, carets) are skipped.</summary>
    /// <param name="output">clang's standard error.</param>
    /// <returns>The diagnostics in order.</returns>
    public static IReadOnlyList<CompilerDiagnostic> Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var list = new List<CompilerDiagnostic>();
        foreach (var line in output.Split('\n'))
        {
            var m = DiagnosticLine().Match(line.TrimEnd('\r'));
            if (m.Success)
            {
                list.Add(new CompilerDiagnostic(
                    m.Groups["file"].Value,
                    int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture),
                    int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture),
                    m.Groups["sev"].Value,
                    m.Groups["msg"].Value.Trim()));
            }
        }

        return list;
    }

    [GeneratedRegex(@"^(?<file>[^:\n]+):(?<line>\d+):(?<col>\d+): (?<sev>fatal error|error|warning|note): (?<msg>.*?)(?: \[-W[^\]]+\])?$")]
    private static partial Regex DiagnosticLine();
}
