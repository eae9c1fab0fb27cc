namespace SchedCP.Kernel.Metrics;

/// <summary>
/// Time one CPU (or all of them) spent in each state since boot, from a <c>cpu</c> line of <c>/proc/stat</c>, in
/// USER_HZ ticks (normally 1/100 s). <see cref="Guest"/> and <see cref="GuestNice"/> are already included in
/// <see cref="User"/> and <see cref="Nice"/> by the kernel.
/// </summary>
/// <param name="Cpu">The CPU number, or -1 for the aggregate <c>cpu</c> line.</param>
/// <param name="User">Normal processes in user mode.</param>
/// <param name="Nice">Niced processes in user mode.</param>
/// <param name="System">Kernel mode.</param>
/// <param name="Idle">Idle.</param>
/// <param name="IoWait">Idle while I/O was outstanding (not reliable on its own; it can go backwards).</param>
/// <param name="Irq">Servicing hardware interrupts.</param>
/// <param name="SoftIrq">Servicing softirqs.</param>
/// <param name="Steal">Stolen by the hypervisor for other guests.</param>
/// <param name="Guest">Running a virtual CPU for a guest (0 when the kernel does not report it).</param>
/// <param name="GuestNice">Running a niced guest (0 when the kernel does not report it).</param>
public readonly record struct CpuTimes(
    int Cpu,
    ulong User,
    ulong Nice,
    ulong System,
    ulong Idle,
    ulong IoWait,
    ulong Irq,
    ulong SoftIrq,
    ulong Steal,
    ulong Guest,
    ulong GuestNice)
{
    /// <summary>All ticks, guest time excluded because it is already counted in user and nice.</summary>
    public ulong Total => User + Nice + System + Idle + IoWait + Irq + SoftIrq + Steal;

    /// <summary>Ticks not spent idle or waiting for I/O.</summary>
    public ulong Busy => User + Nice + System + Irq + SoftIrq + Steal;
}

/// <summary>
/// How one CPU (or all of them) spent an interval, as fractions of the interval's ticks (0 to 1; they sum to 1).
/// </summary>
/// <param name="Cpu">The CPU number, or -1 for all CPUs.</param>
/// <param name="Busy">Not idle and not waiting for I/O (user, nice, system, irq, softirq, steal).</param>
/// <param name="User">User mode, nice excluded.</param>
/// <param name="Nice">Niced user mode.</param>
/// <param name="System">Kernel mode.</param>
/// <param name="Idle">Idle.</param>
/// <param name="IoWait">Idle with I/O outstanding.</param>
/// <param name="Irq">Hardware interrupts.</param>
/// <param name="SoftIrq">Softirqs.</param>
/// <param name="Steal">Stolen by the hypervisor.</param>
/// <param name="Ticks">The ticks the interval covered on this CPU; 0 when nothing was counted (all fractions are 0 then).</param>
public readonly record struct CpuUtilisation(
    int Cpu,
    double Busy,
    double User,
    double Nice,
    double System,
    double Idle,
    double IoWait,
    double Irq,
    double SoftIrq,
    double Steal,
    ulong Ticks)
{
    internal static CpuUtilisation Between(in CpuTimes previous, in CpuTimes current)
    {
        // Counters only grow, but iowait (and with it idle) can step back on NOHZ kernels: clamp at zero.
        var user = Minus(current.User, previous.User);
        var nice = Minus(current.Nice, previous.Nice);
        var system = Minus(current.System, previous.System);
        var idle = Minus(current.Idle, previous.Idle);
        var ioWait = Minus(current.IoWait, previous.IoWait);
        var irq = Minus(current.Irq, previous.Irq);
        var softIrq = Minus(current.SoftIrq, previous.SoftIrq);
        var steal = Minus(current.Steal, previous.Steal);
        var total = user + nice + system + idle + ioWait + irq + softIrq + steal;
        if (total == 0)
        {
            return new CpuUtilisation(current.Cpu, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double t = total;
        return new CpuUtilisation(
            current.Cpu,
            (user + nice + system + irq + softIrq + steal) / t,
            user / t,
            nice / t,
            system / t,
            idle / t,
            ioWait / t,
            irq / t,
            softIrq / t,
            steal / t,
            total);
    }

    private static ulong Minus(ulong current, ulong previous) => current >= previous ? current - previous : 0;
}
