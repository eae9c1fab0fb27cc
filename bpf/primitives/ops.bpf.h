/*
 * ops: the sched_ext_ops callbacks of a composed scheduler, written once over the primitives' hooks.
 *
 * Needs SCHED_NAME (the ops name, a string literal) defined before it, and the hooks of one primitive of each
 * category: topo_init/topo_dsq/topo_queued/topo_dispatch, order_insert/order_enable/order_running/
 * order_stopping, idle_select, slice_for. It learns each task's runtime estimate in `stopping`.
 */
#ifndef RUNTIME_EWMA_SHIFT
#define RUNTIME_EWMA_SHIFT 3
#endif

s32 BPF_STRUCT_OPS(composed_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tc = task_ctx_of(p);
	bool idle = false;
	s32 cpu = idle_select(p, prev_cpu, wake_flags, &idle);

	if (idle && tc)
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, slice_for(p, tc, SCX_DSQ_LOCAL), 0);
	return cpu;
}

void BPF_STRUCT_OPS(composed_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tc = task_ctx_of(p);
	u64 dsq;

	if (!tc) {
		scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
		return;
	}
	dsq = topo_dsq(p);
	order_insert(p, tc, dsq, slice_for(p, tc, dsq), enq_flags);
	topo_queued(p);
}

void BPF_STRUCT_OPS(composed_dispatch, s32 cpu, struct task_struct *prev)
{
	topo_dispatch(cpu);
}

void BPF_STRUCT_OPS(composed_running, struct task_struct *p)
{
	struct task_ctx *tc = task_ctx_of(p);

	if (!tc)
		return;
	tc->started_at = bpf_ktime_get_ns();
	order_running(p, tc);
}

void BPF_STRUCT_OPS(composed_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tc = task_ctx_of(p);
	u64 now = bpf_ktime_get_ns(), ran;

	if (!tc || !tc->started_at)
		return;
	ran = now > tc->started_at ? now - tc->started_at : 0;
	tc->runtime_est = tc->runtime_est - (tc->runtime_est >> RUNTIME_EWMA_SHIFT) + (ran >> RUNTIME_EWMA_SHIFT);
	order_stopping(p, tc, ran);
}

void BPF_STRUCT_OPS(composed_enable, struct task_struct *p)
{
	struct task_ctx *tc = task_ctx_of(p);

	if (tc)
		order_enable(p, tc);
}

s32 BPF_STRUCT_OPS(composed_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE) ? 0 : -ENOMEM;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(composed_init)
{
	return topo_init();
}

void BPF_STRUCT_OPS(composed_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(composed_ops,
	       .select_cpu	= (void *)composed_select_cpu,
	       .enqueue		= (void *)composed_enqueue,
	       .dispatch	= (void *)composed_dispatch,
	       .running		= (void *)composed_running,
	       .stopping	= (void *)composed_stopping,
	       .enable		= (void *)composed_enable,
	       .init_task	= (void *)composed_init_task,
	       .init		= (void *)composed_init,
	       .exit		= (void *)composed_exit,
	       .timeout_ms	= 5000,
	       .name		= SCHED_NAME);
