// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_error — misbehaves on purpose. Schedules like a global FIFO, then calls scx_bpf_error()
 * after error_after enqueues; the kernel must eject it with SCX_EXIT_ERROR_BPF and this message.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

const volatile u64 error_after = 200;

UEI_DEFINE(uei);

static u64 enqueued;

void BPF_STRUCT_OPS(error_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 n = __sync_fetch_and_add(&enqueued, 1) + 1;

	if (n == error_after)
		scx_bpf_error("schedcp_error: deliberate failure after %llu enqueues", n);
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(error_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(error_ops,
	       .enqueue		= (void *)error_enqueue,
	       .exit		= (void *)error_exit,
	       .name		= "schedcp_error");
