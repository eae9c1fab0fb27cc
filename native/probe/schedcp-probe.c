// SPDX-License-Identifier: MIT
/*
 * schedcp-probe: runs the project's run-queue latency probe (bpf/probes/runqlat.bpf.c) system-wide for a duration
 * or while a command runs, then prints what it measured as one JSON object on one line:
 *
 *   {"event":"histograms","duration_ms":...,"command_status":0,"dropped":0,
 *    "runq_latency_us":{"count":N,"sum":S,"slots":[...]},
 *    "per_comm":[{"comm":"sh","count":N,"sum":S,"slots":[...]},...],
 *    "process_lifetime_us":{...},"thread_lifetime_us":{...},"command_pid":P,"tasks_lost":0}
 *
 * With --tasks PATH it also writes one JSON line per task that exited while attached (forked, exec'd, switched,
 * woken and exited however briefly): see struct task_record in runqlat.bpf.c and print_task below.
 *
 * Slot i counts values v (microseconds) with floor(log2(v)) == i (slot 0 also holds 0); trailing empty slots are
 * left out. Failures are {"event":"error","stage":"...","message":"..."}.
 *
 * Exit status: 0 measured (whatever the command's own status), 2 bad arguments, 3 the object could not be opened,
 * 4 the kernel refused to load it, 5 attach failed, 6 the command could not be started.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define EXIT_USAGE 2
#define EXIT_OPEN 3
#define EXIT_LOAD 4
#define EXIT_ATTACH 5
#define EXIT_COMMAND 6

#define MAX_SLOTS 32
#define LOG_CAP (1u << 20)

/* Mirrors struct hist in runqlat.bpf.c. */
struct hist {
	uint64_t slots[MAX_SLOTS];
	uint64_t count;
	uint64_t sum_us;
};

#define ARGS_CAP 256
#define PATH_CAP 96

/* Mirrors struct task_record in runqlat.bpf.c. */
struct task_record {
	uint32_t pid;
	uint32_t tgid;
	uint32_t parent_pid;
	uint32_t parent_tgid;
	uint32_t fork_index;
	uint32_t flags;
	uint32_t top_waker;
	uint32_t argv_len;
	uint64_t start_ns;
	uint64_t exit_ns;
	uint64_t cpu_ns;
	uint64_t run_delay_ns;
	uint64_t nvcsw;
	uint64_t nivcsw;
	uint64_t wakeups;
	int32_t exit_code;
	uint32_t pad;
	char comm[16];
	char parent_comm[16];
	char exec_path[PATH_CAP];
	char args[ARGS_CAP];
};

static volatile sig_atomic_t stop_signal;
static FILE *tasks_out;
static uint64_t tasks_written;
static char log_buf[LOG_CAP];
static size_t log_len;

static void on_signal(int sig) { stop_signal = sig; }

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void emit_error(FILE *out, const char *stage, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("{\"event\":\"error\",\"stage\":", out);
	json_str(out, stage);
	fputs(",\"message\":", out);
	json_str(out, msg);
	fputs("}\n", out);
	fflush(out);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int n;
	if (level == LIBBPF_DEBUG || log_len >= LOG_CAP - 1)
		return 0;
	n = vsnprintf(log_buf + log_len, LOG_CAP - log_len, fmt, ap);
	if (n > 0)
		log_len = log_len + n < LOG_CAP ? log_len + n : LOG_CAP - 1;
	return n;
}

/* A fixed-size field that may lack its terminating NUL. */
static void json_field(FILE *f, const char *s, size_t cap)
{
	char buf[PATH_CAP + 1];
	size_t n = cap < sizeof(buf) - 1 ? cap : sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	json_str(f, buf);
}

/* argv's first bytes as JSON strings, one per NUL-terminated argument; a cut-off last one is printed as far as read. */
static void print_argv(FILE *f, const char *args, size_t n)
{
	char buf[ARGS_CAP + 1];
	size_t i = 0;
	int first = 1;
	while (i < n) {
		size_t len = strnlen(args + i, n - i);
		memcpy(buf, args + i, len);
		buf[len] = '\0';
		if (!first)
			fputc(',', f);
		json_str(f, buf);
		first = 0;
		i += len + 1;
	}
}

