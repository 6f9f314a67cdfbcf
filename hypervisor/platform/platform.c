/*
 * platform: the table of platforms, probed once at start (platform.h).
 *
 * A platform whose probe fails stays in the table, marked unusable with
 * its reason: a create for its type gets -ENODEV, hello reports the
 * types that work and why KVM is missing. pvxd starts even when no
 * platform works, so `pvx info` can still say why.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "platform.h"
#include "pvxd.h"

#define WHY_LEN 96

static const struct platform_ops *const builtin[PVX_TYPE_COUNT] = {
	[PVX_TYPE_PVH] = &platform_pvh,
	[PVX_TYPE_PV]  = &platform_pv,
};

static const char *const type_name[PVX_TYPE_COUNT] = {
	[PVX_TYPE_PVH] = "pvh",
	[PVX_TYPE_PV]  = "pv",
};

static const struct platform_ops *const *table = builtin;
static uint32_t usable;
static struct event_base *loop;
static char why[PVX_TYPE_COUNT][WHY_LEN];

static void probe(uint32_t t)
{
	const struct platform_ops *p = table[t];
	int r;

	if (!p) {
		snprintf(why[t], WHY_LEN, "not built into this pvxd");
		log_warn("platform %s: %s", type_name[t], why[t]);
		return;
	}
	why[t][0] = '\0';
	r = p->host_init ? p->host_init(why[t], WHY_LEN) : 0;
	if (r < 0) {
		if (!why[t][0])
			snprintf(why[t], WHY_LEN, "%s", strerror(-r));
		log_warn("platform %s: not usable: %s", p->name, why[t]);
		return;
	}
	usable |= PVX_TYPE_BIT(t);
	log_info("platform %s: usable", p->name);
}

int platform_host_init(void)
{
	usable = 0;
	for (uint32_t t = 0; t < PVX_TYPE_COUNT; t++)
		probe(t);
	if (!usable)
		log_err("no usable platform: every create will fail with ENODEV");
	return 0;
}

void platform_host_exit(void)
{
	for (uint32_t t = PVX_TYPE_COUNT; t-- > 0; )
		if (usable & PVX_TYPE_BIT(t) && table[t]->host_exit)
			table[t]->host_exit();
	usable = 0;
}

const struct platform_ops *platform_get(uint32_t type, int *err)
{
	if (type >= PVX_TYPE_COUNT) {
		*err = -EINVAL;
		return NULL;
	}
	if (!(usable & PVX_TYPE_BIT(type))) {
		*err = -ENODEV;
		return NULL;
	}
	*err = 0;
	return table[type];
}

uint32_t platform_types(void)
{
	return usable;
}

const char *platform_why(uint32_t type)
{
	return type < PVX_TYPE_COUNT ? why[type] : "unknown type";
}

void platform_set_loop(struct event_base *base)
{
	loop = base;
}

struct event_base *platform_loop(void)
{
	return loop;
}

void platform_set_table(const struct platform_ops *const *t, uint32_t ok)
{
	table = t ? t : builtin;
	usable = t ? ok : 0;
	memset(why, 0, sizeof(why));
}
