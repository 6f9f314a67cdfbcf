/*
 * libpvxctl operations: one small typed wrapper per control op over
 * pvx_ctl_call(). Each checks that the reply has exactly the size its op
 * defines, so a short or padded reply from a mismatched pvxd is an error
 * (-EPROTO), never a half-filled struct.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>

static int call_exact(struct pvx_ctl *c, uint16_t op, int32_t domid,
		      const void *req, uint32_t req_len, void *rsp, uint32_t rsp_size)
{
	uint32_t got = 0;
	int rc = pvx_ctl_call(c, op, domid, req, req_len, rsp, rsp_size, &got,
			      NULL, 0, NULL);

	if (rc == 0 && got != rsp_size)
		rc = -EPROTO;
	return rc;
}

static int call_void(struct pvx_ctl *c, uint16_t op, int32_t domid,
		     const void *req, uint32_t req_len)
{
	return call_exact(c, op, domid, req, req_len, NULL, 0);
}

int pvx_ctl_hello(struct pvx_ctl *c, struct pvx_ctl_hello_rsp *out)
{
	int rc = call_exact(c, PVX_CTL_HELLO, -1, NULL, 0, out, sizeof(*out));

	if (rc == 0) {
		/* pvxd's strings are fixed arrays: make sure they end. */
		out->extraversion[sizeof(out->extraversion) - 1] = '\0';
		out->caps[sizeof(out->caps) - 1] = '\0';
		out->kvm[sizeof(out->kvm) - 1] = '\0';
		if (out->version != PVX_CTL_VERSION)
			rc = -EPROTONOSUPPORT;
	}
	return rc;
}

int pvx_ctl_create(struct pvx_ctl *c, const struct pvx_ctl_create_req *req,
		   int32_t *domid)
{
	struct pvx_ctl_create_rsp rsp;
	int rc = call_exact(c, PVX_CTL_CREATE, -1, req, sizeof(*req), &rsp,
			    sizeof(rsp));

	if (rc == 0) {
		if (rsp.domid <= 0)
			return -EPROTO;
		*domid = rsp.domid;
	}
	return rc;
}

int pvx_ctl_destroy(struct pvx_ctl *c, int32_t domid)
{
	return call_void(c, PVX_CTL_DESTROY, domid, NULL, 0);
}

int pvx_ctl_pause(struct pvx_ctl *c, int32_t domid)
{
	return call_void(c, PVX_CTL_PAUSE, domid, NULL, 0);
}

int pvx_ctl_unpause(struct pvx_ctl *c, int32_t domid)
{
	return call_void(c, PVX_CTL_UNPAUSE, domid, NULL, 0);
}

int pvx_ctl_rename(struct pvx_ctl *c, int32_t domid, const char *name)
{
	struct pvx_ctl_rename_req req;

	if (!name || !*name || strlen(name) >= sizeof(req.name))
		return -EINVAL;
	memset(&req, 0, sizeof(req));
	strcpy(req.name, name);
	return call_void(c, PVX_CTL_RENAME, domid, &req, sizeof(req));
}

int pvx_ctl_set_maxmem(struct pvx_ctl *c, int32_t domid, uint64_t maxmem_kib)
{
	struct pvx_ctl_maxmem_req req = { .maxmem_kib = maxmem_kib };

	return call_void(c, PVX_CTL_SET_MAXMEM, domid, &req, sizeof(req));
}

int pvx_ctl_shutdown(struct pvx_ctl *c, int32_t domid, int reason)
{
	struct pvx_ctl_shutdown_req req = { .reason = reason };

	return call_void(c, PVX_CTL_SHUTDOWN, domid, &req, sizeof(req));
}

static void fix_dominfo(struct pvx_ctl_dominfo *d)
{
	d->name[sizeof(d->name) - 1] = '\0';
}

/* One page from start into v[*n..]; *got = entries it held. A page must
 * only hold domains >= start, ascending: anything else is -EPROTO (a
 * broken pvxd must not make us loop). */
static int list_page(struct pvx_ctl *c, int32_t start, bool paged,
		     struct pvx_ctl_dominfo *v, size_t *got)
{
	struct pvx_ctl_list_req req = { .start_domid = start };
	const uint32_t cap = PVX_CTL_LIST_PAGE * sizeof(*v);
	uint32_t len = 0;
	int rc = pvx_ctl_call(c, PVX_CTL_LIST, -1, paged ? &req : NULL,
			      paged ? sizeof(req) : 0, v, cap, &len, NULL, 0, NULL);

	if (rc == 0 && len % sizeof(*v))
		rc = -EPROTO;
	*got = rc == 0 ? len / sizeof(*v) : 0;
	for (size_t i = 0; rc == 0 && i < *got; i++) {
		if (v[i].domid < start || (i && v[i].domid <= v[i - 1].domid))
			rc = -EPROTO;
		fix_dominfo(&v[i]);
	}
	return rc;
}

