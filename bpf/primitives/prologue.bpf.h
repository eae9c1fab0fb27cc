/*
 * prologue: what every composed scheduler starts with.
 *
 * The scx headers, the licence, the exit-info record, and one task-storage map (BPF_MAP_TYPE_TASK_STORAGE)
 * holding what the ops header learns about each task: when it last started running and an exponentially
 * weighted moving average of how long it runs each time it is scheduled (its runtime estimate), updated in
 * `stopping`. Primitives read the estimate; only the ops header writes it.
 *
 * Contract: after the prologue come exactly one DSQ topology, one ordering, one idle-CPU selection and one slice
 * policy, then the ops header. Each primitive defines the hooks of its category (see bpf/primitives/README.md).
 */
#include <scx/common.bpf.h>

char _license[] SEC("license") = "GPL";

UEI_DEFINE(uei);

struct task_ctx {
	u64 started_at;   /* bpf_ktime_get_ns() when the task last started running */
	u64 runtime_est;  /* EWMA of the time the task runs each time it is scheduled, in ns */
	u64 vruntime;     /* weighted CPU time, for orderings that keep their own */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

static __always_inline struct task_ctx *task_ctx_of(struct task_struct *p)
{
	return bpf_task_storage_get(&task_ctxs, p, 0, 0);
}

/* Signed comparison so that wrapping clocks still order correctly. */
static __always_inline __attribute__((unused)) bool before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}
