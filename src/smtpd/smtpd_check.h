/*
 * smtpd_check - the access restrictions of smtpd(8)
 *
 * SYNOPSIS
 *	#include "smtpd_check.h"
 *
 *	Called by the protocol modules:
 *
 *	void	smtpd_check_init(void);
 *	void	smtpd_check_session_start(SMTPD_STATE *state);
 *	void	smtpd_check_session_end(SMTPD_STATE *state);
 *	const char *smtpd_check_client(SMTPD_STATE *state);
 *	const char *smtpd_check_helo(SMTPD_STATE *state, const char *helo);
 *	const char *smtpd_check_mail(SMTPD_STATE *state, const char *sender);
 *	const char *smtpd_check_rcpt(SMTPD_STATE *state,
 *				const char *recipient);
 *	const char *smtpd_check_etrn(SMTPD_STATE *state, const char *domain);
 *	const char *smtpd_check_data(SMTPD_STATE *state);
 *	const char *smtpd_check_eod(SMTPD_STATE *state);
 *	const char *smtpd_check_size(SMTPD_STATE *state, long size);
 *	const char *smtpd_check_queue(SMTPD_STATE *state);
 *	const char *smtpd_check_vrfy(SMTPD_STATE *state,
 *				const char *recipient);
 *	int	smtpd_check_ehlo_discard(SMTPD_STATE *state, int *mask);
 *
 *	Used by the restriction modules (smtpd_check_*.c, smtpd_policy.c):
 *
 *	int	smtpd_check_reject(SMTPD_CHECK_CALL *call, int error_class,
 *				int code, const char *dsn,
 *				const char *fmt, ...);
 *	int	smtpd_check_list(SMTPD_CHECK_CALL *call, const char *list);
 *	int	smtpd_check_table_error(SMTPD_CHECK_CALL *call,
 *				const char *table);
 *	int	smtpd_check_access_action(SMTPD_CHECK_CALL *call,
 *				const char *table, const char *key,
 *				const char *action);
 *
 * DESCRIPTION
 *	smtpd_check_init() parses every restriction list and the
 *	restriction classes once per process and opens the tables they
 *	name. Fatal, as in Postfix: a class without a definition
 *	("restriction class `x' needs a definition"), relay and recipient
 *	restrictions without any working instance of
 *	reject_unauth_destination, defer_unauth_destination, reject, defer,
 *	defer_if_permit or check_relay_domains. Unknown restriction names
 *	and bad arguments are, as in Postfix, run-time errors: a warning
 *	("unknown smtpd restriction: "x"") and "451 4.3.5 Server
 *	configuration error". A bare "type:table" element means
 *	check_<stage>_access for the stage of its list.
 *	smtpd_check_session_start()/_end() make and free the per-session
 *	context (state->check_ctx: caches, delayed rejections).
 *
 *	Each smtpd_check_<stage>() runs what Postfix runs at that stage
 *	and returns NULL (go on) or the reply that the command must get,
 *	"NNN X.Y.Z text", already logged ("NOQUEUE: reject: RCPT from
 *	host[addr]: 554 5.7.1 <x@y>: Relay access denied; from=<a@b>
 *	to=<x@y> proto=ESMTP helo=<h>") and adjusted by soft_bounce.
 *	With smtpd_delay_reject = yes the client, helo and sender
 *	restrictions are evaluated at RCPT time (and a rejection is then
 *	the reply to RCPT), as Postfix does; smtpd_check_rcpt() also runs
 *	smtpd_relay_restrictions, smtpd_recipient_restrictions and the
 *	recipient validation (local_recipient_maps, virtual_alias_maps,
 *	virtual_mailbox_maps, relay_recipient_maps: "550 5.1.1 <u@d>:
 *	Recipient address rejected: User unknown in local recipient
 *	table"). smtpd_check_size() answers SIZE= against
 *	message_size_limit and free queue space; smtpd_check_queue() the
 *	free space only. smtpd_check_ehlo_discard() applies
 *	smtpd_discard_ehlo_keyword_address_maps for this client and sets
 *	*mask to the SMTPD_EHLO_* keywords to drop: 1 when the table had
 *	an answer, 0 when not, -1 when the lookup failed (the caller then
 *	answers "421 4.3.0 $myhostname Server local data error").
 *
 *	Access actions that do not decide (HOLD, DISCARD, FILTER, REDIRECT,
 *	BCC, PREPEND) are saved in state->saved_* and state->prepend for
 *	the protocol module that writes the queue file; WARN and INFO are
 *	logged.
 *
 * RESTRICTION MODULES
 *	The restriction table (smtpd_check_table.c) maps every restriction
 *	name to a SMTPD_CHECK_FN and says whether it takes an argument
 *	(the next element of the list, e.g. check_client_access type:name).
 *	A function returns SMTPD_CHECK_DUNNO (next restriction),
 *	SMTPD_CHECK_OK (permit: stop this list) or the result of
 *	smtpd_check_reject() (which formats, logs and returns
 *	SMTPD_CHECK_REJECT, or SMTPD_CHECK_DUNNO under warn_if_reject).
 *	smtpd_check_table_error() answers a lookup table failure as Postfix
 *	does ("451 4.3.0 <name>: Temporary lookup failure") and logs the
 *	table. smtpd_check_list() evaluates a nested list (restriction
 *	classes, access table results that name restrictions) with the
 *	nesting bounded (SMTPD_CHECK_MAX_DEPTH).
 *
 *	error_class is one of the MAIL_ERROR_* names of notify_classes
 *	("policy", "protocol", "resource", "software"), used for the
 *	notification and for smtpd_reject_footer selection.
 */
