// SPDX-License-Identifier: GPL-2.0
// ljf: longest job first by the learned runtime estimate over one shared queue, fixed slice.
// A template recipe that clang and SchedulerComposer both compose; see bpf/primitives/README.md.
#include "prologue.bpf.h"
#include "dsq_global.bpf.h"
#include "order_ljf.bpf.h"
#include "idle_default.bpf.h"
#include "slice_fixed.bpf.h"
#define SCHED_NAME "schedcp_ljf"
#include "ops.bpf.h"
