/*
 * unit-migrate: the migration transport (dom0-tools/pvx/migrate*.c)
 * against a fake engine and a fake pvxd over a socket pair: the token,
 * the framing, the refusals before anything is suspended, and the
 * commitment rule (the source is resumed on every failure before the
 * target runs; the target destroys what it restored).
 */
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../../dom0-tools/pvx/migrate.h"

#define STREAM_LEN (3u << 20)

/* One side's fake host: what the protocol asked of it. */
struct fake {
	uint64_t mem_kib, free_kib;
	int taken, restore_rc, die_after; /* target: close after N bytes */
	int saves, restores, resumes, unpauses, destroys;
	int fd;                           /* the side's channel (for die_after) */
};

static int f_info(void *h, int32_t domid, uint64_t *mem, uint32_t *vcpus,
		  uint32_t *type, char name[PVX_MIG_NAME_MAX])
{
	struct fake *f = h;

	(void)domid;
	*mem = f->mem_kib;
	*vcpus = 1;
	*type = 0;
	strcpy(name, "guest");
	return 0;
}

static int f_free(void *h, uint64_t *kib) { *kib = ((struct fake *)h)->free_kib; return 0; }
static int f_taken(void *h, const char *n) { (void)n; return ((struct fake *)h)->taken; }

static int f_save(void *h, int32_t domid, int fd, const struct pvx_save_opts *o,
		  struct pvx_mig_stats *st)
{
	static char buf[65536];
	struct fake *f = h;

	(void)domid; (void)o;
	f->saves++;
	memset(buf, 0xa5, sizeof(buf));
	for (unsigned done = 0; done < STREAM_LEN; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return -errno;
	st->bytes = STREAM_LEN;
	st->rounds = 2;
	st->suspended_ms = 5;
	return 0;
}

static int f_restore(void *h, int fd, const struct pvx_restore_opts *o,
		     int32_t *domid, struct pvx_mig_stats *st)
{
	static char buf[65536];
	struct fake *f = h;
	unsigned got = 0;

	(void)st;
	f->restores++;
	ck_assert(o->paused);
	while (got < STREAM_LEN) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n <= 0)
			return -EPIPE;
		got += (unsigned)n;
		if (f->die_after && got >= (unsigned)f->die_after) {
			shutdown(fd, SHUT_RDWR);
			return -EPIPE;
		}
	}
	*domid = 7;
	return f->restore_rc;
}

static int f_resume(void *h, int32_t d) { (void)d; ((struct fake *)h)->resumes++; return 0; }
static int f_unpause(void *h, int32_t d) { (void)d; ((struct fake *)h)->unpauses++; return 0; }
static int f_destroy(void *h, int32_t d) { (void)d; ((struct fake *)h)->destroys++; return 0; }

static const struct pvx_mig_ops fops = {
	.dom_info = f_info, .host_free = f_free, .name_taken = f_taken,
	.save = f_save, .restore = f_restore, .resume = f_resume,
	.unpause = f_unpause, .destroy = f_destroy,
};

struct target {
	struct fake f;
	struct pvx_mig_recv_opts o;
	int fd, rc;
	int32_t domid;
};

static void *target_main(void *arg)
{
	struct target *t = arg;

	t->rc = pvx_mig_recv(&fops, &t->f, t->fd, t->fd, &t->o, &t->domid);
	if (t->f.die_after == 0)
		shutdown(t->fd, SHUT_RDWR);
	return NULL;
}

/* Runs both sides; returns the source's rc. */
static int run(struct fake *src, struct target *t, const char *token,
	       struct pvx_mig_result *res)
{
	struct pvx_mig_send_opts so = { .save = { .live = true }, .token = token,
					.timeout_s = 5 };
	pthread_t th;
	int sv[2], rc;

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	t->fd = sv[1];
	if (!t->o.timeout_s)
		t->o.timeout_s = 5;
	ck_assert_int_eq(pthread_create(&th, NULL, target_main, t), 0);
	rc = pvx_mig_send(&fops, src, 3, sv[0], &so, res);
	close(sv[0]);
	pthread_join(th, NULL);
	close(sv[1]);
	return rc;
}

#define SRC { .mem_kib = 65536 }
#define TGT(tok) { .f = { .free_kib = 1 << 20 }, .o = { .token = (tok) } }

