using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.WorkUnits;

/// <summary>
/// A resource an agent must claim before acting on it: a file, a directory (its whole subtree) or a
/// named process resource. Paths are relative to the workspace root, use '/' and are normalised, so
/// two spellings of one path are one unit.
/// </summary>
public sealed record WorkUnit
{
    private WorkUnit(WorkUnitKind kind, string name)
    {
        Kind = kind;
        Name = name;
        Key = kind == WorkUnitKind.Process ? "process:" + name : "path:" + name;
        AncestorKeys = kind == WorkUnitKind.Process ? [] : ComputeAncestorKeys(Key);
    }

    /// <summary>Whether this is a file, a directory or a process resource.</summary>
    public WorkUnitKind Kind { get; }

    /// <summary>The normalised relative path ("" is the workspace root) or the process resource name.</summary>
    public string Name { get; }

    /// <summary>The index key: one namespace for paths, another for process resources.</summary>
    internal string Key { get; }

    /// <summary>
    /// Index keys of the directories containing this unit, nearest first, ending with the workspace root; empty for
    /// process resources. Computed once per unit so the lock table allocates no path strings per grant or release.
    /// </summary>
    internal string[] AncestorKeys { get; }

    /// <summary>A file unit. Throws for a malformed path (a bug); use <see cref="Parse"/> for untrusted text.</summary>
    /// <param name="path">Path relative to the workspace root.</param>
    /// <returns>The unit.</returns>
    public static WorkUnit File(string path) => Create(WorkUnitKind.File, path).GetValueOrThrow();

    /// <summary>A directory unit covering its subtree. Throws for a malformed path; use <see cref="Parse"/> for untrusted text.</summary>
    /// <param name="path">Path relative to the workspace root; "" or "." is the root.</param>
    /// <returns>The unit.</returns>
    public static WorkUnit Directory(string path) => Create(WorkUnitKind.Directory, path).GetValueOrThrow();

    /// <summary>A named process resource. Throws for a malformed name; use <see cref="Parse"/> for untrusted text.</summary>
    /// <param name="name">The resource name, e.g. "test".</param>
    /// <returns>The unit.</returns>
    public static WorkUnit Process(string name) => Create(WorkUnitKind.Process, name).GetValueOrThrow();

    /// <summary>Parses "file:PATH", "dir:PATH" or "process:NAME".</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The unit, or an <see cref="RuntimeErrorCode.InvalidInput"/> error saying what was wrong.</returns>
    public static Outcome<WorkUnit, RuntimeError> Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "A work unit is empty: write 'file:PATH', 'dir:PATH' or 'process:NAME'.");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var prefix = colon < 0 ? string.Empty : text[..colon];
        var rest = colon < 0 ? text : text[(colon + 1)..];
        return prefix switch
        {
            "file" => Create(WorkUnitKind.File, rest),
            "dir" => Create(WorkUnitKind.Directory, rest),
            "process" => Create(WorkUnitKind.Process, rest),
            _ => new RuntimeError(RuntimeErrorCode.InvalidInput, $"Work unit '{text}' has no known prefix: write 'file:PATH', 'dir:PATH' or 'process:NAME'."),
        };
    }

    /// <summary>Creates a unit of the given kind, validating the name.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="name">The path or process name.</param>
    /// <returns>The unit or an error naming the problem.</returns>
    public static Outcome<WorkUnit, RuntimeError> Create(WorkUnitKind kind, string? name)
    {
        if (kind == WorkUnitKind.Process)
        {
            if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return new RuntimeError(RuntimeErrorCode.InvalidInput, $"Process resource name '{name}' is invalid: use letters, digits, '-', '_' or '.', e.g. 'test'.");
            }

            return new WorkUnit(kind, name);
        }

        var normalised = NormalisePath(name, out var error);
        if (normalised is null)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, error!);
        }

        if (kind == WorkUnitKind.File && normalised.Length == 0)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "A file unit needs a path: the workspace root is a directory, claim it with WorkUnit.Directory(\"\").");
        }

        return new WorkUnit(kind, normalised);
    }

    /// <summary>Whether claims on the two units can touch the same thing: equal units, or a directory and anything inside it.</summary>
    /// <param name="other">The other unit.</param>
    /// <returns>True when they overlap.</returns>
    public bool Overlaps(WorkUnit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if ((Kind == WorkUnitKind.Process) != (other.Kind == WorkUnitKind.Process))
        {
            return false;
        }

        if (string.Equals(Name, other.Name, StringComparison.Ordinal))
        {
            return true;
        }

        return (Kind == WorkUnitKind.Directory && IsBelow(other.Name, Name))
            || (other.Kind == WorkUnitKind.Directory && IsBelow(Name, other.Name));
    }

    /// <summary>Whether this unit covers <paramref name="other"/>: the same unit, or this is a directory containing it.</summary>
    /// <param name="other">The other unit.</param>
    /// <returns>True when a claim on this unit also claims <paramref name="other"/>.</returns>
    public bool Covers(WorkUnit other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if ((Kind == WorkUnitKind.Process) != (other.Kind == WorkUnitKind.Process))
        {
            return false;
        }

        return string.Equals(Name, other.Name, StringComparison.Ordinal)
            || (Kind == WorkUnitKind.Directory && IsBelow(other.Name, Name));
    }

    /// <summary>Units are equal when their kind and normalised name are equal.</summary>
    /// <param name="other">The other unit.</param>
    /// <returns>True when both name the same unit.</returns>
    public bool Equals(WorkUnit? other) =>
        other is not null && (ReferenceEquals(this, other) || (Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.Ordinal)));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(Name));

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        WorkUnitKind.File => "file:" + Name,
        WorkUnitKind.Directory => "dir:" + Name,
        _ => "process:" + Name,
    };

    internal static bool IsBelow(string path, string directory) =>
        directory.Length == 0
            ? path.Length > 0
            : path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal);

    private static string[] ComputeAncestorKeys(string key)
    {
        const int PathPrefixLength = 5; // "path:"
        var count = 0;
        for (var i = PathPrefixLength; i < key.Length; i++)
        {
            count += key[i] == '/' ? 1 : 0;
        }

        if (key.Length == PathPrefixLength)
        {
            return [];
        }

        var result = new string[count + 1];
        var end = key.Length;
        for (var k = 0; k < result.Length; k++)
        {
            var slash = key.LastIndexOf('/', end - 1, end - PathPrefixLength);
            end = slash < 0 ? PathPrefixLength : slash;
            result[k] = key[..end];
        }

        return result;
    }

    private static string? NormalisePath(string? path, out string? error)
    {
        error = null;
        if (path is null)
        {
            error = "A path is missing: give a path relative to the workspace root, e.g. 'src/app.cs'.";
            return null;
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            error = $"Path '{path.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL character: remove it.";
            return null;
        }

        if (path.StartsWith('/'))
        {
            error = $"Path '{path}' is absolute: give it relative to the workspace root, e.g. '{path.TrimStart('/')}'.";
            return null;
        }

        var parts = new List<string>();
        foreach (var part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                error = $"Path '{path}' contains '..': work units stay inside the workspace; write the path without '..'.";
                return null;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }
}
