/*
 * The sandbox's seccomp filter, built at run time because it names the
 * shim's own image, which only the shim knows for sure.
 *
 *   arch != x86-64                           -> notify (pvxd logs it)
 *   ip inside the shim image                 -> allow (the shim's own
 *       set-up calls; unreachable once the shim has unmapped itself, and
 *       the guest can map nothing there)
 *   munmap(shim base, shim length) from the launch trampoline -> allow
 *   rt_sigreturn from the restorer trampoline                 -> allow
 *   anything else                            -> notify
 * pvxd then tells a hypercall from a forbidden call by the address
 * (pvproc_recv); the filter does not need to, so it stays short and the
 * hypercall path runs five BPF instructions.
 *
 * seccomp_data: nr at 0, arch at 4, instruction_pointer at 8, args at
 * 16 + 8 * i; 64-bit fields are compared as two little-endian halves.
 */
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../pvproc_wire.h"
#include "shim.h"

#define OFF_NR        0
#define OFF_ARCH      4
#define OFF_IP_LO     8
#define OFF_IP_HI     12
#define OFF_ARG_LO(i) (16 + 8 * (i))
#define OFF_ARG_HI(i) (20 + 8 * (i))

/* Symbolic jump targets, resolved by fixup(): 0 = next instruction. */
enum { T_NEXT = 0, T_ALLOW = -1, T_NOTIFY = -2, T_SIGRET = -3, T_NOTSHIM = -4 };

struct insn {
	uint16_t code;
	int jt, jf;
	uint32_t k;
	int label;   /* this instruction carries label T_SIGRET / T_NOTSHIM */
};

#define LD(off)          { BPF_LD | BPF_W | BPF_ABS, 0, 0, (off), 0 }
#define JEQ(v, t, f)     { BPF_JMP | BPF_JEQ | BPF_K, (t), (f), (v), 0 }
#define JGE(v, t, f)     { BPF_JMP | BPF_JGE | BPF_K, (t), (f), (v), 0 }
#define RET(v)           { BPF_RET | BPF_K, 0, 0, (v), 0 }

static int target(const struct insn *p, int n, int i, int t)
{
	if (t == T_NEXT)
		return 0;
	for (int j = i + 1; j < n; j++)
		if (p[j].label == t)
			return j - i - 1;
	return 0;
}

int shim_filter_build(struct sock_filter *out, int max, uint64_t base, uint64_t len)
{
	uint64_t end = base + len;
	uint32_t tr = (uint32_t)(PVX_PV_TRAMPOLINE_VA);
	struct insn p[] = {
		LD(OFF_ARCH),
		JEQ(AUDIT_ARCH_X86_64, T_NEXT, T_NOTIFY),
		LD(OFF_IP_HI),
		JEQ((uint32_t)(base >> 32), T_NEXT, T_NOTSHIM),
		LD(OFF_IP_LO),
		JGE((uint32_t)base, T_NEXT, T_NOTIFY),
		JGE((uint32_t)end, T_NOTIFY, T_ALLOW),
		{ BPF_JMP | BPF_JEQ | BPF_K, T_NEXT, T_NOTIFY, 0, T_NOTSHIM },
		LD(OFF_NR),
		JEQ(__NR_munmap, T_NEXT, T_SIGRET),
		LD(OFF_IP_LO),
		JEQ(tr + PVPROC_TR_LAUNCH_SYSCALL_END, T_NEXT, T_NOTIFY),
		LD(OFF_ARG_LO(0)),
		JEQ((uint32_t)base, T_NEXT, T_NOTIFY),
		LD(OFF_ARG_HI(0)),
		JEQ((uint32_t)(base >> 32), T_NEXT, T_NOTIFY),
		LD(OFF_ARG_LO(1)),
		JEQ((uint32_t)len, T_NEXT, T_NOTIFY),
		LD(OFF_ARG_HI(1)),
		JEQ((uint32_t)(len >> 32), T_ALLOW, T_NOTIFY),
		{ BPF_JMP | BPF_JEQ | BPF_K, T_NEXT, T_NOTIFY, __NR_rt_sigreturn, T_SIGRET },
		LD(OFF_IP_LO),
		JEQ(tr + PVPROC_TR_RESTORER_SYSCALL_END, T_ALLOW, T_NOTIFY),
		{ BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW, T_ALLOW },
		{ BPF_RET | BPF_K, 0, 0, SECCOMP_RET_USER_NOTIF, T_NOTIFY },
	};
	int n = (int)(sizeof(p) / sizeof(p[0]));

	if (n > max)
		return -1;
	for (int i = 0; i < n; i++) {
		out[i].code = p[i].code;
		out[i].k = p[i].k;
		out[i].jt = (uint8_t)target(p, n, i, p[i].jt);
		out[i].jf = (uint8_t)target(p, n, i, p[i].jf);
	}
	return n;
}
