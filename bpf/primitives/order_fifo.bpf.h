/*
 * order_fifo (ordering): first in, first out.
 *
 * Tasks run in the order they were queued. The cheapest ordering; it gives no fairness between tasks that use
 * much CPU and tasks that use little.
 */
static __always_inline void order_insert(struct task_struct *p, struct task_ctx *tc, u64 dsq, u64 slice, u64 enq_flags)
{
	scx_bpf_dispatch(p, dsq, slice, enq_flags);
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
