// SPDX-License-Identifier: GPL-2.0
// fifo_shared: FIFO over one shared queue with a fixed slice.
// A template recipe that clang and SchedulerComposer both compose; see bpf/primitives/README.md.
#include "prologue.bpf.h"
#include "dsq_global.bpf.h"
#include "order_fifo.bpf.h"
#include "idle_default.bpf.h"
#include "slice_fixed.bpf.h"
#define SCHED_NAME "schedcp_fifo_shared"
#include "ops.bpf.h"
