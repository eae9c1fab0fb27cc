namespace SchedCP.Kernel.Analysis;

/// <summary>
/// One thread of an observed process tree, as last seen. Times are cumulative from the thread's start, read from
/// <c>/proc/&lt;tid&gt;/schedstat</c> and <c>sched</c>/<c>status</c>.
/// </summary>
/// <param name="ProcessId">The process (thread group) id.</param>
/// <param name="ThreadId">The thread id.</param>
/// <param name="Name">The thread's name (comm) when last seen.</param>
/// <param name="FirstSeen">Monotonic time it was first seen.</param>
/// <param name="LastSeen">Monotonic time it was last seen.</param>
/// <param name="Exited">True when it disappeared before the observation ended.</param>
/// <param name="RunNs">CPU time in nanoseconds.</param>
/// <param name="WaitNs">Time runnable but waiting for a CPU, in nanoseconds.</param>
/// <param name="VoluntarySwitches">Voluntary context switches (it blocked or slept).</param>
/// <param name="InvoluntarySwitches">Involuntary context switches (it was preempted).</param>
public sealed record TaskObservation(
    int ProcessId,
    int ThreadId,
    string Name,
    TimeSpan FirstSeen,
    TimeSpan LastSeen,
    bool Exited,
    ulong RunNs,
    ulong WaitNs,
    ulong VoluntarySwitches,
    ulong InvoluntarySwitches)
{
    /// <summary>How long it was seen alive (a lower bound; up to one poll interval short at each end).</summary>
    public TimeSpan ObservedLifetime => LastSeen - FirstSeen;

    /// <summary>
    /// What identifies the task across reruns of the same program, when the observation recorded it (the BPF probe
    /// does; polling does not): its parent, the order of its fork, what it exec'd.
    /// </summary>
    public TaskIdentity? Identity { get; init; }

    /// <summary>Times it was woken, when recorded.</summary>
    public ulong? Wakeups { get; init; }

    /// <summary>The thread that woke it most, when recorded (0: none did most).</summary>
    public int? TopWaker { get; init; }
}

/// <summary>
/// What identifies a task across reruns of the same program when names say nothing: the thread that forked it, the
/// order of that fork among its forks, and the program and arguments it ran.
/// </summary>
/// <param name="ParentThreadId">The forking thread.</param>
/// <param name="ParentName">The forking thread's name when it forked.</param>
/// <param name="ForkIndex">The order of the fork among the parent thread's forks (0 first).</param>
/// <param name="ExecPath">The program it exec'd, or its parent's when it did not exec (empty when unknown).</param>
/// <param name="Argv">Its arguments (the first bytes), or its parent's when it did not exec.</param>
/// <param name="ArgvLength">The full length of its argv in bytes.</param>
public sealed record TaskIdentity(int ParentThreadId, string ParentName, int ForkIndex, string ExecPath, IReadOnlyList<string> Argv, int ArgvLength)
{
    /// <summary>A fingerprint of the program and its arguments (FNV-1a, 64 bits, hex).</summary>
    public string ArgvFingerprint
    {
        get
        {
            var hash = 14695981039346656037UL;
            foreach (var part in Argv.Prepend(ExecPath).Append(ArgvLength.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                foreach (var b in System.Text.Encoding.UTF8.GetBytes(part))
                {
                    hash = (hash ^ b) * 1099511628211UL;
                }

                hash = (hash ^ 0) * 1099511628211UL;
            }

            return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
