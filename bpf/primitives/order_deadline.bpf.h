/*
 * order_deadline (ordering): earliest virtual deadline first.
 *
 * A task's deadline is its weighted virtual runtime plus its runtime estimate scaled by its weight, so among
 * tasks with the same virtual runtime the one expected to run briefly goes first: tasks that sleep often
 * (latency sensitive) are served quickly. A sleeping task keeps at most deadline_lag_ns of credit.
 *
 * Parameters (.rodata): deadline_lag_ns  largest credit a sleeping task keeps (default 40 ms)
 */
const volatile u64 deadline_lag_ns = 40000000;

static u64 vtime_now;

static __always_inline void order_insert(struct task_struct *p, struct task_ctx *tc, u64 dsq, u64 slice, u64 enq_flags)
{
	if (before(tc->vruntime, vtime_now - deadline_lag_ns))
		tc->vruntime = vtime_now - deadline_lag_ns;
	scx_bpf_dispatch_vtime(p, dsq, slice, tc->vruntime + tc->runtime_est * 100 / p->scx.weight, enq_flags);
}

static __always_inline void order_enable(struct task_struct *p, struct task_ctx *tc)
{
	tc->vruntime = vtime_now;
}

static __always_inline void order_running(struct task_struct *p, struct task_ctx *tc)
{
	if (before(vtime_now, tc->vruntime))
		vtime_now = tc->vruntime;
}

static __always_inline void order_stopping(struct task_struct *p, struct task_ctx *tc, u64 ran)
{
	tc->vruntime += ran * 100 / p->scx.weight;
}
