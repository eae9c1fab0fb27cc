/*
 * idle_smt_aware (idle-CPU selection): a fully idle core first.
 *
 * Looks for a CPU whose SMT siblings are idle too, so the task does not share a core with a busy sibling; falls
 * back to the kernel's default selection. On machines without SMT this is the default selection.
 */
static __always_inline s32 idle_select(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *idle)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, SCX_PICK_IDLE_CORE);

	if (cpu >= 0) {
		*idle = true;
		return cpu;
	}
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, idle);
}
