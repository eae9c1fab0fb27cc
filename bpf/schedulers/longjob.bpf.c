// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_longjob: long job first, by a learned runtime estimate.
 *
 * A batch's makespan is set by its longest tasks: if they share the CPUs fairly with many short ones they
 * finish last, long after the short ones are done. This scheduler starts the tasks it expects to be long
 * first and keeps them on up to max_long_cpus CPUs, while the remaining CPUs work through the short ones in
 * FIFO order. Which tasks are long is learned, never hard-coded:
 *   - offline: a profiling run measures CPU time per task name, and the names whose tasks ran far longer
 *     than the median are passed in long_comm0..long_comm7 (exact comm match);
 *   - offline, when names say nothing (every task runs one program under one name): the profiling run's BPF
 *     probe records each task's fork order under its parent, which a rerun of the same program reproduces; the
 *     long ones are passed as long_fork0..7 (fork index + 1) with the parent's name in long_fork_parent, and a
 *     task is known long from the moment it is forked, before it ever runs;
 *   - online: with long_after_ns > 0, any task that has used that much CPU time counts as long from then on
 *     (the planner sets it just past the short class's measured p95, so a task never seen moves up once it is
 *     no longer like the short ones).
 *
 * Parameters (.rodata, set by the loader):
 *   long_comm0 .. long_comm7  task names learned to be long (empty: unused)
 *   long_fork_parent          the name of the thread that forks the long tasks (empty: any parent)
 *   long_fork0 .. long_fork7  fork order + 1 of a long task among its parent's forks (0: unused)
 *   long_after_ns             CPU time after which any task counts as long (0: off)
 *   max_long_cpus             CPUs long tasks may hold at once while short work waits (0: all but one, at least one)
 *   slice_ns                  slice of a short task (default 5 ms)
 *   long_slice_ns             slice of a long task (default 20 ms)
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define LONG_DSQ 1
#define SHORT_DSQ 2
#define NR_LONG_COMMS 8
/* The first slice of a task that has never run (see longjob_enqueue). */
#define NEW_TASK_SLICE_NS 1000000ULL

const volatile char long_comm0[TASK_COMM_LEN] = "";
const volatile char long_comm1[TASK_COMM_LEN] = "";
const volatile char long_comm2[TASK_COMM_LEN] = "";
const volatile char long_comm3[TASK_COMM_LEN] = "";
const volatile char long_comm4[TASK_COMM_LEN] = "";
const volatile char long_comm5[TASK_COMM_LEN] = "";
const volatile char long_comm6[TASK_COMM_LEN] = "";
const volatile char long_comm7[TASK_COMM_LEN] = "";
const volatile char long_fork_parent[TASK_COMM_LEN] = "";
const volatile u32 long_fork0 = 0;
const volatile u32 long_fork1 = 0;
const volatile u32 long_fork2 = 0;
const volatile u32 long_fork3 = 0;
const volatile u32 long_fork4 = 0;
const volatile u32 long_fork5 = 0;
const volatile u32 long_fork6 = 0;
const volatile u32 long_fork7 = 0;
const volatile u64 long_after_ns = 0;
const volatile u32 max_long_cpus = 0;
const volatile u64 slice_ns = 5000000;
const volatile u64 long_slice_ns = 20000000;

UEI_DEFINE(uei);

/* Long tasks on a CPU right now. */
static u32 running_long;

struct task_ctx {
	u64 runtime;
	u64 started_at;
	/* Tasks this task has forked since the scheduler was attached. */
	u32 forks;
	bool running_long;
	/* Known long from its fork position, set when it was forked. */
	bool forked_long;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __always_inline bool comm_is(const struct task_struct *p, const volatile char *name)
{
	int i;

	if (!name[0])
		return false;
#pragma unroll
	for (i = 0; i < TASK_COMM_LEN; i++) {
		if (p->comm[i] != name[i])
			return false;
		if (!name[i])
			return true;
	}
	return true;
}

static __always_inline bool learned_long(const struct task_struct *p)
{
	return comm_is(p, long_comm0) || comm_is(p, long_comm1) || comm_is(p, long_comm2) ||
	       comm_is(p, long_comm3) || comm_is(p, long_comm4) || comm_is(p, long_comm5) ||
	       comm_is(p, long_comm6) || comm_is(p, long_comm7);
}

static __always_inline bool fork_is_long(u32 index)
{
	u32 pos = index + 1;

	return pos == long_fork0 || pos == long_fork1 || pos == long_fork2 || pos == long_fork3 ||
	       pos == long_fork4 || pos == long_fork5 || pos == long_fork6 || pos == long_fork7;
}

static __always_inline bool comm_matches(const char *comm, const volatile char *name)
{
	int i;

#pragma unroll
	for (i = 0; i < TASK_COMM_LEN; i++) {
		if (comm[i] != name[i])
			return false;
		if (!name[i])
			return true;
	}
	return true;
}

static __always_inline bool is_long(const struct task_struct *p, const struct task_ctx *tc)
{
	if (tc && tc->forked_long)
		return true;
	if (long_after_ns && tc && tc->runtime >= long_after_ns)
		return true;
	return learned_long(p);
}

static __always_inline u32 long_cpu_limit(void)
{
	u32 n = scx_bpf_nr_cpu_ids();

	if (max_long_cpus)
		return max_long_cpus;
	return n > 1 ? n - 1 : 1;
}

s32 BPF_STRUCT_OPS(longjob_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	/* An idle CPU goes to whoever woke: the system is not saturated, nothing to order. */
	if (idle)
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, is_long(p, tc) ? long_slice_ns : slice_ns, 0);
	return cpu;
}

