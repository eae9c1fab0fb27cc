// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_missing_dsq — misbehaves on purpose. It creates DSQ 1 in init but inserts into and
 * consumes DSQ 2, which does not exist: the kernel ejects it on the first insert. The kernel
 * verifier accepts it; the verifier's static stage must catch it.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define CREATED_DSQ 1
#define USED_DSQ 2

UEI_DEFINE(uei);

void BPF_STRUCT_OPS(missing_dsq_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dispatch(p, USED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(missing_dsq_dispatch, s32 cpu, struct task_struct *prev)
{
	scx_bpf_consume(USED_DSQ);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(missing_dsq_init)
{
	return scx_bpf_create_dsq(CREATED_DSQ, -1);
}

void BPF_STRUCT_OPS(missing_dsq_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(missing_dsq_ops,
	       .enqueue		= (void *)missing_dsq_enqueue,
	       .dispatch	= (void *)missing_dsq_dispatch,
	       .init		= (void *)missing_dsq_init,
	       .exit		= (void *)missing_dsq_exit,
	       .timeout_ms	= 3000,
	       .name		= "schedcp_missing_dsq");
