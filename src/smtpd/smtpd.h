/*
 * smtpd - the SMTP server: session state shared by its modules
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 * DESCRIPTION
 *	smtpd(8) is split by protocol phase (docs/internals/smtpd.md has
 *	the map). Every module works on one SMTPD_STATE: the connection,
 *	who the client is, what it said, the mail transaction and the
 *	counters that the disconnect log line prints. A module that needs
 *	private per-session data keeps it behind its own opaque pointer
 *	here (check_ctx, xforward...), created and freed by that module.
 *
 *	Conventions shared by all modules:
 *	-  A reply is one string "NNN X.Y.Z text" (or "NNN text" for the
 *	   few replies without an enhanced code); smtpd_chat_reply() sends
 *	   it (splitting "\n"-separated lines into a multi-line reply).
 *	-  Peer text in log lines goes through excerpt() or is printed
 *	   as Postfix prints it; nothing from the peer goes into a
 *	   fixed-size buffer.
 *	-  The command handlers (SMTPD_CMD_FN) return 0 when the command
 *	   succeeded, -1 when it was answered with an error (the error
 *	   counters are then updated by the dispatcher), and
 *	   SMTPD_CMD_UNCOUNTED when it counts as neither (a successful
 *	   XCLIENT: Postfix logs "xclient=0/1").
 */
#ifndef SMTPD_H
#define SMTPD_H

#include "sys_defs.h"
#include <sys/time.h>
#include "vstream.h"
#include "vstring.h"
#include "argv.h"
#include "cleanup_client.h"

/* Name status codes of the client name lookups (smtpd_peer.c). */
#define SMTPD_PEER_CODE_OK	2	/* name found (and confirmed) */
#define SMTPD_PEER_CODE_TEMP	4	/* temporary lookup failure */
#define SMTPD_PEER_CODE_PERM	5	/* no name */
#define SMTPD_PEER_CODE_FORGED	6	/* name does not map back */

/* Session flags (state->flags). */
#define SMTPD_FLAG_STANDALONE	(1<<0)	/* smtpd -S (sendmail -bs) */
#define SMTPD_FLAG_HANGUP	(1<<1)	/* close after this reply */
#define SMTPD_FLAG_ILL_PIPELINING (1<<2) /* improper pipelining seen */
#define SMTPD_FLAG_SMTPUTF8	(1<<3)	/* MAIL FROM ... SMTPUTF8 */
#define SMTPD_FLAG_BARE_LF_SEEN (1<<4)	/* bare <LF> seen in this session */
#define SMTPD_FLAG_XCLIENT	(1<<5)	/* XCLIENT changed the identity */
#define SMTPD_FLAG_BARE_LF_LINE (1<<6)	/* last command ended in bare <LF> */

/* Restriction side effects saved for the queue file (smtpd_check). */
#define SMTPD_SAVED_HOLD	(1<<0)
#define SMTPD_SAVED_DISCARD	(1<<1)

/* Per-command counters for the disconnect line. */
typedef struct SMTPD_CMD_COUNT {
    const char *name;			/* "ehlo", "mail", ... */
    int     total;			/* times received */
    int     success;			/* times answered 2xx/3xx */
} SMTPD_CMD_COUNT;

#define SMTPD_CMD_COUNT_MAX	32

