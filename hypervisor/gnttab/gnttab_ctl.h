/* gnttab_ctl: handlers of PVX_CTL_GNTTAB_MAP / UNMAP / COPY (ctl_ops[]). */
#ifndef PVXD_GNTTAB_CTL_H
#define PVXD_GNTTAB_CTL_H

struct ctl_req;
struct ctl_reply;

int gnttab_ctl_map(struct ctl_req *rq, struct ctl_reply *rep);
int gnttab_ctl_unmap(struct ctl_req *rq, struct ctl_reply *rep);
int gnttab_ctl_copy(struct ctl_req *rq, struct ctl_reply *rep);

#endif
