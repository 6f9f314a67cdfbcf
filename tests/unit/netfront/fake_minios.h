/* The host fakes of the minios services netfront.c uses (fake_minios.c). */
#ifndef TEST_NETFRONT_FAKE_MINIOS_H
#define TEST_NETFRONT_FAKE_MINIOS_H

#include <stdint.h>

#include "../../../pv-drivers/net/front/netfront.h"

void fake_reset(void);
void fake_set(const char *path, const char *val);
void fake_rm(const char *path);
const char *fake_get(const char *path);
void fake_fail_commits(int n);
int fake_commits(void);
extern void (*fake_backend)(void);
extern int rings_live, io_live, io_setup_rc, ports_closed;

/* minios's own prototypes, which netfront.c uses. */
int xs_read(uint32_t tx, const char *path, char *buf, size_t len);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len);
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int commit);
uint64_t time_now_ns(void);
void msleep(uint64_t ms);
int parse_u64(const char *s, uint64_t *out);
int evtchn_close(evtchn_port_t port);

#endif
