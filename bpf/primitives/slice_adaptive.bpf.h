/*
 * slice_adaptive (slice policy): the task's learned runtime estimate, clamped to [slice_min_ns, slice_max_ns].
 *
 * Tasks that run briefly before sleeping (interactive) get short slices; CPU-bound tasks grow towards the
 * largest slice and switch less often.
 *
 * Parameters (.rodata): slice_min_ns  the smallest slice (default 500 us)
 *                       slice_max_ns  the largest slice (default 20 ms)
 */
const volatile u64 slice_min_ns = 500000;
const volatile u64 slice_max_ns = 20000000;

static __always_inline u64 slice_for(struct task_struct *p, struct task_ctx *tc, u64 dsq)
{
	u64 est = tc->runtime_est;

	if (est < slice_min_ns)
		return slice_min_ns;
	return est > slice_max_ns ? slice_max_ns : est;
}
