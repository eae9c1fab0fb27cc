// SPDX-License-Identifier: MIT
/*
 * schedcp-loader: a generic loader for sched_ext BPF objects.
 *
 * Opens any sched_ext .bpf.o, sets read-only (.rodata) variables before load (this is how
 * parameters reach BPF-object schedulers), runs the kernel verifier, attaches the struct_ops
 * link and reports what happens as one JSON object per line on stdout:
 *
 *   {"event":"opened",...}  {"event":"rodata",...}  {"event":"loaded",...}
 *   {"event":"load_failed",...,"log":"<verifier log>"}  {"event":"attached",...}
 *   {"event":"exited","kind":1026,"kind_name":"ERROR_STALL",...}  {"event":"detached",...}
 *   {"event":"error","stage":"...","message":"..."}
 *
 * Exit status: 0 success, 2 bad arguments or unknown variable, 3 object could not be opened,
 * 4 kernel verifier rejected the object, 5 attach failed, 6 the scheduler exited with an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define EXIT_USAGE 2
#define EXIT_OPEN 3
#define EXIT_LOAD 4
#define EXIT_ATTACH 5
#define EXIT_SCHED_ERROR 6

#define MAX_SETS 64
#define LOG_CAP (4u << 20)

/* Mirrors tools/sched_ext/include/scx/user_exit_info.h. */
struct user_exit_info {
	int kind;
	int64_t exit_code;
	char reason[128];
	char msg[1024];
};

struct rodata_set {
	const char *name;
	const char *value;
};

static volatile sig_atomic_t stop_signal;
static char *log_buf;
static size_t log_len;
static bool verbose;

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
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void emit_error(const char *stage, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("{\"event\":\"error\",\"stage\":", stdout);
	json_str(stdout, stage);
	fputs(",\"message\":", stdout);
	json_str(stdout, msg);
	fputs("}\n", stdout);
	fflush(stdout);
}

/* Keeps everything libbpf says (the verifier log included) for the load_failed event. */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[8192];
	va_list copy;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(line, sizeof(line), fmt, copy);
	va_end(copy);
	if (n < 0)
		return n;
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (level != LIBBPF_DEBUG || verbose) {
		if (log_len + n + 1 < LOG_CAP) {
			memcpy(log_buf + log_len, line, n);
			log_len += n;
			log_buf[log_len] = '\0';
		}
	}
	if (verbose)
		fputs(line, stderr);
	return n;
}

static const char *exit_kind_name(int kind)
{
	switch (kind) {
	case 0: return "NONE";
	case 1: return "DONE";
	case 64: return "UNREG";
	case 65: return "UNREG_BPF";
	case 66: return "UNREG_KERN";
	case 67: return "SYSRQ";
	case 68: return "PARENT";
	case 1024: return "ERROR";
	case 1025: return "ERROR_BPF";
	case 1026: return "ERROR_STALL";
	default: return "UNKNOWN";
	}
}

static const struct btf_type *skip_mods(const struct btf *btf, __u32 id, __u32 *out_id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	if (out_id)
		*out_id = id;
	return t;
}

/* Finds a variable of a data section (".rodata", ".data", ...) by name in the object's BTF. */
static int find_datasec_var(const struct btf *btf, const char *sec, const char *name,
			    __u32 *offset, __u32 *size, const struct btf_type **type)
{
	int sec_id = btf__find_by_name_kind(btf, sec, BTF_KIND_DATASEC);
	const struct btf_type *ds;
	const struct btf_var_secinfo *vsi;
	int i;

	if (sec_id < 0)
		return -ENOENT;
	ds = btf__type_by_id(btf, sec_id);
	vsi = btf_var_secinfos(ds);
	for (i = 0; i < btf_vlen(ds); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		if (strcmp(btf__name_by_offset(btf, var->name_off), name))
			continue;
		*offset = vsi->offset;
		*size = vsi->size;
		*type = skip_mods(btf, var->type, NULL);
		return 0;
	}
	return -ENOENT;
}

