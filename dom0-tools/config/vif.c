/*
 * The xl vif spec: comma-separated `key=value` pairs, all optional ('' is
 * a NIC with every default). pvx keeps mac, bridge, ip, script and model;
 * the other keys xl knows (rate, mtu, vifname, ...) are warned about and
 * ignored, so an xl config still loads; anything else is an error, since
 * a typo in a NIC spec should not silently give a different NIC.
 *
 * The MAC must be six colon-separated hex pairs and a unicast address
 * (a multicast source MAC breaks bridges); it is stored lower-case.
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

static int check_bridge(const struct cfg_value *v, const char *br,
			struct cfg_diag *d)
{
	size_t n = strlen(br);

	if (n == 0 || n > 15 || strpbrk(br, "/ \t:"))
		return cfg_verror(d, v, br, "bad vif bridge name (1-15 characters,"
				  " no '/', ':' or spaces)");
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
	if (!strcmp(key, "script"))
		return &out->script;
	if (!strcmp(key, "model"))
		return &out->model;
	return NULL;
}

static int vif_item(const struct cfg_value *v, struct pvx_vif_spec *out,
		    char *item, struct cfg_diag *d)
{
	static const char *const ignored[] = {
		"type", "vifname", "backend", "rate", "mtu", "vlan", "devid",
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
		return check_bridge(v, *f, d);
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
	return rc;
}

void cfg_vif_dispose(struct pvx_vif_spec *vif)
{
	free(vif->mac);
	free(vif->bridge);
	free(vif->ip);
	free(vif->script);
	free(vif->model);
	memset(vif, 0, sizeof(*vif));
}
