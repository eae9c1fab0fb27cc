// SPDX-License-Identifier: GPL-2.0
// vtime_percpu_idle: weighted virtual time over per-CPU queues with stealing, previous CPU first, load-scaled slice.
// A template recipe that clang and SchedulerComposer both compose; see bpf/primitives/README.md.
#include "prologue.bpf.h"
#include "dsq_per_cpu.bpf.h"
#include "order_vtime.bpf.h"
#include "idle_prev_cpu_first.bpf.h"
#include "slice_scaled_by_load.bpf.h"
#define SCHED_NAME "schedcp_vtime_percpu_idle"
#include "ops.bpf.h"
