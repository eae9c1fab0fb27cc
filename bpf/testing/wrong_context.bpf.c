// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_wrong_context — misbehaves on purpose: ops.enqueue calls scx_bpf_consume, which the
 * kernel allows only in ops.dispatch; the kernel verifier accepts it and the scheduler is ejected
 * at run time. The verifier's static stage must catch it from the kfunc table.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

void BPF_STRUCT_OPS(wrong_context_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_consume(SCX_DSQ_GLOBAL);
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(wrong_context_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(wrong_context_ops,
	       .enqueue		= (void *)wrong_context_enqueue,
	       .exit		= (void *)wrong_context_exit,
	       .name		= "schedcp_wrong_context");
