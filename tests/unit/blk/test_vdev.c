/* pvx_blk_vdev_devid: vdev names to xenstore device numbers (xen-vbd-interface). */
#include <errno.h>

#include "harness.h"
#include "../../../dom0-tools/pvx/cmd_block.h"

static const struct {
	const char *vdev;
	int rc;
	uint32_t devid;
} rows[] = {
	{ "xvda", 0, 51712 },       { "xvdb", 0, 51728 },
	{ "xvdp", 0, (202u << 8) | (15u << 4) },
	{ "xvdq", 0, (1u << 28) | (16u << 8) },
	{ "xvdaa", 0, (1u << 28) | (26u << 8) },
	{ "51712", 0, 51712 },      { "268439552", 0, 268439552 },
	{ "xvd", -EINVAL, 0 },      { "xvdA", -EINVAL, 0 },
	{ "sda", -EINVAL, 0 },      { "hda", -EINVAL, 0 },
	{ "0", -EINVAL, 0 },        { "12x", -EINVAL, 0 },
	{ "xvdaaaa", -EINVAL, 0 },  { "", -EINVAL, 0 },
	{ "99999999999", -EINVAL, 0 },
};

START_TEST(vdev_table)
{
	uint32_t devid = 7;
	int rc = pvx_blk_vdev_devid(rows[_i].vdev, &devid);

	ck_assert_msg(rc == rows[_i].rc, "%s: rc %d", rows[_i].vdev, rc);
	if (rc == 0)
		ck_assert_msg(devid == rows[_i].devid, "%s: %u", rows[_i].vdev, devid);
	else
		ck_assert_uint_eq(devid, 7); /* untouched on error */
}
END_TEST

Suite *make_vdev_suite(void)
{
	Suite *s = suite_create("vdev");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, vdev_table, 0, (int)(sizeof(rows) / sizeof(rows[0])));
	suite_add_tcase(s, tc);
	return s;
}
