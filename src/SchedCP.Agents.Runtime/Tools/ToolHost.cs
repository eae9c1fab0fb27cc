using System.Text;
using SchedCP.Agents.Runtime.Artifacts;
using SchedCP.Agents.Runtime.Claims;
using SchedCP.Agents.Runtime.WorkUnits;
using SchedCP.Core.Diffs;
using SchedCP.Core.Processes;
using SchedCP.Core.Results;

namespace SchedCP.Agents.Runtime.Tools;

/// <summary>
/// The only way agents touch the world. Reads need a live lease covering the path; every change needs an
/// exclusive lease and its current fencing token, is recorded as a diff artifact first, then applied
/// atomically (write to a temporary file, rename over the target).
/// </summary>
public sealed class ToolHost
{
    private readonly AgentRuntimeOptions _options;
    private readonly WorkUnitLockTable _locks;
    private readonly ArtifactStore _artifacts;
    private readonly TimeProvider _time;
    private readonly string _root;
    private readonly Lock _writeGate = new();

    /// <summary>Creates a tool host over a workspace.</summary>
    /// <param name="options">Validated runtime options.</param>
    /// <param name="locks">The lock table whose leases and fencing tokens guard every call.</param>
    /// <param name="artifacts">Where diffs and process output go.</param>
    /// <param name="timeProvider">The clock.</param>
    public ToolHost(AgentRuntimeOptions options, WorkUnitLockTable locks, ArtifactStore artifacts, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(locks);
        ArgumentNullException.ThrowIfNull(artifacts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _locks = locks;
        _artifacts = artifacts;
        _time = timeProvider;
        _root = Path.GetFullPath(options.WorkspaceRoot);
    }

    /// <summary>Reads a file under a live shared or exclusive lease.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="path">The file, relative to the workspace root.</param>
    /// <returns>The content, or an error (not claimed, not found, bad path).</returns>
    public Outcome<FileContent, RuntimeError> Read(string agentId, string path)
    {
        var unit = ResolveFile(path, out var full);
        if (!unit.Succeeded)
        {
            return unit.Failure;
        }

        var lease = _locks.FindCoveringLease(agentId, unit.Value, ClaimMode.Shared);
        if (!lease.Succeeded)
        {
            return lease.Failure;
        }

        return File.Exists(full)
            ? new FileContent(unit.Value.Name, File.ReadAllText(full))
            : new RuntimeError(RuntimeErrorCode.NotFound, $"File '{unit.Value.Name}' does not exist: list its directory to see what is there.");
    }

    /// <summary>Replaces a file's content (creating it if missing) under an exclusive lease.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="path">The file.</param>
    /// <param name="content">The new content.</param>
    /// <param name="fencingToken">The token of the agent's current lease covering the file.</param>
    /// <param name="changeSet">Where the change is recorded.</param>
    /// <returns>The applied change, or an error (stale token, not claimed, bad path).</returns>
    public Outcome<FileChange, RuntimeError> Write(string agentId, string path, string content, long fencingToken, ChangeSet changeSet)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Change(agentId, path, fencingToken, changeSet, _ => content);
    }

    /// <summary>Applies a unified diff to a file under an exclusive lease, all or nothing; refused when its base does not match.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="path">The file.</param>
    /// <param name="diff">The unified diff.</param>
    /// <param name="fencingToken">The token of the agent's current lease covering the file.</param>
    /// <param name="changeSet">Where the change is recorded.</param>
    /// <returns>The applied change, or an error (base mismatch, stale token, …).</returns>
    public Outcome<FileChange, RuntimeError> Patch(string agentId, string path, string diff, long fencingToken, ChangeSet changeSet)
    {
        ArgumentNullException.ThrowIfNull(diff);
        return Change(agentId, path, fencingToken, changeSet, before => ApplyDiff(before ?? string.Empty, diff));
    }

    /// <summary>Lists a directory (one level, sorted by path) under a live lease covering it.</summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="path">The directory, relative to the workspace root; "" is the root.</param>
    /// <returns>The entries or an error.</returns>
    public Outcome<IReadOnlyList<DirectoryEntry>, RuntimeError> List(string agentId, string path)
    {
        var unit = WorkUnit.Create(WorkUnitKind.Directory, path);
        if (!unit.Succeeded)
        {
            return unit.Failure;
        }

        var lease = _locks.FindCoveringLease(agentId, unit.Value, ClaimMode.Shared);
        if (!lease.Succeeded)
        {
            return lease.Failure;
        }

        var full = Path.Combine(_root, unit.Value.Name);
        if (!Directory.Exists(full))
        {
            return new RuntimeError(RuntimeErrorCode.NotFound, $"Directory '{unit.Value.Name}' does not exist.");
        }

        var entries = new DirectoryInfo(full).EnumerateFileSystemInfos()
            .Select(i => new DirectoryEntry(Relative(i.FullName), i is DirectoryInfo, i is FileInfo f ? f.Length : 0))
            .Where(e => !IsReserved(e.Path))
            .OrderBy(e => e.Path, StringComparer.Ordinal)
            .ToList();
        return entries;
    }

