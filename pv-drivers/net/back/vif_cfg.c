/*
 * A vif's configuration: the keys the toolstack wrote in B (netif.h),
 * parsed with bounds and checked before anything is created. B is not
 * guest-writable, but a typo in a config, a hand-written key or a
 * toolstack bug must give one clear line naming the domain, the vif and
 * the key, never a device with a strange name or a crash.
 *
 *   mac      required, "xx:xx:xx:xx:xx:xx", unicast
 *   vifname  optional ("vifD.N"), 1..15 of [A-Za-z0-9_.-], not "." or ".."
 *   script   optional, vif-bridge (default) or vif-route (a path ending
 *            in one of those names is accepted, as Xen's toolstack writes)
 *   bridge   required with vif-bridge, a name like vifname
 *   ip       optional, up to NB_MAX_IPS "A.B.C.D[/P]" separated by spaces
 *   gateway  optional, vif-route only, "A.B.C.D"
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netbackd.h"

int nb_parse_mac(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return -EINVAL;
		if (s[2] != (i == 5 ? '\0' : ':'))
			return -EINVAL;
		mac[i] = (uint8_t)strtoul((char[3]){ s[0], s[1], 0 }, NULL, 16);
		s += 3;
	}
	return (mac[0] & 1) ? -EINVAL : 0; /* a multicast address is no NIC's */
}

int nb_check_ifname(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || !strcmp(s, ".") || !strcmp(s, ".."))
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return -EINVAL;
	return 0;
}

/* "A.B.C.D" or "A.B.C.D/P" (0 <= P <= 32; prefix -1 when absent). */
int nb_parse_ipv4(const char *s, struct in_addr *a, int *prefix)
{
	char buf[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	*prefix = -1;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, a) != 1)
		return -EINVAL;
	if (slash) {
		char *end;
		long p = strtol(slash + 1, &end, 10);

		if (end == slash + 1 || *end || p < 0 || p > 32)
			return -EINVAL;
		*prefix = (int)p;
	}
	return 0;
}

/* B/key into buf: 0, -ENOENT, or -E2BIG (too long for buf). */
static int read_key(struct nb_vif *v, const char *key, char *buf, size_t cap)
{
	return nb_xs_read_str(v->d, v->dev.be, key, buf, cap);
}

static int parse_ips(struct nb_vif_cfg *c, char *list, char *err, size_t errlen,
		     const char *lp)
{
	char *save = NULL;

	for (char *tok = strtok_r(list, " \t,", &save); tok; tok = strtok_r(NULL, " \t,", &save)) {
		int prefix;

		if (c->nr_ips == NB_MAX_IPS) {
			snprintf(err, errlen, "%s: key ip: more than %d addresses", lp, NB_MAX_IPS);
			return -EINVAL;
		}
		if (nb_parse_ipv4(tok, &c->ips[c->nr_ips], &prefix) < 0) {
			snprintf(err, errlen, "%s: key ip: '%.40s' is not A.B.C.D[/P]", lp, tok);
			return -EINVAL;
		}
		c->nr_ips++;
	}
	return 0;
}

static const char *script_base(const char *s)
{
	const char *slash = strrchr(s, '/');

	return slash ? slash + 1 : s;
}

static int read_script(struct nb_vif *v, struct nb_vif_cfg *c, char *err, size_t errlen,
		       const char *lp)
{
	char buf[128];
	int rc = read_key(v, "script", buf, sizeof(buf));

	c->script = NB_SCRIPT_BRIDGE;
	if (rc == -ENOENT || (rc == 0 && buf[0] == '\0'))
		return 0;
	if (rc == 0 && !strcmp(script_base(buf), "vif-route"))
		c->script = NB_SCRIPT_ROUTE;
	else if (rc < 0 || strcmp(script_base(buf), "vif-bridge") != 0) {
		snprintf(err, errlen, "%s: key script: '%.40s' is neither vif-bridge nor vif-route",
			 lp, rc < 0 ? "(unreadable)" : buf);
		return -EINVAL;
	}
	return 0;
}

