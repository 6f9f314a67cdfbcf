/*
 * Choosing the domain type (builder/domtype.c): the whole table of
 * kernel types x host types x config type -> chosen type or error, and
 * the exact one-line messages users see for the common mistakes (Linux
 * as pv, pvh without KVM, nothing in common, pvxd refusing a type).
 */
#include <check.h>
#include <errno.h>
#include <string.h>

#include <pvx/domtype.h>

#include "suites.h"

#define PVH PVX_TYPE_BIT(PVX_TYPE_PVH)
#define PV PVX_TYPE_BIT(PVX_TYPE_PV)
#define BOTH (PVH | PV)
#define AUTO (-1)
#define T_PVH PVX_TYPE_PVH
#define T_PV PVX_TYPE_PV

static const struct {
	uint32_t kernel, host;   /* host 0: a pvxd that predates types */
	int want;
	int rc;                  /* 0: chose `type`; else the error */
	uint32_t type;
	const char *msg;         /* substring of the reason or error */
} table[] = {
	/* kernel pvh only (Linux, today's minios) */
	{ PVH, 0,    AUTO,  0, T_PVH, "kernel supports pvh only; host runs pvh" },
	{ PVH, PVH,  AUTO,  0, T_PVH, "kernel supports pvh only; host runs pvh" },
	{ PVH, PV,   AUTO,  -ENODEV, 0, "runs as pvh, this host runs pv (no usable /dev/kvm" },
	{ PVH, BOTH, AUTO,  0, T_PVH, "kernel supports pvh only; host runs pvh, pv" },
	{ PVH, 0,    T_PVH, 0, T_PVH, "from the config" },
	{ PVH, PVH,  T_PVH, 0, T_PVH, "from the config" },
	{ PVH, PV,   T_PVH, -ENODEV, 0, "needs KVM and this host has none" },
	{ PVH, BOTH, T_PVH, 0, T_PVH, "from the config" },
	{ PVH, 0,    T_PV,  -ENOEXEC, 0, "cannot run as type \"pv\"" },
	{ PVH, PVH,  T_PV,  -ENOEXEC, 0, "cannot run as type \"pv\"" },
	{ PVH, PV,   T_PV,  -ENOEXEC, 0, "cannot run as type \"pv\"" },
	{ PVH, BOTH, T_PV,  -ENOEXEC, 0, "cannot run as type \"pv\"" },
	/* kernel pv only */
	{ PV, 0,     AUTO,  -ENODEV, 0, "runs as pv, this host runs pvh: no type both can run" },
	{ PV, PVH,   AUTO,  -ENODEV, 0, "runs as pv, this host runs pvh: no type both can run" },
	{ PV, PV,    AUTO,  0, T_PV, "no usable /dev/kvm on this host; kernel supports pv" },
	{ PV, BOTH,  AUTO,  0, T_PV, "kernel supports pv only; host runs pvh, pv" },
	{ PV, 0,     T_PVH, -ENOEXEC, 0, "cannot run as type \"pvh\"" },
	{ PV, PVH,   T_PVH, -ENOEXEC, 0, "cannot run as type \"pvh\"" },
	{ PV, PV,    T_PVH, -ENOEXEC, 0, "cannot run as type \"pvh\"" },
	{ PV, BOTH,  T_PVH, -ENOEXEC, 0, "cannot run as type \"pvh\"" },
	{ PV, 0,     T_PV,  -ENODEV, 0, "does not run type \"pv\" domains (it runs pvh only)" },
	{ PV, PVH,   T_PV,  -ENODEV, 0, "does not run type \"pv\" domains (it runs pvh only)" },
	{ PV, PV,    T_PV,  0, T_PV, "from the config" },
	{ PV, BOTH,  T_PV,  0, T_PV, "from the config" },
	/* kernel pvh and pv (minios on both platforms) */
	{ BOTH, 0,    AUTO,  0, T_PVH, "host runs pvh only; kernel supports pvh, pv" },
	{ BOTH, PVH,  AUTO,  0, T_PVH, "host runs pvh only; kernel supports pvh, pv" },
	{ BOTH, PV,   AUTO,  0, T_PV, "no usable /dev/kvm on this host; kernel supports pvh, pv" },
	{ BOTH, BOTH, AUTO,  0, T_PVH, "pvh preferred; kernel supports pvh, pv; host runs pvh, pv" },
	{ BOTH, 0,    T_PVH, 0, T_PVH, "from the config" },
	{ BOTH, PVH,  T_PVH, 0, T_PVH, "from the config" },
	{ BOTH, PV,   T_PVH, -ENODEV, 0, "needs KVM and this host has none" },
	{ BOTH, BOTH, T_PVH, 0, T_PVH, "from the config" },
	{ BOTH, 0,    T_PV,  -ENODEV, 0, "does not run type \"pv\" domains" },
	{ BOTH, PVH,  T_PV,  -ENODEV, 0, "does not run type \"pv\" domains" },
	{ BOTH, PV,   T_PV,  0, T_PV, "from the config" },
	{ BOTH, BOTH, T_PV,  0, T_PV, "from the config" },
};

