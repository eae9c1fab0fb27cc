/*
 * slice_scaled_by_load (slice policy): slice_ns divided by the length of the queue the task joins.
 *
 * With n tasks already queued a task gets slice_ns / (n + 1), never less than slice_min_ns, so the time a
 * queued task waits stays near slice_ns as load grows, at the cost of more context switches.
 *
 * Parameters (.rodata): slice_ns      the slice of a task that queues alone (default 20 ms)
 *                       slice_min_ns  the smallest slice (default 500 us)
 */
const volatile u64 slice_ns = 20000000;
const volatile u64 slice_min_ns = 500000;

static __always_inline u64 slice_for(struct task_struct *p, struct task_ctx *tc, u64 dsq)
{
	s32 queued = scx_bpf_dsq_nr_queued(dsq);
	u64 slice = slice_ns / (queued > 0 ? (u64)queued + 1 : 1);

	return slice > slice_min_ns ? slice : slice_min_ns;
}
