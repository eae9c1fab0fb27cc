using System.Globalization;
using System.Text.RegularExpressions;

namespace SchedCP.ControlPlane.Verification;

/// <summary>The outcome of applying a unified diff: the new text, or why it does not apply (hunk and line).</summary>
/// <param name="Text">The patched text, or null when the diff did not apply.</param>
/// <param name="Problem">What was wrong and what to do, or null.</param>
/// <param name="HunksApplied">How many hunks applied.</param>
public sealed record DiffApplication(string? Text, string? Problem, int HunksApplied)
{
    /// <summary>True when every hunk applied.</summary>
    public bool Applied => Text is not null;
}

/// <summary>
/// Applies a unified diff (the <c>diff -u</c> / <c>git diff</c> format) to one file's text. Each hunk's context and
/// removed lines must match the text exactly; a hunk whose line numbers are off is searched for nearby (the way
/// <c>patch</c> applies with an offset), so a model's miscounted header still applies when its lines are right.
/// Nothing is guessed beyond that: a hunk that does not match is refused with the line that differs.
/// </summary>
public static partial class UnifiedDiff
{
    /// <summary>Most characters accepted in a diff.</summary>
    public const int MaxLength = 200_000;

    /// <summary>Applies <paramref name="diff"/> to <paramref name="original"/>.</summary>
    /// <param name="original">The text to patch.</param>
    /// <param name="diff">The unified diff (file headers optional, one file).</param>
    public static DiffApplication Apply(string original, string diff)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (string.IsNullOrWhiteSpace(diff))
        {
            return new DiffApplication(null, "The diff is empty; send a unified diff with @@ hunks.", 0);
        }

        if (diff.Length > MaxLength)
        {
            return new DiffApplication(null, $"The diff has {diff.Length} characters, more than {MaxLength}; send a smaller change.", 0);
        }

        var lines = new List<string>(original.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        var trailingNewline = lines.Count > 0 && lines[^1].Length == 0;
        if (trailingNewline)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        var hunks = Parse(diff.Replace("\r\n", "\n", StringComparison.Ordinal), out var parseProblem);
        if (parseProblem is not null)
        {
            return new DiffApplication(null, parseProblem, 0);
        }

        var shift = 0;
        for (var h = 0; h < hunks.Count; h++)
        {
            var hunk = hunks[h];
            var expected = hunk.Lines.Where(l => l.Kind != '+').Select(l => l.Text).ToList();
            var replacement = hunk.Lines.Where(l => l.Kind != '-').Select(l => l.Text).ToList();
            var at = Locate(lines, expected, Math.Max(0, hunk.OldStart - 1 + shift));
            if (at < 0)
            {
                return new DiffApplication(null, string.Create(CultureInfo.InvariantCulture,
                    $"Hunk {h + 1} (@@ -{hunk.OldStart}) does not apply: {Mismatch(lines, expected, Math.Max(0, hunk.OldStart - 1 + shift))}. Diff against the policy's current source exactly (get_policy with includeSource=true; schedcp show POLICY --source)."), h);
            }

            lines.RemoveRange(at, expected.Count);
            lines.InsertRange(at, replacement);
            shift += replacement.Count - expected.Count + (at - (hunk.OldStart - 1 + shift));
        }

        var text = string.Join('\n', lines) + (trailingNewline ? "\n" : "");
        return new DiffApplication(text, null, hunks.Count);
    }

    /// <summary>The hunk count and the changed line count of a diff, for a one-line description.</summary>
    /// <param name="diff">The diff.</param>
    public static string Describe(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var hunks = Parse(diff.Replace("\r\n", "\n", StringComparison.Ordinal), out _);
        var added = hunks.Sum(h => h.Lines.Count(l => l.Kind == '+'));
        var removed = hunks.Sum(h => h.Lines.Count(l => l.Kind == '-'));
        return string.Create(CultureInfo.InvariantCulture, $"{hunks.Count} hunk(s), +{added} -{removed} lines");
    }

    private static int Locate(List<string> lines, List<string> expected, int hint)
    {
        if (expected.Count == 0)
        {
            return Math.Min(hint, lines.Count);
        }

        for (var distance = 0; distance <= lines.Count; distance++)
        {
            foreach (var at in new[] { hint - distance, hint + distance })
            {
                if (at >= 0 && at + expected.Count <= lines.Count && Matches(lines, expected, at))
                {
                    return at;
                }
            }
        }

        return -1;
    }

    // Where the hunk comes closest to matching (the most leading lines in place, nearest the header's line wins), and the first line that differs there.
    private static string Mismatch(List<string> lines, List<string> expected, int hint)
    {
        var (bestAt, bestRun) = (-1, -1);
        for (var at = 0; at < lines.Count; at++)
        {
            var run = 0;
            while (run < expected.Count && at + run < lines.Count && string.Equals(lines[at + run].TrimEnd(), expected[run].TrimEnd(), StringComparison.Ordinal))
            {
                run++;
            }

            if (run > bestRun || (run == bestRun && Math.Abs(at - hint) < Math.Abs(bestAt - hint)))
            {
                (bestAt, bestRun) = (at, run);
            }
        }

        if (bestRun <= 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"its first line '{Shorten(expected[0])}' is nowhere in the source (line {hint + 1} there is '{Shorten(hint < lines.Count ? lines[hint] : "")}')");
        }

