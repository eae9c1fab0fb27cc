namespace SchedCP.Agents.Runtime.WorkUnits;

/// <summary>Well-known process resources. Any other name made of letters, digits, '-', '_' and '.' works too.</summary>
public static class ProcessResources
{
    /// <summary>The build.</summary>
    public static readonly WorkUnit Build = WorkUnit.Process("build");
    /// <summary>The test run.</summary>
    public static readonly WorkUnit Test = WorkUnit.Process("test");
    /// <summary>A deployment.</summary>
    public static readonly WorkUnit Deploy = WorkUnit.Process("deploy");
    /// <summary>A database or data migration.</summary>
    public static readonly WorkUnit Migrate = WorkUnit.Process("migrate");
    /// <summary>A benchmark run, which must not share the machine.</summary>
    public static readonly WorkUnit Benchmark = WorkUnit.Process("benchmark");
    /// <summary>The kernel's single sched_ext slot: only one scheduler can be attached at a time.</summary>
    public static readonly WorkUnit SchedExtSlot = WorkUnit.Process("sched_ext");
}
