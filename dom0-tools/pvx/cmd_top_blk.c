/*
 * pvx-blkback's statistics socket, client side (protocol in
 * pv-drivers/blk/blkif.h; transport in stats_sock.c): one `key=value
 * ...` line per vbd. Unknown keys are skipped; a missing counter reads
 * as PVX_TOP_UNKNOWN.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <blkif.h>

#include "cmd_top.h"
#include "stats_sock.h"

bool pvx_blk_stats_parse(const char *line, struct pvx_blk_stats *s)
{
	const struct pvx_stats_key keys[] = {
		{ "rd_reqs", &s->rd_reqs }, { "wr_reqs", &s->wr_reqs },
		{ "rd_bytes", &s->rd_bytes }, { "wr_bytes", &s->wr_bytes },
	};

	memset(s, 0xff, sizeof(*s)); /* a missing counter reads as PVX_TOP_UNKNOWN */
	return pvx_stats_parse_line(line, UINT32_MAX, &s->domid, &s->devid, keys,
				    sizeof(keys) / sizeof(keys[0]));
}

static int push(struct pvx_blk_stats **arr, size_t *k, size_t *cap,
		const struct pvx_blk_stats *one)
{
	if (*k == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct pvx_blk_stats *na = realloc(*arr, nc * sizeof(*na));

		if (!na)
			return -ENOMEM;
		*arr = na;
		*cap = nc;
	}
	(*arr)[(*k)++] = *one;
	return 0;
}

int pvx_blk_stats_read(struct pvx_blk_stats **v, size_t *n)
{
	struct pvx_blk_stats *arr = NULL, one;
	char *answer = NULL, *line, *save = NULL;
	size_t k = 0, cap = 0;
	int rc = pvx_stats_fetch(PVX_BLK_CTL_SOCK, &answer);

	if (rc < 0)
		return rc;
	for (line = strtok_r(answer, "\n", &save); line && rc == 0;
	     line = strtok_r(NULL, "\n", &save))
		if (pvx_blk_stats_parse(line, &one))
			rc = push(&arr, &k, &cap, &one);
	free(answer);
	if (rc < 0) {
		free(arr);
		return rc;
	}
	*v = arr;
	*n = k;
	return 0;
}
