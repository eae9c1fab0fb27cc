// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_no_dispatch — misbehaves on purpose. Every task goes to custom DSQ 1, but ops.dispatch
 * only counts calls and never consumes it, so queued tasks never run and the watchdog ejects the
 * scheduler. The kernel verifier accepts it; the verifier's static stage must catch it.
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

#define SHARED_DSQ 1

u64 nr_dispatch_calls;

UEI_DEFINE(uei);

void BPF_STRUCT_OPS(no_dispatch_enqueue, struct task_struct *p, u64 enq_flags)
{
	scx_bpf_dispatch(p, SHARED_DSQ, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(no_dispatch_dispatch, s32 cpu, struct task_struct *prev)
{
	/* Deliberate bug: SHARED_DSQ is never consumed. */
	__sync_fetch_and_add(&nr_dispatch_calls, 1);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(no_dispatch_init)
{
	return scx_bpf_create_dsq(SHARED_DSQ, -1);
}

void BPF_STRUCT_OPS(no_dispatch_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(no_dispatch_ops,
	       .enqueue		= (void *)no_dispatch_enqueue,
	       .dispatch	= (void *)no_dispatch_dispatch,
	       .init		= (void *)no_dispatch_init,
	       .exit		= (void *)no_dispatch_exit,
	       .timeout_ms	= 3000,
	       .name		= "schedcp_no_dispatch");
