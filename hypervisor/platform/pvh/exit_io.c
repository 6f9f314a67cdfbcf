/*
 * exit_io: port I/O and MMIO exits.
 *
 *  - `out` of 4 bytes to PVX_HYPERCALL_PORT is a hypercall: registers in,
 *    hcall_dispatch, result into rax. RIP is left alone: KVM completes
 *    the `out` on the next KVM_RUN.
 *  - 0x70/0x71: a CMOS RTC that reads the host's UTC clock (Linux reads
 *    it for the wallclock when pvclock is withheld).
 *  - 0x80: the POST port, which Linux writes as an I/O delay
 *    (thousands of times at boot): silently dropped.
 *  - Any other port or unbacked MMIO: reads return all-ones, writes are
 *    dropped, and we log (rate-limited): a guest probing hardware that is
 *    not there must never hurt pvxd.
 */
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include <pvx/abi.h>

#include "dom.h"
#include "hcall.h"
#include "kvm.h"
#include "platform_pvh.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define POST_PORT  0x80

static int get_regs(struct vcpu *v, struct kvm_regs **regs,
		    struct kvm_regs *buf)
{
	if (kvm_host.sync_regs) {
		*regs = &v->run->s.regs.regs;
		return 0;
	}
	*regs = buf;
	return ioctl(v->fd, KVM_GET_REGS, buf) < 0 ? -1 : 0;
}

static int put_regs(struct vcpu *v, struct kvm_regs *regs)
{
	if (kvm_host.sync_regs) {
		v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
		return 0;
	}
	return ioctl(v->fd, KVM_SET_REGS, regs) < 0 ? -1 : 0;
}

static int hypercall(struct vcpu *v)
{
	struct kvm_regs buf, *r;
	struct hc_ctx c;
	long ret;

	if (get_regs(v, &r, &buf) < 0)
		return -1;
	memset(&c, 0, sizeof(c));
	c.d = v->d;
	c.v = v;
	c.nr = r->rax;
	c.arg[0] = r->rdi;
	c.arg[1] = r->rsi;
	c.arg[2] = r->rdx;
	c.arg[3] = r->r10;
	c.arg[4] = r->r8;
	ret = hcall_dispatch(&c);
	if (ret == HC_EXIT_THREAD)
		return 0; /* the domain is going away; vcpu_park notices */
	r->rax = (uint64_t)ret;
	return put_regs(v, r);
}

static uint8_t bcd(int x)
{
	return (uint8_t)(((x / 10) << 4) | (x % 10));
}

static uint8_t cmos_read(uint8_t index)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	switch (index) {
	case 0x00: return bcd(tm.tm_sec);
	case 0x02: return bcd(tm.tm_min);
	case 0x04: return bcd(tm.tm_hour);
	case 0x06: return bcd(tm.tm_wday + 1);
	case 0x07: return bcd(tm.tm_mday);
	case 0x08: return bcd(tm.tm_mon + 1);
	case 0x09: return bcd(tm.tm_year % 100);
	case 0x32: return bcd(19 + tm.tm_year / 100);
	case 0x0A: return 0x26; /* UIP clear, 32.768 kHz, 1024 Hz */
	case 0x0B: return 0x02; /* 24-hour, BCD, no interrupts */
	case 0x0D: return 0x80; /* valid RAM and time */
	default:   return 0;
	}
}

static void unknown_port(struct vcpu *v, const struct kvm_run *run)
{
	if (ratelimit_ok(&v->rl))
		dlog(v->d, LOG_WARN, "v%u: unhandled port %s 0x%x size %u",
			 v->id,
			 run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in",
			 run->io.port, run->io.size);
}

int exit_io(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	uint8_t *data = (uint8_t *)run + run->io.data_offset;
	size_t bytes = (size_t)run->io.size * run->io.count;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;

	if (run->io.port == PVX_HYPERCALL_PORT && out && run->io.size == 4 &&
	    run->io.count == 1)
		return hypercall(v);
	if (run->io.port == CMOS_INDEX && out) {
		__atomic_store_n(&v->d->cmos_index, data[0] & 0x7F, __ATOMIC_RELAXED);
		return 0;
	}
	if (run->io.port == CMOS_DATA && !out) {
		memset(data, cmos_read(__atomic_load_n(&v->d->cmos_index,
						       __ATOMIC_RELAXED)), bytes);
		return 0;
	}
	if (run->io.port == CMOS_DATA || run->io.port == CMOS_INDEX)
		return 0; /* CMOS writes / index reads: ignored */
	if (run->io.port == POST_PORT && out)
		return 0;
	if (!out)
		memset(data, 0xFF, bytes);
	unknown_port(v, run);
	return 0;
}

int exit_mmio(struct vcpu *v)
{
	struct kvm_run *run = v->run;

	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xFF, sizeof(run->mmio.data));
	if (ratelimit_ok(&v->rl))
		dlog(v->d, LOG_WARN, "v%u: unbacked MMIO %s 0x%llx len %u", v->id, run->mmio.is_write ? "write" : "read",
			 (unsigned long long)run->mmio.phys_addr, run->mmio.len);
	return 0;
}