typedef struct SMTPD_STATE {
    /* The connection. */
    VSTREAM *client;			/* SMTP stream */
    const char *service;		/* master.cf service name */
    int     flags;			/* SMTPD_FLAG_* */
    struct timeval arrival;		/* session start */
    VSTRING *buffer;			/* command line, scratch */
    VSTRING *reply;			/* last reply sent, for checks */
    const char *where;			/* phase for "lost connection
					 * after X": "CONNECT", "EHLO", ... */

    /* Who the client is (smtpd_peer.c; XCLIENT may change them). */
    char   *name;			/* verified name or "unknown" */
    char   *reverse_name;		/* PTR name or "unknown" */
    char   *addr;			/* printable address */
    char   *port;			/* port or "unknown" */
    char   *namaddr;			/* name[addr] or name[addr]:port */
    char   *rfc_addr;			/* addr, "IPv6:..." for IPv6 */
    int     addr_family;		/* AF_INET, AF_INET6, AF_UNSPEC */
    int     name_status;		/* SMTPD_PEER_CODE_* */
    int     reverse_name_status;	/* SMTPD_PEER_CODE_* */
    char   *server_addr;		/* local end */
    char   *server_port;
    char   *anvil_ident;		/* service:addr for anvil(8) */

    /* What the client said. */
    char   *helo_name;			/* HELO/EHLO argument, or NULL */
    char   *protocol;			/* "SMTP", "ESMTP" */
    int     junk_cmds;			/* for smtpd_junk_command_limit */
    int     error_count;		/* for the soft/hard error limits */
    int     notify_count;		/* syntax errors etc. logged */
    int     error_mask;			/* SMTPD_CHECK_ERR_* of own replies */
    int     ehlo_discard_mask;		/* SMTPD_EHLO_* not offered */
    char   *access_denied;		/* client rejected at connect */
    SMTPD_CMD_COUNT counts[SMTPD_CMD_COUNT_MAX];
    int     ncounts;

    /* The mail transaction (MAIL ... DATA/BDAT LAST). */
    char   *sender;			/* MAIL FROM, internal form */
    char   *encoding;			/* BODY=, or NULL */
    char   *verp_delims;		/* XVERP, or NULL */
    char   *dsn_envid;			/* ENVID, decoded */
    int     dsn_ret;			/* REC_DSN_RET_* or 0 */
    long    msg_size;			/* SIZE=, or 0 */
    int     rcpt_count;			/* accepted recipients */
    int     rcpt_overshoot;		/* over smtpd_recipient_limit */
    char   *recipient;			/* last accepted RCPT TO (during RCPT:
					 * the one being checked) */
    ARGV   *rcpt_args;			/* accepted recipients' records */
    CLEANUP_CLIENT *cleanup;		/* open queue file, or NULL */
    char   *queue_id;			/* cleanup's ID, or NULL */
    long    act_size;			/* bytes of content received */
    bool    bdat_active;		/* inside a BDAT transfer */
    char   *etrn_name;			/* ETRN argument being checked */

    /* Restriction side effects for the queue file (smtpd_check). */
    int     saved_flags;		/* SMTPD_SAVED_* */
    char   *saved_filter;		/* FILTER transport:dest */
    char   *saved_redirect;		/* REDIRECT address */
    ARGV   *saved_bcc;			/* BCC addresses */
    ARGV   *prepend;			/* PREPEND header lines */

    /* Private state of other modules (each creates and frees its own). */
    struct SMTPD_CHECK_CTX *check_ctx;	/* smtpd_check.c */
    struct SMTPD_XFORWARD *xforward;	/* smtpd_xclient.c */
    struct SMTPD_POLICY_CTX *policy_ctx;	/* smtpd_policy.c */
    char   *instance;			/* policy "instance" per message */
    int     instance_seq;

    /* notify_classes transcript (smtpd_notify.c). */
    ARGV   *transcript;			/* "In:  ..." / "Out: ..." lines */
    const char *abort_reason;		/* "lost connection", ... or NULL */
} SMTPD_STATE;

/* smtpd_state.c */
extern SMTPD_STATE *smtpd_state_create(VSTREAM *client, const char *service,
				               int flags);
extern void smtpd_state_reset_transaction(SMTPD_STATE *state);
extern void smtpd_state_free(SMTPD_STATE *state);
extern void smtpd_state_set_peer(SMTPD_STATE *state, const char *name,
			                 const char *reverse_name,
			                 const char *addr, const char *port,
			                 int name_status, int reverse_status);

/* smtpd_peer.c: fill in the client's identity from the socket. */
extern void smtpd_peer_init(SMTPD_STATE *state);
extern void smtpd_peer_from_addr(SMTPD_STATE *state, const char *addr,
			                 const char *port,
			                 const char *server_addr,
			                 const char *server_port);