        var line = bestAt + bestRun;
        return line < lines.Count
            ? string.Create(CultureInfo.InvariantCulture, $"at line {line + 1} of the source the diff expects '{Shorten(expected[bestRun])}' but the source has '{Shorten(lines[line])}'")
            : string.Create(CultureInfo.InvariantCulture, $"the source ends at line {lines.Count}, before the diff's '{Shorten(expected[bestRun])}'");
    }

    private static bool Matches(List<string> lines, List<string> expected, int at)
    {
        for (var i = 0; i < expected.Count; i++)
        {
            if (!string.Equals(lines[at + i].TrimEnd(), expected[i].TrimEnd(), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static List<Hunk> Parse(string diff, out string? problem)
    {
        problem = null;
        var hunks = new List<Hunk>();
        Hunk? current = null;
        var (files, hunksSinceHeader) = (0, 0);
        var all = diff.Split('\n');
        for (var i = 0; i < all.Length; i++)
        {
            var line = all[i];
            if (FileHeader(all, i) is { } paths)
            {
                // A revision patches one file, the policy's own source: a second file, a created or deleted file, or a path that climbs out is refused.
                // git writes 'diff --git' and then '---'/'+++' for the same file: a header right after a header is that file's.
                files += hunksSinceHeader > 0 || files == 0 ? 1 : 0;
                hunksSinceHeader = 0;
                current = null;
                if (paths.FirstOrDefault(Escapes) is { } escaping)
                {
                    problem = $"The diff names the file '{Shorten(escaping)}', a path that climbs out of its folder or is not a file; a revision patches only the policy's own source: diff that one file.";
                    return hunks;
                }

                if (files > 1)
                {
                    problem = "The diff touches more than one file; a revision patches only the policy's own source: send the hunks of that one file.";
                    return hunks;
                }

                i += paths.Length == 1 ? 0 : 1;
                continue;
            }

            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var m = HunkHeader().Match(line);
                if (!m.Success)
                {
                    problem = $"The hunk header '{Shorten(line)}' is not '@@ -start,count +start,count @@'.";
                    return hunks;
                }

                current = new Hunk(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), []);
                hunks.Add(current);
                hunksSinceHeader++;
                continue;
            }

            if (current is null)
            {
                // File headers (---, +++, diff --git, index) and prose before the first hunk are skipped.
                continue;
            }

            if (line.StartsWith("\\ No newline", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.Length == 0)
            {
                // An empty line inside a hunk is an empty context line whose leading space was trimmed.
                current.Lines.Add(new DiffLine(' ', ""));
                continue;
            }

            var kind = line[0];
            if (kind is not (' ' or '+' or '-'))
            {
                current = null;
                continue;
            }

            current.Lines.Add(new DiffLine(kind, line[1..]));
        }

        // A trailing empty context line is an artefact of the final newline, not part of the hunk.
        foreach (var hunk in hunks)
        {
            while (hunk.Lines.Count > 0 && hunk.Lines[^1] is { Kind: ' ', Text.Length: 0 })
            {
                hunk.Lines.RemoveAt(hunk.Lines.Count - 1);
            }
        }

        if (hunks.Count == 0)
        {
            problem = "The diff has no @@ hunks; send a unified diff (diff -u) against the policy's source.";
        }
        else if (hunks.All(h => h.Lines.All(l => l.Kind == ' ')))
        {
            problem = "The diff changes nothing: no line starts with '+' or '-'.";
        }

        return hunks;
    }

    // The paths a file header names: 'diff --git a/X b/Y' (one line), or '--- X' followed by '+++ Y' (two lines).
    private static string[]? FileHeader(string[] lines, int i)
    {
        if (lines[i].StartsWith("diff --git ", StringComparison.Ordinal))
        {
            return [lines[i]["diff --git ".Length..]];
        }

        return lines[i].StartsWith("--- ", StringComparison.Ordinal) && i + 1 < lines.Length && lines[i + 1].StartsWith("+++ ", StringComparison.Ordinal)
            ? [HeaderPath(lines[i]), HeaderPath(lines[i + 1])]
            : null;
    }

    // '--- a/x.c\t2024-01-01 ...' names a/x.c: the timestamp after a tab is not part of the path.
    private static string HeaderPath(string line) => line[4..].Split('\t')[0].Trim();

    private static bool Escapes(string path) =>
        path == "/dev/null" || path.Split([' ', '/', '\\'], StringSplitOptions.RemoveEmptyEntries).Any(segment => segment == "..");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    [GeneratedRegex(@"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")]
    private static partial Regex HunkHeader();

    private sealed record Hunk(int OldStart, List<DiffLine> Lines);

    private readonly record struct DiffLine(char Kind, string Text);
}