static int print_task(void *ctx, void *data, size_t size)
{
	const struct task_record *r = data;
	FILE *f = tasks_out;
	if (size < sizeof(*r) || !f)
		return 0;
	fprintf(f, "{\"pid\":%u,\"tgid\":%u,\"parent_pid\":%u,\"parent_tgid\":%u,\"fork_index\":%u,\"execed\":%s,",
		r->pid, r->tgid, r->parent_pid, r->parent_tgid, r->fork_index, (r->flags & 1) ? "true" : "false");
	fputs("\"comm\":", f);
	json_field(f, r->comm, sizeof(r->comm));
	fputs(",\"parent_comm\":", f);
	json_field(f, r->parent_comm, sizeof(r->parent_comm));
	fputs(",\"exec\":", f);
	json_field(f, r->exec_path, sizeof(r->exec_path));
	fputs(",\"argv\":[", f);
	print_argv(f, r->args, r->argv_len < sizeof(r->args) - 1 ? r->argv_len : sizeof(r->args) - 1);
	fprintf(f, "],\"argv_len\":%u,\"start_ns\":%llu,\"exit_ns\":%llu,\"cpu_ns\":%llu,"
		   "\"run_delay_ns\":%llu,\"nvcsw\":%llu,\"nivcsw\":%llu,\"wakeups\":%llu,\"top_waker\":%u,\"exit_code\":%d}\n",
		r->argv_len, (unsigned long long)r->start_ns,
		(unsigned long long)r->exit_ns, (unsigned long long)r->cpu_ns, (unsigned long long)r->run_delay_ns,
		(unsigned long long)r->nvcsw, (unsigned long long)r->nivcsw, (unsigned long long)r->wakeups, r->top_waker,
		r->exit_code);
	tasks_written++;
	return 0;
}

static void print_hist(FILE *out, const struct hist *h)
{
	int last = -1, i;
	for (i = 0; i < MAX_SLOTS; i++)
		if (h->slots[i])
			last = i;
	fprintf(out, "\"count\":%llu,\"sum\":%llu,\"slots\":[", (unsigned long long)h->count,
		(unsigned long long)h->sum_us);
	for (i = 0; i <= last; i++)
		fprintf(out, "%s%llu", i ? "," : "", (unsigned long long)h->slots[i]);
	fputc(']', out);
}

/* The object next to this binary: <toolchain>/bin/schedcp-probe → <toolchain>/probes/runqlat.bpf.o. */
static const char *default_object(char *buf, size_t cap)
{
	char self[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;
	if (n <= 0)
		return NULL;
	self[n] = '\0';
	if (!(slash = strrchr(self, '/')))
		return NULL;
	*slash = '\0';
	snprintf(buf, cap, "%s/../probes/runqlat.bpf.o", self);
	return buf;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: schedcp-probe [options] [-- COMMAND [ARGS...]]\n"
		"  --duration SECS   measure for SECS seconds (default: while COMMAND runs, else until SIGINT/SIGTERM)\n"
		"  --object PATH     the probe object (default: ../probes/runqlat.bpf.o next to this binary)\n"
		"  --output PATH     write the JSON line to PATH instead of stdout\n"
		"  --tasks PATH      write one JSON line per task that exits while attached to PATH\n"
		"COMMAND inherits stdin, stdout and stderr; its exit status is reported as command_status.\n");
}