int pvx_ctl_list(struct pvx_ctl *c, struct pvx_ctl_dominfo **out, size_t *n)
{
	struct pvx_ctl_dominfo *v = NULL, *grown;
	size_t have = 0, got = PVX_CTL_LIST_PAGE;
	int32_t start = 0;
	bool paged = true;
	int rc = 0;

	while (rc == 0 && got == PVX_CTL_LIST_PAGE) {
		grown = realloc(v, (have + PVX_CTL_LIST_PAGE) * sizeof(*v));
		if (!grown) {
			rc = -ENOMEM;
			break;
		}
		v = grown;
		rc = list_page(c, start, paged, v + have, &got);
		if (rc == -EINVAL && paged && have == 0) {
			paged = false; /* a pvxd without paging: its one page */
			rc = list_page(c, 0, false, v, &got);
			have = got;
			break;
		}
		have += got;
		if (got)
			start = v[have - 1].domid + 1;
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	*n = have;
	*out = v;
	return 0;
}

int pvx_ctl_info(struct pvx_ctl *c, int32_t domid, struct pvx_ctl_dominfo *out)
{
	int rc = call_exact(c, PVX_CTL_INFO, domid, NULL, 0, out, sizeof(*out));

	if (rc == 0)
		fix_dominfo(out);
	return rc;
}

/* A domid is written in decimal, digits only, no sign, no leading junk. */
static int parse_domid(const char *s, int32_t *out)
{
	long v = 0;

	if (!*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9' || v > 0x7fffffff / 10)
			return -EINVAL;
		v = v * 10 + (*p - '0');
	}
	if (v > 0x7fffffff)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

int pvx_ctl_lookup(struct pvx_ctl *c, const char *name_or_id, int32_t *domid)
{
	struct pvx_ctl_dominfo *v, info;
	size_t n;
	int rc;

	if (parse_domid(name_or_id, domid) == 0) {
		rc = pvx_ctl_info(c, *domid, &info);
		return rc == -ENOENT || rc == -EINVAL ? -ESRCH : rc;
	}
	rc = pvx_ctl_list(c, &v, &n);
	if (rc < 0)
		return rc;
	rc = -ESRCH;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].name, name_or_id) == 0) {
			*domid = v[i].domid;
			rc = 0;
			break;
		}
	}
	free(v);
	return rc;
}

int pvx_ctl_set_boot(struct pvx_ctl *c, int32_t domid, uint32_t vcpu,
		     uint64_t entry, uint64_t start_info_gpa)
{
	struct pvx_ctl_boot_req req = {
		.vcpu = vcpu, .entry = entry, .start_info_gpa = start_info_gpa,
	};

	return call_void(c, PVX_CTL_SET_BOOT, domid, &req, sizeof(req));
}

int pvx_ctl_set_hvm_param(struct pvx_ctl *c, int32_t domid, uint32_t index,
			  uint64_t value)
{
	struct pvx_ctl_hvm_param p = { .index = index, .value = value };

	return call_void(c, PVX_CTL_SET_HVM_PARAM, domid, &p, sizeof(p));
}

int pvx_ctl_get_hvm_param(struct pvx_ctl *c, int32_t domid, uint32_t index,
			  uint64_t *value)
{
	struct pvx_ctl_hvm_param p = { .index = index };
	int rc = call_exact(c, PVX_CTL_GET_HVM_PARAM, domid, &p, sizeof(p), &p,
			    sizeof(p));

	if (rc == 0) {
		if (p.index != index)
			return -EPROTO;
		*value = p.value;
	}
	return rc;
}

int pvx_ctl_dmesg(struct pvx_ctl *c, int32_t domid, uint64_t *offset,
		  char *buf, size_t cap)
{
	struct pvx_ctl_dmesg_req req = { .offset = *offset };
	struct pvx_ctl_dmesg_rsp rsp;
	const uint32_t room = PVX_CTL_MAX_PAYLOAD - sizeof(rsp);
	uint8_t *tmp;
	uint32_t got = 0;
	int rc;

	req.max_bytes = cap < room ? (uint32_t)cap : room;
	tmp = malloc(sizeof(rsp) + req.max_bytes);
	if (!tmp)
		return -ENOMEM;
	rc = pvx_ctl_call(c, PVX_CTL_DMESG, domid, &req, sizeof(req), tmp,
			  (uint32_t)sizeof(rsp) + req.max_bytes, &got, NULL, 0, NULL);
	if (rc == 0 && got < sizeof(rsp))
		rc = -EPROTO;
	if (rc == 0) {
		memcpy(&rsp, tmp, sizeof(rsp));
		got -= sizeof(rsp);
		if (rsp.next < rsp.offset || rsp.next - rsp.offset != got ||
		    rsp.offset < *offset) {
			rc = -EPROTO;
		} else {
			memcpy(buf, tmp + sizeof(rsp), got);
			*offset = rsp.next;
			rc = (int)got;
		}
	}
	free(tmp);
	return rc;
}
