/*
 * pvxd-smoke-client: drives a running pvxd (PVX_RUNDIR) without minios.
 *
 *   pvxd-smoke-client boot          one guest: console text, results, shutdown
 *   pvxd-smoke-client badmsg        malformed control datagrams get errors
 *   pvxd-smoke-client cycles N      N create/boot/shutdown/destroy cycles
 *   pvxd-smoke-client timing N      latency of create, run, destroy
 *   pvxd-smoke-client ops           pause, events, rename, params, Dom0 ports
 *   pvxd-smoke-client fuzz N        N random datagrams, each must be answered
 *   pvxd-smoke-client hcbench N     per-call cost of hypercalls with/without pointers
 *
 * The guest is a few hand-assembled bytes of code at 0x10000: it calls
 * xen_version, an unknown hypercall and console_io, stores the results,
 * and shuts down with SHUTDOWN_poweroff. Its domains have the type named
 * by PVX_TEST_TYPE ("pvh", the default, or "pv"), and the code is that
 * platform's: 32-bit PVH entry state (paging off, so pointers are
 * physical) calling with `out`, or 64-bit pv entry state (pvx/pv.h:
 * virtual = physical) calling the hypercall page's stubs, which needs a
 * stack. Exit 0 on success.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include <pvx/pv.h>

#define CODE 0x10000u
#define MSG  0x11000u
#define ARGS 0x12000u
#define STACK_TOP 0x14000u /* pv only */
#define TEXT "hello from the smoke guest\n"

static int fails;
static uint32_t dom_type = PVX_TYPE_PVH;

#define CHECK(cond, ...) do { if (!(cond)) { fprintf(stderr, "FAIL %s:%d: ", \
	__FILE__, __LINE__); fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); \
	fails++; } } while (0)

static uint8_t *emit_mov(uint8_t *p, uint8_t opcode, uint32_t imm)
{
	*p++ = opcode;
	memcpy(p, &imm, 4);
	return p + 4;
}

/* The start_info address for SET_BOOT: PVH takes any (the guest never
 * reads it); pv wants one inside its RAM above PVX_PV_RAM_FLOOR. */
static uint64_t start_info(void)
{
	return dom_type == PVX_TYPE_PV ? ARGS : 0;
}

/* pv starts with rsp = 0: give it a stack for the stub calls. */
static uint8_t *emit_start(uint8_t *p)
{
	return dom_type == PVX_TYPE_PV ? emit_mov(p, 0xBC, STACK_TOP) : p; /* mov $top, %esp */
}

static uint8_t *emit_store_eax(uint8_t *p, uint32_t addr)
{
	uint64_t a64 = addr;

	if (dom_type != PVX_TYPE_PV)
		return emit_mov(p, 0xA3, addr); /* mov %eax, addr */
	*p++ = 0xA3;                        /* 64-bit mode: moffs64 */
	memcpy(p, &a64, 8);
	return p + 8;
}

static uint8_t *emit_hcall(uint8_t *p, uint32_t nr, uint32_t a1, uint32_t a2,
			   uint32_t a3)
{
	p = emit_mov(p, 0xB8, nr);  /* mov $nr, %eax */
	p = emit_mov(p, 0xBF, a1);  /* mov $a1, %edi */
	p = emit_mov(p, 0xBE, a2);  /* mov $a2, %esi */
	p = emit_mov(p, 0xBA, a3);  /* mov $a3, %edx */
	if (dom_type == PVX_TYPE_PV) {
		/* mov $stub, %ecx; call *%rcx (the stub sets eax again) */
		p = emit_mov(p, 0xB9, (uint32_t)(PVX_PV_HYPERCALL_VA + nr * PVX_HYPERCALL_STUB_SIZE));
		*p++ = 0xFF;
		*p++ = 0xD1;
		return p;
	}
	*p++ = 0xE7;                /* out %eax, $0xEB */
	*p++ = 0xEB;
	return p;
}

