// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_vtime: weighted virtual-time fair queueing.
 *
 * Each task carries a virtual time that advances by the CPU time it used divided by its weight
 * (nice 0 = weight 100), so a heavier task advances more slowly and runs more. Runnable tasks wait
 * in one queue ordered by virtual time; the smallest goes next. A task that slept may not bank
 * more than max_lag_ns of credit, so wakers are served promptly but cannot monopolise a CPU.
 *
 * Parameters (.rodata, set by the loader):
 *   slice_ns    time slice per dispatch (default 5 ms)
 *   max_lag_ns  credit a sleeping task may keep (default 20 ms)
 *   wake_local  place a woken task on the waker's CPU instead of waking an idle one (default false):
 *               wake-affine placement for producer/consumer wakeups. The waker usually blocks right after
 *               waking, so the wakee runs next on a warm CPU, and no idle CPU pays its exit latency (a deep
 *               C-state on hardware, a halted vCPU in a VM). Any idle CPU still pulls from the shared queue.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define VTIME_DSQ 1

const volatile u64 slice_ns = 5000000;
const volatile u64 max_lag_ns = 20000000;
const volatile bool wake_local = false;

UEI_DEFINE(uei);

/* The virtual time of the most recently started task: the system's notion of "now". */
static u64 clock_vtime;

struct task_ctx {
	u64 started_at;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __always_inline bool before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

s32 BPF_STRUCT_OPS(vtime_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu;

	if (wake_local) {
		cpu = bpf_get_smp_processor_id();
		if (bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			return cpu;
	}
	cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle)
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, slice_ns, 0);
	return cpu;
}

void BPF_STRUCT_OPS(vtime_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 v = p->scx.dsq_vtime;

	if (before(v, clock_vtime - max_lag_ns))
		v = clock_vtime - max_lag_ns;
	scx_bpf_dispatch_vtime(p, VTIME_DSQ, slice_ns, v, enq_flags);
}

void BPF_STRUCT_OPS(vtime_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_consume(VTIME_DSQ);
}

void BPF_STRUCT_OPS(vtime_running, struct task_struct *p)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);

	if (tc)
		tc->started_at = bpf_ktime_get_ns();
	if (before(clock_vtime, p->scx.dsq_vtime))
		clock_vtime = p->scx.dsq_vtime;
}

void BPF_STRUCT_OPS(vtime_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	u64 used;

	if (!tc || !tc->started_at)
		return;
	used = bpf_ktime_get_ns() - tc->started_at;
	tc->started_at = 0;
	p->scx.dsq_vtime += used * 100 / (p->scx.weight ?: 1);
}

void BPF_STRUCT_OPS(vtime_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = clock_vtime;
}

s32 BPF_STRUCT_OPS(vtime_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE) ? 0 : -ENOMEM;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(vtime_init)
{
	return scx_bpf_create_dsq(VTIME_DSQ, -1);
}

void BPF_STRUCT_OPS(vtime_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(vtime_ops,
	       .select_cpu	= (void *)vtime_select_cpu,
	       .enqueue		= (void *)vtime_enqueue,
	       .dispatch	= (void *)vtime_dispatch,
	       .running		= (void *)vtime_running,
	       .stopping	= (void *)vtime_stopping,
	       .enable		= (void *)vtime_enable,
	       .init_task	= (void *)vtime_init_task,
	       .init		= (void *)vtime_init,
	       .exit		= (void *)vtime_exit,
	       .timeout_ms	= 5000,
	       .name		= "schedcp_vtime");
