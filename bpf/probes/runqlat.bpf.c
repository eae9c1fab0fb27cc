// SPDX-License-Identifier: GPL-2.0
/*
 * runqlat: run-queue latency and task lifetimes as log2 histograms, system-wide.
 *
 * Run-queue latency is the time from a task becoming runnable (woken, newly created, or preempted while still
 * runnable) to it getting a CPU, as libbpf-tools' runqlat measures it. Lifetimes are the time from fork to exit of
 * the tasks created while the probe is attached, split into processes (thread-group leaders) and other threads.
 * Slot i of a histogram counts values v (in microseconds) with floor(log2(v)) == i; slot 0 also holds 0 and 1.
 *
 * Per-task accounting: every task forked while the probe is attached, however short, is followed from fork to exit
 * and one record per task goes to the task_records ring buffer at its exit: pid, thread group, the forking thread and
 * the order of this fork among that thread's forks (what a rerun of the same batch reproduces even when every task
 * has the same name), the exec'd path, the first 256 bytes of argv and its length, the kernel's own CPU time
 * (se.sum_exec_runtime), run delay (sched_info.run_delay), voluntary and involuntary switches, wakeups with the task
 * that woke it most (a majority vote), and its lifetime. Nothing is sampled, so nothing is missed on a busy machine;
 * a record the ring buffer had no room for is counted in counters[1].
 * Read by native/probe/schedcp-probe.c.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define MAX_SLOTS 32
#define MAX_COMMS 1024
#define TASK_RUNNING 0

char LICENSE[] SEC("license") = "GPL";

struct hist {
	__u64 slots[MAX_SLOTS];
	__u64 count;
	__u64 sum_us;
};

struct comm_key {
	char comm[16];
};

/* Keyed by thread id: when the task became runnable (ns). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u64);
} runnable_since SEC(".maps");

/* Keyed by thread id: tasks forked while attached. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u8);
} forked SEC(".maps");

/* 0: run-queue latency of every task; 1: lifetimes of processes; 2: lifetimes of other threads. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, struct hist);
} hists SEC(".maps");

/* Run-queue latency by the name (comm) of the task that waited. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, MAX_COMMS);
	__type(key, struct comm_key);
	__type(value, struct hist);
} comm_hists SEC(".maps");

#define COUNTER_DROPPED 0
#define COUNTER_TASKS_LOST 1

/* 0: events lost because a map was full; 1: task records lost because the ring buffer was full. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

#define ARGS_CAP 256
#define PATH_CAP 96

/* Mirrors struct task_record in native/probe/schedcp-probe.c. */
struct task_record {
	__u32 pid;
	__u32 tgid;
	__u32 parent_pid;
	__u32 parent_tgid;
	__u32 fork_index;
	__u32 flags;
	__u32 top_waker;
	__u32 argv_len;
	__u64 start_ns;
	__u64 exit_ns;
	__u64 cpu_ns;
	__u64 run_delay_ns;
	__u64 nvcsw;
	__u64 nivcsw;
	__u64 wakeups;
	__s32 exit_code;
	__u32 pad;
	char comm[16];
	char parent_comm[16];
	char exec_path[PATH_CAP];
	char args[ARGS_CAP];
};

#define TASK_EXECED 1

/* Keyed by thread id: what is known of a task forked while attached, until its exit. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct task_record);
} live_tasks SEC(".maps");

/* Keyed by thread id: how many tasks this thread has forked while attached. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, __u32);
} forks_made SEC(".maps");

/* A task_record is too big for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct task_record);
} scratch SEC(".maps");


struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 8 << 20);
} task_records SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &which);
	if (c)
		__sync_fetch_and_add(c, 1);
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = 0;
#pragma unroll
	for (int shift = 32; shift > 0; shift >>= 1) {
		if (v >= (1ULL << shift)) {
			v >>= shift;
			r += shift;
		}
	}
	return r < MAX_SLOTS ? r : MAX_SLOTS - 1;
}

static __always_inline void add(struct hist *h, __u64 us)
{
	__u32 slot = log2_slot(us);
	__sync_fetch_and_add(&h->slots[slot], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_us, us);
}

static __always_inline void mark_runnable(__u32 pid)
{
	__u64 ts;
	if (!pid)
		return;
	ts = bpf_ktime_get_ns();
	if (bpf_map_update_elem(&runnable_since, &pid, &ts, BPF_ANY))
		count(COUNTER_DROPPED);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	__u32 pid = p->pid, waker = (__u32)bpf_get_current_pid_tgid();
	struct task_record *r;

	mark_runnable(pid);
	r = bpf_map_lookup_elem(&live_tasks, &pid);
	if (!r)
		return 0;
	__sync_fetch_and_add(&r->wakeups, 1);
	/* Boyer-Moore majority vote over wakers: top_waker is the task that woke it most when one did most. */
	if (waker == pid)
		return 0;
	if (r->pad == 0) {
		r->top_waker = waker;
		r->pad = 1;
	} else if (r->top_waker == waker) {
		r->pad++;
	} else {
		r->pad--;
	}
	return 0;
}