/* After the shutdown hypercall: nothing more runs, but never fall off. */
static uint8_t *emit_stop(uint8_t *p)
{
	if (dom_type != PVX_TYPE_PV)
		*p++ = 0xF4;        /* hlt */
	*p++ = 0xEB;                /* jmp . / jmp hlt */
	*p++ = dom_type != PVX_TYPE_PV ? 0xFD : 0xFE;
	return p;
}

static void write_guest(uint8_t *mem)
{
	uint8_t *p = emit_start(mem + CODE);

	p = emit_hcall(p, 17, 0, 0, 0);          /* xen_version(XENVER_version) */
	p = emit_store_eax(p, ARGS + 8);
	p = emit_hcall(p, 60, 0, 0, 0);          /* no such hypercall */
	p = emit_store_eax(p, ARGS + 12);
	p = emit_hcall(p, 18, 0, sizeof(TEXT) - 1, MSG); /* console_io write */
	p = emit_store_eax(p, ARGS + 16);
	p = emit_hcall(p, 29, 2, ARGS, 0);       /* sched_op(shutdown, &reason) */
	emit_stop(p);
	memcpy(mem + MSG, TEXT, sizeof(TEXT) - 1);
	memset(mem + ARGS, 0, 32);               /* reason = SHUTDOWN_poweroff */
	memset(mem + ARGS + 8, 0xAA, 12);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int wait_state(struct pvx_ctl *c, int32_t dom, uint32_t state,
		      struct pvx_ctl_dominfo *di)
{
	uint64_t end = now_ms() + 10000;

	while (now_ms() < end) {
		int r = pvx_ctl_info(c, dom, di);

		if (r < 0)
			return r;
		if (di->state == state)
			return 0;
		usleep(1000);
	}
	return -ETIMEDOUT;
}

static int boot_one(struct pvx_ctl *c, const char *name, bool check)
{
	struct pvx_ctl_create_req req = { .mem_kib = 4096, .vcpus = 1, .type = dom_type };
	struct pvx_dom_mem m = { .fd = -1 };
	struct pvx_ctl_dominfo di;
	int32_t dom;
	int r;

	snprintf(req.name, sizeof(req.name), "%s", name);
	r = pvx_ctl_create(c, &req, &dom);
	if (r < 0)
		return fprintf(stderr, "create: %s\n", strerror(-r)), r;
	r = pvx_dom_mem_map(c, dom, &m);
	if (r == 0) {
		write_guest(m.base);
		r = pvx_ctl_set_boot(c, dom, 0, CODE, start_info());
	}
	if (r == 0)
		r = pvx_ctl_unpause(c, dom);
	if (r == 0)
		r = wait_state(c, dom, PVX_DOM_SHUTDOWN, &di);
	if (r == 0 && check) {
		uint32_t res[3];
		char text[4096];
		uint64_t off = 0;
		int n = pvx_ctl_dmesg(c, dom, &off, text, sizeof(text) - 1);

		memcpy(res, m.base + ARGS + 8, sizeof(res));
		CHECK(res[0] == 0x40011, "xen_version = 0x%x", res[0]);
		CHECK(res[1] == (uint32_t)-38, "unknown hypercall = %d", (int)res[1]);
		CHECK(res[2] == 0, "console_io = %d", (int)res[2]);
		/* The domain log also carries pvxd's lines about the domain. */
		text[n > 0 ? n : 0] = '\0';
		CHECK(strstr(text, TEXT) != NULL, "dmesg text '%s'", text);
		CHECK(strstr(text, "shutdown, reason 0") != NULL, "dmesg lacks shutdown");
		CHECK(di.shutdown_reason == 0, "reason %d", di.shutdown_reason);
		CHECK(di.vcpus == 1 && di.mem_kib == 4096, "info vcpus/mem");
		CHECK(strcmp(di.name, name) == 0, "info name '%s'", di.name);
	}
	pvx_dom_mem_unmap(&m);
	if (r < 0)
		fprintf(stderr, "boot %s: %s\n", name, strerror(-r));
	int d = pvx_ctl_destroy(c, dom);
	CHECK(d == 0, "destroy: %d", d);
	CHECK(pvx_ctl_info(c, dom, &di) == -ESRCH, "domain still there");
	return r;
}

/* Raw datagrams, to send what libpvxctl never would. */
static int raw_call(int fd, const void *buf, size_t len, struct pvx_ctl_hdr *rep)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char rx[256];
	ssize_t n;

	if (send(fd, buf, len, 0) < 0)
		return -errno;
	if (poll(&p, 1, 5000) != 1)
		return -ETIMEDOUT;
	n = recv(fd, rx, sizeof(rx), 0);
	if (n < (ssize_t)sizeof(*rep))
		return -EPROTO;
	memcpy(rep, rx, sizeof(*rep));
	return 0;
}

