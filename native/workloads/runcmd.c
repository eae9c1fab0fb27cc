/* runcmd: turns any command into a benchmark workload. Runs PROGRAM with its arguments, waits for it and prints one
 * JSON object: the wall time from start to exit (makespan), the CPU time of the whole process tree it reaped, and
 * its context switches, so `schedcp optimize -- PROGRAM ...` can compare schedulers on it.
 *
 *   runcmd [-C DIR] [-e NAME=VALUE]... PROGRAM [ARGS...]
 *
 * -C runs PROGRAM in DIR; each -e sets one environment variable. Both are applied in the child with chdir and setenv,
 * never through a shell, so a value is taken exactly as given. A PROGRAM cannot start with '-', so options end at it.
 *
 * A PROGRAM without '/' is looked up next to runcmd first (where the sandbox stages a user's executable), then on
 * PATH (busybox applets such as sh in the guest). The command's standard output is sent to standard error, so
 * standard output holds the JSON alone. The exit status is PROGRAM's; a non-zero status still prints
 * the JSON, with "exit_code", so the caller can report what failed. */
#include "common.h"
#include <libgen.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *dir = NULL;
    int first = 1;
    while (first + 1 < argc && argv[first][0] == '-') {
        if (strcmp(argv[first], "-C") == 0) {
            dir = argv[first + 1];
        } else if (strcmp(argv[first], "-e") == 0) {
            if (!strchr(argv[first + 1], '=') || argv[first + 1][0] == '=') {
                fprintf(stderr, "runcmd: -e needs NAME=VALUE, got '%s'\n", argv[first + 1]);
                return 2;
            }
        } else {
            break;
        }
        first += 2;
    }
    if (first >= argc || argv[first][0] == '-') {
        fprintf(stderr, "usage: runcmd [-C DIR] [-e NAME=VALUE]... PROGRAM [ARGS...]\n");
        return 2;
    }
    char path[4096];
    const char *program = argv[first];
    if (!strchr(program, '/')) {
        char self[4096];
        ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
        if (len > 0) {
            self[len] = 0;
            snprintf(path, sizeof path, "%s/%s", dirname(self), program);
            if (access(path, X_OK) == 0) program = path;
        }
    }

    uint64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0) die_errno("fork");
    if (pid == 0) {
        /* Standard output carries only runcmd's JSON: the command's own output goes to standard error. */
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0) _exit(127);
        for (int i = 1; i < first; i += 2) {
            if (strcmp(argv[i], "-e") != 0) continue;
            char *eq = strchr(argv[i + 1], '=');
            *eq = 0;
            if (setenv(argv[i + 1], eq + 1, 1) != 0) {
                fprintf(stderr, "runcmd: cannot set %s: %s\n", argv[i + 1], strerror(errno));
                _exit(127);
            }
        }
        if (dir && chdir(dir) != 0) {
            fprintf(stderr, "runcmd: cannot enter %s: %s\n", dir, strerror(errno));
            _exit(127);
        }
        execvp(program, argv + first);
        fprintf(stderr, "runcmd: cannot run %s: %s\n", argv[first], strerror(errno));
        _exit(127);
    }
    int status;
    struct rusage usage;
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) die_errno("wait4");
    }
    double makespan_ms = (double)(now_ns() - start) / 1e6;
    /* The children's totals include every descendant the command waited for. */
    struct rusage children;
    getrusage(RUSAGE_CHILDREN, &children);
    double cpu_ms = (double)(children.ru_utime.tv_sec + children.ru_stime.tv_sec) * 1e3
        + (double)(children.ru_utime.tv_usec + children.ru_stime.tv_usec) / 1e3;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    printf("{\"workload\":\"command\",\"makespan_ms\":%.3f,\"cpu_ms\":%.3f,\"voluntary_switches\":%ld,"
           "\"involuntary_switches\":%ld,\"exit_code\":%d}\n",
           makespan_ms, cpu_ms, children.ru_nvcsw, children.ru_nivcsw, code);
    return code;
}
