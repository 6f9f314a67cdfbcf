/*
 * A scripted pvxd for libpvxgnttab's tests: one thread answers the
 * GNTTAB control ops on a socketpair. Granted frame `ref` lives at memfd
 * offset ref * 4096 of a 16-page memfd (ref 999: an offset past the end,
 * as a broken pvxd might send); copies from the guest read 0xAB. The
 * test reads what the library asked for from `fake`.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_pvxd.h"

struct fake_pvxd fake;
static int server_fd = -1;
static pthread_t thread;

static void reply(const struct pvx_ctl_hdr *q, const void *p, uint32_t len, int fd)
{
	struct pvx_ctl_hdr h = *q;
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)p, len } };
	union { struct cmsghdr c; char b[CMSG_SPACE(sizeof(int))]; } u;
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	h.len = len;
	h.status = 0;
	if (fd >= 0) {
		memset(&u, 0, sizeof(u));
		m.msg_control = u.b;
		m.msg_controllen = sizeof(u.b);
		u.c.cmsg_level = SOL_SOCKET;
		u.c.cmsg_type = SCM_RIGHTS;
		u.c.cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(&u.c), &fd, sizeof(int));
	}
	sendmsg(server_fd, &m, 0);
}

static void on_map(const struct pvx_ctl_hdr *h, const uint8_t *p, uint8_t *out)
{
	struct pvx_ctl_gnttab_map_req q;
	struct pvx_ctl_gnttab_map_rsp r = { 0 };
	const struct pvx_ctl_gnttab_ref *refs = (const void *)(p + sizeof(q));
	struct pvx_ctl_gnttab_map_res *res = (void *)(out + sizeof(r));
	int fd = -1;

	memcpy(&q, p, sizeof(q));
	fake.maps++;
	fake.last_want_memfd = q.flags & PVX_CTL_GNTMAP_WANT_MEMFD;
	r.cookie = fake.cookie;
	r.count = q.count;
	if (fake.last_want_memfd) {
		fd = memfd_create("fake", 0);
		ftruncate(fd, FAKE_PAGES * 4096);
		r.memfd_size = FAKE_PAGES * 4096;
	}
	for (uint32_t i = 0; i < q.count; i++)
		res[i] = (struct pvx_ctl_gnttab_map_res){
			.offset = refs[i].ref == 999 ? 1ull << 40 : refs[i].ref * 4096ull,
			.gfn = refs[i].ref, .handle = fake.next_handle++, .status = 0 };
	memcpy(out, &r, sizeof(r));
	reply(h, out, sizeof(r) + q.count * sizeof(*res), fd);
	if (fd >= 0)
		close(fd);
}

static void on_unmap(const struct pvx_ctl_hdr *h, const uint8_t *p, uint8_t *out)
{
	struct pvx_ctl_gnttab_unmap_req q;

	memcpy(&q, p, sizeof(q));
	fake.unmaps++;
	fake.unmapped += q.count;
	memset(out, 0, q.count * sizeof(int32_t));
	reply(h, out, q.count * sizeof(int32_t), -1);
}

static void on_copy(const struct pvx_ctl_hdr *h, const uint8_t *p, uint8_t *out)
{
	struct pvx_ctl_gnttab_copy_req q;
	const struct pvx_ctl_gnttab_copy_seg *s = (const void *)(p + sizeof(q));
	uint32_t from = 0;

	memcpy(&q, p, sizeof(q));
	fake.copies++;
	for (uint32_t i = 0; i < q.count; i++)
		if (s[i].flags & PVX_CTL_GNTCOPY_TO_GUEST)
			fake.to_guest_bytes += s[i].len;
		else
			from += s[i].len;
	memset(out, 0, q.count * sizeof(int32_t));
	memset(out + q.count * sizeof(int32_t), 0xAB, from);
	reply(h, out, q.count * sizeof(int32_t) + from, -1);
}

static void *serve(void *arg)
{
	static uint8_t in[sizeof(struct pvx_ctl_hdr) + PVX_CTL_MAX_PAYLOAD];
	static uint8_t out[PVX_CTL_MAX_PAYLOAD];

	(void)arg;
	for (;;) {
		ssize_t n = recv(server_fd, in, sizeof(in), 0);
		struct pvx_ctl_hdr h;

		if (n < (ssize_t)sizeof(h))
			break;
		memcpy(&h, in, sizeof(h));
		if (h.op == PVX_CTL_GNTTAB_MAP)
			on_map(&h, in + sizeof(h), out);
		else if (h.op == PVX_CTL_GNTTAB_UNMAP)
			on_unmap(&h, in + sizeof(h), out);
		else if (h.op == PVX_CTL_GNTTAB_COPY)
			on_copy(&h, in + sizeof(h), out);
	}
	return NULL;
}

struct pvx_ctl *fake_pvxd_start(void)
{
	struct pvx_ctl *c;
	int sv[2];

	memset(&fake, 0, sizeof(fake));
	fake.cookie = 1;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
	server_fd = sv[1];
	ck_assert_int_eq(pvx_ctl_from_fd(sv[0], &c), 0);
	ck_assert_int_eq(pthread_create(&thread, NULL, serve, NULL), 0);
	return c;
}

void fake_pvxd_stop(struct pvx_ctl *c)
{
	pvx_ctl_close(c);
	pthread_join(thread, NULL);
	close(server_fd);
}