static void bad_messages(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct { struct pvx_ctl_hdr h; uint8_t pay[128]; } m;
	struct pvx_ctl_hdr rep;
	static uint8_t big[PVX_CTL_MAX_PAYLOAD + 1024];
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/pvxd.sock", getenv("PVX_RUNDIR"));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		CHECK(0, "connect: %s", strerror(errno));
		return;
	}
	memset(&m, 0, sizeof(m));
	m.h = (struct pvx_ctl_hdr){ .magic = PVX_CTL_MAGIC, .op = PVX_CTL_HELLO,
				    .seq = 7, .domid = -1 };
	CHECK(raw_call(fd, &m, 5, &rep) == 0 && rep.status == -EPROTO, "truncated: %d", rep.status);
	m.h.magic = 0xdeadbeef;
	CHECK(raw_call(fd, &m, sizeof(m.h), &rep) == 0 && rep.status == -EPROTO, "magic: %d", rep.status);
	m.h.magic = PVX_CTL_MAGIC;
	m.h.len = 100;
	CHECK(raw_call(fd, &m, sizeof(m.h) + 4, &rep) == 0 && rep.status == -EINVAL, "len: %d", rep.status);
	m.h.len = 0;
	m.h.op = 999;
	CHECK(raw_call(fd, &m, sizeof(m.h), &rep) == 0 && rep.status == -EOPNOTSUPP, "op: %d", rep.status);
	m.h.op = PVX_CTL_INFO;
	m.h.domid = 555;
	CHECK(raw_call(fd, &m, sizeof(m.h), &rep) == 0 && rep.status == -ESRCH, "domain: %d", rep.status);
	m.h.op = PVX_CTL_CREATE;
	m.h.len = 8;
	CHECK(raw_call(fd, &m, sizeof(m.h) + 8, &rep) == 0 && rep.status == -EINVAL, "short create: %d", rep.status);
	memcpy(big, &m.h, sizeof(m.h));
	((struct pvx_ctl_hdr *)big)->len = sizeof(big) - sizeof(m.h);
	CHECK(raw_call(fd, big, sizeof(big), &rep) == 0 && rep.status == -EMSGSIZE, "oversized: %d", rep.status);
	m.h.op = PVX_CTL_HELLO;
	m.h.len = 0;
	m.h.seq = 42;
	CHECK(raw_call(fd, &m, sizeof(m.h), &rep) == 0 && rep.status == 0 && rep.seq == 42,
	      "hello after garbage: %d", rep.status);
	close(fd);
}

/* xorshift: deterministic, so a failure can be replayed. */
static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* One random datagram; every one must get exactly one reply. */
static int fuzz_one(int fd)
{
	static const uint32_t sizes[] = { 0, 4, 8, 16, 24, 32, 64, 112, 120, 200 };
	struct { struct pvx_ctl_hdr h; uint8_t pay[256]; } m;
	uint8_t rx[PVX_CTL_MAX_PAYLOAD + 64];
	char cbuf[CMSG_SPACE(8 * sizeof(int))];
	struct iovec iov = { rx, sizeof(rx) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint32_t len = sizes[rnd() % 10];
	size_t total;

	for (size_t i = 0; i < sizeof(m); i++)
		((uint8_t *)&m)[i] = (uint8_t)rnd();
	m.h.magic = rnd() % 10 ? PVX_CTL_MAGIC : (uint32_t)rnd();
	m.h.op = rnd() % 8 ? (uint16_t)(rnd() % (PVX_CTL_OP_COUNT + 2)) : (uint16_t)rnd();
	m.h.domid = (int32_t)(rnd() % 8) - 2;
	m.h.len = rnd() % 5 ? len : (uint32_t)rnd();
	total = rnd() % 20 ? sizeof(m.h) + len : rnd() % sizeof(m);
	if (m.h.op == PVX_CTL_SUBSCRIBE)
		m.h.op = PVX_CTL_HELLO; /* events would interleave with replies */
	if (send(fd, &m, total, 0) < 0)
		return -errno;
	if (poll(&p, 1, 5000) != 1)
		return -ETIMEDOUT;
	if (recvmsg(fd, &mh, 0) < (ssize_t)sizeof(struct pvx_ctl_hdr))
		return -EPROTO;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_type == SCM_RIGHTS)
			for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++)
				close(((int *)CMSG_DATA(c))[i]);
	return 0;
}

