/*
 * pvx block-list DOMAIN: one line per vbd, xl's columns:
 *   Vdev  BE  handle  state  evt-ch  ring-ref  BE-path
 * (state is the frontend's XenbusState, -1 where a key is missing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvx/ctlclient.h>
#include <pvx/xs.h>

#include "cmd.h"
#include "cmd_block.h"

static long long num(struct xs_handle *h, const char *dir, const char *key)
{
	char path[200], *v = NULL;
	long long n = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	if (xs_read(h, XBT_NULL, path, &v, NULL) == 0)
		n = strtoll(v, NULL, 10);
	free(v);
	return n;
}

static void print_vbd(struct xs_handle *h, const char *fe, const char *name)
{
	char path[200], *be = NULL, *ref = NULL;

	snprintf(path, sizeof(path), "%s/backend", fe);
	if (xs_read(h, XBT_NULL, path, &be, NULL) < 0)
		be = NULL;
	snprintf(path, sizeof(path), "%s/ring-ref", fe);
	if (xs_read(h, XBT_NULL, path, &ref, NULL) < 0) {
		snprintf(path, sizeof(path), "%s/ring-ref0", fe);
		if (xs_read(h, XBT_NULL, path, &ref, NULL) < 0)
			ref = NULL;
	}
	printf("%-8s %-4lld %-7s %-6lld %-7lld %-9s %s\n", name, num(h, fe, "backend-id"),
	       name, num(h, fe, "state"), num(h, fe, "event-channel"), ref ? ref : "-1",
	       be ? be : "-");
	free(be);
	free(ref);
}

int cmd_block_list(int argc, char **argv)
{
	struct xs_handle *h = NULL;
	struct pvx_ctl *c;
	char dir[80], fe[120], **names = NULL;
	unsigned n = 0;
	int32_t domid;
	int rc = pvx_open_dom(argc, argv, &c, &domid);

	if (rc)
		return rc;
	pvx_ctl_close(c);
	rc = xs_open(&h);
	if (rc < 0) {
		pvx_err("cannot reach pvxstored: %s", strerror(-rc));
		return 1;
	}
	snprintf(dir, sizeof(dir), "/local/domain/%d/device/vbd", (int)domid);
	printf("%-8s %-4s %-7s %-6s %-7s %-9s %s\n", "Vdev", "BE", "handle", "state",
	       "evt-ch", "ring-ref", "BE-path");
	if (xs_directory(h, XBT_NULL, dir, &names, &n) == 0) {
		for (unsigned i = 0; i < n; i++) {
			snprintf(fe, sizeof(fe), "%s/%s", dir, names[i]);
			print_vbd(h, fe, names[i]);
		}
		free(names);
	}
	xs_close(h);
	return 0;
}