START_TEST(migrate_ok)
{
	struct fake s = SRC;
	struct target t = TGT("abcd");
	struct pvx_mig_result r;

	ck_assert_int_eq(run(&s, &t, "abcd", &r), 0);
	ck_assert_int_eq(t.rc, 0);
	ck_assert_int_eq(s.destroys, 1);
	ck_assert_int_eq(s.resumes, 0);
	ck_assert_int_eq(t.f.unpauses, 1);
	ck_assert_int_eq(t.f.destroys, 0);
	ck_assert_int_eq(t.domid, 7);
	ck_assert(r.downtime_ms >= 5 && r.downtime_rtt_ms >= 5);
	ck_assert(!r.resumed && !r.uncertain);
}
END_TEST

START_TEST(wrong_token_touches_nothing)
{
	struct fake s = SRC;
	struct target t = TGT("abcd");
	struct pvx_mig_result r;

	ck_assert_int_eq(run(&s, &t, "abce", &r), -EACCES);
	ck_assert_int_eq(t.rc, -EACCES);
	ck_assert_int_eq(s.saves + s.resumes + s.destroys, 0);
	ck_assert_int_eq(t.f.restores, 0);
	ck_assert_int_eq(run(&s, &t, "abc", &r), -EACCES);   /* a prefix */
	ck_assert_int_eq(run(&s, &t, "", &r), -EACCES);
	ck_assert_int_eq(run(&s, &t, NULL, &r), -EACCES);
}
END_TEST

START_TEST(no_memory_refused_early)
{
	struct fake s = SRC;
	struct target t = TGT(NULL), t2 = TGT(NULL);
	struct pvx_mig_result r;

	t.f.free_kib = 32768;
	ck_assert_int_eq(run(&s, &t, NULL, &r), -ENOMEM);
	t2.o.max_mem_kib = 16384;
	ck_assert_int_eq(run(&s, &t2, NULL, &r), -ENOMEM);
	ck_assert_int_eq(s.saves + s.resumes + s.destroys, 0);
	ck_assert_int_eq(t.f.restores + t2.f.restores, 0);
}
END_TEST

START_TEST(name_taken_refused)
{
	struct fake s = SRC;
	struct target t = TGT(NULL);
	struct pvx_mig_result r;

	t.f.taken = 1;
	ck_assert_int_eq(run(&s, &t, NULL, &r), -EEXIST);
	ck_assert_int_eq(s.saves, 0);
}
END_TEST

START_TEST(restore_fails_source_resumes)
{
	struct fake s = SRC;
	struct target t = TGT(NULL);
	struct pvx_mig_result r;

	t.f.restore_rc = -ENOMEM;
	ck_assert_int_eq(run(&s, &t, NULL, &r), -ENOMEM);
	ck_assert_int_eq(s.resumes, 1);
	ck_assert_int_eq(s.destroys, 0);
	ck_assert(r.resumed);
	ck_assert_int_eq(t.f.destroys, 1);   /* what it had made */
	ck_assert_int_eq(t.f.unpauses, 0);
}
END_TEST

START_TEST(target_dies_mid_stream)
{
	struct fake s = SRC;
	struct target t = TGT(NULL);
	struct pvx_mig_result r;

	t.f.die_after = 1 << 20;
	ck_assert_int_lt(run(&s, &t, NULL, &r), 0);
	ck_assert_int_eq(s.resumes, 1);
	ck_assert_int_eq(s.destroys, 0);
	ck_assert_int_eq(t.f.unpauses, 0);
}
END_TEST

/* A source that sends the stream and vanishes before GO: the target
 * must not keep (or run) its copy. */
START_TEST(source_dies_before_go)
{
	struct fake s = SRC;
	struct target t = TGT(NULL);
	struct pvx_mig_hello hl = { .version = PVX_MIG_VERSION, .mem_kib = 1024 };
	struct pvx_mig_stats st;
	struct pvx_save_opts so = { 0 };
	char buf[PVX_MIG_MSG_MAX];
	uint32_t type;
	pthread_t th;
	int sv[2];

	signal(SIGPIPE, SIG_IGN);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	t.fd = sv[1];
	t.o.timeout_s = 5;
	pthread_create(&th, NULL, target_main, &t);
	ck_assert_int_eq(pvx_mig_send_msg(sv[0], PVX_MIG_HELLO, &hl, sizeof(hl)), 0);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[0], 5, &type, buf, sizeof(buf), NULL), 0);
	ck_assert_int_eq(type, PVX_MIG_ACCEPT);
	ck_assert_int_eq(f_save(&s, 0, sv[0], &so, &st), 0);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[0], 5, &type, buf, sizeof(buf), NULL), 0);
	ck_assert_int_eq(type, PVX_MIG_READY);
	close(sv[0]);
	pthread_join(th, NULL);
	ck_assert_int_lt(t.rc, 0);
	ck_assert_int_eq(t.f.destroys, 1);
	ck_assert_int_eq(t.f.unpauses, 0);
	close(sv[1]);
}
END_TEST