static void list_rodata(const struct btf *btf, char *out, size_t cap)
{
	int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	const struct btf_type *ds;
	const struct btf_var_secinfo *vsi;
	size_t used = 0;
	int i;

	out[0] = '\0';
	if (sec_id < 0)
		return;
	ds = btf__type_by_id(btf, sec_id);
	vsi = btf_var_secinfos(ds);
	for (i = 0; i < btf_vlen(ds); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		used += snprintf(out + used, used < cap ? cap - used : 0, "%s%s", used ? ", " : "",
				 btf__name_by_offset(btf, var->name_off));
	}
}

/* Writes one .rodata variable into the map's initial image; the kernel sees it frozen. */
static int set_rodata(struct bpf_object *obj, const struct rodata_set *set)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *t;
	struct bpf_map *map;
	__u32 off, size;
	size_t map_sz;
	char *data, names[2048], *end;

	if (!btf || find_datasec_var(btf, ".rodata", set->name, &off, &size, &t)) {
		if (btf)
			list_rodata(btf, names, sizeof(names));
		else
			names[0] = '\0';
		emit_error("rodata", "unknown .rodata variable '%s'; this object declares: %s", set->name,
			   names[0] ? names : "(none)");
		return -ENOENT;
	}
	map = bpf_object__find_map_by_name(obj, ".rodata");
	if (!map || !(data = bpf_map__initial_value(map, &map_sz)) || off + size > map_sz) {
		emit_error("rodata", "object has no usable .rodata map for '%s'", set->name);
		return -EINVAL;
	}

	if (btf_is_int(t) || btf_is_enum(t) || btf_is_enum64(t)) {
		bool is_bool = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_BOOL);
		bool is_signed = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED);
		long long sv = 0;
		unsigned long long uv = 0;

		errno = 0;
		if (is_bool && (!strcmp(set->value, "true") || !strcmp(set->value, "false"))) {
			uv = !strcmp(set->value, "true");
			end = "";
		} else if (is_signed) {
			sv = strtoll(set->value, &end, 0);
			uv = (unsigned long long)sv;
		} else {
			if (set->value[0] == '-') {
				emit_error("rodata", "variable '%s' is unsigned; '%s' is negative", set->name, set->value);
				return -ERANGE;
			}
			uv = strtoull(set->value, &end, 0);
		}
		if (errno || *end || !set->value[0]) {
			emit_error("rodata", "variable '%s' needs an integer%s; got '%s'", set->name,
				   is_bool ? " or true/false" : "", set->value);
			return -EINVAL;
		}
		if (size < 8) {
			unsigned long long bits = size * 8;
			bool fits = is_signed ? (sv >= -(1LL << (bits - 1)) && sv < (1LL << (bits - 1)))
					      : uv < (1ULL << bits);
			if (is_bool)
				fits = uv <= 1;
			if (!fits) {
				emit_error("rodata", "value %s does not fit variable '%s' (%u bytes%s)", set->value,
					   set->name, size, is_signed ? ", signed" : "");
				return -ERANGE;
			}
		}
		memcpy(data + off, &uv, size); /* little-endian: the low bytes first */
	} else if (btf_is_array(t)) {
		size_t n = strlen(set->value);
		if (n >= size) {
			emit_error("rodata", "string for '%s' is %zu bytes; the array holds %u", set->name, n, size - 1);
			return -ERANGE;
		}
		memset(data + off, 0, size);
		memcpy(data + off, set->value, n);
	} else {
		emit_error("rodata", "variable '%s' has a type this loader cannot set (BTF kind %u)", set->name,
			   btf_kind(t));
		return -EINVAL;
	}
	fputs("{\"event\":\"rodata\",\"name\":", stdout);
	json_str(stdout, set->name);
	fputs(",\"value\":", stdout);
	json_str(stdout, set->value);
	printf(",\"size\":%u}\n", size);
	return 0;
}