static void fuzz(struct pvx_ctl *c, int n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pvx_ctl_dominfo *list = NULL;
	struct pvx_ctl_hello_rsp h;
	size_t cnt = 0;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/pvxd.sock", getenv("PVX_RUNDIR"));
	CHECK(fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0, "connect");
	if (getenv("PVXD_FUZZ_SEED"))
		rnd_state = strtoull(getenv("PVXD_FUZZ_SEED"), NULL, 0) | 1;
	for (int i = 0; i < n && !fails; i++) {
		int r = fuzz_one(fd);

		CHECK(r == 0, "datagram %d: no reply (%d)", i, r);
	}
	close(fd);
	CHECK(pvx_ctl_hello(c, &h) == 0, "pvxd alive after fuzzing");
	if (pvx_ctl_list(c, &list, &cnt) == 0)
		for (size_t i = 0; i < cnt; i++)
			pvx_ctl_destroy(c, list[i].domid);
	free(list);
	printf("fuzz: %d datagrams, %zu domains created by chance\n", n, cnt);
}

static long proc_value(int pid, const char *what)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, what, strlen(what)) == 0)
			v = atol(line + strlen(what));
	if (f)
		fclose(f);
	return v;
}

static int count_fds(int pid)
{
	char cmd[64];
	int n = -1;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "ls /proc/%d/fd | wc -l", pid);
	f = popen(cmd, "r");
	if (f && fscanf(f, "%d", &n) != 1)
		n = -1;
	if (f)
		pclose(f);
	return n;
}

static void cycles(struct pvx_ctl *c, int n)
{
	struct pvx_ctl_hello_rsp h;
	long rss0, rss1;
	int fd0, fd1, pid;

	CHECK(pvx_ctl_hello(c, &h) == 0, "hello");
	pid = (int)h.pid;
	/* Warm up: malloc arenas of pvxd's threads, its spare-VM pool. */
	for (int i = 0; i < 100; i++)
		boot_one(c, "warm", false);
	usleep(500000);                  /* background reaping and pool refill */
	fd0 = count_fds(pid);
	rss0 = proc_value(pid, "VmRSS:");
	uint64_t t0 = now_ms();
	for (int i = 0; i < n && !fails; i++)
		CHECK(boot_one(c, "cycle", false) == 0, "cycle %d", i);
	uint64_t t1 = now_ms();
	/* pvxd closes VMs and refills its spare-VM pool in the background:
	 * give it a moment to settle before comparing. */
	for (int i = 0; i < 100 && (fd1 = count_fds(pid)) > fd0; i++)
		usleep(20000);
	usleep(200000);
	rss1 = proc_value(pid, "VmRSS:");
	printf("cycles: %d in %llu ms; fds %d -> %d; VmRSS %ld -> %ld KiB\n", n,
	       (unsigned long long)(t1 - t0), fd0, fd1, rss0, rss1);
	CHECK(fd1 <= fd0, "fd count grew %d -> %d", fd0, fd1);
	CHECK(rss1 - rss0 < 2048, "RSS grew %ld KiB", rss1 - rss0);
}

/* Waits for the next event about dom with the given state. */
static int expect_event(struct pvx_ctl *sub, int32_t dom, uint32_t state,
			struct pvx_ctl_event *out)
{
	struct pollfd p = { .fd = pvx_ctl_fd(sub), .events = POLLIN };
	uint64_t end = now_ms() + 5000;

