/*
 * bounce - private interfaces of the bounce(8) daemon
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	Per-message logs (bounce_log.c):
 *	void	bounce_log_init(BOUNCE_LOG *log);
 *	void	bounce_log_free(BOUNCE_LOG *log);
 *	BOUNCE_ENTRY *bounce_log_add(BOUNCE_LOG *log);
 *	void	bounce_log_format(VSTRING *buf, const BOUNCE_ENTRY *entry);
 *	int	bounce_log_parse(VSTREAM *fp, BOUNCE_LOG *log,
 *				const char *origin);
 *	bool	bounce_log_append(const char *service, const char *queue_id,
 *				const BOUNCE_ENTRY *entry, VSTRING *why);
 *	int	bounce_log_read(const char *service, const char *queue_id,
 *				BOUNCE_LOG *log);
 *	int	bounce_log_remove(const char *service, const char *queue_id);
 *
 *	The original message (bounce_original.c):
 *	void	bounce_original_init(BOUNCE_ORIGINAL *orig);
 *	void	bounce_original_free(BOUNCE_ORIGINAL *orig);
 *	bool	bounce_original_read(BOUNCE_ORIGINAL *orig,
 *				const char *queue_name, const char *queue_id,
 *				long limit);
 *	void	bounce_original_line(BOUNCE_ORIGINAL *orig,
 *				const char *text, size_t len, long limit);
 *
 *	Notification text (bounce_notify.c):
 *	void	bounce_notify_build(VSTRING *out, const BOUNCE_NOTICE *notice,
 *				const BOUNCE_ORIGINAL *orig,
 *				const BOUNCE_LOG *log);
 *	void	bounce_notify_wrap(VSTRING *out, const char *text,
 *				int width, int indent);
 *	bool	bounce_notify_wanted(int kind, const BOUNCE_ENTRY *entry,
 *				int flags);
 *
 *	Submission and policy (bounce_submit.c):
 *	int	bounce_submit(BOUNCE_NOTICE *notice,
 *				const BOUNCE_ORIGINAL *orig,
 *				const BOUNCE_LOG *log, VSTRING *new_id,
 *				VSTRING *why);
 *	int	bounce_notify_service(const char *service, int request,
 *				const BOUNCE_REQUEST *req);
 *
 * DESCRIPTION
 *	A BOUNCE_ENTRY is one recipient outcome, as APPEND carries it
 *	and as a log file keeps it. A BOUNCE_LOG is an array of them.
 *	BOUNCE_ORIGINAL is what a notification needs from the original
 *	message; BOUNCE_NOTICE says which notification to build.
 *	Each module's file describes its functions.
 */
#ifndef BOUNCE_H
#define BOUNCE_H

#include "sys_defs.h"
#include <time.h>
#include "vstream.h"
#include "vstring.h"
#include "bounce_template.h"

 /*
  * Bounds. A log holds at most BOUNCE_LOG_MAX_ENTRIES recipients (a
  * message has at most that many after qmgr's limits, generously); each
  * field of an entry at most BOUNCE_FIELD_MAX bytes; a log line at most
  * BOUNCE_LINE_MAX bytes.
  */
#define BOUNCE_LOG_MAX_ENTRIES	100000
#define BOUNCE_FIELD_MAX	4096
#define BOUNCE_LINE_MAX		(BOUNCE_FIELD_MAX + 32)

typedef struct BOUNCE_ENTRY {
    char   *address;			/* final recipient */
    char   *orig_rcpt;			/* original recipient, or "" */
    char   *dsn_orcpt;			/* DSN ORCPT "type;address", or "" */
    int     dsn_notify;			/* DSN_NOTIFY_* mask, 0: default */
    long    offset;			/* R record offset */
    char   *status;			/* "5.1.1" */
    char   *action;			/* "failed", "delayed", ... */
    char   *reason;			/* log line text */
    char   *dtype;			/* "smtp" or "" */
    char   *dtext;			/* "550 ..." or "" */
    char   *mtype;			/* "dns" or "" */
    char   *mname;			/* remote MTA or "" */
    char   *relay;			/* relay= of the log line */
    long    time_log;			/* when, seconds */
} BOUNCE_ENTRY;

typedef struct BOUNCE_LOG {
    BOUNCE_ENTRY *entries;
    int     len;
    int     avail;
} BOUNCE_LOG;

extern void bounce_log_init(BOUNCE_LOG *log);
extern void bounce_log_free(BOUNCE_LOG *log);
extern BOUNCE_ENTRY *bounce_log_add(BOUNCE_LOG *log);
extern void bounce_entry_set(char **slot, const char *value);
extern void bounce_log_format(VSTRING *buf, const BOUNCE_ENTRY *entry);
extern int bounce_log_parse(VSTREAM *fp, BOUNCE_LOG *log, const char *origin);
extern bool bounce_log_append(const char *service, const char *queue_id,
			              const BOUNCE_ENTRY *entry, VSTRING *why);
