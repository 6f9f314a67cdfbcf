/*
 * A domain's memory in a Dom0 process (ARCHITECTURE D6): pvxd hands out
 * the domain's memfd (PVX_CTL_GET_MEMFD); we map all of it MAP_SHARED, so
 * what we write is what the guest sees. RAM is memfd [0, ram_bytes) =
 * GPA [0, ram_bytes); the special pages follow at special_offset and are
 * guest-visible at PVX_SPECIAL_GPA.
 *
 * The geometry pvxd reports is checked against the fd's real size
 * before anything is mapped: a wrong reply must not make us touch bytes
 * past the end of the mapping.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/ctlclient.h>

static int check_geometry(const struct pvx_ctl_memfd_rsp *r, int fd)
{
	uint64_t special_len = (uint64_t)r->special_pages * PVX_PAGE_SIZE;
	struct stat st;

	if (fstat(fd, &st) < 0)
		return -errno;
	if ((uint64_t)st.st_size < r->memfd_size || r->memfd_size == 0 ||
	    r->memfd_size > SIZE_MAX)
		return -EPROTO;
	if (r->ram_bytes > r->memfd_size || r->ram_bytes % PVX_PAGE_SIZE)
		return -EPROTO;
	if (r->special_pages > 1024 || r->special_offset % PVX_PAGE_SIZE ||
	    r->special_offset > r->memfd_size ||
	    special_len > r->memfd_size - r->special_offset)
		return -EPROTO;
	if (r->special_gpa % PVX_PAGE_SIZE)
		return -EPROTO;
	return 0;
}

int pvx_dom_mem_map(struct pvx_ctl *c, int32_t domid, struct pvx_dom_mem *m)
{
	struct pvx_ctl_memfd_rsp r;
	uint32_t got = 0;
	int fd = -1, nfds = 0, rc;
	void *p;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	rc = pvx_ctl_call(c, PVX_CTL_GET_MEMFD, domid, NULL, 0, &r, sizeof(r),
			  &got, &fd, 1, &nfds);
	if (rc < 0)
		return rc;
	if (got != sizeof(r) || nfds != 1) {
		rc = -EPROTO;
		goto out;
	}
	rc = check_geometry(&r, fd);
	if (rc < 0)
		goto out;
	p = mmap(NULL, r.memfd_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	m->base = p;
	m->size = r.memfd_size;
	m->ram_bytes = r.ram_bytes;
	m->special = m->base + r.special_offset;
	m->special_gpa = r.special_gpa;
	m->special_pages = r.special_pages;
	m->fd = fd;
	return 0;
out:
	if (nfds && fd >= 0)
		close(fd);
	return rc;
}

void pvx_dom_mem_unmap(struct pvx_dom_mem *m)
{
	if (m->base)
		munmap(m->base, m->size);
	if (m->fd >= 0)
		close(m->fd);
	m->base = m->special = NULL;
	m->size = 0;
	m->fd = -1;
}

void *pvx_dom_mem_gpa(const struct pvx_dom_mem *m, uint64_t gpa, size_t len)
{
	uint64_t slen = (uint64_t)m->special_pages * PVX_PAGE_SIZE;

	if (!m->base)
		return NULL;
	if (gpa <= m->ram_bytes && len <= m->ram_bytes - gpa)
		return m->base + gpa;
	if (gpa >= m->special_gpa && gpa - m->special_gpa <= slen &&
	    len <= slen - (gpa - m->special_gpa))
		return m->special + (gpa - m->special_gpa);
	return NULL;
}