	while (now_ms() < end) {
		struct pvx_ctl_event ev;

		if (poll(&p, 1, 100) == 1 && pvx_ctl_read_event(sub, &ev) == 0 &&
		    ev.domid == dom && ev.state == state) {
			if (out)
				*out = ev;
			return 0;
		}
	}
	return -ETIMEDOUT;
}

static int32_t make_spinner(struct pvx_ctl *c, const char *name)
{
	struct pvx_ctl_create_req req = { .mem_kib = 2048, .vcpus = 2, .type = dom_type };
	struct pvx_dom_mem m = { .fd = -1 };
	int32_t dom = -1;

	snprintf(req.name, sizeof(req.name), "%s", name);
	CHECK(pvx_ctl_create(c, &req, &dom) == 0, "create %s", name);
	CHECK(pvx_dom_mem_map(c, dom, &m) == 0, "map");
	if (m.base) {
		m.base[CODE] = 0xEB;     /* jmp . */
		m.base[CODE + 1] = 0xFE;
	}
	pvx_dom_mem_unmap(&m);
	CHECK(pvx_ctl_set_boot(c, dom, 0, CODE, start_info()) == 0, "set_boot");
	CHECK(pvx_ctl_set_boot(c, dom, 2, CODE, start_info()) == -EINVAL, "set_boot vcpu 2");
	CHECK(pvx_ctl_set_boot(c, dom, 0, 1ull << 40, 0) == -EINVAL, "set_boot wild");
	return dom;
}

/* Control ops beyond the boot path: events, pause, rename, params,
 * Dom0 event channels, forced shutdown, list. */
static void ops(struct pvx_ctl *c)
{
	struct pvx_ctl *sub = NULL;
	struct pvx_ctl_dominfo di, *list = NULL;
	struct pvx_ctl_event ev;
	struct pvx_evtchn e = { .event_fd = -1, .notify_fd = -1 };
	uint64_t v = 0, n = 0;
	uint32_t port = 0;
	size_t cnt = 0;
	int32_t a, b;

	CHECK(pvx_ctl_open(&sub) == 0 && pvx_ctl_subscribe(sub) == 0, "subscribe");
	a = make_spinner(c, "ops-a");
	b = make_spinner(c, "ops-b");
	CHECK(pvx_ctl_rename(c, a, "ops-b") == -EEXIST, "rename to a taken name");
	CHECK(pvx_ctl_rename(c, a, "ops-a2") == 0, "rename");
	CHECK(pvx_ctl_info(c, a, &di) == 0 && !strcmp(di.name, "ops-a2"), "renamed");
	CHECK(pvx_ctl_set_hvm_param(c, a, 1, 0xfeff9) == 0, "set param");
	CHECK(pvx_ctl_get_hvm_param(c, a, 1, &v) == 0 && v == 0xfeff9, "get param");
	CHECK(pvx_ctl_set_hvm_param(c, a, 39, 1) == -EINVAL, "param index");
	CHECK(pvx_ctl_evtchn_alloc_unbound(c, a, 0, &port) == 0 && port, "alloc");
	CHECK(pvx_evtchn_bind(c, a, port, &e) == 0, "bind");
	CHECK(pvx_evtchn_bind(c, a, port, &(struct pvx_evtchn){ 0 }) == -EINVAL, "double bind");
	CHECK(pvx_evtchn_consume(&e) == 1, "bind-time event");
	CHECK(pvx_evtchn_notify(&e) == 0, "notify fd");
	CHECK(pvx_ctl_call(c, PVX_CTL_EVTCHN_NOTIFY, 0, &(struct pvx_ctl_port_req){ .port = e.port },
			   sizeof(struct pvx_ctl_port_req), NULL, 0, NULL, NULL, 0, NULL) == 0,
	      "notify op");
	CHECK(pvx_ctl_call(c, PVX_CTL_EVTCHN_NOTIFY, 0, &(struct pvx_ctl_port_req){ .port = 999 },
			   sizeof(struct pvx_ctl_port_req), NULL, 0, NULL, NULL, 0, NULL) == -EINVAL,
	      "notify a port not ours");
	CHECK(pvx_ctl_unpause(c, a) == 0, "unpause");
	CHECK(expect_event(sub, a, PVX_DOM_RUNNING, NULL) == 0, "RUNNING event");
	CHECK(pvx_ctl_pause(c, a) == 0, "pause");
	CHECK(pvx_ctl_info(c, a, &di) == 0 && di.state == PVX_DOM_PAUSED, "paused");
	CHECK(expect_event(sub, a, PVX_DOM_PAUSED, NULL) == 0, "PAUSED event");
	CHECK(pvx_ctl_unpause(c, a) == 0, "unpause again");
	for (int i = 0; i < 100 && !fails; i++) {  /* pause is synchronous */
		CHECK(pvx_ctl_pause(c, a) == 0, "pause %d", i);
		CHECK(pvx_ctl_unpause(c, a) == 0, "unpause %d", i);
	}
	CHECK(pvx_ctl_shutdown(c, a, 1) == 0, "forced shutdown");
	CHECK(expect_event(sub, a, PVX_DOM_SHUTDOWN, &ev) == 0 && ev.shutdown_reason == 1,
	      "SHUTDOWN event");
	CHECK(pvx_ctl_unpause(c, a) == -EINVAL, "unpause a shut-down domain");
	CHECK(pvx_ctl_list(c, &list, &cnt) == 0 && cnt == 2, "list");
	free(list);
	CHECK(pvx_ctl_destroy(c, a) == 0, "destroy a");
	CHECK(expect_event(sub, a, PVX_DOM_DEAD, NULL) == 0, "DEAD event");
	/* The guest end is gone: our port is unbound, and we were told. */
	CHECK(read(e.event_fd, &n, sizeof(n)) == sizeof(n), "peer-gone event");
	pvx_evtchn_close(c, &e);
	CHECK(pvx_ctl_destroy(c, b) == 0, "destroy b");
	CHECK(pvx_ctl_destroy(c, b) == -ESRCH, "destroy twice");
	pvx_ctl_close(sub);
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_u64);
	printf("%-28s median %6llu us  p99 %6llu us  (n=%d)\n", what,
	       (unsigned long long)v[n / 2], (unsigned long long)v[n * 99 / 100], n);
}

