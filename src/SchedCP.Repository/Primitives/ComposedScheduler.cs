namespace SchedCP.Repository;

/// <summary>A complete sched_ext scheduler assembled from code primitives by <see cref="SchedulerComposer"/>.</summary>
/// <param name="OpsName">The <c>sched_ext_ops</c> name the scheduler attaches under.</param>
/// <param name="Primitives">The primitives it is built from, in composition order (one per category, in category order).</param>
/// <param name="Source">The complete <c>.bpf.c</c> source, ready for clang.</param>
/// <param name="Parameters">The <c>.rodata</c> parameters the primitives declare, in composition order.</param>
public sealed record ComposedScheduler(
    string OpsName,
    IReadOnlyList<CodePrimitive> Primitives,
    string Source,
    IReadOnlyList<ParameterSchema> Parameters);
