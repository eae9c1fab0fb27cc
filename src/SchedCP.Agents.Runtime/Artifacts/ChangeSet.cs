using System.Text;

namespace SchedCP.Agents.Runtime.Artifacts;

/// <summary>
/// The file changes one agent made, in order. Review it with <see cref="Review"/>; revert or re-apply it
/// through <c>ToolHost.RevertChangeSet</c> and <c>ToolHost.ApplyChangeSet</c>, which refuse when the
/// files changed since.
/// </summary>
public sealed class ChangeSet
{
    private readonly List<FileChange> _changes = [];
    private readonly Lock _gate = new();

    /// <summary>Creates an empty change set.</summary>
    /// <param name="ownerId">The agent whose changes it collects.</param>
    public ChangeSet(string ownerId) => OwnerId = ownerId;

    /// <summary>The agent whose changes these are.</summary>
    public string OwnerId { get; }

    /// <summary>Whether the changes are currently applied.</summary>
    public ChangeSetStatus Status
    {
        get;
        internal set
        {
            field = value;
            Changed?.Invoke();
        }
    } = ChangeSetStatus.Applied;

    /// <summary>The changes in the order they were made.</summary>
    public IReadOnlyList<FileChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>All diffs, in order, for a person to read.</summary>
    /// <returns>The concatenated unified diffs.</returns>
    public string Review()
    {
        var text = new StringBuilder();
        foreach (var change in Changes)
        {
            text.Append(change.Diff);
        }

        return text.ToString();
    }

    /// <summary>Called after every change and status change (the runtime keeps its run record up to date with it).</summary>
    internal Action? Changed { get; set; }

    internal void Add(FileChange change)
    {
        lock (_gate)
        {
            _changes.Add(change);
        }

        Changed?.Invoke();
    }
}
