/*
 * The socket protocol's command lines (docs/console.md), parsed without
 * trusting them: a line is at most PVX_CONSOLED_LINE_MAX bytes, words are
 * separated by single spaces, domids are decimal in [1, 0x7fef] (Xen's
 * DOMID_FIRST_RESERVED bound; Dom0 has no PV console here), names follow
 * the config's rules, so a name is always a safe file name:
 *
 *   add DOMID NAME        ping
 *   remove DOMID          list
 *   attach DOMID [rw|ro]
 *
 * Errors travel as errno names, shared with the client (client.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "consoled.h"

#define DOMID_MAX 0x7fef

static const struct {
	const char *name;
	enum cons_op op;
	int min_args, max_args;
} cmds[] = {
	{ "add", CONS_OP_ADD, 2, 2 },
	{ "remove", CONS_OP_REMOVE, 1, 1 },
	{ "attach", CONS_OP_ATTACH, 1, 2 },
	{ "list", CONS_OP_LIST, 0, 0 },
	{ "ping", CONS_OP_PING, 0, 0 },
};

bool cons_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= PVX_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || strchr("_.-+:@", c)))
			return false;
	}
	return true;
}

static int parse_domid(const char *s, int32_t *out)
{
	long v = 0;

	if (!*s || strlen(s) > 5)
		return -EINVAL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		v = v * 10 + (*s - '0');
	}
	if (v < 1 || v > DOMID_MAX)
		return -EINVAL;
	*out = (int32_t)v;
	return 0;
}

static int bad(char *why, size_t len, const char *msg, const char *word)
{
	snprintf(why, len, "%s: '%.40s'", msg, word);
	return -EINVAL;
}

static int split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	if (*p == ' ')
		return -1;
	while (*p) {
		if (n == max)
			return -1;
		words[n++] = p;
		p = strchr(p, ' ');
		if (!p)
			break;
		*p++ = '\0';
		if (!*p || *p == ' ')
			return -1;      /* empty word */
	}
	return n;
}

int cons_proto_parse(const char *line, struct cons_req *req, char *why,
		     size_t whylen)
{
	char buf[PVX_CONSOLED_LINE_MAX], *w[4];
	size_t len = strlen(line);
	int n, i;

	memset(req, 0, sizeof(*req));
	if (len >= sizeof(buf))
		return bad(why, whylen, "line too long", "");
	memcpy(buf, line, len + 1);
	if (len && buf[len - 1] == '\r')
		buf[--len] = '\0';
	n = split(buf, w, 4);
	if (n <= 0)
		return bad(why, whylen, "malformed line", line);
	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++)
		if (!strcmp(w[0], cmds[i].name))
			break;
	if (i == (int)(sizeof(cmds) / sizeof(cmds[0])))
		return bad(why, whylen, "unknown command", w[0]);
	if (n - 1 < cmds[i].min_args || n - 1 > cmds[i].max_args)
		return bad(why, whylen, "wrong number of arguments", w[0]);
	req->op = cmds[i].op;
	if (n > 1 && parse_domid(w[1], &req->domid))
		return bad(why, whylen, "bad domain id", w[1]);
	if (req->op == CONS_OP_ADD) {
		if (!cons_name_valid(w[2]))
			return bad(why, whylen, "bad domain name", w[2]);
		snprintf(req->name, sizeof(req->name), "%s", w[2]);
	}
	if (req->op == CONS_OP_ATTACH) {
		if (n == 3 && strcmp(w[2], "rw") && strcmp(w[2], "ro"))
			return bad(why, whylen, "mode must be rw or ro", w[2]);
		req->rw = n == 2 || !strcmp(w[2], "rw");
	}
	return 0;
}

static const struct { int err; const char *name; } errnames[] = {
	{ EINVAL, "EINVAL" }, { ENOENT, "ENOENT" }, { EEXIST, "EEXIST" },
	{ ESRCH, "ESRCH" }, { ENOMEM, "ENOMEM" }, { EIO, "EIO" },
	{ EBUSY, "EBUSY" }, { EPERM, "EPERM" }, { EACCES, "EACCES" },
	{ ENOTCONN, "ENOTCONN" }, { ECONNREFUSED, "ECONNREFUSED" },
	{ EPROTO, "EPROTO" }, { ENOSPC, "ENOSPC" }, { E2BIG, "E2BIG" },
	{ ENODEV, "ENODEV" }, { EFAULT, "EFAULT" },
};

const char *cons_errno_name(int err)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	return "EIO";
}

int cons_errno_value(const char *name)
{
	for (size_t i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (!strcmp(errnames[i].name, name))
			return errnames[i].err;
	return EIO;
}
