/* The host fakes of the minios services blkfront.c uses (fake_minios.c,
 * over the shared ../frontfake/fake_xs.c). */
#ifndef TEST_BLKFRONT_FAKE_MINIOS_H
#define TEST_BLKFRONT_FAKE_MINIOS_H

#include <stdint.h>

#include "../../../pv-drivers/blk/front/blkfront.h"
#include "../frontfake/fake_xs.h"

void fake_reset(void); /* fake_xs_reset(), and this driver's counters */
extern int ringfront_live;
void blkfront_io_reset(struct blkfront_dev *d);

#endif
