/*
 * The xenstore wire protocol: message header, message types, error names
 * and the shared ring page a domain talks to xenstored through.
 *
 * Every message is a struct xsd_sockmsg followed by len payload bytes
 * (len <= XENSTORE_PAYLOAD_MAX). A reply echoes type (or XS_ERROR with the
 * payload "E<name>\0"), req_id and tx_id. Watch events are unsolicited
 * XS_WATCH_EVENT messages with req_id = tx_id = 0 and payload
 * "path\0token\0".
 *
 * The ring page (HVM_PARAM_STORE_PFN, kicked through HVM_PARAM_STORE_EVTCHN)
 * holds two 1 KiB byte rings with free-running 32-bit indices, reduced with
 * MASK_XENSTORE_IDX. It must read `connection == XENSTORE_CONNECTED` (a
 * zeroed page does) for the guest to use it.
 */
#ifndef XEN_PUBLIC_IO_XS_WIRE_H
#define XEN_PUBLIC_IO_XS_WIRE_H

#include <stdint.h>
#include "../errno.h"

enum xsd_sockmsg_type {
	XS_CONTROL              = 0,
	XS_DIRECTORY            = 1,
	XS_READ                 = 2,
	XS_GET_PERMS            = 3,
	XS_WATCH                = 4,
	XS_UNWATCH              = 5,
	XS_TRANSACTION_START    = 6,
	XS_TRANSACTION_END      = 7,
	XS_INTRODUCE            = 8,
	XS_RELEASE              = 9,
	XS_GET_DOMAIN_PATH      = 10,
	XS_WRITE                = 11,
	XS_MKDIR                = 12,
	XS_RM                   = 13,
	XS_SET_PERMS            = 14,
	XS_WATCH_EVENT          = 15,
	XS_ERROR                = 16,
	XS_IS_DOMAIN_INTRODUCED = 17,
	XS_RESUME               = 18,
	XS_SET_TARGET           = 19,
	/* 20 was XS_RESTRICT, since removed from the protocol. */
	XS_RESET_WATCHES        = 21,
	XS_DIRECTORY_PART       = 22,
	XS_GET_FEATURE          = 23,
	XS_SET_FEATURE          = 24,
	XS_GET_QUOTA            = 25,
	XS_SET_QUOTA            = 26,
	XS_TYPE_COUNT,                 /* one past the highest type */
	XS_INVALID              = 0xffff,
};
#define XS_DEBUG XS_CONTROL

/* Modes historically carried by XS_WRITE (unused by current clients). */
#define XS_WRITE_NONE          "NONE"
#define XS_WRITE_CREATE        "CREATE"
#define XS_WRITE_CREATE_EXCL   "CREATE|EXCLUSIVE"

/* An error name as it travels ("EINVAL") and its Xen errno. */
struct xsd_errors {
	int errnum;
	const char *errstring;
};

/*
 * The error names of the protocol, first entry the default. A daemon
 * answers with the name of its errno; a client maps an unknown name to
 * EINVAL. EPERM is the newest entry: Linux 6.1 does not know it and reads
 * it as EINVAL, so prefer EACCES for permission failures towards guests.
 */
#define XSD_ERROR_ENTRY(e) { XEN_##e, #e }
static const struct xsd_errors xsd_errors[] __attribute__((unused)) = {
	XSD_ERROR_ENTRY(EINVAL),
	XSD_ERROR_ENTRY(EACCES),
	XSD_ERROR_ENTRY(EEXIST),
	XSD_ERROR_ENTRY(EISDIR),
	XSD_ERROR_ENTRY(ENOENT),
	XSD_ERROR_ENTRY(ENOMEM),
	XSD_ERROR_ENTRY(ENOSPC),
	XSD_ERROR_ENTRY(EIO),
	XSD_ERROR_ENTRY(ENOTEMPTY),
	XSD_ERROR_ENTRY(ENOSYS),
	XSD_ERROR_ENTRY(EROFS),
	XSD_ERROR_ENTRY(EBUSY),
	XSD_ERROR_ENTRY(EAGAIN),
	XSD_ERROR_ENTRY(EISCONN),
	XSD_ERROR_ENTRY(E2BIG),
	XSD_ERROR_ENTRY(EPERM),
};
#define XSD_ERRORS_COUNT (sizeof(xsd_errors) / sizeof(xsd_errors[0]))

/* Message header, 16 bytes. */
struct xsd_sockmsg {
	uint32_t type;    /* enum xsd_sockmsg_type */
	uint32_t req_id;  /* echoed in the reply */
	uint32_t tx_id;   /* transaction id, 0 = none */
	uint32_t len;     /* payload bytes that follow */
};

/* Fields of an XS_WATCH_EVENT payload. */
enum xs_watch_type {
	XS_WATCH_PATH = 0,
	XS_WATCH_TOKEN,
};

/* Limits. */
#define XENSTORE_PAYLOAD_MAX  4096 /* bytes after the header */
#define XENSTORE_ABS_PATH_MAX 3072 /* "/local/domain/..." including the NUL */
#define XENSTORE_REL_PATH_MAX 2048 /* relative path including the NUL */

/* The ring page. */
#define XENSTORE_RING_SIZE 1024
typedef uint32_t XENSTORE_RING_IDX;
#define MASK_XENSTORE_IDX(idx) ((idx) & (XENSTORE_RING_SIZE - 1))

/* 2076 bytes. */
struct xenstore_domain_interface {
	char req[XENSTORE_RING_SIZE];   /* guest -> xenstored */
	char rsp[XENSTORE_RING_SIZE];   /* xenstored -> guest */
	XENSTORE_RING_IDX req_cons, req_prod;
	XENSTORE_RING_IDX rsp_cons, rsp_prod;
	uint32_t server_features;       /* XENSTORE_SERVER_FEATURE_* */
	uint32_t connection;            /* XENSTORE_CONNECTED / _RECONNECT */
	uint32_t error;                 /* XENSTORE_ERROR_* */
};

/* server_features bits. */
#define XENSTORE_SERVER_FEATURE_RECONNECTION 1 /* connection field is honoured */
#define XENSTORE_SERVER_FEATURE_ERROR        2 /* error field is honoured */

/* connection values. */
#define XENSTORE_CONNECTED 0 /* the steady state */
#define XENSTORE_RECONNECT 1 /* guest asks the server to reset the ring */

/* error values: why the server stopped processing the ring. */
#define XENSTORE_ERROR_NONE    0
#define XENSTORE_ERROR_COMM    1 /* communication problem */
#define XENSTORE_ERROR_RINGIDX 2 /* invalid ring index */
#define XENSTORE_ERROR_PROTO   3 /* protocol violation (e.g. len too big) */

#endif /* XEN_PUBLIC_IO_XS_WIRE_H */
