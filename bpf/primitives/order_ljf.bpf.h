/*
 * order_ljf (ordering): longest job first, by a learned runtime estimate.
 *
 * The ops header keeps an EWMA of how long each task runs per scheduling (in task storage, updated in
 * `stopping`); the queue runs the task with the largest estimate first, so the long tail of a batch starts
 * early and the makespan shrinks. The key is the enqueue time plus job_window_ns minus the estimate (capped at
 * job_window_ns), so a short task waits behind at most job_window_ns of newer long work and never starves.
 *
 * Parameters (.rodata): ewma_shift     weight of the newest runtime sample, 1/2^shift (default 3)
 *                       job_window_ns  largest head start an estimate buys (default 50 ms)
 */
const volatile u64 ewma_shift = 3;
const volatile u64 job_window_ns = 50000000;

#define RUNTIME_EWMA_SHIFT ewma_shift

static __always_inline void order_insert(struct task_struct *p, struct task_ctx *tc, u64 dsq, u64 slice, u64 enq_flags)
{
	u64 est = tc->runtime_est < job_window_ns ? tc->runtime_est : job_window_ns;

	scx_bpf_dispatch_vtime(p, dsq, slice, bpf_ktime_get_ns() + job_window_ns - est, enq_flags);
}

static __always_inline void order_enable(struct task_struct *p, struct task_ctx *tc)
{
}

static __always_inline void order_running(struct task_struct *p, struct task_ctx *tc)
{
}

static __always_inline void order_stopping(struct task_struct *p, struct task_ctx *tc, u64 ran)
{
}
