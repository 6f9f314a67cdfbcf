/* Shared by the CPU scheduling commands (sched-credit, vcpu-pin,
 * vcpu-list) and `pvx create`'s cpu_weight / cap / cpus keys. */
#ifndef PVX_CLI_CMD_SCHED_H
#define PVX_CLI_CMD_SCHED_H

#include <stddef.h>
#include <stdint.h>

struct pvx_config;
struct pvx_ctl;

/* The one message for a host without a usable cgroup cpu controller. */
#define PVX_SCHED_NO_CGROUP_MSG \
	"this host has no usable cgroup cpu controller, so CPU weight and cap " \
	"cannot be enforced (pinning still works; see docs/scheduling.md)"

/* Weight 1..65535 and cap 0..100*vcpus as text: 0, or -EINVAL with why. */
int pvx_sched_parse_weight(const char *s, uint32_t *out, char *why, size_t len);
int pvx_sched_parse_cap(const char *s, uint32_t *out, char *why, size_t len);
/* The config's weight, cap and cpus onto a new (paused) domain. */
int pvx_sched_apply_config(int32_t domid, const struct pvx_config *cfg,
			   char *err, size_t errlen);

#endif
