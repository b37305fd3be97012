/*
 * local - the private interface of the local(8) delivery agent
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 * DESCRIPTION
 *	local(8) is split by job; this header is what the files share.
 *
 *	local.c		request loop, one recipient at a time
 *	local_addr.c	address splitting, $name expansion, maildir names
 *			(pure functions: unit-tested)
 *	local_state.c	per-recipient delivery state, duplicate filter,
 *			Delivered-To loop check, status reports
 *	local_resolve.c	the decision chain for one recipient: aliases,
 *			.forward, mailbox; list tokens (|cmd, /file,
 *			:include:, address)
 *	local_alias.c	alias_maps lookup, owner- aliases
 *	local_forward.c	.forward files, :include: files, forwarding
 *			(resubmission through cleanup)
 *	local_mailbox.c	mailbox delivery: transports, commands, mbox,
 *			maildir
 *	local_command.c	|command delivery
 *	local_file.c	/file delivery (mbox or maildir)
 *
 *	A LOCAL_STATE describes one delivery in progress: the request
 *	recipient whose status is being reported (rcpt), the address
 *	being delivered now (addr: changes during alias and .forward
 *	expansion), the user context (whose privileges, home and shell),
 *	and how deep the expansion is.
 *
 *	Every delivery function returns LOCAL_OK (delivered, or bounced
 *	with the bounce recorded), or LOCAL_DEFER (deferred, or a status
 *	could not be recorded); the recipient is marked done only when
 *	nothing was deferred.
 */
#ifndef LOCAL_H
#define LOCAL_H

#include "sys_defs.h"
#include <sys/types.h>

#include "argv.h"
#include "htable.h"
#include "vstring.h"
#include "vstream.h"
#include "deliver_request.h"
#include "dsn.h"
#include "maps.h"

/* Outcomes of one delivery function. */
#define LOCAL_OK	0
#define LOCAL_DEFER	1

#define LOCAL_RELAY	"local"		/* relay= of every status line */

/* Expansion contexts, for allow_mail_to_* and prepend_delivered_header. */
#define LOCAL_CTX_NONE		0	/* the recipient itself: mailbox */
#define LOCAL_CTX_ALIAS		(1<<0)
#define LOCAL_CTX_FORWARD	(1<<1)
#define LOCAL_CTX_INCLUDE	(1<<2)
#define LOCAL_CTX_SELF_ALIAS	(1<<8)	/* skip the alias lookup */
#define LOCAL_CTX_SELF_FORWARD	(1<<9)	/* skip the .forward file */
#define LOCAL_CTX_MASK		(LOCAL_CTX_ALIAS | LOCAL_CTX_FORWARD \
				 | LOCAL_CTX_INCLUDE)

/* Where a Delivered-To header is prepended (prepend_delivered_header). */
#define LOCAL_DELIVER_HDR_COMMAND	(1<<0)
#define LOCAL_DELIVER_HDR_FILE		(1<<1)
#define LOCAL_DELIVER_HDR_FORWARD	(1<<2)

/* Hard limits on expansion (Postfix's are similar). */
#define LOCAL_MAX_LEVEL		100	/* alias/include/forward nesting */
#define LOCAL_MAX_LIST_ITEMS	1000	/* destinations in one list */
#define LOCAL_MAX_INCLUDE_SIZE	(1024 * 1024)	/* bytes of one include file */
#define LOCAL_OUTPUT_LIMIT	2048	/* command output kept for DSN */

/* The split form of an address (local_addr_split()). */
typedef struct LOCAL_ADDR {
    char   *address;			/* full address, as given */
    char   *local;			/* local part, lowercase */
    char   *user;			/* local part without extension */
    char   *extension;			/* extension, or NULL */
    char   *domain;			/* domain, or "" */
} LOCAL_ADDR;

/* Whose privileges, home and shell. */
typedef struct LOCAL_USER {
    char   *name;			/* login name, or NULL (no context) */
    uid_t   uid;
    gid_t   gid;
    char   *home;			/* or "" */
    char   *shell;			/* or "" */
} LOCAL_USER;

/* Shared by every recipient of one request. */
typedef struct LOCAL_REQUEST {
    DELIVER_REQUEST *request;
    struct DELIVERED_HDR *delivered_to;	/* Delivered-To values, or NULL */
    struct LOCAL_FWD *forward;		/* pending forwarded recipients */
    bool    unrecorded;			/* a status could not be recorded */
} LOCAL_REQUEST;

/* One delivery in progress. */
typedef struct LOCAL_STATE {
    LOCAL_REQUEST *lreq;
    RECIPIENT *rcpt;			/* the request's recipient */
    LOCAL_ADDR addr;			/* what is being delivered now */
    char   *delivered;			/* Delivered-To address */
    char   *sender;			/* envelope sender (owner- aliases) */
    LOCAL_USER user;			/* privileges and environment */
    int     context;			/* LOCAL_CTX_* that led here */
    int     path_context;		/* every LOCAL_CTX_* on the way */
    int     level;			/* expansion depth */
    bool    root;			/* owns the shared parts */
    bool    success_traced;		/* root: "expanded" reported, SUCCESS
					 * cleared in rcpt->dsn_notify */
    char   *owner;			/* current owner- alias, or NULL */
    char   *unmatched;			/* "+ext" to propagate, or NULL */
    HTABLE *dups;			/* duplicate filter (shared) */
    int    *dup_count;			/* entries in dups (shared) */
    bool    deferred;			/* something was deferred (shared) */
    bool   *any_deferred;		/* where to record that */
    DSN_BUF *why;			/* scratch */
} LOCAL_STATE;

