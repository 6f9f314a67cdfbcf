/*
 * The pvxd unit tests' fake platform and fake domains
 * (tests/unit/pvxd/harness.c) for fuzz_hcall, built without Check: its
 * assertions only work inside a Check runner, here they abort.
 */
#define PVXD_HARNESS_NO_CHECK
#include "../unit/pvxd/harness.c"
