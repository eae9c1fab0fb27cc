/*
 * slice_fixed (slice policy): every task runs for slice_ns before it is preempted.
 *
 * Parameters (.rodata): slice_ns  the time slice (default 20 ms)
 */
const volatile u64 slice_ns = 20000000;

static __always_inline u64 slice_for(struct task_struct *p, struct task_ctx *tc, u64 dsq)
{
	return slice_ns;
}
