/*
 * The request table's handlers. Each validates its arguments, then acts;
 * it returns 0 with r->rsp filled, or a negative errno that goes back as
 * an XS_ERROR reply with the errno's name.
 */
#ifndef XS_OPS_H
#define XS_OPS_H

#include "xs_core.h"

/* Set by a handler that wants an event queued after its reply (WATCH). */
extern bool xs_req_fire_initial;

int op_read(struct xs_req *r);
int op_write(struct xs_req *r);
int op_mkdir(struct xs_req *r);
int op_rm(struct xs_req *r);
int op_directory(struct xs_req *r);
int op_directory_part(struct xs_req *r);
int op_get_perms(struct xs_req *r);
int op_set_perms(struct xs_req *r);
int op_watch(struct xs_req *r);
int op_unwatch(struct xs_req *r);
int op_reset_watches(struct xs_req *r);
int op_transaction_start(struct xs_req *r);
int op_transaction_end(struct xs_req *r);
int op_introduce(struct xs_req *r);
int op_release(struct xs_req *r);
int op_resume(struct xs_req *r);
int op_is_domain_introduced(struct xs_req *r);
int op_get_domain_path(struct xs_req *r);
int op_set_target(struct xs_req *r);
int op_control(struct xs_req *r);
int op_get_feature(struct xs_req *r);
int op_set_feature(struct xs_req *r);
int op_get_quota(struct xs_req *r);
int op_set_quota(struct xs_req *r);

int xs_rsp_ok(struct xs_req *r);
int xs_req_path(struct xs_req *r, unsigned i, char *out, bool special);
int xs_req_domid(struct xs_req *r, unsigned i, uint32_t *domid);

#endif /* XS_OPS_H */