/* smtpd_haproxy.c: read a PROXY v1/v2 header; NULL or the error text. */
extern const char *smtpd_haproxy_read(SMTPD_STATE *state);

/* smtpd_chat.c: I/O with the client. */
extern void smtpd_chat_init(void);
extern int smtpd_chat_query(SMTPD_STATE *state);
extern void PRINTFLIKE(2, 3) smtpd_chat_reply(SMTPD_STATE *state,
					              const char *fmt,...);
extern void smtpd_chat_reset(SMTPD_STATE *state);
extern bool smtpd_chat_pending(SMTPD_STATE *state);
extern bool smtpd_chat_bare_lf_reject(SMTPD_STATE *state);
extern void smtpd_chat_footer(SMTPD_STATE *state, VSTRING *reply);

/*
 * smtpd_notify.c: the notify_classes transcript (smtpd_chat.c records
 * the lines; smtpd.c trims, clears and sends).
 */
extern void smtpd_notify_init(void);
extern void smtpd_notify_record(SMTPD_STATE *state, const char *label,
				        const char *text, size_t len);
extern void smtpd_notify_trim(SMTPD_STATE *state);
extern void smtpd_notify_clear_errors(SMTPD_STATE *state);
extern void smtpd_notify_content_reject(SMTPD_STATE *state);
extern void smtpd_notify_session(SMTPD_STATE *state);
extern void smtpd_notify_free(SMTPD_STATE *state);

/* smtpd_helo.c: EHLO keyword names to SMTPD_EHLO_* bits (smtpd_check.h). */
extern void smtpd_helo_init(void);
extern unsigned smtpd_helo_ehlo_mask(const char *names);
extern int smtpd_helo_discard_mask(SMTPD_STATE *state);

/*
 * smtpd_mail.c: parsing without a session (the fuzz target uses these).
 * The parameter parsers return NULL or the reply for the first bad one.
 */
typedef struct SMTPD_MAIL_ARGS {
    long    size;			/* SIZE=, 0 if none */
    char   *body;			/* BODY= (7BIT, 8BITMIME) or NULL */
    bool    smtputf8;			/* SMTPUTF8 */
    int     ret;			/* REC_DSN_RET_* or 0 */
    char   *envid;			/* ENVID=, decoded, or NULL */
    bool    auth_seen;			/* AUTH= (ignored) */
    char   *verp;			/* XVERP delimiters, or NULL */
} SMTPD_MAIL_ARGS;

typedef struct SMTPD_RCPT_ARGS {
    int     notify;			/* REC_DSN_NOTIFY_* mask or 0 */
    char   *orcpt;			/* "type;address", decoded, or NULL */
} SMTPD_RCPT_ARGS;

extern ARGV *smtpd_cmd_split(const char *line);
extern int smtpd_mail_split(int argc, char **argv, const char *keyword,
			            const char **addr, int *params);
extern int smtpd_mail_addr(const char *text, bool strict, VSTRING *addr);

#define SMTPD_ADDR_BAD		(-1)	/* smtpd_mail_addr(): bad syntax */
#define SMTPD_ADDR_UNBALANCED	(-2)	/* smtpd_mail_addr(): no ">" */
extern int smtpd_mail_xtext(VSTRING *out, const char *in);
extern const char *smtpd_mail_params(char **params, bool verp_ok,
				             SMTPD_MAIL_ARGS *args);
extern bool smtpd_mail_verp_allowed(SMTPD_STATE *state);
extern void smtpd_mail_args_free(SMTPD_MAIL_ARGS *args);
extern const char *smtpd_rcpt_params(char **params, SMTPD_RCPT_ARGS *args);
extern void smtpd_rcpt_args_free(SMTPD_RCPT_ARGS *args);

/* Command handlers: argv[0] is the command word. */
typedef int (*SMTPD_CMD_FN) (SMTPD_STATE *state, int argc, char **argv);

#define SMTPD_CMD_UNCOUNTED	1	/* neither a success nor an error */

