/*
 * The xl vif spec: comma-separated `key=value` pairs, all optional ('' is
 * a NIC with every default). pvx keeps mac, bridge, ip, gateway, script,
 * vifname and model; the other keys xl knows (rate, mtu, ...) are warned
 * about and ignored, so an xl config still loads; anything else is an
 * error, since a typo in a NIC spec should not silently give a different
 * NIC. Every error is one `file:line` line (diag.c).
 *
 * The MAC must be six colon-separated hex pairs and a unicast address
 * (a multicast source MAC breaks bridges); it is stored lower-case. A
 * missing MAC is generated at create time (cmd_network_dev.c), as xl does.
 * pvx-netback knows two ways to attach the TAP (pv-drivers/net/netif.h):
 * script=vif-bridge (the default) and script=vif-route, which needs the
 * guest's ip and Dom0's gateway address; xl's script paths
 * (/etc/xen/scripts/vif-bridge) are accepted and stored as the bare name.
 * Interface names (bridge, vifname) are checked as Linux will: 1-15
 * characters, and pvx keeps to [A-Za-z0-9_.-] so a name is never a path
 * or an option to `ip`.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int check_mac(const struct cfg_value *v, char *mac, struct cfg_diag *d)
{
	static const char hex[] = "0123456789abcdefABCDEF";

	for (size_t i = 0; i < 17; i++) {
		bool colon = i % 3 == 2;

		if (colon ? mac[i] != ':' : !mac[i] || !strchr(hex, mac[i]))
			goto bad;
	}
	if (mac[17])
		goto bad;
	for (size_t i = 0; i < 17; i++)
		mac[i] = (char)tolower((unsigned char)mac[i]);
	if (strtoul(mac, NULL, 16) & 1)
		return cfg_verror(d, v, mac, "vif MAC must be unicast (the low bit"
				  " of the first byte clear)");
	return 0;
bad:
	return cfg_verror(d, v, mac, "bad vif MAC (six hex pairs like"
			  " 00:16:3e:12:34:56)");
}

/* One or more space-separated IPv4/IPv6 addresses, each with an
 * optional /prefix. */
static int check_ip(const struct cfg_value *v, const char *ip, struct cfg_diag *d)
{
	char buf[64], *save = NULL, *tok, *copy = strdup(ip), *slash;
	unsigned char addr[16];
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (tok = strtok_r(copy, " ", &save); tok && !rc;
	     tok = strtok_r(NULL, " ", &save)) {
		snprintf(buf, sizeof(buf), "%s", tok);
		slash = strchr(buf, '/');
		if (slash)
			*slash = '\0';
		if (strlen(tok) >= sizeof(buf) ||
		    (inet_pton(AF_INET, buf, addr) != 1 &&
		     inet_pton(AF_INET6, buf, addr) != 1) ||
		    (slash && (!slash[1] || strspn(slash + 1, "0123456789") !=
			       strlen(slash + 1) || atoi(slash + 1) > 128)))
			rc = cfg_verror(d, v, tok, "bad vif ip address");
	}
	free(copy);
	return rc;
}

/* IFNAMSIZ - 1: the kernel's limit for a network interface name. */
#define VIF_IFNAME_MAX 15

static int check_ifname(const struct cfg_value *v, const char *key,
			const char *name, struct cfg_diag *d)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_.-";
	size_t n = strlen(name);

	if (n == 0 || n > VIF_IFNAME_MAX || strspn(name, ok) != n ||
	    !strcmp(name, ".") || !strcmp(name, "..") || name[0] == '-')
		return cfg_verror(d, v, name, "bad vif %s name (1-%d characters of"
				  " A-Z a-z 0-9 _ . -, not starting with '-')",
				  key, VIF_IFNAME_MAX);
	return 0;
}

static int check_gateway(const struct cfg_value *v, const char *gw,
			 struct cfg_diag *d)
{
	unsigned char addr[4];

	if (inet_pton(AF_INET, gw, addr) != 1)
		return cfg_verror(d, v, gw, "bad vif gateway (one IPv4 address like"
				  " 10.0.0.1, no prefix)");
	return 0;
}

/* "vif-bridge", "vif-route", or an xl script path ending in either. */
static int check_script(const struct cfg_value *v, char *script,
			struct cfg_diag *d)
{
	const char *base = strrchr(script, '/');

