/*
 * idle_prev_cpu_first (idle-CPU selection): the previous CPU when it is idle, else any idle CPU.
 *
 * Keeps a waking task on the CPU whose cache it warmed when that CPU is idle; otherwise takes any idle CPU the
 * task may run on; otherwise stays on the previous CPU and queues. A task that found an idle CPU is inserted
 * straight into that CPU's local queue.
 */
static __always_inline s32 idle_select(struct task_struct *p, s32 prev_cpu, u64 wake_flags, bool *idle)
{
	s32 cpu;

	if (bpf_cpumask_test_cpu(prev_cpu, p->cpus_ptr) && scx_bpf_test_and_clear_cpu_idle(prev_cpu)) {
		*idle = true;
		return prev_cpu;
	}
	cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);
	if (cpu >= 0) {
		*idle = true;
		return cpu;
	}
	*idle = false;
	return prev_cpu;
}
