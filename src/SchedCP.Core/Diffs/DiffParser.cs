using System.Globalization;
using System.Text.RegularExpressions;
using SchedCP.Core.Results;

namespace SchedCP.Core.Diffs;

/// <summary>One file's unified diff, read into hunks; the one reader both matchings apply from.</summary>
/// <param name="Hunks">The hunks in order.</param>
/// <param name="CreatesFile">The old side is <c>/dev/null</c>: the diff creates its file.</param>
/// <param name="OldLacksNewline">A <c>\ No newline at end of file</c> marker follows a removed line.</param>
/// <param name="NewLacksNewline">Such a marker follows an added or kept line.</param>
internal sealed record ParsedDiff(IReadOnlyList<DiffHunk> Hunks, bool CreatesFile, bool OldLacksNewline, bool NewLacksNewline);

/// <summary>A hunk: where its header says it starts in the old text, and its lines.</summary>
internal sealed record DiffHunk(int OldStart, int OldCount, List<DiffLine> Lines)
{
    /// <summary>The line index the hunk's old lines start at (a hunk with no old lines inserts after line OldStart).</summary>
    public int Position => OldCount == 0 ? OldStart : OldStart - 1;

    /// <summary>The context and removed lines: what the old text must hold.</summary>
    public List<string> Expected => [.. Lines.Where(l => l.Kind != '+').Select(l => l.Text)];

    /// <summary>The context and added lines: what the new text holds in their place.</summary>
    public List<string> Replacement => [.. Lines.Where(l => l.Kind != '-').Select(l => l.Text)];
}

/// <summary>A line of a hunk.</summary>
/// <param name="Kind">' ' context, '-' removed, '+' added.</param>
/// <param name="Text">The line without its mark.</param>
/// <param name="Implicit">An empty line in the diff read as empty context (its leading space trimmed by an editor or a model).</param>
internal readonly record struct DiffLine(char Kind, string Text, bool Implicit = false);

/// <summary>Reads the <c>diff -u</c> / <c>git diff</c> format of one file. Prose before the first hunk is passed over.</summary>
internal static partial class DiffParser
{
    private const string Remedy = "Send a unified diff (diff -u, git diff) of one file with at least one '@@ -start,count +start,count @@' hunk.";

    public static Outcome<ParsedDiff, DiffFailure> Parse(string diff)
    {
        var hunks = new List<DiffHunk>();
        DiffHunk? current = null;
        var (files, hunksSinceHeader, creates, oldLacks, newLacks) = (0, 0, false, false, false);
        var all = diff.Split('\n');
        for (var i = 0; i < all.Length; i++)
        {
            var line = all[i];
            if (FileHeader(all, i) is { } paths)
            {
                // git writes 'diff --git' and then '---'/'+++' for the same file: a header right after a header is that file's.
                files += hunksSinceHeader > 0 || files == 0 ? 1 : 0;
                hunksSinceHeader = 0;
                current = null;
                if (files > 1)
                {
                    return new DiffFailure(DiffFailureKind.WrongFile, "The diff touches more than one file.", "Send the hunks of the one file being changed.");
                }

                if (paths.Length == 2 && paths[1] == DevNull)
                {
                    return new DiffFailure(DiffFailureKind.WrongFile, "The diff deletes its file ('+++ /dev/null').", "Send a diff that changes the file's lines.");
                }

                creates |= paths.Length == 2 && paths[0] == DevNull;
                if (paths.Where(p => p != DevNull).FirstOrDefault(Escapes) is { } escaping)
                {
                    return new DiffFailure(DiffFailureKind.WrongFile, $"The diff names the file '{Shorten(escaping)}', a path that climbs out of its folder or is not a file.",
                        "Diff the one file being changed, named relative to its folder.");
                }

                i += paths.Length == 1 ? 0 : 1;
                continue;
            }

            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var m = HunkHeader().Match(line);
                if (!m.Success)
                {
                    return new DiffFailure(DiffFailureKind.Malformed, $"The hunk header '{Shorten(line)}' is not '@@ -start,count +start,count @@'.", Remedy, hunks.Count);
                }

                current = new DiffHunk(Number(m.Groups[1]), m.Groups[2].Success ? Number(m.Groups[2]) : 1, []);
                hunks.Add(current);
                hunksSinceHeader++;
                continue;
            }

            if (current is null)
            {
                // File headers (index, mode lines) and prose before the first hunk are passed over.
                continue;
            }

            if (line.StartsWith('\\'))
            {
                // "\ No newline at end of file": after a removed line the old text lacked the final newline, after a kept or added line the new one does.
                (oldLacks, newLacks) = current.Lines.Count > 0 && current.Lines[^1].Kind == '-' ? (true, newLacks) : (oldLacks, true);
                continue;
            }

            if (line.Length == 0)
            {
                current.Lines.Add(new DiffLine(' ', "", Implicit: true));
                continue;
            }

            if (line[0] is not (' ' or '+' or '-'))
            {
                current = null;
                continue;
            }

            current.Lines.Add(new DiffLine(line[0], line[1..]));
        }

        // A trailing empty line is the diff's own final newline, not a context line.
        foreach (var hunk in hunks)
        {
            while (hunk.Lines.Count > 0 && hunk.Lines[^1].Implicit)
            {
                hunk.Lines.RemoveAt(hunk.Lines.Count - 1);
            }
        }

        if (hunks.Count == 0)
        {
            return new DiffFailure(DiffFailureKind.Malformed, "The diff has no '@@' hunk.", Remedy);
        }

        if (hunks.All(h => h.Lines.All(l => l.Kind == ' ')) && !creates)
        {
            return new DiffFailure(DiffFailureKind.Malformed, "The diff changes nothing: no line starts with '+' or '-'.", "Mark removed lines with '-' and added lines with '+'.");
        }

        return new ParsedDiff(hunks, creates, oldLacks, newLacks);
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private const string DevNull = "/dev/null";

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
        path.Split([' ', '/', '\\'], StringSplitOptions.RemoveEmptyEntries).Any(segment => segment == "..");

    private static int Number(Group group) => int.Parse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^@@ -(\d{1,9})(?:,(\d{1,9}))? \+\d{1,9}(?:,\d{1,9})? @@")]
    private static partial Regex HunkHeader();
}