/* Command handlers (the command table is in smtpd.c). */
extern int smtpd_cmd_helo(SMTPD_STATE *state, int argc, char **argv);	/* smtpd_helo.c */
extern int smtpd_cmd_ehlo(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_mail(SMTPD_STATE *state, int argc, char **argv);	/* smtpd_mail.c */
extern int smtpd_cmd_rcpt(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_data(SMTPD_STATE *state, int argc, char **argv);	/* smtpd_data.c */
extern int smtpd_cmd_bdat(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_xclient(SMTPD_STATE *state, int argc, char **argv);	/* smtpd_xclient.c */
extern int smtpd_cmd_xforward(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_rset(SMTPD_STATE *state, int argc, char **argv);	/* smtpd_misc.c */
extern int smtpd_cmd_noop(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_vrfy(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_etrn(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_quit(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_starttls(SMTPD_STATE *state, int argc, char **argv);
extern int smtpd_cmd_auth(SMTPD_STATE *state, int argc, char **argv);

/*
 * smtpd_data.c: the queue file side of a transaction. smtpd_data_open()
 * opens a cleanup(8) connection at the first accepted recipient (as
 * smtpd_delay_open_until_valid_rcpt wants), writes the envelope so far
 * and logs "<id>: client=name[addr]"; NULL or the reply to give.
 * smtpd_data_rcpt() adds one accepted recipient (orcpt: the DSN ORCPT
 * or NULL; notify: REC_DSN_NOTIFY_* mask or 0). smtpd_data_abort()
 * drops an open queue file (RSET, QUIT, lost connection, errors).
 */
extern void smtpd_data_init(void);	/* process init, before chroot */
extern const char *smtpd_data_open(SMTPD_STATE *state);
extern void smtpd_data_rcpt(SMTPD_STATE *state, const char *recipient,
			            const char *orcpt, int notify);
extern void smtpd_data_abort(SMTPD_STATE *state);

/*
 * smtpd_xclient.c: XFORWARD attributes for the queue file, appended to
 * attrs as "name=value" (log_client_name=..., see queue-file.md).
 */
extern void smtpd_xforward_attrs(SMTPD_STATE *state, ARGV *attrs);
extern void smtpd_xforward_reset(SMTPD_STATE *state);

/*
 * smtpd_xclient.c (added by the anvil helper): who may use XCLIENT and
 * XFORWARD (the EHLO keywords below are offered only then);
 * smtpd_xforward_log() is the suffix of the "<id>: client=name[addr]"
 * line (", orig_queue_id=X, orig_client=name[addr]" or ""), valid
 * until the next call; smtpd_xclient_login() the XCLIENT LOGIN name or
 * NULL (permit_sasl_authenticated, policy sasl_username);
 * smtpd_xclient_free() frees state->xforward (smtpd_state_free() must
 * call it). smtpd_xforward_reset() ends the XFORWARD attributes of a
 * transaction: call it at RSET, HELO/EHLO, the end of DATA/BDAT LAST.
 */
#define SMTPD_XCLIENT_EHLO	"XCLIENT NAME ADDR PROTO HELO REVERSE_NAME PORT LOGIN DESTADDR DESTPORT"
#define SMTPD_XFORWARD_EHLO	"XFORWARD NAME ADDR PROTO HELO SOURCE PORT IDENT"
extern bool smtpd_xclient_allowed(SMTPD_STATE *state);
extern bool smtpd_xforward_allowed(SMTPD_STATE *state);
extern const char *smtpd_xforward_log(SMTPD_STATE *state);
extern const char *smtpd_xclient_login(SMTPD_STATE *state);
extern void smtpd_xclient_free(SMTPD_STATE *state);

/*
 * smtpd_limit.c: anvil(8) limits. Each returns NULL or the reply to give
 * ("421 4.7.0 name[addr]: Too many connections" etc.).
 */
extern const char *smtpd_limit_connect(SMTPD_STATE *state);
extern void smtpd_limit_disconnect(SMTPD_STATE *state);
extern const char *smtpd_limit_mail(SMTPD_STATE *state);
extern const char *smtpd_limit_rcpt(SMTPD_STATE *state);
extern bool smtpd_limit_exempt(SMTPD_STATE *state);	/* no limits apply */

#endif
