/*
 * dsq_global (DSQ topology): one dispatch queue shared by every CPU.
 *
 * Every queued task joins the same queue and every CPU that runs out of work takes from it. Globally fair and
 * the simplest balance there is; the one queue's lock is contended as the CPU count grows.
 */
#define SHARED_DSQ 1

static __always_inline s32 topo_init(void)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

static __always_inline u64 topo_dsq(struct task_struct *p)
{
	return SHARED_DSQ;
}

static __always_inline void topo_queued(struct task_struct *p)
{
}

static __always_inline void topo_dispatch(s32 cpu)
{
	scx_bpf_consume(SHARED_DSQ);
}
