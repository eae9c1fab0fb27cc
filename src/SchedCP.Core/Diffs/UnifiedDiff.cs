using System.Globalization;
using SchedCP.Core.Results;

namespace SchedCP.Core.Diffs;

/// <summary>
/// Makes and applies unified diffs (the <c>diff -u</c> / <c>git diff</c> format) of one file's text. Applying is all or
/// nothing: a hunk that does not match is refused with the hunk and the line that differs, and no text is produced.
/// The runtime's tool host applies with <see cref="DiffMatching.Exact"/>, the control plane's policy revisions with
/// <see cref="DiffMatching.Nearby"/>; both read diffs the same way.
/// </summary>
public static partial class UnifiedDiff
{
    /// <summary>Most characters accepted in a diff.</summary>
    public const int MaxLength = 200_000;

    /// <summary>Applies <paramref name="diff"/> to <paramref name="original"/>, all or nothing.</summary>
    /// <param name="original">The text to patch ("" for a file that does not exist yet).</param>
    /// <param name="diff">The unified diff of one file (file headers optional).</param>
    /// <param name="matching">How strictly the hunks must match.</param>
    /// <returns>The new text, or why the diff does not apply.</returns>
    public static Outcome<PatchedText, DiffFailure> Apply(string original, string diff, DiffMatching matching = DiffMatching.Exact)
    {
        ArgumentNullException.ThrowIfNull(original);
        if (string.IsNullOrWhiteSpace(diff))
        {
            return new DiffFailure(DiffFailureKind.Malformed, "The diff is empty.", "Send a unified diff with at least one '@@ -start,count +start,count @@' hunk.");
        }

        if (diff.Length > MaxLength)
        {
            return new DiffFailure(DiffFailureKind.Malformed, string.Create(CultureInfo.InvariantCulture, $"The diff has {diff.Length} characters, more than {MaxLength}."),
                "Send a smaller change: only its hunks, with a few lines of context each.");
        }

        if (matching == DiffMatching.Nearby)
        {
            (original, diff) = (original.Replace("\r\n", "\n", StringComparison.Ordinal), diff.Replace("\r\n", "\n", StringComparison.Ordinal));
        }

        var parsed = DiffParser.Parse(diff);
        if (!parsed.TryGetValue(out var patch, out var malformed))
        {
            return malformed;
        }

        var (source, newline) = Lines(original);
        if (patch.CreatesFile && source.Count > 0)
        {
            return new DiffFailure(DiffFailureKind.WrongFile, string.Create(CultureInfo.InvariantCulture, $"The diff creates its file ('--- /dev/null'), but the file already has {source.Count} lines."),
                "Diff against the file's current text.");
        }

        var applied = matching == DiffMatching.Exact ? ApplyExact(source, patch.Hunks) : ApplyNearby(source, patch.Hunks);
        if (!applied.TryGetValue(out var output, out var mismatch))
        {
            return mismatch;
        }

        // A marker after a kept or added line ends the new text without a newline; one after a removed line only says the old text had none.
        newline = !patch.NewLacksNewline && (patch.OldLacksNewline || newline);
        var text = string.Join('\n', output);
        return new PatchedText(output.Count > 0 && newline ? text + "\n" : text, patch.Hunks.Count);
    }

    /// <summary>The hunk count and the changed line count of a diff, for a one-line description.</summary>
    /// <param name="diff">The diff.</param>
    /// <returns>For example "2 hunk(s), +3 -1 lines"; "0 hunk(s), +0 -0 lines" for text that is not a diff.</returns>
    public static string Describe(string diff)
    {
        ArgumentNullException.ThrowIfNull(diff);
        var hunks = DiffParser.Parse(diff.Replace("\r\n", "\n", StringComparison.Ordinal)).Value?.Hunks ?? [];
        var added = hunks.Sum(h => h.Lines.Count(l => l.Kind == '+'));
        var removed = hunks.Sum(h => h.Lines.Count(l => l.Kind == '-'));
        return string.Create(CultureInfo.InvariantCulture, $"{hunks.Count} hunk(s), +{added} -{removed} lines");
    }

    // Each hunk at the line its header names, its lines equal to the character.
    private static Outcome<List<string>, DiffFailure> ApplyExact(List<string> source, IReadOnlyList<DiffHunk> hunks)
    {
        var output = new List<string>();
        var cursor = 0;
        for (var h = 0; h < hunks.Count; h++)
        {
            var hunk = hunks[h];
            if (hunk.Position < cursor || hunk.Position > source.Count)
            {
                return new DiffFailure(DiffFailureKind.BaseMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"Hunk {h + 1} starts at line {hunk.OldStart}, which does not exist or overlaps the previous hunk in a text of {source.Count} lines."),
                    "Regenerate the diff against the current text.", h);
            }

            output.AddRange(source.Skip(cursor).Take(hunk.Position - cursor));
            cursor = hunk.Position;
            foreach (var line in hunk.Lines)
            {
                if (line.Kind != '+')
                {
                    if (cursor >= source.Count || !string.Equals(source[cursor], line.Text, StringComparison.Ordinal))
                    {
                        var found = cursor < source.Count ? $"'{DiffParser.Shorten(source[cursor])}'" : "the end of the text";
                        return new DiffFailure(DiffFailureKind.BaseMismatch,
                            string.Create(CultureInfo.InvariantCulture, $"Hunk {h + 1}: line {cursor + 1} should be '{DiffParser.Shorten(line.Text)}' but is {found}."),
                            "The text changed since the diff was made: read it again and regenerate the diff.", h);
                    }

                    cursor++;
                }

                if (line.Kind != '-')
                {
                    output.Add(line.Text);
                }
            }
        }

        output.AddRange(source.Skip(cursor));
        return output;
    }

    // Each hunk where its lines match (trailing white space aside), searched outward from the line its header names.
    private static Outcome<List<string>, DiffFailure> ApplyNearby(List<string> source, IReadOnlyList<DiffHunk> hunks)
    {
        var lines = new List<string>(source);
        var shift = 0;
        for (var h = 0; h < hunks.Count; h++)
        {
            var (expected, replacement) = (hunks[h].Expected, hunks[h].Replacement);
            // A header past the end (a model's guess) searches from the end: every place in the text is tried.
            var hint = Math.Clamp(hunks[h].Position + shift, 0, lines.Count);
            var at = Locate(lines, expected, hint);
            if (at < 0)
            {
                return new DiffFailure(DiffFailureKind.BaseMismatch,
                    string.Create(CultureInfo.InvariantCulture, $"Hunk {h + 1} (@@ -{hunks[h].OldStart}) does not apply: {Mismatch(lines, expected, hint)}."),
                    "Diff against the current text exactly.", h);
            }

            lines.RemoveRange(at, expected.Count);
            lines.InsertRange(at, replacement);
            shift += replacement.Count - expected.Count + (at - (hunks[h].Position + shift));
        }

        return lines;
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
            return string.Create(CultureInfo.InvariantCulture,
                $"its first line '{DiffParser.Shorten(expected[0])}' is nowhere in the source (line {hint + 1} there is '{DiffParser.Shorten(hint < lines.Count ? lines[hint] : "")}')");
        }

        var line = bestAt + bestRun;
        return line < lines.Count
            ? string.Create(CultureInfo.InvariantCulture, $"at line {line + 1} of the source the diff expects '{DiffParser.Shorten(expected[bestRun])}' but the source has '{DiffParser.Shorten(lines[line])}'")
            : string.Create(CultureInfo.InvariantCulture, $"the source ends at line {lines.Count}, before the diff's '{DiffParser.Shorten(expected[bestRun])}'");
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
}