/* Parameters that local(8) parses once (local.c). */
typedef struct LOCAL_CONFIG {
    int     cmd_mask;			/* allow_mail_to_commands */
    int     file_mask;			/* allow_mail_to_files */
    int     deliver_hdr_mask;		/* prepend_delivered_header */
    int     lock_mask;			/* mailbox_delivery_lock */
    int     propagate_mask;		/* propagate_unmatched_extensions */
    MAPS   *alias_maps;
    MAPS   *mailbox_transport_maps;
    MAPS   *mailbox_command_maps;
    MAPS   *fallback_transport_maps;
} LOCAL_CONFIG;

extern LOCAL_CONFIG local_config;

/* local_addr.c */
extern void local_addr_split(LOCAL_ADDR *addr, const char *address,
			             const char *delimiters);
extern void local_addr_free(LOCAL_ADDR *addr);
typedef struct LOCAL_EXPAND_ATTR {
    const char *user;
    const char *home;
    const char *shell;
    const char *recipient;
    const char *extension;
    const char *domain;
    const char *local;
    const char *recipient_delimiter;
} LOCAL_EXPAND_ATTR;
extern int local_expand(VSTRING *result, const char *pattern,
			        const LOCAL_EXPAND_ATTR *attr,
			        const char *filter);
extern int local_context_mask(const char *param, const char *value);
extern int local_deliver_hdr_mask(const char *value);
extern int local_propagate_mask(const char *value);
extern const char *local_maildir_name(VSTRING *buf, long sec, long usec,
				              long pid, long count,
				              unsigned long dev,
				              unsigned long ino,
				              const char *hostname);
extern const char *local_maildir_hostname(VSTRING *buf, const char *name);
extern int local_token_kind(const char *token);
extern char *local_list_next(char **bufp);

#define LOCAL_TOKEN_ADDRESS	0
#define LOCAL_TOKEN_COMMAND	1
#define LOCAL_TOKEN_FILE	2
#define LOCAL_TOKEN_INCLUDE	3

/* local_state.c */
extern LOCAL_STATE *local_state_root(LOCAL_REQUEST *lreq, RECIPIENT *rcpt,
				             const char *delimiters,
				             bool *any_deferred);
extern LOCAL_STATE *local_state_child(const LOCAL_STATE *parent,
				              const char *address,
				              int context);
extern void local_state_free(LOCAL_STATE *state);
extern void local_state_set_user(LOCAL_STATE *state, const char *name,
				         uid_t uid, gid_t gid, const char *home,
				         const char *shell);
extern bool local_state_privs(LOCAL_STATE *state, const char *path);
extern bool local_privs_enter(const LOCAL_USER *user);
extern void local_privs_leave(void);
extern bool local_dup_filter(LOCAL_STATE *state, const char *key);
extern void local_state_unmatched(LOCAL_STATE *exp, const LOCAL_STATE *state,
				          int context);
extern bool local_delivered_loop(LOCAL_STATE *state);
extern int local_sent(LOCAL_STATE *state, const char *fmt,...)
    PRINTFLIKE(2, 3);
extern int local_bounce(LOCAL_STATE *state, const char *status,
			        const char *fmt,...) PRINTFLIKE(3, 4);
extern int local_defer(LOCAL_STATE *state, const char *status,
		               const char *fmt,...) PRINTFLIKE(3, 4);
extern int local_status(LOCAL_STATE *state, DSN_BUF *why);
extern RECIPIENT *local_status_rcpt(LOCAL_STATE *state, RECIPIENT *tmp);
extern void local_expand_attr(const LOCAL_STATE *state,
			              LOCAL_EXPAND_ATTR *attr);

/* local_resolve.c */
extern int local_deliver(LOCAL_STATE *state);
extern int local_deliver_list(LOCAL_STATE *state, const char *list,
			              int context, const char *origin);
extern int local_deliver_relay(LOCAL_STATE *state, const char *address);
extern int local_deliver_token(LOCAL_STATE *state, const char *token,
			               int context);

/* local_alias.c */
extern int local_alias(LOCAL_STATE *state, int *found);
extern int local_alias_known(const LOCAL_ADDR *addr);

/* local_forward.c */
extern int local_dot_forward(LOCAL_STATE *state, int *found);
extern int local_include(LOCAL_STATE *state, const char *path);
extern int local_forward_append(LOCAL_STATE *state, const char *address);
extern int local_forward_finish(LOCAL_STATE *root);
extern void local_forward_discard(LOCAL_REQUEST *lreq);

/* local_mailbox.c */
extern int local_mailbox(LOCAL_STATE *state);
extern int local_unknown(LOCAL_STATE *state);

/* local_command.c */
extern int local_command(LOCAL_STATE *state, const char *command,
			         bool mailbox_command);

/* local_file.c */
extern int local_file(LOCAL_STATE *state, const char *path);
extern int local_mbox_file(LOCAL_STATE *state, const char *path,
			           int copy_flags, int kind);

#define LOCAL_MBOX_FILE		0	/* a /file destination */
#define LOCAL_MBOX_HOME		1	/* home_mailbox */
#define LOCAL_MBOX_SPOOL	2	/* $mail_spool_directory/user */
extern int local_maildir(LOCAL_STATE *state, const char *path,
			         int copy_flags);

#endif
