/*
 * Unit-test harness for pvxstored: a store plus fake connections whose
 * transport captures every byte the daemon sends, so a test speaks the
 * real wire protocol to the real request code (xs_conn_feed ->
 * xs_dispatch) and reads back replies and watch events.
 */
#ifndef XS_TEST_HARNESS_H
#define XS_TEST_HARNESS_H

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../../xenbus/store/xs_core.h"

#define TC_BUF (1 << 20)

struct tc {
	struct xs_conn *c;
	char out[TC_BUF];        /* bytes the daemon wrote, not yet parsed */
	size_t len;
	size_t write_limit;      /* bytes accepted per write; 0: unlimited */
	bool blocked;            /* refuse all writes (a client not reading) */
	unsigned kicks;
};

extern struct xs_store *T_st;

void h_setup(void);          /* fresh store in T_st, log captured */
void h_teardown(void);
struct tc *tc_new(uint32_t domid, bool privileged);
void tc_free(struct tc *t);

/* Sends one request; returns its reply (type, payload copied to rsp, NUL
 * added). Events that arrive first are kept for tc_event(). */
uint32_t tc_req(struct tc *t, uint32_t type, uint32_t txid, const void *payload,
		uint32_t len, char *rsp, uint32_t *rsp_len);
/* Raw bytes into the parser. */
void tc_feed(struct tc *t, const void *buf, size_t len);
/* The next complete message in the capture; false if none. */
bool tc_next(struct tc *t, struct xsd_sockmsg *h, char *payload);

/* Convenience: 0 or -errno (from an XS_ERROR reply). */
int tc_write(struct tc *t, uint32_t tx, const char *path, const char *val);
int tc_read(struct tc *t, uint32_t tx, const char *path, char *val);
int tc_simple(struct tc *t, uint32_t type, uint32_t tx, const char *arg);
int tc_args(struct tc *t, uint32_t type, uint32_t tx, const char *const *args,
	    unsigned n, char *rsp);
int tc_dir(struct tc *t, uint32_t tx, const char *path, char *names);
int tc_watch(struct tc *t, const char *path, const char *token);
int tc_tx_start(struct tc *t, uint32_t *tx);
int tc_tx_end(struct tc *t, uint32_t tx, bool commit);
int tc_perms(struct tc *t, const char *path, const char *const *perms, unsigned n);

/* Watch events received (queued by tc_req or read now). */
int tc_event_count(struct tc *t);
bool tc_event(struct tc *t, char *path, char *token);
void tc_drain_events(struct tc *t);

/* The log, captured since h_setup. */
bool log_has(const char *needle);
const char *log_text(void);
void log_clear(void);

Suite *make_tree_suite(void);
Suite *make_watch_suite(void);
Suite *make_txn_suite(void);
Suite *make_quota_suite(void);
Suite *make_feature_suite(void);
Suite *make_quota_dom0_suite(void);
Suite *make_wire_suite(void);
Suite *make_ring_suite(void);
Suite *make_persist_suite(void);
Suite *make_journal_suite(void);
Suite *make_memory_suite(void);
Suite *make_client_suite(void);
Suite *make_target_suite(void);

#endif /* XS_TEST_HARNESS_H */