	base = base ? base + 1 : script;
	if (strcmp(base, "vif-bridge") != 0 && strcmp(base, "vif-route") != 0)
		return cfg_verror(d, v, script, "unsupported vif script (pvx-netback"
				  " does vif-bridge or vif-route)");
	memmove(script, base, strlen(base) + 1);
	return 0;
}

static char **field(struct pvx_vif_spec *out, const char *key)
{
	if (!strcmp(key, "mac"))
		return &out->mac;
	if (!strcmp(key, "bridge"))
		return &out->bridge;
	if (!strcmp(key, "ip"))
		return &out->ip;
	if (!strcmp(key, "gateway"))
		return &out->gateway;
	if (!strcmp(key, "script"))
		return &out->script;
	if (!strcmp(key, "vifname"))
		return &out->vifname;
	if (!strcmp(key, "model"))
		return &out->model;
	return NULL;
}

static int vif_item(const struct cfg_value *v, struct pvx_vif_spec *out,
		    char *item, struct cfg_diag *d)
{
	static const char *const ignored[] = {
		"type", "backend", "rate", "mtu", "vlan", "devid",
		"gatewaydev", "accel", "trusted", "untrusted",
	};
	char *eq = strchr(item, '='), *key = item, *val, **f;

	if (eq) {
		*eq = '\0';
		key = trim(item);
	}
	for (size_t i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		if (!strcmp(key, ignored[i])) {
			cfg_warn(d, v->source, v->line, "vif parameter '%s' is not"
				 " supported yet, ignored", key);
			return 0;
		}
	}
	f = field(out, key);
	if (!f)
		return cfg_verror(d, v, key, "unknown vif parameter");
	if (!eq)
		return cfg_verror(d, v, key, "vif parameter needs a value (key=value)");
	val = trim(eq + 1);
	if (*f)
		return cfg_verror(d, v, key, "vif parameter '%s' given twice", key);
	if (!*val)
		return cfg_verror(d, v, key, "vif parameter '%s' is empty", key);
	*f = strdup(val);
	if (!*f)
		return -ENOMEM;
	if (f == &out->mac)
		return check_mac(v, *f, d);
	if (f == &out->ip)
		return check_ip(v, *f, d);
	if (f == &out->bridge)
		return check_ifname(v, "bridge", *f, d);
	if (f == &out->vifname)
		return check_ifname(v, "vifname", *f, d);
	if (f == &out->gateway)
		return check_gateway(v, *f, d);
	if (f == &out->script)
		return check_script(v, *f, d);
	return 0;
}

/* The keys that only make sense together (netif.h, "Attachment"). */
static int check_attachment(const struct cfg_value *v,
			    const struct pvx_vif_spec *out, struct cfg_diag *d)
{
	bool route = out->script && !strcmp(out->script, "vif-route");

	if (!route && out->gateway)
		return cfg_verror(d, v, "gateway", "vif gateway needs script=vif-route");
	if (route && out->bridge)
		return cfg_verror(d, v, "bridge", "vif bridge does not apply to"
				  " script=vif-route");
	if (route && !out->ip)
		return cfg_verror(d, v, "vif-route", "script=vif-route needs ip="
				  " (the guest's address to route)");
	if (route && !out->gateway)
		return cfg_verror(d, v, "vif-route", "script=vif-route needs gateway="
				  " (Dom0's address on the TAP)");
	return 0;
}

int cfg_parse_vif(const struct cfg_value *v, struct pvx_vif_spec *out,
		  struct cfg_diag *d)
{
	char *spec = strdup(v->text), *p, *comma, *item;
	int rc = 0;

	if (!spec)
		return -ENOMEM;
	for (p = spec; !rc && p; p = comma ? comma + 1 : NULL) {
		comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		item = trim(p);
		if (*item)
			rc = vif_item(v, out, item, d);
	}
	free(spec);
	return rc ? rc : check_attachment(v, out, d);
}

void cfg_vif_dispose(struct pvx_vif_spec *vif)
{
	free(vif->mac);
	free(vif->bridge);
	free(vif->ip);
	free(vif->gateway);
	free(vif->script);
	free(vif->vifname);
	free(vif->model);
	memset(vif, 0, sizeof(*vif));
}
