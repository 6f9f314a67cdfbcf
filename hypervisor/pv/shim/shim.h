/* The shim's internal interface (see shim.c). */
#ifndef PVPROC_SHIM_H
#define PVPROC_SHIM_H

#include <stdint.h>
#include <linux/filter.h>
#include <pvx/pv.h>

#include "sys.h"

int shim_filter_build(struct sock_filter *out, int max, uint64_t base, uint64_t len);

#endif