#ifndef SMTPD_CHECK_H
#define SMTPD_CHECK_H

#include "smtpd.h"

#define SMTPD_CHECK_DUNNO	0
#define SMTPD_CHECK_OK		1
#define SMTPD_CHECK_REJECT	2

#define SMTPD_CHECK_MAX_DEPTH	100

/* EHLO keywords, for smtpd_discard_ehlo_keywords. */
#define SMTPD_EHLO_PIPELINING	(1<<0)
#define SMTPD_EHLO_SIZE		(1<<1)
#define SMTPD_EHLO_VRFY		(1<<2)
#define SMTPD_EHLO_ETRN		(1<<3)
#define SMTPD_EHLO_8BITMIME	(1<<4)
#define SMTPD_EHLO_DSN		(1<<5)
#define SMTPD_EHLO_ENHANCEDSTATUSCODES (1<<6)
#define SMTPD_EHLO_SMTPUTF8	(1<<7)
#define SMTPD_EHLO_CHUNKING	(1<<8)
#define SMTPD_EHLO_STARTTLS	(1<<9)
#define SMTPD_EHLO_AUTH		(1<<10)
#define SMTPD_EHLO_XCLIENT	(1<<11)
#define SMTPD_EHLO_XFORWARD	(1<<12)
#define SMTPD_EHLO_SILENT	(1<<13)	/* "silent-discard" */

/* Which stage a restriction list belongs to. */
typedef enum SMTPD_CHECK_STAGE {
    SMTPD_STAGE_CLIENT,
    SMTPD_STAGE_HELO,
    SMTPD_STAGE_SENDER,
    SMTPD_STAGE_RELAY,
    SMTPD_STAGE_RECIPIENT,
    SMTPD_STAGE_DATA,
    SMTPD_STAGE_EOD,
    SMTPD_STAGE_ETRN,
} SMTPD_CHECK_STAGE;

/* One evaluation of one restriction: what it applies to. */
typedef struct SMTPD_CHECK_CALL {
    SMTPD_STATE *state;
    SMTPD_CHECK_STAGE stage;		/* list being evaluated */
    const char *restriction;		/* its name, as configured */
    const char *arg;			/* its argument, or NULL */
    const char *reply_name;		/* what a rejection names */
    const char *reply_class;		/* "Client host", "Helo command",
					 * "Sender address", "Recipient
					 * address", "Data command",
					 * "End-of-data", "Etrn" */
    int     depth;			/* nesting, for smtpd_check_list() */
} SMTPD_CHECK_CALL;

typedef int (*SMTPD_CHECK_FN) (SMTPD_CHECK_CALL *call);

typedef struct SMTPD_RESTRICTION {
    const char *name;
    SMTPD_CHECK_FN fn;
    int     flags;			/* SMTPD_RESTR_* */
} SMTPD_RESTRICTION;

#define SMTPD_RESTR_ARG		(1<<0)	/* takes the next list element */

extern void smtpd_check_init(void);
extern void smtpd_check_session_start(SMTPD_STATE *state);
extern void smtpd_check_session_end(SMTPD_STATE *state);
extern const char *smtpd_check_client(SMTPD_STATE *state);
extern const char *smtpd_check_helo(SMTPD_STATE *state, const char *helo);
extern const char *smtpd_check_mail(SMTPD_STATE *state, const char *sender);
extern const char *smtpd_check_rcpt(SMTPD_STATE *state,
				            const char *recipient);
extern const char *smtpd_check_etrn(SMTPD_STATE *state, const char *domain);
extern const char *smtpd_check_data(SMTPD_STATE *state);
extern const char *smtpd_check_eod(SMTPD_STATE *state);
extern const char *smtpd_check_size(SMTPD_STATE *state, long size);
extern const char *smtpd_check_queue(SMTPD_STATE *state);
extern const char *smtpd_check_vrfy(SMTPD_STATE *state,
				            const char *recipient);
extern int smtpd_check_ehlo_discard(SMTPD_STATE *state, int *mask);

extern int PRINTFLIKE(5, 6) smtpd_check_reject(SMTPD_CHECK_CALL *call,
					               const char *error_class,
					               int code, const char *dsn,
					               const char *fmt,...);
extern int smtpd_check_list(SMTPD_CHECK_CALL *call, const char *list);
extern int smtpd_check_table_error(SMTPD_CHECK_CALL *call,
				           const char *table);