static int read_names(struct nb_vif *v, struct nb_vif_cfg *c, char *err, size_t errlen,
		      const char *lp)
{
	char buf[64];
	int rc = read_key(v, "vifname", buf, sizeof(buf));

	if (rc == -ENOENT || (rc == 0 && buf[0] == '\0'))
		snprintf(buf, sizeof(buf), PVX_NET_VIFNAME_FMT, (int)v->dev.domid, v->dev.devid);
	else if (rc < 0 || nb_check_ifname(buf) < 0) {
		snprintf(err, errlen, "%s: key vifname: '%.40s' is not an interface name "
			 "(1 to %d of A-Z a-z 0-9 _ . -)", lp, rc < 0 ? "(too long)" : buf,
			 IFNAMSIZ - 1);
		return -EINVAL;
	}
	if (nb_check_ifname(buf) < 0) {
		snprintf(err, errlen, "%s: the default TAP name '%s' is too long", lp, buf);
		return -EINVAL;
	}
	memcpy(c->vifname, buf, strlen(buf) + 1); /* checked: < IFNAMSIZ */
	if (c->script != NB_SCRIPT_BRIDGE)
		return 0;
	rc = read_key(v, "bridge", buf, sizeof(buf));
	if (rc == -ENOENT || (rc == 0 && buf[0] == '\0')) {
		snprintf(err, errlen, "%s: key bridge: missing (script vif-bridge needs one)", lp);
		return -EINVAL;
	}
	if (rc < 0 || nb_check_ifname(buf) < 0 || !strcmp(buf, c->vifname)) {
		snprintf(err, errlen, "%s: key bridge: '%.40s' is not a bridge name", lp,
			 rc < 0 ? "(too long)" : buf);
		return -EINVAL;
	}
	memcpy(c->bridge, buf, strlen(buf) + 1); /* checked: < IFNAMSIZ */
	return 0;
}

static int read_addrs(struct nb_vif *v, struct nb_vif_cfg *c, char *err, size_t errlen,
		      const char *lp)
{
	char buf[256];
	int rc = read_key(v, "ip", buf, sizeof(buf)), prefix;

	if (rc == -E2BIG) {
		snprintf(err, errlen, "%s: key ip: longer than %zu bytes", lp, sizeof(buf) - 1);
		return -EINVAL;
	}
	if (rc == 0 && parse_ips(c, buf, err, errlen, lp) < 0)
		return -EINVAL;
	if (c->script != NB_SCRIPT_ROUTE)
		return 0;
	rc = read_key(v, "gateway", buf, sizeof(buf));
	if (rc == 0 && buf[0]) {
		if (nb_parse_ipv4(buf, &c->gateway, &prefix) < 0 || prefix >= 0) {
			snprintf(err, errlen, "%s: key gateway: '%.40s' is not A.B.C.D", lp, buf);
			return -EINVAL;
		}
		c->has_gateway = true;
	}
	return 0;
}

int nb_cfg_read(struct nb_vif *v, char *err, size_t errlen)
{
	struct nb_vif_cfg c = { 0 };
	char lp[48], buf[64];
	int rc;

	snprintf(lp, sizeof(lp), "domain %d vif %u", (int)v->dev.domid, v->dev.devid);
	if (v->dev.devid >= PVX_NET_MAX_VIFS) {
		snprintf(err, errlen, "%s: vif index out of range (at most %d vifs per domain)",
			 lp, PVX_NET_MAX_VIFS);
		return -EINVAL;
	}
	rc = read_key(v, "mac", buf, sizeof(buf));
	if (rc == -ENOENT) {
		snprintf(err, errlen, "%s: key mac: missing", lp);
		return -EINVAL;
	}
	if (rc < 0 || nb_parse_mac(buf, c.mac) < 0) {
		snprintf(err, errlen, "%s: key mac: '%.40s' is not a unicast "
			 "xx:xx:xx:xx:xx:xx address", lp, rc < 0 ? "(too long)" : buf);
		return -EINVAL;
	}
	if (read_script(v, &c, err, errlen, lp) < 0 || read_names(v, &c, err, errlen, lp) < 0 ||
	    read_addrs(v, &c, err, errlen, lp) < 0)
		return -EINVAL;
	v->cfg = c;
	return 0;
}