/* Finds an integer member of the struct_ops value (hotplug_seq, timeout_ms, exit_dump_len) in the map's image. */
static void *find_ops_member(struct bpf_object *obj, struct bpf_map *ops, const char *member, __u32 *size)
{
	const struct btf *btf = bpf_object__btf(obj);
	const struct btf_type *st = skip_mods(btf, bpf_map__btf_value_type_id(ops), NULL);
	const struct btf_member *m;
	size_t sz;
	char *data = bpf_map__initial_value(ops, &sz);
	int i;

	if (!st || !btf_is_struct(st) || !data)
		return NULL;
	m = btf_members(st);
	for (i = 0; i < btf_vlen(st); i++, m++) {
		const struct btf_type *mt;
		__u32 off;
		if (strcmp(btf__name_by_offset(btf, m->name_off), member))
			continue;
		mt = skip_mods(btf, m->type, NULL);
		off = btf_member_bit_offset(st, i) / 8;
		if (!btf_is_int(mt) || off + mt->size > sz || mt->size > 8)
			return NULL;
		*size = mt->size;
		return data + off;
	}
	return NULL;
}

static int set_ops_member(struct bpf_object *obj, struct bpf_map *ops, const char *member, unsigned long long value)
{
	__u32 size;
	void *at = find_ops_member(obj, ops, member, &size);

	if (!at)
		return -ENOENT;
	memcpy(at, &value, size); /* little-endian: the low bytes first */
	return 0;
}

static unsigned long long read_ops_member(struct bpf_object *obj, struct bpf_map *ops, const char *member)
{
	unsigned long long v = 0;
	__u32 size;
	void *at = find_ops_member(obj, ops, member, &size);

	if (at)
		memcpy(&v, at, size);
	return v;
}

static long read_sysfs_long(const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	ssize_t n;
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	return n > 0 ? strtol(buf, NULL, 10) : -1;
}

static bool read_state(char *buf, size_t cap)
{
	int fd = open("/sys/kernel/sched_ext/state", O_RDONLY);
	ssize_t n;
	if (fd < 0)
		return false;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return true;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: schedcp-loader [options] OBJECT.bpf.o\n"
		"  --ops NAME          struct_ops map to attach (default: the only one in the object)\n"
		"  --set NAME=VALUE    set a .rodata variable before load (repeatable)\n"
		"  --timeout-ms N      override ops.timeout_ms (the watchdog)\n"
		"  --dump-len N        bytes of the exit debug dump to keep (default 8192)\n"
		"  --load-only         run the kernel verifier and exit without attaching\n"
		"  --duration SECS     detach after SECS seconds (default: until SIGINT/SIGTERM or exit)\n"
		"  --verbose           copy libbpf's log to stderr\n");
}

