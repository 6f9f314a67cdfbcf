/* xl's memory size syntax for mem-set and mem-max (memsize.c). */
#ifndef PVX_CLI_MEMSIZE_H
#define PVX_CLI_MEMSIZE_H

#include <stdint.h>

/*
 * "512m", "1G", "2048" (no suffix: MiB, as xl), "65536k", "1t",
 * "4194304b": decimal digits and at most one suffix b/k/m/g/t, any case.
 * *kib gets the size in KiB. -EINVAL: not that form, zero, or not whole
 * 4 KiB pages; -ERANGE: beyond 2^64 bytes.
 */
int pvx_parse_mem_kib(const char *s, uint64_t *kib);

#endif /* PVX_CLI_MEMSIZE_H */
