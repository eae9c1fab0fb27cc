/*
 * idle_default (idle-CPU selection): the kernel's default, scx_bpf_select_cpu_dfl.
 *
 * Prefers the previous CPU if idle, then a fully idle core, then any idle CPU near the waker. A task that found an
 * idle CPU is inserted straight into that CPU's local queue (skipping the ordering).
 */
static __always_inline s32 idle_select(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *idle)
{
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, idle);
}