int main(int argc, char **argv)
{
	struct rodata_set sets[MAX_SETS];
	int nsets = 0, i, err, rc = 0;
	const char *path = NULL, *ops_name = NULL;
	bool load_only = false;
	long timeout_ms = -1, dump_len = 8192;
	double duration_s = 0, t0, t_load, t_attach;
	struct bpf_object *obj;
	struct bpf_map *map, *ops = NULL, *data_map, *dump_map;
	struct bpf_program *prog;
	struct bpf_link *link = NULL;
	struct user_exit_info *uei = NULL;
	char *dump = NULL, *end;
	__u32 uei_off = 0, uei_size = 0, dl_off, dl_size;
	const struct btf_type *vt;
	const struct btf *btf;
	int nops = 0;
	char state[64];

	setvbuf(stdout, NULL, _IOLBF, 0);
	log_buf = calloc(1, LOG_CAP);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--ops") && i + 1 < argc) {
			ops_name = argv[++i];
		} else if (!strcmp(a, "--set") && i + 1 < argc) {
			char *kv = argv[++i], *eq = strchr(kv, '=');
			if (!eq || eq == kv || nsets == MAX_SETS) {
				emit_error("arguments", "--set needs NAME=VALUE (at most %d); got '%s'", MAX_SETS, kv);
				return EXIT_USAGE;
			}
			*eq = '\0';
			sets[nsets].name = kv;
			sets[nsets++].value = eq + 1;
		} else if (!strcmp(a, "--timeout-ms") && i + 1 < argc) {
			timeout_ms = strtol(argv[++i], &end, 10);
			if (*end || timeout_ms <= 0) {
				emit_error("arguments", "--timeout-ms needs a positive integer; got '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--dump-len") && i + 1 < argc) {
			dump_len = strtol(argv[++i], &end, 10);
			if (*end || dump_len < 0 || dump_len > (1 << 20)) {
				emit_error("arguments", "--dump-len needs 0..1048576; got '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--duration") && i + 1 < argc) {
			duration_s = strtod(argv[++i], &end);
			if (*end || duration_s < 0) {
				emit_error("arguments", "--duration needs seconds >= 0; got '%s'", argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(a, "--load-only")) {
			load_only = true;
		} else if (!strcmp(a, "--verbose")) {
			verbose = true;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage();
			return 0;
		} else if (a[0] == '-' || path) {
			emit_error("arguments", "unexpected argument '%s'; see --help", a);
			return EXIT_USAGE;
		} else {
			path = a;
		}
	}
	if (!path) {
		usage();
		emit_error("arguments", "no BPF object given");
		return EXIT_USAGE;
	}

	libbpf_set_print(libbpf_print);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	t0 = now_ms();
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		err = -errno;
		emit_error("open", "cannot open BPF object '%s': %s. %s", path, strerror(-err),
			   log_buf[0] ? log_buf : "");
		return EXIT_OPEN;
	}
	btf = bpf_object__btf(obj);

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		nops++;
		if (!ops_name || !strcmp(bpf_map__name(map), ops_name))
			ops = ops ? ops : map;
	}
	if (!nops) {
		emit_error("open", "object '%s' defines no struct_ops map: it is not a sched_ext scheduler", path);
		return EXIT_OPEN;
	}
	if (!ops) {
		emit_error("open", "object has no struct_ops map named '%s'", ops_name);
		return EXIT_OPEN;
	}
	if (!ops_name && nops > 1) {
		emit_error("open", "object has %d struct_ops maps; choose one with --ops", nops);
		return EXIT_OPEN;
	}

	fputs("{\"event\":\"opened\",\"object\":", stdout);
	json_str(stdout, path);
	fputs(",\"ops_map\":", stdout);
	json_str(stdout, bpf_map__name(ops));
	fputs(",\"programs\":[", stdout);
	i = 0;
	bpf_object__for_each_program(prog, obj) {
		fputs(i++ ? "," : "", stdout);
		json_str(stdout, bpf_program__name(prog));
	}
	fputs("]}\n", stdout);

	for (i = 0; i < nsets; i++)
		if (set_rodata(obj, &sets[i]))
			return EXIT_USAGE;

	/* The same preparation the kernel's SCX_OPS_OPEN/SCX_OPS_LOAD do, generically. */
	{
		long hp = read_sysfs_long("/sys/kernel/sched_ext/hotplug_seq");
		if (hp >= 0)
			set_ops_member(obj, ops, "hotplug_seq", (unsigned long long)hp);
	}
	if (timeout_ms > 0 && set_ops_member(obj, ops, "timeout_ms", (unsigned long long)timeout_ms)) {
		emit_error("arguments", "this kernel's sched_ext_ops has no timeout_ms member");
		return EXIT_USAGE;
	}
	if (btf && !find_datasec_var(btf, ".rodata", "uei_dump_len", &dl_off, &dl_size, &vt)) {
		size_t sz;
		char *ro = bpf_map__initial_value(bpf_object__find_map_by_name(obj, ".rodata"), &sz);
		unsigned long long want = read_ops_member(obj, ops, "exit_dump_len");
		__u32 len = (__u32)(want ? want : (unsigned long long)dump_len);
		dump_map = bpf_object__find_map_by_name(obj, ".data.uei_dump");
		if (ro && dump_map && len > 0 && !bpf_map__set_value_size(dump_map, len))
			memcpy(ro + dl_off, &len, dl_size < 4 ? dl_size : 4);
	}

	err = bpf_object__load(obj);
	t_load = now_ms();
	if (err) {
		fputs("{\"event\":\"load_failed\",\"errno\":", stdout);
		printf("%d,\"error\":", -err);
		json_str(stdout, strerror(-err));
		fputs(",\"log\":", stdout);
		json_str(stdout, log_buf);
		fputs("}\n", stdout);
		return EXIT_LOAD;
	}

	fputs("{\"event\":\"loaded\",\"load_ms\":", stdout);
	printf("%.1f,\"programs\":[", t_load - t0);
	i = 0;
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {0};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);
		if (fd < 0 || bpf_prog_get_info_by_fd(fd, &info, &len))
			continue;
		fputs(i++ ? "," : "", stdout);
		fputs("{\"name\":", stdout);
		json_str(stdout, bpf_program__name(prog));
		printf(",\"insns\":%u,\"verified_insns\":%u,\"jited_bytes\":%u}", info.xlated_prog_len / 8,
		       info.verified_insns, info.jited_prog_len);
	}
	fputs("]}\n", stdout);

	if (load_only) {
		bpf_object__close(obj);
		return 0;
	}

	if (btf && !find_datasec_var(btf, ".data", "uei", &uei_off, &uei_size, &vt) &&
	    uei_size >= sizeof(struct user_exit_info)) {
		size_t sz;
		data_map = bpf_object__find_map_by_name(obj, ".data");
		char *d = data_map ? bpf_map__initial_value(data_map, &sz) : NULL;
		if (d && uei_off + sizeof(*uei) <= sz)
			uei = (struct user_exit_info *)(d + uei_off);
		dump_map = bpf_object__find_map_by_name(obj, ".data.uei_dump");
		if (dump_map)
			dump = bpf_map__initial_value(dump_map, &sz);
	}

	link = bpf_map__attach_struct_ops(ops);
	t_attach = now_ms();
	if (!link) {
		err = -errno;
		fputs("{\"event\":\"attach_failed\",\"errno\":", stdout);
		printf("%d,\"error\":", -err);
		json_str(stdout, strerror(-err));
		fputs(",\"log\":", stdout);
		json_str(stdout, log_buf);
		fputs("}\n", stdout);
		return EXIT_ATTACH;
	}
	read_state(state, sizeof(state));
	printf("{\"event\":\"attached\",\"attach_ms\":%.1f,\"state\":", t_attach - t_load);
	json_str(stdout, state);
	printf(",\"enable_seq\":%ld,\"exit_info\":%s}\n", read_sysfs_long("/sys/kernel/sched_ext/enable_seq"),
	       uei ? "true" : "false");

	/* Wait for a signal, the duration, or the kernel ending the scheduler. */
	for (;;) {
		if (stop_signal)
			break;
		if (duration_s > 0 && now_ms() - t_attach >= duration_s * 1e3)
			break;
		if (uei ? __sync_val_compare_and_swap(&uei->kind, -1, -1) != 0
			: (read_state(state, sizeof(state)) && strcmp(state, "enabled")))
			break;
		usleep(20 * 1000);
	}

	{
		const char *why = stop_signal == SIGINT ? "SIGINT" : stop_signal == SIGTERM ? "SIGTERM"
				: (duration_s > 0 && !(uei && uei->kind)) ? "duration" : "scheduler_exit";
		int kind;
		double deadline;

		bpf_link__destroy(link);
		/* ops.exit() runs while the kernel disables the scheduler; give it a moment to record. */
		deadline = now_ms() + 2000;
		while (uei && __sync_val_compare_and_swap(&uei->kind, -1, -1) == 0 && now_ms() < deadline)
			usleep(10 * 1000);
		kind = uei ? uei->kind : -1;
		read_state(state, sizeof(state));
		printf("{\"event\":\"exited\",\"trigger\":\"%s\",\"kind\":%d,\"kind_name\":", why, kind);
		json_str(stdout, uei ? exit_kind_name(kind) : "UNKNOWN");
		printf(",\"exit_code\":%lld,\"reason\":", uei ? (long long)uei->exit_code : 0LL);
		json_str(stdout, uei ? uei->reason : "");
		fputs(",\"message\":", stdout);
		json_str(stdout, uei ? uei->msg : "");
		fputs(",\"dump\":", stdout);
		json_str(stdout, dump ? dump : "");
		fputs(",\"state\":", stdout);
		json_str(stdout, state);
		fputs("}\n", stdout);
		if (kind >= 1024)
			rc = EXIT_SCHED_ERROR;
	}
	printf("{\"event\":\"detached\",\"ran_ms\":%.1f}\n", now_ms() - t_attach);
	bpf_object__close(obj);
	return rc;
}