void BPF_STRUCT_OPS(longjob_enqueue, struct task_struct *p, u64 enq_flags)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);

	/*
	 * A task that has never run cannot be classified yet: a batch usually names its workers (exec or
	 * PR_SET_NAME) only once they run. Give it a short first slice at the head of the queue, so a long task
	 * forked behind many short ones shows its name within a millisecond instead of after a whole FIFO pass.
	 */
	if (tc && !tc->runtime && !tc->started_at && !is_long(p, tc)) {
		scx_bpf_dispatch(p, SHORT_DSQ, NEW_TASK_SLICE_NS, enq_flags | SCX_ENQ_HEAD);
		return;
	}
	if (is_long(p, tc))
		scx_bpf_dispatch(p, LONG_DSQ, long_slice_ns, enq_flags);
	else
		scx_bpf_dispatch(p, SHORT_DSQ, slice_ns, enq_flags);
}

void BPF_STRUCT_OPS(longjob_dispatch, s32 cpu, struct task_struct *prev)
{
	struct task_ctx *tc;

	/*
	 * A long task whose slice ran out keeps its CPU: returning without dispatching lets the kernel keep
	 * running it. Otherwise it would give the CPU to short work and wait for another CPU's slice to end.
	 */
	if (prev && (prev->scx.flags & SCX_TASK_QUEUED)) {
		tc = bpf_task_storage_get(&task_ctxs, prev, 0, 0);
		if (tc && tc->running_long && running_long <= long_cpu_limit()) {
			prev->scx.slice = long_slice_ns;
			return;
		}
	}
	/* Long work first, but never on every CPU while short work waits. */
	if (running_long < long_cpu_limit() && scx_bpf_consume(LONG_DSQ))
		return;
	if (scx_bpf_consume(SHORT_DSQ))
		return;
	scx_bpf_consume(LONG_DSQ);
}

void BPF_STRUCT_OPS(longjob_running, struct task_struct *p)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);

	if (!tc)
		return;
	tc->started_at = bpf_ktime_get_ns();
	tc->running_long = is_long(p, tc);
	if (tc->running_long)
		__sync_fetch_and_add(&running_long, 1);
}

void BPF_STRUCT_OPS(longjob_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, 0);

	if (!tc)
		return;
	if (tc->started_at)
		tc->runtime += bpf_ktime_get_ns() - tc->started_at;
	tc->started_at = 0;
	if (tc->running_long) {
		tc->running_long = false;
		__sync_fetch_and_sub(&running_long, 1);
	}
}

s32 BPF_STRUCT_OPS(longjob_init_task, struct task_struct *p, struct scx_init_task_args *args)
{
	struct task_ctx *tc = bpf_task_storage_get(&task_ctxs, p, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	struct task_struct *parent;
	struct task_ctx *ptc;
	u32 index;

	if (!tc)
		return -ENOMEM;
	if (!args->fork || !long_fork0)
		return 0;
	/* init_task of a fork runs in the forking thread: count its forks, as the profiling probe did. */
	parent = bpf_get_current_task_btf();
	ptc = bpf_task_storage_get(&task_ctxs, parent, 0, 0);
	if (!ptc)
		return 0;
	index = __sync_fetch_and_add(&ptc->forks, 1);
	if (fork_is_long(index) && (!long_fork_parent[0] || comm_matches(parent->comm, long_fork_parent)))
		tc->forked_long = true;
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(longjob_init)
{
	s32 err = scx_bpf_create_dsq(LONG_DSQ, -1);

	return err ? err : scx_bpf_create_dsq(SHORT_DSQ, -1);
}

void BPF_STRUCT_OPS(longjob_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(longjob_ops,
	       .select_cpu	= (void *)longjob_select_cpu,
	       .enqueue		= (void *)longjob_enqueue,
	       .dispatch	= (void *)longjob_dispatch,
	       .running		= (void *)longjob_running,
	       .stopping	= (void *)longjob_stopping,
	       .init_task	= (void *)longjob_init_task,
	       .init		= (void *)longjob_init,
	       .exit		= (void *)longjob_exit,
	       .timeout_ms	= 5000,
	       .name		= "schedcp_longjob");
