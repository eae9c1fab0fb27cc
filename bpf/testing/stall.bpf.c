// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_stall — misbehaves on purpose. Its enqueue drops every user task: it neither inserts it
 * into a dispatch queue nor keeps it anywhere, so the task is lost. Kernel threads are served so
 * the kernel's own watchdog keeps running; it must eject this scheduler with SCX_EXIT_ERROR_STALL
 * once a lost task has waited timeout_ms.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

s32 BPF_STRUCT_OPS(stall_select_cpu, struct task_struct *p, s32 prev_cpu, u64 wake_flags)
{
	return prev_cpu;
}

void BPF_STRUCT_OPS(stall_enqueue, struct task_struct *p, u64 enq_flags)
{
	if (p->flags & PF_KTHREAD)
		scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
	/* Deliberate bug: a user task is dropped here. */
}

void BPF_STRUCT_OPS(stall_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(stall_ops,
	       .select_cpu	= (void *)stall_select_cpu,
	       .enqueue		= (void *)stall_enqueue,
	       .exit		= (void *)stall_exit,
	       .timeout_ms	= 3000,
	       .name		= "schedcp_stall");
