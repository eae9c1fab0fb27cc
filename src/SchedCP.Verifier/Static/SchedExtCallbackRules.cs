namespace SchedCP.Verifier.StaticAnalysis;

/// <summary>The kfunc context a sched_ext callback runs in (Linux 6.12 <c>SCX_KF_*</c> masks).</summary>
public enum SchedExtCallbackContext
{
    /// <summary><c>ops.select_cpu</c>: <c>SCX_KF_ENQUEUE | SCX_KF_SELECT_CPU</c>.</summary>
    SelectCpu,

    /// <summary><c>ops.enqueue</c>: <c>SCX_KF_ENQUEUE</c>.</summary>
    Enqueue,

    /// <summary><c>ops.dispatch</c>: <c>SCX_KF_DISPATCH</c>.</summary>
    Dispatch,

    /// <summary><c>ops.cpu_release</c>: <c>SCX_KF_CPU_RELEASE</c>.</summary>
    CpuRelease,

    /// <summary>Sleepable callbacks without the rq lock (<c>init</c>, <c>exit</c>, <c>init_task</c>, <c>cgroup_*</c>, <c>cpu_online/offline</c>, <c>dump</c>): <c>SCX_KF_UNLOCKED</c>.</summary>
    Unlocked,

    /// <summary>Every other callback (<c>running</c>, <c>stopping</c>, <c>tick</c>, <c>enable</c>...): <c>SCX_KF_REST</c>.</summary>
    Rest,
}

/// <summary>
/// Which sched_ext kfuncs each callback may call, from the kfunc id sets of Linux 6.12 <c>kernel/sched/ext.c</c>
/// (<c>scx_kfunc_ids_select_cpu</c>, <c>_enqueue_dispatch</c>, <c>_dispatch</c>, <c>_cpu_release</c>, <c>_unlocked</c>,
/// <c>_any</c>). The kernel verifier accepts any of them in any struct_ops program; calling one from the wrong callback
/// ejects the scheduler at run time (<c>scx_ops_error</c>), which is what this table catches ahead of time.
/// </summary>
public static class SchedExtCallbackRules
{
    /// <summary>The longest watchdog timeout the kernel accepts (<c>SCX_WATCHDOG_MAX_TIMEOUT</c>, 30 s).</summary>
    public const uint MaxTimeoutMs = 30_000;

    /// <summary>The flags 6.12 accepts in <c>ops.flags</c> (<c>SCX_OPS_ALL_FLAGS</c>).</summary>
    public const ulong AllFlags = 0x1 | 0x2 | 0x4 | 0x8 | 0x10000;

    /// <summary><c>SCX_OPS_ENQ_LAST</c>: requires <c>ops.enqueue</c>.</summary>
    public const ulong EnqueueLastFlag = 0x2;

    /// <summary><c>scx_kfunc_ids_select_cpu</c>.</summary>
    public static IReadOnlySet<string> SelectCpuSet { get; } = new HashSet<string>(StringComparer.Ordinal) { "scx_bpf_select_cpu_dfl" };

    /// <summary><c>scx_kfunc_ids_enqueue_dispatch</c>.</summary>
    public static IReadOnlySet<string> EnqueueDispatchSet { get; } = new HashSet<string>(StringComparer.Ordinal) { "scx_bpf_dispatch", "scx_bpf_dispatch_vtime" };

    /// <summary><c>scx_kfunc_ids_dispatch</c>.</summary>
    public static IReadOnlySet<string> DispatchSet { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "scx_bpf_dispatch_nr_slots", "scx_bpf_dispatch_cancel", "scx_bpf_consume", "scx_bpf_dispatch_from_dsq_set_slice",
        "scx_bpf_dispatch_from_dsq_set_vtime", "scx_bpf_dispatch_from_dsq", "scx_bpf_dispatch_vtime_from_dsq",
    };

    /// <summary><c>scx_kfunc_ids_cpu_release</c>.</summary>
    public static IReadOnlySet<string> CpuReleaseSet { get; } = new HashSet<string>(StringComparer.Ordinal) { "scx_bpf_reenqueue_local" };

    /// <summary><c>scx_kfunc_ids_unlocked</c>.</summary>
    public static IReadOnlySet<string> UnlockedSet { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "scx_bpf_create_dsq", "scx_bpf_dispatch_from_dsq_set_slice", "scx_bpf_dispatch_from_dsq_set_vtime", "scx_bpf_dispatch_from_dsq", "scx_bpf_dispatch_vtime_from_dsq",
    };

