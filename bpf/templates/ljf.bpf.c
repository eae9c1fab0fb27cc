// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_ljf: composed from code primitives by SchedulerComposer; recompose, do not edit.
 *
 *   dsq_global (DsqTopology)
 *   order_ljf (Ordering)
 *   idle_default (IdleCpuSelection)
 *   slice_fixed (SlicePolicy)
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

/*
 * idle_default (idle-CPU selection): the kernel's default, scx_bpf_select_cpu_dfl.
 *
 * Prefers the previous CPU if idle, then a fully idle core, then any idle CPU near the waker. A task that found an
 * idle CPU is inserted straight into that CPU's local queue (skipping the ordering).
 */
static __always_inline s32 idle_select(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *idle)
{
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, idle);
}

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

#define SCHED_NAME "schedcp_ljf"

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