extern int bounce_log_read(const char *service, const char *queue_id,
			           BOUNCE_LOG *log);
extern int bounce_log_remove(const char *service, const char *queue_id);

 /*
  * The original message. headers: the header lines (each ended by
  * "\n"); body: the body lines after the empty line, only while the
  * whole content stays within the size limit (body_ok).
  */
typedef struct BOUNCE_ORIGINAL {
    const char *queue_id;		/* original queue ID */
    const char *sender;			/* envelope sender, "" for <> */
    const char *dsn_envid;		/* ENVID or "" */
    int     dsn_ret;			/* 0, REC_DSN_RET_FULL, _HDRS */
    int     smtputf8;			/* S record SMTPUTF8 bits */
    const char *encoding;		/* "7bit", "8bit", ... or "" */
    time_t  arrival;			/* from the T record, 0 unknown */
    long    content_size;		/* from the S record, -1 unknown */
    bool    readable;			/* the queue file could be read */
    bool    body_ok;			/* headers + body fit the limit */
    VSTRING *headers;
    VSTRING *body;
    /* Private. */
    bool    in_body;
    bool    headers_cut;		/* a header did not fit */
    VSTRING *partial;
} BOUNCE_ORIGINAL;

extern void bounce_original_init(BOUNCE_ORIGINAL *orig);
extern void bounce_original_free(BOUNCE_ORIGINAL *orig);
extern bool bounce_original_read(BOUNCE_ORIGINAL *orig, const char *queue_name,
				         const char *queue_id, long limit);
extern void bounce_original_line(BOUNCE_ORIGINAL *orig, const char *text,
				         size_t len, long limit);

 /*
  * Which notification. kind selects template and DSN wording; postmaster
  * notices carry no template text and go out from the double-bounce
  * sender with Auto-Submitted: auto-generated.
  */
#define BOUNCE_KIND_FAILURE	0	/* non-delivery */
#define BOUNCE_KIND_DELAY	1	/* delay warning */
#define BOUNCE_KIND_SUCCESS	2	/* delivery report */
#define BOUNCE_KIND_VERIFY	3	/* sendmail -v / -bv report */

#define BOUNCE_RETURN_HEADERS	1	/* headers of the original */
#define BOUNCE_RETURN_FULL	2	/* the whole original */

typedef struct BOUNCE_NOTICE {
    int     kind;			/* BOUNCE_KIND_* */
    bool    postmaster;			/* postmaster copy */
    int     ret;			/* BOUNCE_RETURN_* */
    const BOUNCE_TEMPLATE *template;	/* texts */
    const char *recipient;		/* To: */
    const char *new_id;			/* queue ID of the notification */
    time_t  now;			/* Date:, boundary */
    time_t  retry_until;		/* Will-Retry-Until (delay) */
    /* main.cf values, filled by the caller (tests set them directly) */
    const char *myhostname;
    const char *myorigin;
    const char *mail_name;
    const char *header_from_format;	/* "standard" or "obsolete" */
    bool    threaded;			/* enable_threaded_bounces */
    int     request_flags;		/* DEL_REQ_FLAG_* of the request */
    bool    smtputf8_enable;		/* us-ascii texts become utf-8 */
} BOUNCE_NOTICE;

extern void bounce_notify_build(VSTRING *out, const BOUNCE_NOTICE *notice,
				        const BOUNCE_ORIGINAL *orig,
				        const BOUNCE_LOG *log);
extern void bounce_notify_wrap(VSTRING *out, const char *text, int width,
			               int indent);
extern bool bounce_notify_wanted(int kind, const BOUNCE_ENTRY *entry,
				         int flags);

 /*
  * A notification request (FLUSH, WARN, TRACE) as read from the wire.
  */
typedef struct BOUNCE_REQUEST {
    int     flags;
    const char *queue_name;
    const char *queue_id;
    const char *encoding;
    int     smtputf8;
    const char *sender;
    const char *dsn_envid;
    int     dsn_ret;
} BOUNCE_REQUEST;

extern int bounce_submit(BOUNCE_NOTICE *notice,
			         const BOUNCE_ORIGINAL *orig,
			         const BOUNCE_LOG *log, VSTRING *new_id,
			         VSTRING *why);
extern int bounce_notify_service(const char *service, int request,
				         const BOUNCE_REQUEST *req);
extern BOUNCE_TEMPLATES *bounce_templates;	/* bounce_service.c */

#endif