    /// <summary><c>scx_kfunc_ids_any</c>.</summary>
    public static IReadOnlySet<string> AnySet { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "scx_bpf_kick_cpu", "scx_bpf_dsq_nr_queued", "scx_bpf_destroy_dsq", "bpf_iter_scx_dsq_new", "bpf_iter_scx_dsq_next",
        "bpf_iter_scx_dsq_destroy", "scx_bpf_exit_bstr", "scx_bpf_error_bstr", "scx_bpf_dump_bstr", "scx_bpf_cpuperf_cap",
        "scx_bpf_cpuperf_cur", "scx_bpf_cpuperf_set", "scx_bpf_nr_cpu_ids", "scx_bpf_get_possible_cpumask",
        "scx_bpf_get_online_cpumask", "scx_bpf_put_cpumask", "scx_bpf_get_idle_cpumask", "scx_bpf_get_idle_smtmask",
        "scx_bpf_put_idle_cpumask", "scx_bpf_test_and_clear_cpu_idle", "scx_bpf_pick_idle_cpu", "scx_bpf_pick_any_cpu",
        "scx_bpf_task_running", "scx_bpf_task_cpu", "scx_bpf_cpu_rq", "scx_bpf_task_cgroup",
    };

    /// <summary>True for a sched_ext kfunc (one of the sets above); other kfuncs (<c>bpf_cpumask_*</c>, <c>bpf_task_*</c>) are not restricted per callback.</summary>
    /// <param name="kfunc">The kfunc name.</param>
    public static bool IsSchedExtKfunc(string kfunc) =>
        SelectCpuSet.Contains(kfunc) || EnqueueDispatchSet.Contains(kfunc) || DispatchSet.Contains(kfunc) || CpuReleaseSet.Contains(kfunc) || UnlockedSet.Contains(kfunc) || AnySet.Contains(kfunc);

    /// <summary>The context a <c>sched_ext_ops</c> member runs in.</summary>
    /// <param name="callback">The member name (<c>enqueue</c>).</param>
    public static SchedExtCallbackContext ContextOf(string callback) => callback switch
    {
        "select_cpu" => SchedExtCallbackContext.SelectCpu,
        "enqueue" => SchedExtCallbackContext.Enqueue,
        "dispatch" => SchedExtCallbackContext.Dispatch,
        "cpu_release" => SchedExtCallbackContext.CpuRelease,
        "init" or "exit" or "init_task" or "cgroup_init" or "cgroup_exit" or "cgroup_prep_move" or "cgroup_move"
            or "cgroup_cancel_move" or "cgroup_set_weight" or "cpu_online" or "cpu_offline" or "dump" => SchedExtCallbackContext.Unlocked,
        _ => SchedExtCallbackContext.Rest,
    };

    /// <summary>True when a callback running in <paramref name="context"/> may call the sched_ext kfunc <paramref name="kfunc"/>.</summary>
    /// <param name="context">The callback's context.</param>
    /// <param name="kfunc">The kfunc.</param>
    public static bool IsAllowed(SchedExtCallbackContext context, string kfunc) =>
        AnySet.Contains(kfunc) || context switch
        {
            SchedExtCallbackContext.SelectCpu => SelectCpuSet.Contains(kfunc) || EnqueueDispatchSet.Contains(kfunc),
            SchedExtCallbackContext.Enqueue => EnqueueDispatchSet.Contains(kfunc),
            SchedExtCallbackContext.Dispatch => EnqueueDispatchSet.Contains(kfunc) || DispatchSet.Contains(kfunc),
            SchedExtCallbackContext.CpuRelease => CpuReleaseSet.Contains(kfunc),
            SchedExtCallbackContext.Unlocked => UnlockedSet.Contains(kfunc),
            _ => false,
        };

    /// <summary>Where a kfunc may be called, for messages.</summary>
    /// <param name="kfunc">The kfunc.</param>
    public static string AllowedIn(string kfunc)
    {
        var where = new List<string>();
        foreach (var c in Enum.GetValues<SchedExtCallbackContext>())
        {
            if (IsAllowed(c, kfunc))
            {
                where.Add(c.ToString());
            }
        }

        return string.Join(", ", where);
    }
}
