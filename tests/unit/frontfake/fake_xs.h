/* The host fakes of minios's xenstore and clock (fake_xs.c), shared by
 * the frontends' unit tests (tests/unit/blkfront, tests/unit/netfront). */
#ifndef TEST_FRONTFAKE_FAKE_XS_H
#define TEST_FRONTFAKE_FAKE_XS_H

#include <stddef.h>
#include <stdint.h>

void fake_xs_reset(void);      /* empty store, clock at 1 s, no backend */
void fake_set(const char *path, const char *val);
void fake_rm(const char *path);
const char *fake_get(const char *path);
void fake_fail_commits(int n);
int fake_commits(void);
extern void (*fake_backend)(void);

/* minios's own prototypes, which the frontends use. */
int xs_read(uint32_t tx, const char *path, char *buf, size_t len);
int xs_write(uint32_t tx, const char *path, const char *value);
int xs_directory(uint32_t tx, const char *path, char *buf, size_t len);
int xs_transaction_start(uint32_t *tx);
int xs_transaction_end(uint32_t tx, int commit);
uint64_t time_now_ns(void);
void msleep(uint64_t ms);
int parse_u64(const char *s, uint64_t *out);

#endif