/*
 * smtpd_check_access_action() applies one access(5) result (OK, REJECT
 * text, NNN text, DUNNO, HOLD, WARN, FILTER..., or restriction names
 * evaluated as a nested list) as check_*_access does for a table entry;
 * table and key name the source in warnings ("access table %s entry %s
 * ..."). Used by smtpd_policy.c (the policy action, table
 * "inet:host:port") and smtpd_check_dns.c (check_*_{mx,ns,a}_access).
 * Requested by the dnsbl helper; the engine implements it.
 */
extern int smtpd_check_access_action(SMTPD_CHECK_CALL *call,
				             const char *table, const char *key,
				             const char *action);

/*
 * Added by the engine (additive):
 *
 * smtpd_check_find() looks a restriction name up in the module tables
 * (smtpd_check_table.c); NULL when unknown.
 *
 * smtpd_check_defer_if_permit() and smtpd_check_defer_if_reject() (macros
 * for smtpd_check_defer_if() with if_permit true or false) record
 * the reply that a later permit (or, for defer_if_reject, a later 5xx
 * rejection in the same list) turns into: what the "defer_if_permit" and
 * "defer_if_reject" restrictions and the DEFER_IF_* access actions do, and
 * what reject-type restrictions use on a temporary failure
 * (reject_tempfail_action = defer_if_permit). Both return
 * SMTPD_CHECK_DUNNO. Under warn_if_reject the deferral is only logged as
 * "reject_warning" when it happens.
 *
 * smtpd_check_config_error() answers a configuration error as Postfix
 * does for a table that fails: "451 4.3.5 <name>: Class rejected: Server
 * configuration error"; smtpd_check_server_error() the plain "451 4.3.5
 * Server configuration error" of an unknown restriction or a bad
 * restriction argument (after the caller's warning).
 *
 * smtpd_check_log() logs "<queue id or NOQUEUE>: <action>: <VERB> from
 * name[addr]: <text>; from=<..> to=<..> proto=.. helo=<..>" as the
 * HOLD/DISCARD/FILTER/WARN/INFO... actions do.
 *
 * smtpd_check_maps() returns the opened table list for a "type:name"
 * argument (opened once per process, shared).
 *
 * smtpd_check_error_mask() returns the MAIL_ERROR_* classes of the
 * rejections of this session (SMTPD_CHECK_ERR_* bits), for the
 * notify_classes notification of the protocol module;
 * smtpd_check_error_reset() forgets them (a message was queued).
 */
#define SMTPD_CHECK_ERR_POLICY		(1<<0)
#define SMTPD_CHECK_ERR_PROTOCOL	(1<<1)
#define SMTPD_CHECK_ERR_RESOURCE	(1<<2)
#define SMTPD_CHECK_ERR_SOFTWARE	(1<<3)
#define SMTPD_CHECK_ERR_DATA		(1<<4)	/* smtpd's own tables */

#define MAIL_ERROR_POLICY	"policy"
#define MAIL_ERROR_PROTOCOL	"protocol"
#define MAIL_ERROR_RESOURCE	"resource"
#define MAIL_ERROR_SOFTWARE	"software"

struct MAPS;

extern const SMTPD_RESTRICTION *smtpd_check_find(const char *name);
extern int PRINTFLIKE(6, 7) smtpd_check_defer_if(SMTPD_CHECK_CALL *call,
						         bool if_permit,
						         const char *error_class,
						         int code, const char *dsn,
						         const char *fmt,...);

#define smtpd_check_defer_if_permit(call, ...) \
	smtpd_check_defer_if((call), true, __VA_ARGS__)
#define smtpd_check_defer_if_reject(call, ...) \
	smtpd_check_defer_if((call), false, __VA_ARGS__)
extern int smtpd_check_config_error(SMTPD_CHECK_CALL *call);
extern int smtpd_check_server_error(SMTPD_CHECK_CALL *call);
extern void PRINTFLIKE(3, 4) smtpd_check_log(SMTPD_CHECK_CALL *call,
					             const char *action,
					             const char *fmt,...);
extern struct MAPS *smtpd_check_maps(const char *table);
extern int smtpd_check_error_mask(SMTPD_STATE *state);
extern void smtpd_check_error_reset(SMTPD_STATE *state);
extern void smtpd_check_access_init(void);	/* smtpd_check_access.c */
extern const char *smtpd_check_sasl_username(SMTPD_STATE *);	/* ditto */
extern void smtpd_policy_service_init(const char *);	/* smtpd_policy.c */

/* Restriction tables of the modules, ending with a NULL name. */
extern const SMTPD_RESTRICTION smtpd_check_access_table[];	/* check_*_access, generic */
extern const SMTPD_RESTRICTION smtpd_check_addr_table[];	/* address, relay, recipient */
extern const SMTPD_RESTRICTION smtpd_check_dns_table[];	/* DNS-based: rbl, mx/ns/a access */
extern const SMTPD_RESTRICTION smtpd_policy_table[];	/* check_policy_service */

#endif
