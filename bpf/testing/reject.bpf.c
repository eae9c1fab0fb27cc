// SPDX-License-Identifier: GPL-2.0
/*
 * schedcp_reject — misbehaves on purpose. It compiles, but its enqueue dereferences a map lookup
 * without checking it for NULL, so the kernel verifier must refuse to load it
 * ("invalid mem access 'map_value_or_null'").
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, sizeof(u32));
	__uint(value_size, sizeof(u64));
	__uint(max_entries, 1);
} counts SEC(".maps");

void BPF_STRUCT_OPS(reject_enqueue, struct task_struct *p, u64 enq_flags)
{
	u32 zero = 0;
	u64 *n = bpf_map_lookup_elem(&counts, &zero);

	*n += 1; /* Deliberate bug: no NULL check. */
	scx_bpf_dispatch(p, SCX_DSQ_GLOBAL, SCX_SLICE_DFL, enq_flags);
}

void BPF_STRUCT_OPS(reject_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(reject_ops,
	       .enqueue		= (void *)reject_enqueue,
	       .exit		= (void *)reject_exit,
	       .name		= "schedcp_reject");