SEC("tp_btf/sched_wakeup_new")
int BPF_PROG(on_wakeup_new, struct task_struct *p)
{
	mark_runnable(p->pid);
	return 0;
}

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	static const struct hist zero;
	struct comm_key key = {};
	struct hist *h;
	__u32 pid = next->pid, all = 0;
	__u64 *since, us;

	if (prev->__state == TASK_RUNNING)
		mark_runnable(prev->pid);
	if (!pid)
		return 0;
	since = bpf_map_lookup_elem(&runnable_since, &pid);
	if (!since)
		return 0;
	us = (bpf_ktime_get_ns() - *since) / 1000;
	bpf_map_delete_elem(&runnable_since, &pid);

	h = bpf_map_lookup_elem(&hists, &all);
	if (h)
		add(h, us);
	bpf_probe_read_kernel_str(key.comm, sizeof(key.comm), next->comm);
	h = bpf_map_lookup_elem(&comm_hists, &key);
	if (!h) {
		bpf_map_update_elem(&comm_hists, &key, &zero, BPF_NOEXIST);
		h = bpf_map_lookup_elem(&comm_hists, &key);
	}
	if (h)
		add(h, us);
	else
		count(COUNTER_DROPPED);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 pid = child->pid, ppid = parent->pid, zero = 0, first = 1, *made;
	struct task_record *r;
	__u8 one = 1;

	if (bpf_map_update_elem(&forked, &pid, &one, BPF_ANY))
		count(COUNTER_DROPPED);
	r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;
	__builtin_memset(r, 0, sizeof(*r));
	r->pid = pid;
	r->tgid = child->tgid;
	r->parent_pid = ppid;
	r->parent_tgid = parent->tgid;
	made = bpf_map_lookup_elem(&forks_made, &ppid);
	if (made) {
		r->fork_index = __sync_fetch_and_add(made, 1);
	} else {
		r->fork_index = 0;
		bpf_map_update_elem(&forks_made, &ppid, &first, BPF_ANY);
	}
	bpf_probe_read_kernel_str(r->parent_comm, sizeof(r->parent_comm), parent->comm);
	/* Until it execs, a forked task runs its parent's program with its parent's argv. */
	r->flags = 0;
	if (bpf_map_update_elem(&live_tasks, &pid, r, BPF_ANY))
		count(COUNTER_DROPPED);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 pid = p->pid;
	struct task_record *r = bpf_map_lookup_elem(&live_tasks, &pid);
	unsigned long start, end, len, n;

	if (!r)
		return 0;
	r->flags |= TASK_EXECED;
	bpf_probe_read_kernel_str(r->exec_path, sizeof(r->exec_path), bprm->filename);
	start = p->mm->arg_start;
	end = p->mm->arg_end;
	len = end > start ? end - start : 0;
	r->argv_len = len;
	/* The first bytes of argv as they are (NUL-separated); the reader fingerprints them with the full length. */
	__builtin_memset(r->args, 0, sizeof(r->args));
	n = len < ARGS_CAP - 1 ? len : ARGS_CAP - 1;
	n &= ARGS_CAP - 1;
	if (n)
		bpf_probe_read_user(r->args, n, (void *)start);
	return 0;
}

/* Emits the task's record with the kernel's own counters, read from task_struct as it exits. */
static __always_inline void record_exit(struct task_struct *p)
{
	__u32 pid = p->pid;
	struct task_record *r = bpf_map_lookup_elem(&live_tasks, &pid), *out;

	if (!r)
		return;
	out = bpf_ringbuf_reserve(&task_records, sizeof(*out), 0);
	if (!out) {
		count(COUNTER_TASKS_LOST);
		bpf_map_delete_elem(&live_tasks, &pid);
		return;
	}
	__builtin_memcpy(out, r, sizeof(*out));
	out->pad = 0;
	out->start_ns = p->start_time;
	out->exit_ns = bpf_ktime_get_ns();
	out->cpu_ns = p->se.sum_exec_runtime;
	out->run_delay_ns = p->sched_info.run_delay;
	out->nvcsw = p->nvcsw;
	out->nivcsw = p->nivcsw;
	out->exit_code = p->exit_code;
	bpf_probe_read_kernel_str(out->comm, sizeof(out->comm), p->comm);
	bpf_ringbuf_submit(out, 0);
	bpf_map_delete_elem(&live_tasks, &pid);
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u32 pid = p->pid, which;
	struct hist *h;

	bpf_map_delete_elem(&runnable_since, &pid);
	bpf_map_delete_elem(&forks_made, &pid);
	record_exit(p);
	if (!bpf_map_lookup_elem(&forked, &pid))
		return 0;
	bpf_map_delete_elem(&forked, &pid);
	which = p->pid == p->tgid ? 1 : 2;
	h = bpf_map_lookup_elem(&hists, &which);
	if (h)
		add(h, (bpf_ktime_get_ns() - p->start_time) / 1000);
	return 0;
}
