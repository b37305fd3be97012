/*
 * cleanup - private interface of the cleanup(8) daemon
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 * DESCRIPTION
 *	cleanup(8) receives one message per connection (the cleanup
 *	protocol of docs/internals/protocols.md), writes it as one queue
 *	file (docs/internals/queue-file.md) and answers with a status.
 *	The work is split by phase; each file holds one phase and shares
 *	the per-message CLEANUP_STATE declared here:
 *
 *	cleanup.c		main(): the single_server skeleton, tables
 *	cleanup_service.c	one conversation: greeting, request, record
 *				dispatch, reply
 *	cleanup_state.c		create and free the per-message state, record
 *				errors (cleanup_state_error())
 *	cleanup_out.c		write records to the queue file with
 *				size accounting and message_size_limit
 *	cleanup_envelope.c	envelope records from the client
 *	cleanup_addr.c		envelope address rewriting and mapping,
 *				recipient output with the duplicate filter
 *	cleanup_message.c	content records: character checks, the
 *				MIME parser, MIME and nested header
 *				checks, body checks
 *	cleanup_headers.c	primary header processing, missing headers
 *	cleanup_header_fn.c	pure header helpers (unit tested)
 *	cleanup_extracted.c	extracted segment: -t recipients, BCC,
 *				redirect, filter
 *	cleanup_final.c		size record, commit, hold, trigger, log
 *	cleanup_bounce.c	CLEANUP_FLAG_BOUNCE: a rejection becomes a
 *				non-delivery notification
 *	cleanup_context.c	local or remote header rewriting context
 *				(local_header_rewrite_clients)
 *
 *	All addresses in the state are in internal (unquoted) form.
 *
 *	Errors never abort the conversation early: a phase records the
 *	first error with cleanup_state_error() (status bits and reason),
 *	stops writing, and the service loop keeps reading (and
 *	discarding) the client's records up to the end, so that the
 *	client gets the reply where the protocol expects it. Malformed
 *	input that makes the stream unusable ends the reading at once.
 */
#ifndef CLEANUP_H
#define CLEANUP_H

#include "sys_defs.h"
#include <sys/time.h>
#include "argv.h"
#include "htable.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_queue.h"
#include "queue_file_read.h"
#include "cleanup_proto.h"
#include "cleanup_maps.h"

/* Where the content stream is. */
#define CLEANUP_CONT_HEADERS	1	/* primary message headers */
#define CLEANUP_CONT_BODY	2	/* after the empty line */

/* Headers seen (bits of hdr_seen). */
#define CLEANUP_HDR_FROM	(1<<0)
#define CLEANUP_HDR_DATE	(1<<1)
#define CLEANUP_HDR_MSGID	(1<<2)
#define CLEANUP_HDR_TO		(1<<3)
#define CLEANUP_HDR_CC		(1<<4)
#define CLEANUP_HDR_BCC		(1<<5)
#define CLEANUP_HDR_SENDER	(1<<6)
#define CLEANUP_HDR_RESENT_FROM	(1<<7)
#define CLEANUP_HDR_RESENT_DATE	(1<<8)
#define CLEANUP_HDR_RESENT_MSGID (1<<9)
#define CLEANUP_HDR_RESENT_TO	(1<<10)
#define CLEANUP_HDR_RESENT_CC	(1<<11)
#define CLEANUP_HDR_RESENT_BCC	(1<<12)
#define CLEANUP_HDR_RESENT_ANY	(1<<13)	/* any Resent- header */

/* Built-in bound on recipients taken from headers (sendmail -t). */
#define CLEANUP_EXTRACT_LIMIT	10240

/* Bound on envelope record data: what queue file readers accept. */
#define CLEANUP_ENVELOPE_LIMIT	QUEUE_FILE_LIMIT

