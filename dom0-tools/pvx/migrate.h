/*
 * Live migration transport (docs/migration-protocol.md): the framed
 * control messages that wrap the migration stream between `pvx migrate`
 * (source) and `pvx migrate-receive` (target), over a TCP connection
 * (one-time token) or an ssh pipe. The stream itself is save.h's engine.
 *
 * Both sides drive the host through a table of operations (pvx_mig_ops)
 * so that the protocol and its failure paths can be unit-tested with a
 * fake engine and a fake pvxd.
 *
 * Commitment: the source destroys its domain only after the target
 * answered RUNNING; every failure before it resumes the source domain
 * (PVX_CTL_RESUME) and the target destroys what it restored.
 */
#ifndef PVX_CLI_MIGRATE_H
#define PVX_CLI_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "save.h"

#define PVX_MIG_MAGIC 0x4d585650u  /* "PVXM" little-endian */
#define PVX_MIG_VERSION 1
#define PVX_MIG_TOKEN_BYTES 16
#define PVX_MIG_TOKEN_HEX (2 * PVX_MIG_TOKEN_BYTES)
#define PVX_MIG_MSG_MAX 1024
#define PVX_MIG_NAME_MAX 64

enum pvx_mig_type {
	PVX_MIG_HELLO = 1,  /* src -> dst: pvx_mig_hello */
	PVX_MIG_ACCEPT,     /* dst -> src: empty; the stream follows */
	PVX_MIG_REFUSE,     /* either way: pvx_mig_refuse */
	PVX_MIG_READY,      /* dst -> src: restored, paused; pvx_mig_times */
	PVX_MIG_GO,         /* src -> dst: commit, unpause it */
	PVX_MIG_RUNNING,    /* dst -> src: unpaused; pvx_mig_times */
	PVX_MIG_DONE,       /* src -> dst: source domain destroyed */
	PVX_MIG_TYPE_MAX,
};

struct pvx_mig_hdr {
	uint32_t magic;
	uint32_t type;
	uint32_t len;       /* payload bytes, <= PVX_MIG_MSG_MAX */
	uint32_t pad;
};

struct pvx_mig_hello {
	uint32_t version;
	uint32_t flags;     /* PVX_MIG_F_* */
	uint64_t mem_kib;   /* the guest's maxmem: the target reserves it */
	uint32_t vcpus;
	uint32_t dom_type;
	char token[PVX_MIG_TOKEN_HEX + 1]; /* "" over ssh */
	char name[PVX_MIG_NAME_MAX];
};
#define PVX_MIG_F_LIVE (1u << 0)

struct pvx_mig_refuse {
	int32_t err;        /* negative errno */
	char msg[256];
};

struct pvx_mig_times {
	uint64_t realtime_ns; /* CLOCK_REALTIME of the event on the sender */
	uint64_t restore_ms;  /* READY: the target's restore time */
};

/* The host, as both sides see it. h is the implementation's handle. */
struct pvx_mig_ops {
	int (*dom_info)(void *h, int32_t domid, uint64_t *mem_kib, uint32_t *vcpus,
			uint32_t *type, char name[PVX_MIG_NAME_MAX]);
	int (*host_free)(void *h, uint64_t *free_kib);
	int (*name_taken)(void *h, const char *name); /* 1, 0 or -errno */
	int (*save)(void *h, int32_t domid, int fd, const struct pvx_save_opts *o,
		    struct pvx_mig_stats *st);
	int (*restore)(void *h, int fd, const struct pvx_restore_opts *o,
		       int32_t *domid, struct pvx_mig_stats *st);
	int (*resume)(void *h, int32_t domid);
	int (*unpause)(void *h, int32_t domid);
	int (*destroy)(void *h, int32_t domid);
};

/* What a migration measured (source side). */
struct pvx_mig_result {
	struct pvx_mig_stats st;
	double downtime_ms;     /* suspend -> target running (both clocks) */
	double downtime_rtt_ms; /* suspend -> RUNNING received (source clock) */
	double restore_ms;      /* target's restore time */
	/* Phases (source clock): hello -> ACCEPT, the stream (st has its
	 * parts), end record -> READY (the target's work after the stream),
	 * GO -> RUNNING (its unpause), and destroying the source copy. */
	double hello_ms, stream_ms, ready_wait_ms, commit_ms, destroy_ms;
	bool resumed;           /* failure: the source domain was resumed */
	bool uncertain;         /* GO sent, no answer: source left suspended */
};

struct pvx_mig_send_opts {
	struct pvx_save_opts save;
	const char *token;      /* TCP: the receiver's token; NULL over ssh */
	int timeout_s;          /* control-message timeout */
};

struct pvx_mig_recv_opts {
	const char *token;      /* expected token; NULL: none (ssh) */
	uint64_t max_mem_kib;   /* 0: only the host's free memory limits */
	int timeout_s;
	bool progress;
};

/* Messages (migrate_proto.c). Reads wait at most timeout_s (0: forever)
 * and answer -ETIMEDOUT, -EPIPE on EOF, -EPROTO on a bad frame. */
int pvx_mig_send_msg(int fd, uint32_t type, const void *p, uint32_t len);
int pvx_mig_recv_msg(int fd, int timeout_s, uint32_t *type, void *p,
		     uint32_t cap, uint32_t *len);
/* Sends REFUSE with err and a formatted message. */
int pvx_mig_refuse(int fd, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *pvx_mig_type_name(uint32_t type);
/* Random token, hex, NUL-terminated (getrandom). */
int pvx_mig_token_new(char out[PVX_MIG_TOKEN_HEX + 1]);
/* Constant-time (over the expected length) comparison: true if equal. */
bool pvx_mig_token_eq(const char *expected, const char *given);
uint64_t pvx_mig_now_ns(void);      /* CLOCK_REALTIME */
double pvx_mig_mono_ms(void);       /* CLOCK_MONOTONIC */

/* The two sides (migrate_send.c, migrate_recv.c). fd is the channel.
 * Send returns 0 once the target runs the domain and the source domain
 * is gone; else a negative errno, the source domain running (res->resumed)
 * unless res->uncertain. Receive reads fd and writes wfd (the same
 * socket, or ssh's stdin and stdout); 0 once the domain runs here. */
int pvx_mig_send(const struct pvx_mig_ops *ops, void *h, int32_t domid, int fd,
		 const struct pvx_mig_send_opts *o, struct pvx_mig_result *res);
int pvx_mig_recv(const struct pvx_mig_ops *ops, void *h, int fd, int wfd,
		 const struct pvx_mig_recv_opts *o, int32_t *domid);

/* Network (migrate_net.c). */
int pvx_mig_parse_addr(const char *s, void *sa, unsigned *salen);
int pvx_mig_listen(const char *addr);               /* listening fd */
int pvx_mig_connect(const char *addr, int timeout_s); /* connected fd */
/* Applies send/receive timeouts (and TCP_USER_TIMEOUT) to a socket. */
void pvx_mig_sock_timeouts(int fd, int timeout_s);
/* Runs `sh -c "SSH_CMD HOST pvx migrate-receive"`; *fd is a socket
 * connected to its stdin and stdout; *pid its process. */
int pvx_mig_spawn(const char *ssh_cmd, const char *host, const char *remote,
		  int *fd, int *pid);

/* The real host: pvxd and save.h's engine (migrate_ops.c). */
extern const struct pvx_mig_ops pvx_mig_host_ops;

#endif /* PVX_CLI_MIGRATE_H */
