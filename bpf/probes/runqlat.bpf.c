// SPDX-License-Identifier: GPL-2.0
/*
 * runqlat: run-queue latency and task lifetimes as log2 histograms, system-wide.
 *
 * Run-queue latency is the time from a task becoming runnable (woken, newly created, or preempted while still
 * runnable) to it getting a CPU, as libbpf-tools' runqlat measures it. Lifetimes are the time from fork to exit of
 * the tasks created while the probe is attached, split into processes (thread-group leaders) and other threads.
 * Slot i of a histogram counts values v (in microseconds) with floor(log2(v)) == i; slot 0 also holds 0 and 1.
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

/* Events lost because a map was full; the reader reports it. */
__u64 dropped = 0;

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
		__sync_fetch_and_add(&dropped, 1);
}

SEC("tp_btf/sched_wakeup")
int BPF_PROG(on_wakeup, struct task_struct *p)
{
	mark_runnable(p->pid);
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
		__sync_fetch_and_add(&dropped, 1);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 pid = child->pid;
	__u8 one = 1;
	if (bpf_map_update_elem(&forked, &pid, &one, BPF_ANY))
		__sync_fetch_and_add(&dropped, 1);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *p)
{
	__u32 pid = p->pid, which;
	struct hist *h;

	bpf_map_delete_elem(&runnable_since, &pid);
	if (!bpf_map_lookup_elem(&forked, &pid))
		return 0;
	bpf_map_delete_elem(&forked, &pid);
	which = p->pid == p->tgid ? 1 : 2;
	h = bpf_map_lookup_elem(&hists, &which);
	if (h)
		add(h, (bpf_ktime_get_ns() - p->start_time) / 1000);
	return 0;
}