START_TEST(version_refused)
{
	struct target t = TGT(NULL);
	struct pvx_mig_hello hl = { .version = 99, .mem_kib = 1024 };
	struct pvx_mig_refuse rf;
	uint32_t type;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	pvx_mig_send_msg(sv[0], PVX_MIG_HELLO, &hl, sizeof(hl));
	t.o.timeout_s = 5;
	ck_assert_int_eq(pvx_mig_recv(&fops, &t.f, sv[1], sv[1], &t.o, &t.domid),
			 -EPROTONOSUPPORT);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[0], 5, &type, &rf, sizeof(rf), NULL), 0);
	ck_assert_int_eq(type, PVX_MIG_REFUSE);
	ck_assert_int_eq(rf.err, -EPROTONOSUPPORT);
	ck_assert_int_eq(t.f.restores, 0);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

START_TEST(framing)
{
	struct pvx_mig_hdr h = { .magic = 0x12345678, .type = PVX_MIG_GO };
	char buf[64];
	uint32_t type;
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL),
			 -ETIMEDOUT);
	ck_assert_int_eq(write(sv[0], &h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL),
			 -EPROTO);
	h.magic = PVX_MIG_MAGIC;
	h.len = PVX_MIG_MSG_MAX + 1;
	ck_assert_int_eq(write(sv[0], &h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL),
			 -EPROTO);
	h.len = 0;
	h.type = PVX_MIG_TYPE_MAX;
	ck_assert_int_eq(write(sv[0], &h, sizeof(h)), sizeof(h));
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL),
			 -EPROTO);
	ck_assert_int_eq(pvx_mig_send_msg(sv[0], PVX_MIG_GO, "xy", 2), 0);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL), 0);
	ck_assert_int_eq(type, PVX_MIG_GO);
	close(sv[0]);
	ck_assert_int_eq(pvx_mig_recv_msg(sv[1], 1, &type, buf, sizeof(buf), NULL),
			 -EPIPE);
	close(sv[1]);
}
END_TEST

START_TEST(tokens)
{
	char a[PVX_MIG_TOKEN_HEX + 1], b[PVX_MIG_TOKEN_HEX + 1];

	ck_assert_int_eq(pvx_mig_token_new(a), 0);
	ck_assert_int_eq(pvx_mig_token_new(b), 0);
	ck_assert_uint_eq(strlen(a), PVX_MIG_TOKEN_HEX);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), PVX_MIG_TOKEN_HEX);
	ck_assert_str_ne(a, b);
	ck_assert(pvx_mig_token_eq(a, a));
	ck_assert(!pvx_mig_token_eq(a, b));
	ck_assert(!pvx_mig_token_eq("abcd", "abcde"));
	ck_assert(!pvx_mig_token_eq("abcd", "abc"));
	ck_assert(!pvx_mig_token_eq("abcd", ""));
}
END_TEST

START_TEST(addresses)
{
	struct sockaddr_in6 sa;
	unsigned len;

	ck_assert_int_eq(pvx_mig_parse_addr("10.1.2.3:7000", &sa, &len), 0);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in));
	ck_assert_int_eq(pvx_mig_parse_addr("[::1]:7000", &sa, &len), 0);
	ck_assert_uint_eq(len, sizeof(struct sockaddr_in6));
	ck_assert_int_eq(pvx_mig_parse_addr("10.1.2.3", &sa, &len), -EINVAL);
	ck_assert_int_eq(pvx_mig_parse_addr("10.1.2.3:70000", &sa, &len), -EINVAL);
	ck_assert_int_eq(pvx_mig_parse_addr("host:7000", &sa, &len), -EINVAL);
	ck_assert_int_eq(pvx_mig_parse_addr(":7000", &sa, &len), -EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migrate");
	TCase *tc = tcase_create("transport");
	SRunner *sr;
	int failed;

	setenv("PVX_RUNDIR", "/nonexistent/pvx-unit-migrate", 1);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, migrate_ok);
	tcase_add_test(tc, wrong_token_touches_nothing);
	tcase_add_test(tc, no_memory_refused_early);
	tcase_add_test(tc, name_taken_refused);
	tcase_add_test(tc, restore_fails_source_resumes);
	tcase_add_test(tc, target_dies_mid_stream);
	tcase_add_test(tc, source_dies_before_go);
	tcase_add_test(tc, version_refused);
	tcase_add_test(tc, framing);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, addresses);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_FORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