typedef struct CLEANUP_STATE {
    /* Streams and the file. */
    VSTREAM *src;			/* the client */
    MAIL_QUEUE_FILE *qf;		/* the queue file being written */
    VSTREAM *dst;			/* qf->fp, NULL after an abort */
    char   *queue_id;			/* announced queue ID */
    int     flags;			/* CLEANUP_FLAG_* of the request */
    /* Outcome. */
    int     errs;			/* CLEANUP_STAT_* so far */
    VSTRING *reason;			/* text of the first error */
    bool    done_reading;		/* Z seen, or stream unusable */
    /* Scratch. */
    VSTRING *buf;			/* one record from the client */
    VSTRING *temp1;
    VSTRING *temp2;
    /* Envelope. */
    struct timeval arrival;		/* T record (client's or ours) */
    bool    time_seen;
    char   *sender;			/* after mapping; NULL before F */
    char   *full_name;			/* A full_name=..., or NULL */
    ARGV   *attrs;			/* A records, "name=value" */
    char   *client_name;		/* from the A records, for logs */
    char   *client_addr;
    char   *sasl_username;
    char   *rewrite_context;		/* "local" or "remote" */
    char   *dsn_envid;			/* E */
    char   *verp_delims;		/* V, checked, or NULL */
    int     dsn_ret;			/* Y, 0 when none */
    long    warn_time;			/* W, -1 when none */
    bool    env_header_written;		/* T F A E Y W I written */
    bool    env_done;			/* M seen */
    char   *orig_rcpt;			/* pending O */
    char   *dsn_orcpt;			/* pending o */
    int     dsn_notify;			/* pending n, 0 when none */
    bool    group_open;			/* O, o or n waits for its R */
    HTABLE *dups;			/* duplicate filter */
    long    dup_count;			/* entries in dups */
    long    rcpt_count;			/* R records written */
    char   *last_rcpt;			/* for log lines: after canonical */
    /* File offsets. */
    off_t   size_offset;		/* start of the S record */
    off_t   content_offset;		/* start of the M record */
    off_t   extract_offset;		/* start of the X record */
    long    content_size;		/* content bytes, LF counted */
    /* Content. */
    int     cont_state;			/* CLEANUP_CONT_* */
    struct MIME_STATE *mime;		/* the content's MIME parser */
    VSTRING *header;			/* the current header */
    bool    body_partial;		/* the last body record was P */
    int     hop_count;			/* Received: headers */
    int     hdr_seen;			/* CLEANUP_HDR_* */
    int     hdr_count;			/* primary headers seen */
    bool    checks_off;			/* REJECT/DISCARD ended checks */
    long    body_checked;		/* body bytes inspected */
    bool    eight_bit;			/* 8-bit content seen */
    bool    needs_utf8;			/* 8-bit in headers */
    ARGV   *extracted;			/* recipients from headers (-t) */
    ARGV   *extracted_resent;		/* the same from Resent- headers */
    char   *message_id;			/* Message-Id: value, for the log */
    char   *resent_message_id;		/* Resent-Message-Id: value */
    CLEANUP_CHECK_RESULT *check;	/* header/body check result */
    /* Actions. */
    bool    hold;			/* HOLD */
    bool    discard;			/* DISCARD */
    char   *redirect;			/* REDIRECT address */
    char   *filter;			/* FILTER transport:destination */
    ARGV   *bcc;			/* BCC action addresses */
} CLEANUP_STATE;

/* cleanup_service.c */
extern CLEANUP_MAPS *cleanup_maps;
extern void cleanup_service(VSTREAM *src, const char *service, char **argv);

/* cleanup_state.c */
extern CLEANUP_STATE *cleanup_state_create(VSTREAM *src);
extern void cleanup_state_free(CLEANUP_STATE *state);
extern void PRINTFLIKE(3, 4) cleanup_state_error(CLEANUP_STATE *state,
			             int status, const char *fmt,...);
extern const char *cleanup_state_reason(CLEANUP_STATE *state);

/* cleanup_out.c */
extern void cleanup_out(CLEANUP_STATE *state, int type, const void *data,
			        size_t len);
extern void cleanup_out_str(CLEANUP_STATE *state, int type, const char *text);
extern void PRINTFLIKE(3, 4) cleanup_out_fmt(CLEANUP_STATE *state, int type,
					             const char *fmt,...);
extern void cleanup_out_line(CLEANUP_STATE *state, const char *text,
			             size_t len);
extern void cleanup_out_header(CLEANUP_STATE *state, const char *text,
			               size_t len);
extern bool cleanup_out_ok(const CLEANUP_STATE *state);

/* cleanup_envelope.c */
extern void cleanup_envelope(CLEANUP_STATE *state, int type,
			             const char *data, size_t len);
extern void cleanup_envelope_header(CLEANUP_STATE *state);

/* cleanup_addr.c */
extern void cleanup_addr_sender(CLEANUP_STATE *state, const char *addr);
extern void cleanup_addr_recipient(CLEANUP_STATE *state, const char *orcpt,
			               const char *addr, const char *dsn_orcpt,
				           int dsn_notify);
extern void cleanup_addr_bcc(CLEANUP_STATE *state, const char *addr);
extern void cleanup_addr_rewrite(CLEANUP_STATE *state, const char *context,
				         const char *addr, VSTRING *result);
extern void cleanup_addr_map_rewrite(VSTRING *addr, void *context);

/* cleanup_message.c */
extern void cleanup_message(CLEANUP_STATE *state, int type,
			            const char *data, size_t len);
extern void cleanup_message_end(CLEANUP_STATE *state);
extern void cleanup_message_log_context(CLEANUP_STATE *state,
				               CLEANUP_LOG_CONTEXT *ctx);
extern bool cleanup_message_action(CLEANUP_STATE *state,
			             CLEANUP_CHECK_RESULT *result, int class,
				           VSTRING *line);

/* cleanup_headers.c */
extern void cleanup_headers_one(CLEANUP_STATE *state, VSTRING *header);
extern void cleanup_headers_end(CLEANUP_STATE *state);

/* cleanup_extracted.c */
extern void cleanup_extracted(CLEANUP_STATE *state, int type,
			              const char *data, size_t len);
extern void cleanup_extracted_end(CLEANUP_STATE *state);

/* cleanup_final.c */
extern void cleanup_final(CLEANUP_STATE *state);
extern void cleanup_final_abort(CLEANUP_STATE *state);
extern void cleanup_final_size(CLEANUP_STATE *state);

/* cleanup_bounce.c */
extern bool cleanup_bounce_wanted(const CLEANUP_STATE *state);
extern void cleanup_bounce(CLEANUP_STATE *state);

/* cleanup_context.c */
extern const char *cleanup_context(const char *client_addr,
				           const char *sasl_username);

#endif
