/*
 * The two pointers every hypercall goes through (hypercall.h). The
 * platform's hypercall_init() sets them before the first call: pvh to
 * its .bss page and boot.asm's `out; ret`, pv to pvxd's pages.
 */
#include <minios/hypercall.h>

const uint8_t *hypercall_stubs;
const void *hypercall_raw_entry;