int main(int argc, char **argv)
{
	const char *object = NULL, *output = NULL, *tasks_path = NULL;
	struct ring_buffer *rb = NULL;
	char objbuf[PATH_MAX];
	double duration_s = 0, t_attach;
	char **command = NULL;
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct bpf_link *links[16];
	struct bpf_map *hists, *comms, *counters, *records;
	int nlinks = 0, i, err, status = -1;
	pid_t child = -1, child_pid = 0;
	FILE *out = stdout;
	char *end;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			if (i + 1 < argc)
				command = argv + i + 1;
			break;
		} else if (!strcmp(a, "--duration") && i + 1 < argc) {
			duration_s = strtod(argv[++i], &end);
			if (*end || duration_s <= 0) {
				emit_error(stdout, "arguments", "--duration needs seconds > 0; got '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--object") && i + 1 < argc) {
			object = argv[++i];
		} else if (!strcmp(a, "--output") && i + 1 < argc) {
			output = argv[++i];
		} else if (!strcmp(a, "--tasks") && i + 1 < argc) {
			tasks_path = argv[++i];
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return 0;
		} else {
			emit_error(stdout, "arguments", "unexpected argument '%s'; see --help", a);
			return EXIT_USAGE;
		}
	}
	if (output && !(out = fopen(output, "w"))) {
		emit_error(stdout, "arguments", "cannot write '%s': %s", output, strerror(errno));
		return EXIT_USAGE;
	}
	if (tasks_path && !(tasks_out = fopen(tasks_path, "w"))) {
		emit_error(out, "arguments", "cannot write '%s': %s", tasks_path, strerror(errno));
		return EXIT_USAGE;
	}
	if (!object && !(object = default_object(objbuf, sizeof(objbuf)))) {
		emit_error(out, "arguments", "cannot find the probe object next to this binary; pass --object");
		return EXIT_USAGE;
	}

	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	obj = bpf_object__open_file(object, NULL);
	if (!obj) {
		emit_error(out, "open", "cannot open probe object '%s': %s. %s", object, strerror(errno), log_buf);
		return EXIT_OPEN;
	}
	err = bpf_object__load(obj);
	if (err) {
		emit_error(out, "load", "the kernel refused the probe (%s): %s", strerror(-err), log_buf);
		return EXIT_LOAD;
	}
	bpf_object__for_each_program(prog, obj) {
		if (nlinks == (int)(sizeof(links) / sizeof(links[0])))
			break;
		links[nlinks] = bpf_program__attach(prog);
		if (!links[nlinks]) {
			emit_error(out, "attach", "cannot attach '%s' (%s): %s", bpf_program__name(prog), strerror(errno),
				   log_buf);
			return EXIT_ATTACH;
		}
		nlinks++;
	}
	hists = bpf_object__find_map_by_name(obj, "hists");
	comms = bpf_object__find_map_by_name(obj, "comm_hists");
	counters = bpf_object__find_map_by_name(obj, "counters");
	records = bpf_object__find_map_by_name(obj, "task_records");
	if (!hists || !comms || !counters || !records) {
		emit_error(out, "open", "'%s' is not the runqlat probe: it lacks the hists, comm_hists, counters or task_records map", object);
		return EXIT_OPEN;
	}
	if (tasks_out && !(rb = ring_buffer__new(bpf_map__fd(records), print_task, NULL, NULL))) {
		emit_error(out, "attach", "cannot read the task records ring buffer: %s", strerror(errno));
		return EXIT_ATTACH;
	}

	t_attach = now_ms();
	if (command) {
		fflush(stdout);
		child = fork();
		if (child == 0) {
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			execvp(command[0], command);
			fprintf(stderr, "schedcp-probe: cannot run '%s': %s\n", command[0], strerror(errno));
			_exit(127);
		}
		if (child < 0) {
			emit_error(out, "command", "cannot fork: %s", strerror(errno));
			return EXIT_COMMAND;
		}
		child_pid = child;
	}
	for (;;) {
		if (stop_signal)
			break;
		if (duration_s > 0 && now_ms() - t_attach >= duration_s * 1e3)
			break;
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			break;
		}
		if (rb)
			ring_buffer__poll(rb, child > 0 ? 2 : 20);
		else
			usleep(child > 0 ? 2000 : 20000);
	}
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, &status, 0);
	}
	if (rb)
		ring_buffer__consume(rb);
	{
		double ran = now_ms() - t_attach;
		struct hist h;
		struct { char comm[16]; } key, next;
		const char *names[] = { "runq_latency_us", "process_lifetime_us", "thread_lifetime_us" };
		uint64_t dropped = 0, tasks_lost = 0;
		uint32_t which;
		int first = 1;

		for (i = 0; i < nlinks; i++)
			bpf_link__destroy(links[i]);
		if (rb) {
			ring_buffer__consume(rb);
			ring_buffer__free(rb);
		}
		if (tasks_out)
			fclose(tasks_out);
		which = 0;
		bpf_map_lookup_elem(bpf_map__fd(counters), &which, &dropped);
		which = 1;
		bpf_map_lookup_elem(bpf_map__fd(counters), &which, &tasks_lost);
		fprintf(out, "{\"event\":\"histograms\",\"duration_ms\":%.1f,\"command_status\":", ran);
		if (!command)
			fputs("null", out);
		else
			fprintf(out, "%d", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		fprintf(out, ",\"dropped\":%llu", (unsigned long long)dropped);
		for (i = 0; i < 3; i++) {
			__u32 k = i;
			memset(&h, 0, sizeof(h));
			bpf_map_lookup_elem(bpf_map__fd(hists), &k, &h);
			fprintf(out, ",\"%s\":{", names[i]);
			print_hist(out, &h);
			fputc('}', out);
		}
		fputs(",\"per_comm\":[", out);
		while (!bpf_map_get_next_key(bpf_map__fd(comms), first ? NULL : &key, &next)) {
			char comm[17];
			key = next;
			if (bpf_map_lookup_elem(bpf_map__fd(comms), &key, &h))
				continue;
			memcpy(comm, key.comm, 16);
			comm[16] = '\0';
			fputs(first ? "{\"comm\":" : ",{\"comm\":", out);
			json_str(out, comm);
			fputc(',', out);
			print_hist(out, &h);
			fputc('}', out);
			first = 0;
		}
		fprintf(out, "],\"command_pid\":%d,\"tasks_lost\":%llu,\"tasks_written\":%llu}\n", command ? (int)child_pid : 0,
			(unsigned long long)tasks_lost, (unsigned long long)tasks_written);
	}
	if (out != stdout)
		fclose(out);
	bpf_object__close(obj);
	return 0;
}