/* A guest that makes n hypercalls (nr, a1, a2) in a loop, then shuts
 * down; returns the wall time from unpause to shutdown in µs. */
static uint64_t hcall_loop(struct pvx_ctl *c, uint32_t nr, uint32_t a1,
			   uint32_t a2, uint32_t n)
{
	struct pvx_ctl_create_req req = { .mem_kib = 4096, .vcpus = 1, .type = dom_type };
	struct pvx_dom_mem m = { .fd = -1 };
	struct pvx_ctl_dominfo di;
	uint64_t t0, t1;
	int32_t dom;
	uint8_t *p, *loop;

	snprintf(req.name, sizeof(req.name), "hcbench");
	CHECK(pvx_ctl_create(c, &req, &dom) == 0, "create");
	CHECK(pvx_dom_mem_map(c, dom, &m) == 0, "map");
	p = emit_start(m.base + CODE);
	p = emit_mov(p, 0xBB, n);                 /* mov $n, %ebx */
	loop = p;
	p = emit_hcall(p, nr, a1, a2, 0);
	*p++ = 0xFF;                              /* dec %ebx (not 0x4B: */
	*p++ = 0xCB;                              /* a REX prefix in 64-bit mode) */
	*p++ = 0x75;                              /* jnz loop */
	*p = (uint8_t)(loop - (p + 1));
	p++;
	p = emit_hcall(p, 29, 2, ARGS, 0);
	emit_stop(p);
	memset(m.base + ARGS, 0, 64);
	m.base[ARGS + 0x20] = 5;                  /* evtchn_send { port 5 } */
	pvx_dom_mem_unmap(&m);
	CHECK(pvx_ctl_set_boot(c, dom, 0, CODE, start_info()) == 0, "boot");
	t0 = now_us();
	CHECK(pvx_ctl_unpause(c, dom) == 0, "unpause");
	CHECK(wait_state(c, dom, PVX_DOM_SHUTDOWN, &di) == 0, "shutdown");
	t1 = now_us();
	pvx_ctl_destroy(c, dom);
	return t1 - t0;
}

