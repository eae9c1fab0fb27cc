/* buildlike: a small build. A DAG of short-lived CPU tasks in waves (compile units, then links that depend on
 * them) is run with at most J tasks at once, like make -j; each task is a fresh process that execs this program
 * again (fork + exec, as a compiler is). The makespan depends on how fast the scheduler starts new processes and
 * keeps the critical path moving.
 *
 *   buildlike [--waves W] [--width K] [--jobs J] [--task-ms MS] [--seed S]
 *   buildlike --burn MS --name NAME      (one task; used internally)
 *
 * Task i of wave w depends on tasks i and i+1 (mod K) of wave w-1; task CPU burns vary from MS/2 to 3*MS/2
 * deterministically with the seed. Prints one JSON object: makespan, critical path and total work in ms. */
#include "common.h"
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

struct node { pid_t pid; long burn_ms; int state; /* 0 waiting, 1 running, 2 done */ double start_ms, end_ms, path_ms; };

int main(int argc, char **argv)
{
    long waves = 4, width = 6, jobs = 2, task_ms = 30, seed = 1, burn = -1;
    const char *name = "bl-task";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (i + 1 >= argc) { fprintf(stderr, "missing value for %s\n", a); return 2; }
        const char *v = argv[++i];
        if (!strcmp(a, "--waves")) waves = arg_long(v, a);
        else if (!strcmp(a, "--width")) width = arg_long(v, a);
        else if (!strcmp(a, "--jobs")) jobs = arg_long(v, a);
        else if (!strcmp(a, "--task-ms")) task_ms = arg_long(v, a);
        else if (!strcmp(a, "--seed")) seed = arg_long(v, a);
        else if (!strcmp(a, "--burn")) burn = arg_long(v, a);
        else if (!strcmp(a, "--name")) name = v;
        else { fprintf(stderr, "unknown option %s\n", a); return 2; }
    }
    if (burn >= 0) {
        prctl(PR_SET_NAME, name, 0, 0, 0);
        burn_cpu_ns((uint64_t)burn * 1000000ull);
        return 0;
    }
    if (waves < 1 || width < 1 || waves * width > 4096 || jobs < 1) {
        fprintf(stderr, "need 1..4096 tasks and at least one job slot\n");
        return 2;
    }
    long n = waves * width;
    struct node *nodes = calloc((size_t)n, sizeof *nodes);
    uint64_t rng = (uint64_t)seed * 6364136223846793005ull + 1442695040888963407ull;
    double total_ms = 0;
    for (long i = 0; i < n; i++) {
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        nodes[i].burn_ms = task_ms / 2 + (long)((rng >> 33) % (uint64_t)(task_ms + 1));
        total_ms += (double)nodes[i].burn_ms;
    }
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len < 0) die_errno("readlink /proc/self/exe");
    self[len] = 0;

    uint64_t start = now_ns();
    long running = 0, done = 0;
    while (done < n) {
        for (long i = 0; i < n && running < jobs; i++) {
            struct node *t = &nodes[i];
            if (t->state != 0) continue;
            long w = i / width, k = i % width;
            if (w > 0 && (nodes[(w - 1) * width + k].state != 2 || nodes[(w - 1) * width + (k + 1) % width].state != 2)) continue;
            char burn_arg[32], name_arg[16];
            snprintf(burn_arg, sizeof burn_arg, "%ld", t->burn_ms);
            snprintf(name_arg, sizeof name_arg, "bl-w%ld-%ld", w, k);
            pid_t pid = fork();
            if (pid < 0) die_errno("fork");
            if (pid == 0) {
                execl(self, self, "--burn", burn_arg, "--name", name_arg, (char *)NULL);
                _exit(127);
            }
            t->pid = pid;
            t->state = 1;
            t->start_ms = (double)(now_ns() - start) / 1e6;
            running++;
        }
        int status;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) { if (errno == EINTR) continue; die_errno("waitpid"); }
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "task %d failed\n", pid); return 1; }
        for (long i = 0; i < n; i++)
            if (nodes[i].state == 1 && nodes[i].pid == pid) {
                nodes[i].state = 2;
                nodes[i].end_ms = (double)(now_ns() - start) / 1e6;
                running--;
                done++;
                break;
            }
    }
    double makespan = (double)(now_ns() - start) / 1e6;
    /* Critical path in CPU work: the longest chain of burns through the DAG. */
    double critical = 0, task_sum = 0;
    for (long i = 0; i < n; i++) {
        long w = i / width, k = i % width;
        double before = 0;
        if (w > 0) {
            double a = nodes[(w - 1) * width + k].path_ms, b = nodes[(w - 1) * width + (k + 1) % width].path_ms;
            before = a > b ? a : b;
        }
        nodes[i].path_ms = before + (double)nodes[i].burn_ms;
        if (nodes[i].path_ms > critical) critical = nodes[i].path_ms;
        task_sum += nodes[i].end_ms - nodes[i].start_ms;
    }
    printf("{\"workload\":\"buildlike\",\"tasks\":%ld,\"waves\":%ld,\"width\":%ld,\"jobs\":%ld,\"task_ms\":%ld,"
           "\"makespan_ms\":%.3f,\"critical_path_ms\":%.3f,\"total_work_ms\":%.3f,\"mean_task_wall_ms\":%.3f}\n",
           n, waves, width, jobs, task_ms, makespan, critical, total_ms, task_sum / (double)n);
    free(nodes);
    return 0;
}
