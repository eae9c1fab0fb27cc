// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_fifo: one global first-in-first-out queue.
 *
 * A waking task that finds an idle CPU goes straight to that CPU's local queue; every other task
 * joins one shared queue, and each CPU that runs out of work takes the oldest task from it.
 * Simple, fair in arrival order, and a baseline for the project's other policies.
 *
 * Parameters (.rodata, set by the loader):
 *   slice_ns     time slice given to each task (default 5 ms)
 *   direct_idle  insert into an idle CPU's local queue at wake-up (default true)
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define FIFO_DSQ 1

const volatile u64 slice_ns = 5000000;
const volatile bool direct_idle = true;

UEI_DEFINE(uei);

enum fifo_stat { FIFO_STAT_DIRECT, FIFO_STAT_QUEUED, FIFO_STAT_TAKEN, FIFO_NR_STATS };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u64));
	__uint(max_entries, FIFO_NR_STATS);
} fifo_stats SEC(".maps");

static __always_inline void count(u32 stat)
{
	u64 *n = bpf_map_lookup_elem(&fifo_stats, &stat);

	if (n)
		(*n)++;
}

s32 BPF_STRUCT_OPS(fifo_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	bool idle = false;
	s32 cpu = scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &idle);

	if (idle && direct_idle) {
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, slice_ns, 0);
		count(FIFO_STAT_DIRECT);
	}
	return cpu;
}

void BPF_STRUCT_OPS(fifo_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dispatch(p, FIFO_DSQ, slice_ns, enq_flags);
	count(FIFO_STAT_QUEUED);
}

void BPF_STRUCT_OPS(fifo_dispatch, s32 cpu, struct task_struct *prev)
{
	if (scx_bpf_consume(FIFO_DSQ))
		count(FIFO_STAT_TAKEN);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(fifo_init)
{
	return scx_bpf_create_dsq(FIFO_DSQ, -1);
}

void BPF_STRUCT_OPS(fifo_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(fifo_ops,
	       .select_cpu	= (void *)fifo_select_cpu,
	       .enqueue		= (void *)fifo_enqueue,
	       .dispatch	= (void *)fifo_dispatch,
	       .init		= (void *)fifo_init,
	       .exit		= (void *)fifo_exit,
	       .timeout_ms	= 5000,
	       .name		= "schedcp_fifo");