START_TEST(selection_table)
{
	struct pvx_ctl_hello_rsp h = { .types = table[_i].host, .kvm = "kvm api 12" };
	struct pvx_type_query q = {
		.want = table[_i].want, .kernel = "/k",
		.kernel_types = table[_i].kernel, .host_types = pvx_host_types(&h),
		.host_kvm = table[_i].host & PVH || !table[_i].host ? "kvm api 12"
								    : "open /dev/kvm: ENOENT",
	};
	uint32_t type = 99;
	char msg[512] = "";
	int rc = pvx_type_choose(&q, &type, msg, sizeof(msg));

	ck_assert_msg(rc == table[_i].rc, "case %d: rc %d, want %d (%s)", _i, rc,
		      table[_i].rc, msg);
	if (rc == 0)
		ck_assert_uint_eq(type, table[_i].type);
	ck_assert_msg(strstr(msg, table[_i].msg), "case %d: got '%s', want '%s'", _i, msg,
		      table[_i].msg);
	ck_assert_ptr_null(strchr(msg, '\n'));
}
END_TEST

static int choose(uint32_t kernel, bool linux_os, uint32_t host, int want, char *msg,
		  size_t len, uint32_t *type)
{
	struct pvx_type_query q = {
		.want = want, .kernel = "/boot/vmlinuz", .kernel_types = kernel,
		.kernel_linux = linux_os, .host_types = host,
		.host_kvm = "open /dev/kvm: No such file or directory",
	};

	return pvx_type_choose(&q, type, msg, len);
}

/* The exact lines docs/config.md shows. */
START_TEST(exact_messages)
{
	char msg[512];
	uint32_t type;

	ck_assert_int_eq(choose(PVH, true, BOTH, T_PV, msg, sizeof(msg), &type), -ENOEXEC);
	ck_assert_str_eq(msg, "kernel '/boot/vmlinuz' cannot run as type \"pv\": it has no "
			 "pvx pv entry note (\"PVX\" PVX_ELFNOTE_PV_ENTRY), and Linux runs only "
			 "as pvh: use type = \"pvh\"");
	ck_assert_int_eq(choose(BOTH, false, PV, T_PVH, msg, sizeof(msg), &type), -ENODEV);
	ck_assert_str_eq(msg, "type \"pvh\" needs KVM and this host has none (no usable "
			 "/dev/kvm: open /dev/kvm: No such file or directory): use type = \"pv\"");
	ck_assert_int_eq(choose(PVH, true, PV, AUTO, msg, sizeof(msg), &type), -ENODEV);
	ck_assert_str_eq(msg, "kernel '/boot/vmlinuz' runs as pvh (Linux runs only as pvh), "
			 "this host runs pv (no usable /dev/kvm: open /dev/kvm: No such file or "
			 "directory): no type both can run");
	ck_assert_int_eq(choose(PV, false, BOTH, T_PVH, msg, sizeof(msg), &type), -ENOEXEC);
	ck_assert_str_eq(msg, "kernel '/boot/vmlinuz' cannot run as type \"pvh\": it has no "
			 "PVH entry note (Xen note XEN_ELFNOTE_PHYS32_ENTRY): use type = \"pv\"");
	ck_assert_int_eq(choose(BOTH, false, PVH, T_PV, msg, sizeof(msg), &type), -ENODEV);
	ck_assert_str_eq(msg, "this host does not run type \"pv\" domains (it runs pvh only): "
			 "use type = \"pvh\"");
	ck_assert_int_eq(choose(PVH, false, PV, T_PVH, msg, sizeof(msg), &type), -ENODEV);
	ck_assert_ptr_nonnull(strstr(msg, "use type = \"pv\" (with a kernel that has a pvx pv "
				     "entry note)"));
	ck_assert_int_eq(choose(BOTH, false, PV, AUTO, msg, sizeof(msg), &type), 0);
	ck_assert_str_eq(msg, "no usable /dev/kvm on this host; kernel supports pvh, pv");
	pvx_type_enodev_msg(T_PVH, "open /dev/kvm: EACCES", msg, sizeof(msg));
	ck_assert_str_eq(msg, "pvxd cannot run type \"pvh\" domains on this host (kvm: open "
			 "/dev/kvm: EACCES): use type = \"pv\"");
	pvx_type_enodev_msg(T_PV, "", msg, sizeof(msg));
	ck_assert_str_eq(msg, "pvxd cannot run type \"pv\" domains on this host: use type = \"pvh\"");
}
END_TEST

START_TEST(names_and_host_types)
{
	struct pvx_ctl_hello_rsp h = { 0 };
	char buf[32];

	ck_assert_str_eq(pvx_type_name(PVX_TYPE_PVH), "pvh");
	ck_assert_str_eq(pvx_type_name(PVX_TYPE_PV), "pv");
	ck_assert_ptr_null(pvx_type_name(PVX_TYPE_COUNT));
	ck_assert_ptr_null(pvx_type_name(UINT32_MAX));
	ck_assert_int_eq(pvx_type_from_name("pvh"), PVX_TYPE_PVH);
	ck_assert_int_eq(pvx_type_from_name("pv"), PVX_TYPE_PV);
	ck_assert_int_eq(pvx_type_from_name("hvm"), -EINVAL);
	ck_assert_int_eq(pvx_type_from_name(NULL), -EINVAL);
	ck_assert_uint_eq(pvx_host_types(&h), PVH);   /* predates types */
	h.types = PV | 0x80000000u;                   /* unknown bits dropped */
	ck_assert_uint_eq(pvx_host_types(&h), PV);
	pvx_types_str(BOTH, " ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "pvh pv");
	pvx_types_str(PV, ", ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "pv");
	pvx_types_str(0, ", ", buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
}
END_TEST

Suite *make_domtype_suite(void)
{
	Suite *s = suite_create("domtype");
	TCase *t = tcase_create("core");

	tcase_add_loop_test(t, selection_table, 0, sizeof(table) / sizeof(table[0]));
	tcase_add_test(t, exact_messages);
	tcase_add_test(t, names_and_host_types);
	suite_add_tcase(s, t);
	return s;
}
