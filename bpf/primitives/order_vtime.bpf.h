/*
 * order_vtime (ordering): weighted virtual time.
 *
 * A task's virtual time grows by the time it ran divided by its weight (nice level), and the queue runs the task
 * with the smallest virtual time first, so CPU time is shared in proportion to weight. A task that slept keeps
 * at most one slice of credit.
 */
static u64 vtime_now;

static __always_inline void order_insert(struct task_struct *p, struct task_ctx *tc, u64 dsq, u64 slice, u64 enq_flags)
{
	u64 vtime = p->scx.dsq_vtime;

	if (before(vtime, vtime_now - slice))
		vtime = vtime_now - slice;
	scx_bpf_dispatch_vtime(p, dsq, slice, vtime, enq_flags);
}

static __always_inline void order_enable(struct task_struct *p, struct task_ctx *tc)
{
	p->scx.dsq_vtime = vtime_now;
}

static __always_inline void order_running(struct task_struct *p, struct task_ctx *tc)
{
	if (before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;
}

static __always_inline void order_stopping(struct task_struct *p, struct task_ctx *tc, u64 ran)
{
	p->scx.dsq_vtime += ran * 100 / p->scx.weight;
}
