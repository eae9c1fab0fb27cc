// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_deadline: composed from code primitives by SchedulerComposer; recompose, do not edit.
 *
 *   dsq_global (DsqTopology)
 *   order_deadline (Ordering)
 *   idle_smt_aware (IdleCpuSelection)
 *   slice_adaptive (SlicePolicy)
 */

/*
 * prologue: what every composed scheduler starts with.
 *
 * The scx headers, the licence, the exit-info record, and one task-storage map (BPF_MAP_TYPE_TASK_STORAGE)
 * holding what the ops header learns about each task: when it last started running and an exponentially
 * weighted moving average of how long it runs each time it is scheduled (its runtime estimate), updated in
 * `stopping`. Primitives read the estimate; only the ops header writes it.
 *
 * Contract: after the prologue come exactly one DSQ topology, one ordering, one idle-CPU selection and one slice
 * policy, then the ops header. Each primitive defines the hooks of its category (see bpf/primitives/README.md).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

struct task_ctx {
	u64 started_at;   /* bpf_ktime_get_ns() when the task last started running */
	u64 runtime_est;  /* EWMA of the time the task runs each time it is scheduled, in ns */
	u64 vruntime;     /* weighted CPU time, for orderings that keep their own */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __always_inline struct task_ctx *task_ctx_of(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

/* Signed comparison so that wrapping clocks still order correctly. */
static __always_inline __attribute__((unused)) bool before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

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

/*
 * idle_smt_aware (idle-CPU selection): a fully idle core first.
 *
 * Looks for a CPU whose SMT siblings are idle too, so the task does not share a core with a busy sibling; falls
 * back to the kernel's default selection. On machines without SMT this is the default selection.
 */
static __always_inline s32 idle_select(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *idle)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);

	if (cpu >= 0) {
		*idle = true;
		return cpu;
	}
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, idle);
}

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

#define SCHED_NAME "schedcp_deadline"

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