/* Per-call cost of a hypercall without and with a pointer argument
 * (the latter needs the guest's paging state: one more vCPU ioctl). */
static void hcbench(struct pvx_ctl *c, uint32_t n)
{
	uint64_t plain = hcall_loop(c, 17, 0, 0, n);           /* xen_version */
	uint64_t ptr = hcall_loop(c, 32, 4, ARGS + 0x20, n);   /* evtchn send */
	uint64_t none = hcall_loop(c, 60, 0, 0, n);            /* -ENOSYS */

	printf("hcbench: n=%u  enosys %.2f us  xen_version %.2f us  "
	       "evtchn_send(ptr) %.2f us per call (incl. the loop)\n", n,
	       (double)none / n, (double)plain / n, (double)ptr / n);
}

/* Latency of each step of a minimal guest's life, n times. */
static void timing(struct pvx_ctl *c, int n)
{
	uint64_t *cr = calloc((size_t)n, 8), *run = calloc((size_t)n, 8),
		 *de = calloc((size_t)n, 8);

	for (int i = 0; i < n && !fails; i++) {
		struct pvx_ctl_create_req req = { .mem_kib = 4096, .vcpus = 1, .type = dom_type };
		struct pvx_dom_mem m = { .fd = -1 };
		struct pvx_ctl_dominfo di;
		int32_t dom;
		uint64_t t0 = now_us(), t1, t2;

		snprintf(req.name, sizeof(req.name), "timing");
		CHECK(pvx_ctl_create(c, &req, &dom) == 0, "create");
		t1 = now_us();
		CHECK(pvx_dom_mem_map(c, dom, &m) == 0, "map");
		write_guest(m.base);
		CHECK(pvx_ctl_set_boot(c, dom, 0, CODE, start_info()) == 0, "boot");
		CHECK(pvx_ctl_unpause(c, dom) == 0, "unpause");
		CHECK(wait_state(c, dom, PVX_DOM_SHUTDOWN, &di) == 0, "shutdown");
		t2 = now_us();
		pvx_dom_mem_unmap(&m);
		CHECK(pvx_ctl_destroy(c, dom) == 0, "destroy");
		cr[i] = t1 - t0;
		run[i] = t2 - t1;
		de[i] = now_us() - t2;
	}
	if (!fails) {
		report("create (paused, empty)", cr, n);
		report("map+boot+run to shutdown", run, n);
		report("destroy", de, n);
	}
	free(cr);
	free(run);
	free(de);
}

int main(int argc, char **argv)
{
	struct pvx_ctl *c = NULL;
	const char *type = getenv("PVX_TEST_TYPE");
	int r = pvx_ctl_open(&c);

	if (type && !strcmp(type, "pv"))
		dom_type = PVX_TYPE_PV;

	if (r < 0 || argc < 2) {
		fprintf(stderr, "pvxd-smoke-client: %s\n", r < 0 ? strerror(-r) : "usage");
		return 2;
	}
	if (!strcmp(argv[1], "boot"))
		CHECK(boot_one(c, "smoke", true) == 0, "boot");
	else if (!strcmp(argv[1], "badmsg"))
		bad_messages();
	else if (!strcmp(argv[1], "fuzz"))
		fuzz(c, argc > 2 ? atoi(argv[2]) : 20000);
	else if (!strcmp(argv[1], "ops"))
		ops(c);
	else if (!strcmp(argv[1], "hcbench"))
		hcbench(c, argc > 2 ? (uint32_t)atoi(argv[2]) : 20000);
	else if (!strcmp(argv[1], "timing"))
		timing(c, argc > 2 ? atoi(argv[2]) : 50);
	else if (!strcmp(argv[1], "cycles"))
		cycles(c, argc > 2 ? atoi(argv[2]) : 200);
	pvx_ctl_close(c);
	printf("%s: %s\n", argv[1], fails ? "FAILED" : "ok");
	return fails ? 1 : 0;
}
