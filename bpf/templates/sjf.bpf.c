// SPDX-License-Identifier: GPL-2.0
// sjf: shortest job first by the learned runtime estimate over per-CPU queues, previous CPU first, fixed slice.
// A template recipe that clang and SchedulerComposer both compose; see bpf/primitives/README.md.
#include "prologue.bpf.h"
#include "dsq_per_cpu.bpf.h"
#include "order_sjf.bpf.h"
#include "idle_prev_cpu_first.bpf.h"
#include "slice_fixed.bpf.h"
#define SCHED_NAME "schedcp_sjf"
#include "ops.bpf.h"
