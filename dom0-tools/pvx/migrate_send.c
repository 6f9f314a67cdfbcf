/*
 * The source side of a migration: hello, the stream (the engine's live
 * save), then the commitment exchange. Until the target has said
 * RUNNING, every failure resumes the source domain, which keeps running
 * as if nothing happened; the only state in which the source neither
 * resumes nor destroys is a GO sent but never answered (the target may or
 * may not run the domain), which is reported and left to the operator.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "migrate.h"

struct mig_src {
	const struct pvx_mig_ops *ops;
	void *h;
	int32_t domid;
	int fd;
	const struct pvx_mig_send_opts *o;
	struct pvx_mig_result *res;
	char name[PVX_MIG_NAME_MAX];
};

/* Reads one message expecting `want`; a REFUSE is printed with the
 * target's reason and its errno returned. */
static int mig_expect(struct mig_src *s, uint32_t want, void *p, uint32_t cap)
{
	struct pvx_mig_refuse r;
	uint32_t type;
	char buf[PVX_MIG_MSG_MAX];
	int rc = pvx_mig_recv_msg(s->fd, s->o->timeout_s, &type, buf, sizeof(buf), NULL);

	if (rc == -ETIMEDOUT) {
		pvx_err("migrate: no %s from the target within %d s",
			pvx_mig_type_name(want), s->o->timeout_s);
		return rc;
	}
	if (rc) {
		pvx_err("migrate: waiting for %s from the target: %s",
			pvx_mig_type_name(want),
			rc == -EPIPE ? "connection closed" : strerror(-rc));
		return rc;
	}
	if (type == PVX_MIG_REFUSE) {
		memcpy(&r, buf, sizeof(r));
		r.msg[sizeof(r.msg) - 1] = '\0';
		pvx_err("migrate: the target refused: %s", r.msg);
		return r.err < 0 && r.err > -4096 ? r.err : -EPROTO;
	}
	if (type != want) {
		pvx_err("migrate: expected %s from the target, got %s",
			pvx_mig_type_name(want), pvx_mig_type_name(type));
		return -EPROTO;
	}
	memcpy(p, buf, cap);
	return 0;
}

static int mig_hello(struct mig_src *s)
{
	struct pvx_mig_hello hl;
	char none[1];
	int rc;

	memset(&hl, 0, sizeof(hl));
	rc = s->ops->dom_info(s->h, s->domid, &hl.mem_kib, &hl.vcpus,
			      &hl.dom_type, hl.name);
	if (rc)
		return rc;
	memcpy(s->name, hl.name, sizeof(s->name));
	hl.version = PVX_MIG_VERSION;
	hl.flags = s->o->save.live ? PVX_MIG_F_LIVE : 0;
	if (s->o->token)
		snprintf(hl.token, sizeof(hl.token), "%s", s->o->token);
	rc = pvx_mig_send_msg(s->fd, PVX_MIG_HELLO, &hl, sizeof(hl));
	if (rc) {
		/* It may have refused and closed before reading: say why. */
		struct pvx_mig_refuse r;
		uint32_t type;

		if (pvx_mig_recv_msg(s->fd, 1, &type, &r, sizeof(r), NULL) == 0 &&
		    type == PVX_MIG_REFUSE) {
			r.msg[sizeof(r.msg) - 1] = '\0';
			pvx_err("migrate: the target refused: %s", r.msg);
			return r.err < 0 && r.err > -4096 ? r.err : -EPROTO;
		}
		pvx_err("migrate: cannot reach the target: %s", strerror(-rc));
		return rc;
	}
	return mig_expect(s, PVX_MIG_ACCEPT, none, 0);
}

/* The stream failed or the target did not restore: the target usually
 * said why before closing, so look for its REFUSE briefly. */
static void mig_why(struct mig_src *s, int rc)
{
	struct pvx_mig_refuse r;
	uint32_t type;

	if (pvx_mig_recv_msg(s->fd, 1, &type, &r, sizeof(r), NULL) == 0 &&
	    type == PVX_MIG_REFUSE) {
		r.msg[sizeof(r.msg) - 1] = '\0';
		pvx_err("migrate: the target failed: %s", r.msg);
		return;
	}
	pvx_err("migrate: sending the domain failed: %s",
		rc == -EPIPE || rc == -ECONNRESET ? "the target went away" :
		rc == -ETIMEDOUT || rc == -EAGAIN ? "the link timed out" : strerror(-rc));
}

