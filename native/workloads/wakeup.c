/* wakeup: in the spirit of schbench. Message threads wake their worker threads through a futex; each worker
 * records how long it took from the wakeup to running, does a little CPU work (the request) and sleeps again.
 * A scheduler that runs woken tasks late shows it in the latency percentiles.
 *
 *   wakeup [--message-threads M] [--workers W] [--seconds S] [--request-us US] [--think-us US]
 *
 * Prints one JSON object: wakeup latency p50/p90/p99/p99.9/max in microseconds and requests per second. */
#include "common.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_SAMPLES (1u << 20)

struct worker {
    _Atomic int word;          /* 1 while a request is posted */
    _Atomic uint64_t posted_ns;
    struct group *group;
    int index;
    uint64_t *samples;
    size_t n_samples, cap;
    uint64_t requests;
};

struct group {
    _Atomic int pending;       /* workers still busy with the current round */
    struct worker *workers;
    int n_workers, index;
};

static _Atomic int stop;
static _Atomic int alive;      /* threads not yet returned: main keeps waking until it is 0 */
static long request_us = 20, think_us = 1000;

static long futex(_Atomic int *addr, int op, int val)
{
    return syscall(SYS_futex, (int *)addr, op, val, NULL, NULL, 0);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    char name[16];
    snprintf(name, sizeof name, "wk-%d-%d", w->group->index, w->index);
    prctl(PR_SET_NAME, name, 0, 0, 0);
    for (;;) {
        while (atomic_load(&w->word) == 0 && !atomic_load(&stop)) futex(&w->word, FUTEX_WAIT_PRIVATE, 0);
        if (atomic_load(&stop)) break;
        uint64_t latency = now_ns() - atomic_load(&w->posted_ns);
        if (w->n_samples < w->cap) w->samples[w->n_samples++] = latency;
        burn_cpu_ns((uint64_t)request_us * 1000ull);
        w->requests++;
        atomic_store(&w->word, 0);
        if (atomic_fetch_sub(&w->group->pending, 1) == 1) futex(&w->group->pending, FUTEX_WAKE_PRIVATE, 1);
    }
    atomic_fetch_sub(&alive, 1);
    return NULL;
}

static void *message_main(void *arg)
{
    struct group *g = arg;
    char name[16];
    snprintf(name, sizeof name, "msg-%d", g->index);
    prctl(PR_SET_NAME, name, 0, 0, 0);
    while (!atomic_load(&stop)) {
        atomic_store(&g->pending, g->n_workers);
        for (int i = 0; i < g->n_workers; i++) {
            struct worker *w = &g->workers[i];
            atomic_store(&w->posted_ns, now_ns());
            atomic_store(&w->word, 1);
            futex(&w->word, FUTEX_WAKE_PRIVATE, 1);
        }
        for (int p; (p = atomic_load(&g->pending)) != 0 && !atomic_load(&stop);) futex(&g->pending, FUTEX_WAIT_PRIVATE, p);
        if (think_us > 0) {
            struct timespec ts = { think_us / 1000000, (think_us % 1000000) * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    atomic_fetch_sub(&alive, 1);
    return NULL;
}

int main(int argc, char **argv)
{
    long n_groups = 2, n_workers = 4, seconds = 3;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) { fprintf(stderr, "missing value for %s\n", a); return 2; }
        const char *v = argv[++i];
        if (!strcmp(a, "--message-threads")) n_groups = arg_long(v, a);
        else if (!strcmp(a, "--workers")) n_workers = arg_long(v, a);
        else if (!strcmp(a, "--seconds")) seconds = arg_long(v, a);
        else if (!strcmp(a, "--request-us")) request_us = arg_long(v, a);
        else if (!strcmp(a, "--think-us")) think_us = arg_long(v, a);
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }
    if (n_groups < 1 || n_workers < 1 || n_groups * n_workers > 1024 || seconds < 1) {
        fprintf(stderr, "need 1..1024 workers in total and at least 1 second\n");
        return 2;
    }
    struct group *groups = calloc((size_t)n_groups, sizeof *groups);
    atomic_store(&alive, (int)(n_groups * (n_workers + 1)));
    pthread_t *threads = calloc((size_t)(n_groups * (n_workers + 1)), sizeof *threads);
    size_t cap = MAX_SAMPLES / (size_t)(n_groups * n_workers);
    int t = 0;
    for (long g = 0; g < n_groups; g++) {
        groups[g].index = (int)g;
        groups[g].n_workers = (int)n_workers;
        groups[g].workers = calloc((size_t)n_workers, sizeof(struct worker));
        for (long i = 0; i < n_workers; i++) {
            struct worker *w = &groups[g].workers[i];
            w->group = &groups[g];
            w->index = (int)i;
            w->cap = cap;
            w->samples = malloc(cap * sizeof(uint64_t));
            if (pthread_create(&threads[t++], NULL, worker_main, w)) die_errno("pthread_create");
        }
    }
    uint64_t start = now_ns();
    for (long g = 0; g < n_groups; g++)
        if (pthread_create(&threads[t++], NULL, message_main, &groups[g])) die_errno("pthread_create");
    sleep((unsigned)seconds);
    atomic_store(&stop, 1);
    /* A thread can test `stop` just before it is set and enter FUTEX_WAIT just after a wake: one round of wakes
     * can be lost. Keep waking every millisecond until every thread has returned. */
    while (atomic_load(&alive) > 0) {
        for (long g = 0; g < n_groups; g++) {
            futex(&groups[g].pending, FUTEX_WAKE_PRIVATE, INT_MAX);
            for (long i = 0; i < n_workers; i++) futex(&groups[g].workers[i].word, FUTEX_WAKE_PRIVATE, INT_MAX);
        }
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
    for (int i = 0; i < t; i++) pthread_join(threads[i], NULL);
    double elapsed = (double)(now_ns() - start) / 1e9;

    size_t total = 0;
    uint64_t requests = 0;
    for (long g = 0; g < n_groups; g++)
        for (long i = 0; i < n_workers; i++) { total += groups[g].workers[i].n_samples; requests += groups[g].workers[i].requests; }
    uint64_t *all = malloc((total ? total : 1) * sizeof(uint64_t));
    size_t k = 0;
    for (long g = 0; g < n_groups; g++)
        for (long i = 0; i < n_workers; i++) {
            memcpy(all + k, groups[g].workers[i].samples, groups[g].workers[i].n_samples * sizeof(uint64_t));
            k += groups[g].workers[i].n_samples;
        }
    qsort(all, total, sizeof(uint64_t), cmp_u64);
    printf("{\"workload\":\"wakeup\",\"message_threads\":%ld,\"workers\":%ld,\"seconds\":%.3f,\"request_us\":%ld,"
           "\"think_us\":%ld,\"requests\":%llu,\"requests_per_second\":%.1f,\"samples\":%zu,"
           "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,\"p999_us\":%.1f,\"max_us\":%.1f}\n",
           n_groups, n_workers, elapsed, request_us, think_us, (unsigned long long)requests, (double)requests / elapsed, total,
           percentile(all, total, 50) / 1e3, percentile(all, total, 90) / 1e3, percentile(all, total, 99) / 1e3,
           percentile(all, total, 99.9) / 1e3, total ? all[total - 1] / 1e3 : 0.0);
    return 0;
}
