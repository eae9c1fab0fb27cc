/* longtail: the batch case with a long tail. N short and M long CPU-burning tasks run as forked processes at once;
 * the makespan is set by when the long ones finish, so a scheduler that starts them late pays for it.
 *
 *   longtail [--short N] [--long M] [--short-ms MS] [--long-ms MS] [--name PREFIX] [--same-name 1 --seed S]
 *
 * By default each task names itself PREFIX-shortI or PREFIX-longJ and the long ones are forked last. With --same-name 1
 * every task keeps the program's own name and argv (nothing tells them apart but the work they do) and the long ones
 * sit at positions drawn from --seed, as in a real batch of one program over inputs of different sizes.
 *
 * Prints one JSON object: makespan and each task's name, kind, CPU burn and completion time (ms from start). */
#include "common.h"
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct task { pid_t pid; int is_long; long burn_ms; double done_ms; char name[32]; };

int main(int argc, char **argv)
{
    long n_short = 8, n_long = 2, short_ms = 50, long_ms = 400;
    const char *prefix = "lt";
    long same_name = 0, seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) { fprintf(stderr, "missing value for %s\n", a); return 2; }
        const char *v = argv[++i];
        if (!strcmp(a, "--short")) n_short = arg_long(v, a);
        else if (!strcmp(a, "--long")) n_long = arg_long(v, a);
        else if (!strcmp(a, "--short-ms")) short_ms = arg_long(v, a);
        else if (!strcmp(a, "--long-ms")) long_ms = arg_long(v, a);
        else if (!strcmp(a, "--name")) prefix = v;
        else if (!strcmp(a, "--same-name")) same_name = arg_long(v, a);
        else if (!strcmp(a, "--seed")) seed = arg_long(v, a);
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }
    long n = n_short + n_long;
    if (n <= 0 || n > 4096) { fprintf(stderr, "task count must be 1..4096\n"); return 2; }
    struct task *tasks = calloc((size_t)n, sizeof *tasks);
    /* Long tasks are started last, the order a naive FIFO batch would see them in, unless shuffled by seed. */
    for (long i = 0; i < n; i++) tasks[i].is_long = i >= n_short;
    if (same_name) {
        uint64_t x = (uint64_t)seed * 0x9E3779B97F4A7C15ull + 1;
        for (long i = n - 1; i > 0; i--) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            long j = (long)(x % (uint64_t)(i + 1));
            int tmp = tasks[i].is_long; tasks[i].is_long = tasks[j].is_long; tasks[j].is_long = tmp;
        }
    }
    uint64_t start = now_ns();
    long n_long_named = 0, n_short_named = 0;
    for (long i = 0; i < n; i++) {
        struct task *t = &tasks[i];
        t->burn_ms = t->is_long ? long_ms : short_ms;
        if (same_name)
            snprintf(t->name, sizeof t->name, "longtail");
        else
            snprintf(t->name, sizeof t->name, "%s-%s%ld", prefix, t->is_long ? "long" : "short", t->is_long ? n_long_named : n_short_named);
        if (t->is_long) n_long_named++; else n_short_named++;
        pid_t pid = fork();
        if (pid < 0) die_errno("fork");
        if (pid == 0) {
            if (!same_name) prctl(PR_SET_NAME, t->name, 0, 0, 0);
            burn_cpu_ns((uint64_t)t->burn_ms * 1000000ull);
            _exit(0);
        }
        t->pid = pid;
    }
    for (long done = 0; done < n;) {
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) { if (errno == EINTR) continue; die_errno("waitpid"); }
        double at = (double)(now_ns() - start) / 1e6;
        for (long i = 0; i < n; i++) if (tasks[i].pid == pid) { tasks[i].done_ms = at; done++; break; }
    }
    double makespan = (double)(now_ns() - start) / 1e6;
    double short_max = 0, long_max = 0, short_sum = 0;
    for (long i = 0; i < n; i++) {
        if (tasks[i].is_long) { if (tasks[i].done_ms > long_max) long_max = tasks[i].done_ms; }
        else { short_sum += tasks[i].done_ms; if (tasks[i].done_ms > short_max) short_max = tasks[i].done_ms; }
    }
    printf("{\"workload\":\"longtail\",\"same_name\":%s,\"short_tasks\":%ld,\"long_tasks\":%ld,\"short_ms\":%ld,\"long_ms\":%ld,"
           "\"makespan_ms\":%.3f,\"short_mean_ms\":%.3f,\"short_max_ms\":%.3f,\"long_max_ms\":%.3f,\"tasks\":[",
           same_name ? "true" : "false", n_short, n_long, short_ms, long_ms, makespan, n_short ? short_sum / (double)n_short : 0.0, short_max, long_max);
    for (long i = 0; i < n; i++)
        printf("%s{\"name\":\"%s\",\"fork_index\":%ld,\"kind\":\"%s\",\"burn_ms\":%ld,\"completion_ms\":%.3f}", i ? "," : "",
               tasks[i].name, i, tasks[i].is_long ? "long" : "short", tasks[i].burn_ms, tasks[i].done_ms);
    printf("]}\n");
    free(tasks);
    return 0;
}