    /// <summary>
    /// Runs a process under an exclusive lease on its process resource: a declared working directory, an
    /// environment cut to the allow-list, a timeout that kills the process tree, captured output stored as
    /// an artifact.
    /// </summary>
    /// <param name="agentId">The agent.</param>
    /// <param name="request">What to run.</param>
    /// <param name="fencingToken">The token of the agent's current lease on <see cref="ProcessRequest.Resource"/>.</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    /// <returns>The result, or an error (stale token, bad working directory, variable not allowed, start failure).</returns>
    public async Task<Outcome<ProcessResult, RuntimeError>> RunProcessAsync(string agentId, ProcessRequest request, long fencingToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Resource is null || request.Resource.Kind != WorkUnitKind.Process)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"request.Resource is '{request.Resource}': name a process resource such as ProcessResources.Test.");
        }

        var fenced = _locks.ValidateFencing(agentId, request.Resource, ClaimMode.Exclusive, fencingToken);
        if (!fenced.Succeeded)
        {
            return fenced.Failure;
        }

        var directory = WorkUnit.Create(WorkUnitKind.Directory, request.WorkingDirectory);
        if (!directory.Succeeded)
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, "request.WorkingDirectory: " + directory.Failure.Message);
        }

        var workingDirectory = Path.Combine(_root, directory.Value.Name);
        if (!Directory.Exists(workingDirectory))
        {
            return new RuntimeError(RuntimeErrorCode.NotFound, $"request.WorkingDirectory '{directory.Value.Name}' does not exist in the workspace: create it or pick another.");
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in _options.ProcessEnvironmentAllowList)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (value is not null)
            {
                environment[name] = value;
            }
        }

        foreach (var (name, value) in request.Environment ?? new Dictionary<string, string>())
        {
            if (!_options.ProcessEnvironmentAllowList.Contains(name, StringComparer.Ordinal))
            {
                return new RuntimeError(RuntimeErrorCode.EnvironmentVariableNotAllowed,
                    $"Environment variable '{name}' is not on the allow-list ({string.Join(", ", _options.ProcessEnvironmentAllowList)}): add it to AgentRuntimeOptions.ProcessEnvironmentAllowList or drop it.");
            }

            environment[name] = value;
        }

        var started = _time.GetTimestamp();
        var run = await ProcessRunner.Default.RunAsync(new ProcessRunRequest(request.FileName)
        {
            Arguments = request.Arguments,
            WorkingDirectory = workingDirectory,
            InheritEnvironment = false,
            Environment = environment,
            Timeout = request.Timeout ?? _options.DefaultProcessTimeout,
            // Up to three UTF-8 bytes make one UTF-16 char, so this cap never cuts below the char limit applied after.
            MaxOutputBytes = (int)Math.Min(int.MaxValue, (3L * _options.MaxCapturedOutputChars) + 3),
        }, cancellationToken).ConfigureAwait(false);
        if (!run.Started)
        {
            return new RuntimeError(RuntimeErrorCode.ProcessStartFailed, run.StartFailure.Message);
        }

        var timedOut = run.TimedOut;
        var output = Cut(run.StandardOutput.Text);
        var error = Cut(run.StandardError.Text);
        var exitCode = run.ExitCode;
        var artifact = _artifacts.Add(Artifact.Create(ArtifactKind.ProcessOutput, agentId, request.Resource.ToString(), "text/plain",
            $"$ {request.FileName} {string.Join(' ', request.Arguments)}\nexit {exitCode}{(timedOut ? " (timed out)" : string.Empty)}\n--- stdout\n{output}--- stderr\n{error}", _time.GetUtcNow()));
        return new ProcessResult(exitCode, output, error, timedOut, (long)_time.GetElapsedTime(started).TotalMilliseconds, artifact.Id);
    }

    /// <summary>Undoes a change set, newest change first. Refused, with nothing changed, when any file differs from what the set left.</summary>
    /// <param name="changeSet">The change set.</param>
    /// <returns>The change set, now reverted, or <see cref="RuntimeErrorCode.ChangeSetConflict"/>.</returns>
    public Outcome<ChangeSet, RuntimeError> RevertChangeSet(ChangeSet changeSet)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        return Replay(changeSet, ChangeSetStatus.Applied, ChangeSetStatus.Reverted, [.. changeSet.Changes.Reverse()], c => c.After, c => c.Before);
    }

    /// <summary>Re-applies a reverted change set, oldest change first. Refused when any file differs from its recorded base.</summary>
    /// <param name="changeSet">The change set.</param>
    /// <returns>The change set, now applied, or <see cref="RuntimeErrorCode.ChangeSetConflict"/>.</returns>
    public Outcome<ChangeSet, RuntimeError> ApplyChangeSet(ChangeSet changeSet)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        return Replay(changeSet, ChangeSetStatus.Reverted, ChangeSetStatus.Applied, changeSet.Changes, c => c.Before, c => c.After);
    }

    private Outcome<ChangeSet, RuntimeError> Replay(ChangeSet changeSet, ChangeSetStatus from, ChangeSetStatus to, IReadOnlyList<FileChange> changes, Func<FileChange, string?> expected, Func<FileChange, string?> target)
    {
        lock (_writeGate)
        {
            if (changeSet.Status != from)
            {
                return new RuntimeError(RuntimeErrorCode.InvalidState, $"Change set of '{changeSet.OwnerId}' is {changeSet.Status}; it can only go from {from} to {to}.");
            }

            // Simulate on an overlay first so a conflict leaves every file untouched.
            var overlay = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var change in changes)
            {
                var full = Path.Combine(_root, change.Path);
                var current = overlay.TryGetValue(change.Path, out var staged) ? staged : File.Exists(full) ? File.ReadAllText(full) : null;
                if (!string.Equals(current, expected(change), StringComparison.Ordinal))
                {
                    return new RuntimeError(RuntimeErrorCode.ChangeSetConflict,
                        $"'{change.Path}' changed since the change set of '{changeSet.OwnerId}' was made: review the file and resolve by hand.");
                }

                overlay[change.Path] = target(change);
            }

            foreach (var (path, content) in overlay)
            {
                var full = Path.Combine(_root, path);
                if (content is null)
                {
                    File.Delete(full);
                }
                else
                {
                    WriteAtomically(full, content);
                }
            }

            changeSet.Status = to;
            return changeSet;
        }
    }

    // A diff a program made against the file it holds under its lease applies exactly or not at all.
    private static Outcome<string, RuntimeError> ApplyDiff(string before, string diff) =>
        UnifiedDiff.Apply(before, diff, DiffMatching.Exact).TryGetValue(out var patched, out var failure)
            ? patched.Text
            : new RuntimeError(failure.Kind == DiffFailureKind.BaseMismatch ? RuntimeErrorCode.PatchBaseMismatch : RuntimeErrorCode.InvalidInput, failure.Describe());

    private Outcome<FileChange, RuntimeError> Change(string agentId, string path, long fencingToken, ChangeSet changeSet, Func<string?, Outcome<string, RuntimeError>> produce)
    {
        ArgumentNullException.ThrowIfNull(changeSet);
        var unit = ResolveFile(path, out var full);
        if (!unit.Succeeded)
        {
            return unit.Failure;
        }

        // Fencing is checked inside the write gate, so a writer whose lease expires mid-call cannot
        // overtake the next holder: accepted tokens for a file never go backwards.
        lock (_writeGate)
        {
            var fenced = _locks.ValidateFencing(agentId, unit.Value, ClaimMode.Exclusive, fencingToken);
            if (!fenced.Succeeded)
            {
                return fenced.Failure;
            }

            var before = File.Exists(full) ? File.ReadAllText(full) : null;
            var after = produce(before);
            if (!after.Succeeded)
            {
                return new RuntimeError(after.Failure.Kind, $"'{unit.Value.Name}': {after.Failure.Message}");
            }

            var diff = UnifiedDiff.Create(unit.Value.Name, before, after.Value);
            var artifact = _artifacts.Add(Artifact.Create(ArtifactKind.Diff, agentId, unit.Value.Name, "text/x-diff", diff, _time.GetUtcNow()));
            var change = new FileChange(unit.Value.Name, before, after.Value, diff, artifact.Id, fencingToken);
            changeSet.Add(change);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            WriteAtomically(full, after.Value);
            return change;
        }
    }

    private Outcome<WorkUnit, RuntimeError> ResolveFile(string path, out string full)
    {
        full = string.Empty;
        var unit = WorkUnit.Create(WorkUnitKind.File, path);
        if (!unit.Succeeded)
        {
            return unit;
        }

        if (IsReserved(unit.Value.Name))
        {
            return new RuntimeError(RuntimeErrorCode.InvalidInput, $"'{unit.Value.Name}' is inside the runtime's reserved folder '{AgentRuntimeOptions.ReservedFolder}': agents cannot touch it.");
        }

        full = Path.Combine(_root, unit.Value.Name);
        return unit;
    }

    private static bool IsReserved(string relative) =>
        relative == AgentRuntimeOptions.ReservedFolder || relative.StartsWith(AgentRuntimeOptions.ReservedFolder + "/", StringComparison.Ordinal);

    private string Relative(string full) => Path.GetRelativePath(_root, full).Replace('\\', '/');

    private string Cut(string text) => text.Length <= _options.MaxCapturedOutputChars ? text : text[.._options.MaxCapturedOutputChars];

    private static void WriteAtomically(string full, string content)
    {
        var temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(temporary, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, full, overwrite: true);
    }
}
