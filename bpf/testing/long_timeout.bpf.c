// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_long_timeout — misconfigured on purpose: a correct global FIFO whose watchdog timeout
 * (60 s) is above the kernel's limit of 30 s, so attaching fails with E2BIG. The verifier's static
 * stage must catch it from the struct_ops data.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

void BPF_STRUCT_OPS(long_timeout_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(long_timeout_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(long_timeout_ops,
	       .enqueue		= (void *)long_timeout_enqueue,
	       .exit		= (void *)long_timeout_exit,
	       .timeout_ms	= 60000,
	       .name		= "schedcp_long_timeout");
