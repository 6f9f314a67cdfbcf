/*
 * pvx migrate [options] DOMAIN HOST       (over ssh, as xl does)
 * pvx migrate [options] --tcp ADDR:PORT --token TOKEN DOMAIN
 *
 * Opens the channel to a `pvx migrate-receive` on the target and runs
 * the source side (migrate_send.c). Exit 0: the domain runs on the
 * target and is gone here; otherwise it still runs here (or, after an
 * unanswered commit, is left suspended and the message says so).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pvx/ctlclient.h>
#include <pvx/json.h>

#include "cmd.h"
#include "migrate.h"

struct mig_cli {
	struct pvx_mig_send_opts so;
	const char *tcp, *ssh_cmd, *remote, *dom, *host;
	bool json;
};

enum { OPT_MAXDT = 256, OPT_ROUNDS, OPT_TCP, OPT_TOKEN, OPT_SSH, OPT_TIMEOUT,
       OPT_NOLIVE, OPT_REMOTE };

static const struct option mig_longopts[] = {
	{ "live", no_argument, NULL, 'l' },
	{ "non-live", no_argument, NULL, OPT_NOLIVE },
	{ "max-downtime", required_argument, NULL, OPT_MAXDT },
	{ "max-rounds", required_argument, NULL, OPT_ROUNDS },
	{ "json", no_argument, NULL, 'j' },
	{ "tcp", required_argument, NULL, OPT_TCP },
	{ "token", required_argument, NULL, OPT_TOKEN },
	{ "ssh-cmd", required_argument, NULL, OPT_SSH },
	{ "remote-cmd", required_argument, NULL, OPT_REMOTE },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ NULL, 0, NULL, 0 },
};

static int mig_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v > max)
		return -EINVAL;
	*out = (unsigned)v;
	return 0;
}

static int mig_parse(int argc, char **argv, struct mig_cli *m)
{
	unsigned v;
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+lj", mig_longopts, NULL)) != -1) {
		switch (opt) {
		case 'l': m->so.save.live = true; break;
		case OPT_NOLIVE: m->so.save.live = false; break;
		case 'j': m->json = true; break;
		case OPT_TCP: m->tcp = optarg; break;
		case OPT_TOKEN: m->so.token = optarg; break;
		case OPT_SSH: m->ssh_cmd = optarg; break;
		case OPT_REMOTE: m->remote = optarg; break;
		case OPT_MAXDT:
			if (mig_uint(optarg, 600000, &m->so.save.max_downtime_ms) ||
			    !m->so.save.max_downtime_ms)
				return pvx_usage_err("migrate", "bad --max-downtime '%s'", optarg);
			break;
		case OPT_ROUNDS:
			if (mig_uint(optarg, 10000, &m->so.save.max_rounds) ||
			    !m->so.save.max_rounds)
				return pvx_usage_err("migrate", "bad --max-rounds '%s'", optarg);
			break;
		case OPT_TIMEOUT:
			if (mig_uint(optarg, 3600, &v) || !v)
				return pvx_usage_err("migrate", "bad --timeout '%s'", optarg);
			m->so.timeout_s = (int)v;
			break;
		default:
			return pvx_opt_err("migrate", "lj", argv);
		}
	}
	if (optind >= argc)
		return pvx_usage_err("migrate", "no domain given");
	m->dom = argv[optind++];
	if (!m->tcp && optind >= argc)
		return pvx_usage_err("migrate", "no host given (or --tcp ADDR:PORT)");
	if (!m->tcp)
		m->host = argv[optind++];
	if (optind != argc)
		return pvx_usage_err("migrate", "unexpected argument '%s'", argv[optind]);
	if (m->tcp && !m->so.token)
		return pvx_usage_err("migrate", "--tcp needs --token (printed by "
				     "migrate-receive --listen)");
	return 0;
}

static void mig_print_json(const struct mig_cli *m, int rc,
			   const struct pvx_mig_result *r)
{
	json_t *o = json_pack("{s:s, s:s, s:b, s:b}", "domain", m->dom,
			      "result", rc == 0 ? "migrated" : "failed",
			      "source_resumed", r->resumed, "uncertain", r->uncertain);

	pvx_json_set(o, "bytes", pvx_json_u64(r->st.bytes));
	pvx_json_set(o, "pages", pvx_json_u64(r->st.pages));
	pvx_json_set(o, "rounds", pvx_json_u64(r->st.rounds));
	pvx_json_set(o, "last_round_pages", pvx_json_u64(r->st.last_round_pages));
	pvx_json_set(o, "dirty_rate_mibs", pvx_json_fixed(r->st.dirty_rate_mibs, 2));
	pvx_json_set(o, "total_ms", pvx_json_fixed(r->st.total_ms, 3));
	pvx_json_set(o, "suspended_ms", pvx_json_fixed(r->st.suspended_ms, 3));
	pvx_json_set(o, "downtime_ms", pvx_json_fixed(r->downtime_ms, 3));
	pvx_json_set(o, "downtime_rtt_ms", pvx_json_fixed(r->downtime_rtt_ms, 3));
	pvx_json_set(o, "restore_ms", pvx_json_fixed(r->restore_ms, 3));
	/* Phases, in order (docs/migration-protocol.md). */
	pvx_json_set(o, "hello_ms", pvx_json_fixed(r->hello_ms, 3));
	pvx_json_set(o, "precopy_ms", pvx_json_fixed(r->st.precopy_ms, 3));
	pvx_json_set(o, "suspend_ms", pvx_json_fixed(r->st.suspend_ms, 3));
	pvx_json_set(o, "last_round_ms", pvx_json_fixed(r->st.last_round_ms, 3));
	pvx_json_set(o, "stream_ms", pvx_json_fixed(r->stream_ms, 3));
	pvx_json_set(o, "target_build_ms", pvx_json_fixed(r->ready_wait_ms, 3));
	pvx_json_set(o, "commit_ms", pvx_json_fixed(r->commit_ms, 3));
	pvx_json_set(o, "destroy_ms", pvx_json_fixed(r->destroy_ms, 3));
	if (rc)
		pvx_json_set(o, "error", pvx_json_string(strerror(-rc)));
	pvx_json_dump(stdout, o, PVX_JSON_PRETTY, 1);
}

