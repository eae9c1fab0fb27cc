/*
 * dsq_per_cpu (DSQ topology): one dispatch queue per CPU, with stealing.
 *
 * A queued task joins the queue of the CPU it last ran on (or was just placed on), which keeps its cache warm.
 * A CPU serves its own queue first and, when that is empty, takes from the other CPUs' queues in CPU order,
 * so no CPU idles while work waits. Queuing a task wakes an idle CPU that may run it.
 */
static __always_inline s32 topo_init(void)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	s32 err;
	int i;

	bpf_for(i, 0, nr) {
		err = scx_bpf_create_dsq(i, -1);
		if (err)
			return err;
	}
	return 0;
}

static __always_inline u64 topo_dsq(struct task_struct *p)
{
	return scx_bpf_task_cpu(p);
}

static __always_inline void topo_queued(struct task_struct *p)
{
	s32 cpu = scx_bpf_pick_idle_cpu(p->cpus_ptr, 0);

	if (cpu >= 0)
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
}

static __always_inline void topo_dispatch(s32 cpu)
{
	u32 nr = scx_bpf_nr_cpu_ids();
	int i;

	if (scx_bpf_consume(cpu))
		return;
	bpf_for(i, 0, nr) {
		if (i != cpu && scx_bpf_consume(i))
			return;
	}
}
