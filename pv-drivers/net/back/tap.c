/*
 * A vif's TAP device: /dev/net/tun in IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
 * IFF_MULTI_QUEUE mode, one file descriptor per queue.
 *
 * The TAP is PERSISTENT (TUNSETPERSIST): it exists from the vif's creation
 * until its backend directory is removed, whether or not a queue fd is
 * open. That is what lets a pvx-netback killed with -9 come back to the
 * same device, still in its bridge, with its routes: the restart re-opens
 * the TAP by name instead of re-creating and re-attaching it. While no
 * fd is attached the kernel reports NO-CARRIER and the bridge does not
 * forward to it, so a vif without a connected frontend does not swallow
 * frames either. Removal is explicit: TUNSETPERSIST 0 on a last fd, whose
 * close then deletes the device (and with it its bridge port, addresses
 * and routes).
 *
 * Every fd carries a virtio-net header (TUNSETVNETHDRSZ) so checksum
 * offload crosses the TAP both ways, and TUNSETOFFLOAD(TUN_F_CSUM) lets
 * the host hand us frames whose L4 checksum is left to be filled in (rx
 * marks them csum_blank for the guest). No TSO/UFO: the contract
 * advertises no GSO. Data fds are non-blocking.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netbackd.h"

#define TAP_FLAGS (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE)

/* The TAP's own MAC, as Xen gives its vifs: never a guest's address, and
 * high enough that a bridge never takes it as its own. */
static const uint8_t tap_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff };

static int tun_attach(const char *name)
{
	struct ifreq ifr = { .ifr_flags = TAP_FLAGS };
	int hdr = (int)sizeof(struct virtio_net_hdr);
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0 ||
	    ioctl(fd, TUNSETOFFLOAD, (unsigned long)TUN_F_CSUM) < 0) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* An AF_INET datagram socket: the handle for interface ioctls. */
static int if_sock(void)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	return s < 0 ? -errno : s;
}

static int if_ioctl(int s, unsigned long req, struct ifreq *ifr)
{
	return ioctl(s, req, ifr) < 0 ? -errno : 0;
}

/* MTU, MAC and IFF_UP on `name`. */
static int tap_configure(const char *name)
{
	struct ifreq ifr = { 0 };
	int s = if_sock(), rc;

	if (s < 0)
		return s;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_mtu = PVX_NET_MTU;
	rc = if_ioctl(s, SIOCSIFMTU, &ifr);
	if (!rc) {
		ifr.ifr_hwaddr.sa_family = 1; /* ARPHRD_ETHER */
		memcpy(ifr.ifr_hwaddr.sa_data, tap_mac, sizeof(tap_mac));
		rc = if_ioctl(s, SIOCSIFHWADDR, &ifr);
	}
	if (!rc)
		rc = if_ioctl(s, SIOCGIFFLAGS, &ifr);
	if (!rc && !(ifr.ifr_flags & IFF_UP)) {
		ifr.ifr_flags |= IFF_UP;
		rc = if_ioctl(s, SIOCSIFFLAGS, &ifr);
	}
	close(s);
	return rc;
}

bool nb_tap_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

int nb_tap_create(const char *name)
{
	int fd = tun_attach(name), rc;

	if (fd < 0)
		return fd;
	rc = ioctl(fd, TUNSETPERSIST, 1) < 0 ? -errno : 0;
	if (!rc)
		rc = tap_configure(name);
	if (rc < 0)
		ioctl(fd, TUNSETPERSIST, 0); /* ours half made: the close deletes it */
	close(fd);
	return rc;
}

int nb_tap_open_queue(const char *name)
{
	return tun_attach(name);
}

int nb_tap_delete(const char *name)
{
	int fd, rc;

	if (!nb_tap_exists(name))
		return 0;
	fd = tun_attach(name);
	if (fd < 0)
		return fd;
	rc = ioctl(fd, TUNSETPERSIST, 0) < 0 ? -errno : 0;
	close(fd); /* the last fd of a non-persistent TAP: the device goes */
	return rc;
}