static int mig_channel(const struct mig_cli *m, int *fd, int *pid)
{
	int rc;

	*pid = -1;
	if (!m->tcp)
		return pvx_mig_spawn(m->ssh_cmd ? m->ssh_cmd : "ssh", m->host,
				     m->remote ? m->remote : "pvx migrate-receive",
				     fd, pid);
	rc = pvx_mig_connect(m->tcp, m->so.timeout_s);
	if (rc < 0) {
		pvx_err("migrate: cannot connect to %s: %s%s", m->tcp, strerror(-rc),
			rc == -ECONNREFUSED ? " (is `pvx migrate-receive --listen` "
			"running there? it takes one migration)" : "");
		return rc;
	}
	*fd = rc;
	pvx_mig_sock_timeouts(*fd, m->so.timeout_s);
	return 0;
}

int cmd_migrate(int argc, char **argv)
{
	struct mig_cli m = { .so = { .save = { .live = true, .max_downtime_ms = 60,
					       .max_rounds = 30 },
				     .timeout_s = 30 } };
	struct pvx_mig_result res;
	struct pvx_ctl *c = NULL;
	int32_t domid;
	int fd = -1, pid = -1, rc = mig_parse(argc, argv, &m);

	if (rc)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	m.so.save.progress = !m.json && isatty(2);
	c = pvx_connect();
	if (!c)
		return 1;
	rc = pvx_resolve(c, m.dom, &domid);
	if (rc)
		goto out;
	rc = mig_channel(&m, &fd, &pid);
	if (rc) {
		pvx_err("migrate: '%s' was not touched", m.dom);
		goto out;
	}
	rc = pvx_mig_send(&pvx_mig_host_ops, c, domid, fd, &m.so, &res);
	if (m.json)
		mig_print_json(&m, rc, &res);
	else if (rc == 0)
		fprintf(stderr, "pvx: migrate: '%s' runs on the target (%.0f ms, "
			"downtime %.1f ms, %u rounds)\n", m.dom, res.st.total_ms,
			res.downtime_ms, res.st.rounds);
	close(fd);
	if (pid > 0)
		waitpid(pid, NULL, 0);
out:
	pvx_ctl_close(c);
	return rc != 0;
}