static void mig_resume(struct mig_src *s)
{
	int rc = s->ops->resume(s->h, s->domid);

	s->res->resumed = rc == 0;
	if (rc)
		pvx_err("migrate: cannot resume '%s' here: %s", s->name, strerror(-rc));
	else
		fprintf(stderr, "pvx: migrate: '%s' resumed on this host\n", s->name);
}

/* After GO: RUNNING commits; a REFUSE means the target gave up (its copy
 * is gone); silence leaves both sides in doubt. */
static int mig_commit(struct mig_src *s, double t_susp_mono, uint64_t t_susp_ns,
		      double t_go)
{
	struct pvx_mig_times run;
	int rc = mig_expect(s, PVX_MIG_RUNNING, &run, sizeof(run));

	if (rc == -ETIMEDOUT || rc == -EPIPE || rc == -ECONNRESET) {
		s->res->uncertain = true;
		pvx_err("migrate: no confirmation after go: '%s' is left suspended "
			"here; if it does not run on the target, resume it here",
			s->name);
		return rc;
	}
	if (rc) {
		mig_resume(s);
		return rc;
	}
	s->res->downtime_rtt_ms = pvx_mig_mono_ms() - t_susp_mono;
	s->res->downtime_ms = run.realtime_ns > t_susp_ns ?
		(double)(run.realtime_ns - t_susp_ns) / 1e6 : 0;
	s->res->commit_ms = pvx_mig_mono_ms() - t_go;
	t_go = pvx_mig_mono_ms();
	rc = s->ops->destroy(s->h, s->domid);
	s->res->destroy_ms = pvx_mig_mono_ms() - t_go;
	if (rc)
		pvx_err("migrate: '%s' runs on the target, but destroying it here "
			"failed: %s", s->name, strerror(-rc));
	pvx_mig_send_msg(s->fd, PVX_MIG_DONE, NULL, 0);
	return rc;
}

int pvx_mig_send(const struct pvx_mig_ops *ops, void *h, int32_t domid, int fd,
		 const struct pvx_mig_send_opts *o, struct pvx_mig_result *res)
{
	struct mig_src s = { .ops = ops, .h = h, .domid = domid, .fd = fd,
			     .o = o, .res = res };
	struct pvx_mig_times ready;
	double t0, t_end, t_susp_mono, t_go;
	uint64_t t_susp_ns;
	int rc;

	memset(res, 0, sizeof(*res));
	t0 = pvx_mig_mono_ms();
	rc = mig_hello(&s);
	if (rc)
		return rc; /* never suspended: nothing to undo */
	res->hello_ms = pvx_mig_mono_ms() - t0;
	t0 = pvx_mig_mono_ms();
	rc = ops->save(h, domid, fd, &o->save, &res->st);
	t_end = pvx_mig_mono_ms();
	res->stream_ms = t_end - t0;
	/* The engine's suspended_ms ends at the end record: back-date. */
	t_susp_mono = t_end - res->st.suspended_ms;
	t_susp_ns = pvx_mig_now_ns() - (uint64_t)(res->st.suspended_ms * 1e6);
	if (rc) {
		mig_why(&s, rc);
		mig_resume(&s);
		return rc;
	}
	rc = mig_expect(&s, PVX_MIG_READY, &ready, sizeof(ready));
	if (rc) {
		mig_resume(&s);
		return rc;
	}
	res->restore_ms = (double)ready.restore_ms;
	res->ready_wait_ms = pvx_mig_mono_ms() - t_end;
	t_go = pvx_mig_mono_ms();
	rc = pvx_mig_send_msg(fd, PVX_MIG_GO, NULL, 0);
	if (rc) {
		pvx_err("migrate: cannot send go: %s", strerror(-rc));
		mig_resume(&s);
		return rc;
	}
	rc = mig_commit(&s, t_susp_mono, t_susp_ns, t_go);
	/* Total: from the first stream byte to the target running (RUNNING
	 * received), not counting the destruction of the source copy. */
	res->st.total_ms = res->commit_ms > 0 ?
		res->stream_ms + res->ready_wait_ms + res->commit_ms :
		pvx_mig_mono_ms() - t0;
	return rc;
}
