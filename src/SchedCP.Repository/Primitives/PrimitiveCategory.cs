namespace SchedCP.Repository;

/// <summary>The part of a scheduler a code primitive fills; a composed scheduler takes at most one primitive per category.</summary>
public enum PrimitiveCategory
{
    /// <summary>How dispatch queues are laid out (one global queue, per CPU, per LLC, per NUMA node).</summary>
    DsqTopology,

    /// <summary>How tasks are ordered inside a queue (FIFO, virtual time, deadline, shortest or longest job first).</summary>
    Ordering,

    /// <summary>How <c>select_cpu</c> picks an idle CPU on wake-up.</summary>
    IdleCpuSelection,

    /// <summary>How long a task may run before it is preempted.</summary>
    SlicePolicy,
}
