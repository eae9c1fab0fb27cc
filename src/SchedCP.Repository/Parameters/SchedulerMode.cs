namespace SchedCP.Repository;

/// <summary>The operating modes of scx_loader, with the same numbering as its D-Bus <c>SchedulerMode</c> property.</summary>
public enum SchedulerMode
{
    /// <summary>Balanced defaults.</summary>
    Auto = 0,

    /// <summary>Responsiveness of the foreground game or desktop under background load.</summary>
    Gaming = 1,

    /// <summary>Energy saving.</summary>
    PowerSave = 2,

    /// <summary>Lowest wake-up latency.</summary>
    LowLatency = 3,

    /// <summary>Throughput for server work.</summary>
    Server = 4,
}
