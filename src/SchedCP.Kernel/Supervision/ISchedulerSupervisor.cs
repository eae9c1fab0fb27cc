using SchedCP.Core.Results;
using SchedCP.Kernel.Schedulers;

namespace SchedCP.Kernel.Supervision;

/// <summary>Starts, confirms, watches, stops and switches sched_ext schedulers on the machine it runs on.</summary>
public interface ISchedulerSupervisor
{
    /// <summary>The scheduler this supervisor owns, while it runs.</summary>
    RunningScheduler? Current { get; }

    /// <summary>Starts a scheduler and confirms the kernel attached it.</summary>
    /// <param name="scheduler">What to start; arguments must already be validated.</param>
    /// <param name="cancellationToken">Cancels the start; a half-started scheduler is killed.</param>
    Task<Outcome<RunningScheduler, SupervisorFailure>> StartAsync(SchedulerUnderTest scheduler, CancellationToken cancellationToken = default);

    /// <summary>Stops the owned scheduler: SIGINT, wait for <c>disabled</c>, SIGKILL to its process tree after the timeout.</summary>
    /// <param name="cancellationToken">Cancels the wait (the scheduler is then killed).</param>
    Task<Outcome<SchedulerExitReport, SupervisorFailure>> StopAsync(CancellationToken cancellationToken = default);

    /// <summary>Stops the owned scheduler and starts another; if the new one fails, starts the previous one again.</summary>
    /// <param name="scheduler">What to start.</param>
    /// <param name="cancellationToken">Cancels the switch.</param>
    Task<Outcome<RunningScheduler, SupervisorFailure>> SwitchAsync(SchedulerUnderTest scheduler, CancellationToken cancellationToken = default);
}
