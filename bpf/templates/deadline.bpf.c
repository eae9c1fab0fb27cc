// SPDX-License-Identifier: GPL-2.0
// deadline: earliest virtual deadline first over one shared queue, SMT-aware idle selection, adaptive slice.
// A template recipe that clang and SchedulerComposer both compose; see bpf/primitives/README.md.
#include "prologue.bpf.h"
#include "dsq_global.bpf.h"
#include "order_deadline.bpf.h"
#include "idle_smt_aware.bpf.h"
#include "slice_adaptive.bpf.h"
#define SCHED_NAME "schedcp_deadline"
#include "ops.bpf.h"
