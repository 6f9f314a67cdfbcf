/*
 * Where a vif's TAP goes once it exists: the jobs of Xen's vif-bridge and
 * vif-route hotplug scripts, done with ioctls (no shelling out to `ip`).
 *
 * vif-bridge: B/bridge is created if missing (SIOCBRADDBR, then up, no
 * address) and the TAP becomes its port (SIOCBRADDIF). A bridge that
 * already exists is used as it is, whoever made it. Bridges are never
 * removed by pvx-netback, not even the ones it created: the host may
 * have given one an address or other ports since (Dom0 reaching its
 * guests does exactly that), a guest rebooting would make it flap, and
 * the next guest of the same config wants it again. `ip link del` is
 * the user's call, as with Xen's scripts.
 *
 * vif-route: the TAP gets B/gateway/32 (SIOCSIFADDR, SIOCSIFNETMASK) and
 * a host route through it to each address of B/ip (SIOCADDRT). Deleting
 * the TAP takes its address and routes away. Forwarding and proxy ARP
 * are host policy, left to the administrator.
 *
 * Everything here is idempotent (EEXIST / EBUSY for what is already in
 * place count as success): a restarted daemon runs it again over a TAP
 * that survived.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <net/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netbackd.h"

static int sock_ioctl(unsigned long req, void *arg)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (s < 0)
		return -errno;
	rc = ioctl(s, req, arg) < 0 ? -errno : 0;
	close(s);
	return rc;
}

static int if_up(const char *name)
{
	struct ifreq ifr = { 0 };
	int rc;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	rc = sock_ioctl(SIOCGIFFLAGS, &ifr);
	if (rc < 0 || (ifr.ifr_flags & IFF_UP))
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return sock_ioctl(SIOCSIFFLAGS, &ifr);
}

static int bridge_attach(const struct nb_vif_cfg *c, const char *lp)
{
	struct ifreq ifr = { 0 };
	char name[IFNAMSIZ];
	int rc;

	snprintf(name, sizeof(name), "%s", c->bridge);
	if (!if_nametoindex(name)) {
		rc = sock_ioctl(SIOCBRADDBR, name);
		if (rc < 0 && rc != -EEXIST) {
			pvx_log_err("%s: cannot create bridge %s: %s", lp, name, strerror(-rc));
			return rc;
		}
		if (!rc)
			pvx_log_info("%s: created bridge %s", lp, name);
	}
	rc = if_up(name);
	if (rc < 0) {
		pvx_log_err("%s: cannot bring bridge %s up: %s", lp, name, strerror(-rc));
		return rc;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_ifindex = (int)if_nametoindex(c->vifname);
	rc = ifr.ifr_ifindex ? sock_ioctl(SIOCBRADDIF, &ifr) : -ENODEV;
	if (rc == -EBUSY)
		rc = 0; /* a port already: ours, surviving a restart (tap.c) */
	if (rc < 0)
		pvx_log_err("%s: cannot add %s to bridge %s: %s (is %s a bridge?)", lp,
			    c->vifname, name, strerror(-rc), name);
	return rc;
}

static void set_sin(struct sockaddr *sa, struct in_addr a)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr = a };

	memcpy(sa, &sin, sizeof(sin));
}

static int route_attach(const struct nb_vif_cfg *c, const char *lp)
{
	struct ifreq ifr = { 0 };
	char dev[IFNAMSIZ], text[INET_ADDRSTRLEN];
	int rc = 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->vifname);
	snprintf(dev, sizeof(dev), "%s", c->vifname);
	if (c->has_gateway) {
		set_sin(&ifr.ifr_addr, c->gateway);
		rc = sock_ioctl(SIOCSIFADDR, &ifr);
		if (!rc) {
			set_sin(&ifr.ifr_netmask, (struct in_addr){ htonl(0xffffffffu) });
			rc = sock_ioctl(SIOCSIFNETMASK, &ifr);
		}
		if (rc < 0) {
			pvx_log_err("%s: cannot give %s its gateway address: %s", lp,
				    c->vifname, strerror(-rc));
			return rc;
		}
	}
	for (unsigned i = 0; i < c->nr_ips; i++) {
		struct rtentry rt = { .rt_flags = RTF_UP | RTF_HOST, .rt_dev = dev };

		set_sin(&rt.rt_dst, c->ips[i]);
		set_sin(&rt.rt_genmask, (struct in_addr){ htonl(0xffffffffu) });
		rc = sock_ioctl(SIOCADDRT, &rt);
		if (rc == -EEXIST)
			rc = 0;
		if (rc < 0) {
			inet_ntop(AF_INET, &c->ips[i], text, sizeof(text));
			pvx_log_err("%s: cannot route %s through %s: %s", lp, text,
				    c->vifname, strerror(-rc));
			return rc;
		}
	}
	return 0;
}

int nb_attach(const struct nb_vif_cfg *cfg, const char *log_prefix)
{
	if (cfg->script == NB_SCRIPT_ROUTE)
		return route_attach(cfg, log_prefix);
	return bridge_attach(cfg, log_prefix);
}
