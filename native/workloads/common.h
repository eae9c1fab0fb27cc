/* Shared helpers of the SchedCP benchmark workloads: monotonic time, CPU burn, percentiles, JSON output. */
#ifndef SCHEDCP_WORKLOADS_COMMON_H
#define SCHEDCP_WORKLOADS_COMMON_H
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static inline uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline uint64_t cpu_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Spins until the calling thread has used `ns` of CPU time: the work is defined in CPU time, not wall time,
 * so waiting for a CPU shows up as a longer completion time rather than less work. */
static inline void burn_cpu_ns(uint64_t ns)
{
    volatile uint64_t sink = 0;
    uint64_t start = cpu_ns(CLOCK_THREAD_CPUTIME_ID);
    while (cpu_ns(CLOCK_THREAD_CPUTIME_ID) - start < ns) {
        for (int i = 0; i < 2000; i++) sink += (uint64_t)i * 2654435761u;
    }
    (void)sink;
}

static inline int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of a sorted array. */
static inline uint64_t percentile(const uint64_t *sorted, size_t n, double p)
{
    if (n == 0) return 0;
    size_t rank = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static inline long arg_long(const char *value, const char *name)
{
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || *end || v < 0) {
        fprintf(stderr, "invalid value '%s' for %s: expected a non-negative integer\n", value, name);
        exit(2);
    }
    return v;
}

static inline void die_errno(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, strerror(errno));
    exit(1);
}
#endif
