/*
 * The target side of a migration: check the hello (version, token,
 * memory, name) before anything is created, restore the stream paused,
 * say READY, unpause on GO and say RUNNING. Anything that fails before
 * RUNNING destroys what was restored here, and the source is told why
 * with a REFUSE so that both sides print the same reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "migrate.h"

/* Prints the reason here and sends it to the source; returns err. */
#define MIG_REFUSE(fd, err, ...) \
	(pvx_err("migrate-receive: " __VA_ARGS__), \
	 pvx_mig_refuse((fd), (err), __VA_ARGS__), (err))

static int mig_check_mem(const struct pvx_mig_ops *ops, void *h, int wfd,
			 const struct pvx_mig_recv_opts *o, uint64_t need)
{
	uint64_t free_kib = 0;
	int rc;

	if (o->max_mem_kib && need > o->max_mem_kib)
		return MIG_REFUSE(wfd, -ENOMEM, "not enough memory: the guest needs "
				  "%" PRIu64 " MiB, this host takes at most %" PRIu64
				  " MiB", need >> 10, o->max_mem_kib >> 10);
	rc = ops->host_free(h, &free_kib);
	if (rc)
		return MIG_REFUSE(wfd, rc, "cannot read this host's free memory: %s",
				  strerror(-rc));
	if (need > free_kib)
		return MIG_REFUSE(wfd, -ENOMEM, "not enough memory: the guest needs "
				  "%" PRIu64 " MiB, this host has %" PRIu64 " MiB free",
				  need >> 10, free_kib >> 10);
	return 0;
}

static int mig_check_hello(const struct pvx_mig_ops *ops, void *h, int fd,
			   int wfd, const struct pvx_mig_recv_opts *o,
			   struct pvx_mig_hello *hl)
{
	uint32_t type;
	int rc = pvx_mig_recv_msg(fd, o->timeout_s, &type, hl, sizeof(*hl), NULL);

	if (rc) {
		pvx_err("migrate-receive: no hello from the source: %s",
			rc == -EPROTO ? "not a pvx migration" :
			rc == -EPIPE ? "connection closed" : strerror(-rc));
		return rc;
	}
	hl->token[PVX_MIG_TOKEN_HEX] = '\0';
	hl->name[PVX_MIG_NAME_MAX - 1] = '\0';
	if (type != PVX_MIG_HELLO)
		return MIG_REFUSE(wfd, -EPROTO, "expected hello, got %s",
				  pvx_mig_type_name(type));
	if (o->token && !pvx_mig_token_eq(o->token, hl->token))
		return MIG_REFUSE(wfd, -EACCES, "wrong token: migration refused");
	if (hl->version != PVX_MIG_VERSION)
		return MIG_REFUSE(wfd, -EPROTONOSUPPORT, "protocol version %u, this "
				  "host speaks %u", hl->version, PVX_MIG_VERSION);
	rc = mig_check_mem(ops, h, wfd, o, hl->mem_kib);
	if (rc)
		return rc;
	rc = ops->name_taken(h, hl->name);
	if (rc > 0)
		return MIG_REFUSE(wfd, -EEXIST, "a domain named '%s' already exists "
				  "here", hl->name);
	return rc < 0 ? MIG_REFUSE(wfd, rc, "cannot list domains: %s",
				   strerror(-rc)) : 0;
}

/* Paused copy restored: READY, wait for GO, unpause, RUNNING. */
static int mig_activate(const struct pvx_mig_ops *ops, void *h, int fd, int wfd,
			const struct pvx_mig_recv_opts *o, int32_t domid,
			double restore_ms, const char *name)
{
	struct pvx_mig_times t = { .restore_ms = (uint64_t)restore_ms };
	char buf[PVX_MIG_MSG_MAX];
	uint32_t type;
	int rc = pvx_mig_send_msg(wfd, PVX_MIG_READY, &t, sizeof(t));

	if (rc == 0)
		rc = pvx_mig_recv_msg(fd, o->timeout_s, &type, buf, sizeof(buf), NULL);
	if (rc == 0 && type != PVX_MIG_GO)
		rc = -ECANCELED;
	if (rc) {
		pvx_err("migrate-receive: the source did not commit (%s): '%s' "
			"destroyed here", rc == -ECANCELED ? "it gave up" :
			rc == -EPIPE ? "connection closed" : strerror(-rc), name);
		return rc;
	}
	rc = ops->unpause(h, domid);
	if (rc)
		return MIG_REFUSE(wfd, rc, "cannot unpause '%s': %s", name, strerror(-rc));
	t.realtime_ns = pvx_mig_now_ns();
	pvx_mig_send_msg(wfd, PVX_MIG_RUNNING, &t, sizeof(t));
	/* Committed: from here the domain is ours whatever the source says. */
	if (pvx_mig_recv_msg(fd, o->timeout_s, &type, buf, sizeof(buf), NULL) ||
	    type != PVX_MIG_DONE)
		fprintf(stderr, "pvx: migrate-receive: warning: the source did not "
			"confirm that its copy of '%s' is gone\n", name);
	return 0;
}

int pvx_mig_recv(const struct pvx_mig_ops *ops, void *h, int fd, int wfd,
		 const struct pvx_mig_recv_opts *o, int32_t *domid)
{
	struct pvx_restore_opts ro = { .paused = true, .tied = true,
				       .progress = o->progress };
	struct pvx_mig_stats st;
	struct pvx_mig_hello hl;
	double t0;
	int rc = mig_check_hello(ops, h, fd, wfd, o, &hl);

	if (rc)
		return rc;
	rc = pvx_mig_send_msg(wfd, PVX_MIG_ACCEPT, NULL, 0);
	if (rc)
		return rc;
	memset(&st, 0, sizeof(st));
	*domid = -1;
	t0 = pvx_mig_mono_ms();
	rc = ops->restore(h, fd, &ro, domid, &st);
	if (rc) {
		if (*domid >= 0)
			ops->destroy(h, *domid);
		return MIG_REFUSE(wfd, rc, "restoring '%s' failed: %s", hl.name,
				  rc == -EPIPE ? "the stream ended early" :
				  rc == -EAGAIN || rc == -ETIMEDOUT ?
				  "nothing received for too long (link down?)" :
				  strerror(-rc));
	}
	rc = mig_activate(ops, h, fd, wfd, o, *domid, pvx_mig_mono_ms() - t0, hl.name);
	if (rc)
		ops->destroy(h, *domid);
	return rc;
}
