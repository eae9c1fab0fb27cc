// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_late_stall — misbehaves on purpose, but only later. For its first stall_after_ms it is a plain
 * global FIFO and looks healthy (it attaches, tasks run, a short check passes); after that its enqueue
 * drops every user task, like schedcp_stall. A canary must keep watching long enough to see it, and the
 * kernel's watchdog ejects it with SCX_EXIT_ERROR_STALL once a lost task has waited timeout_ms.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

/* How long it behaves before it starts dropping user tasks. */
const volatile u64 stall_after_ms = 3000;

static u64 started_ns;

s32 BPF_STRUCT_OPS_SLEEPABLE(late_stall_init)
{
	started_ns = bpf_ktime_get_ns();
	return 0;
}

s32 BPF_STRUCT_OPS(late_stall_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void BPF_STRUCT_OPS(late_stall_enqueue, struct task_struct *p, u64 enq_flags)
{
	if ((p->flags & PF_KTHREAD) || bpf_ktime_get_ns() - started_ns < stall_after_ms * 1000000ULL)
		scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
	/* Deliberate bug, armed by time: past stall_after_ms a user task is dropped here. */
}

void BPF_STRUCT_OPS(late_stall_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(late_stall_ops,
	       .select_cpu	= (void *)late_stall_select_cpu,
	       .enqueue		= (void *)late_stall_enqueue,
	       .init		= (void *)late_stall_init,
	       .exit		= (void *)late_stall_exit,
	       .timeout_ms	= 3000,
	       .name		= "schedcp_late_stall");
