/*
 * deliver_request - the delivery request protocol, both sides
 *
 * SYNOPSIS
 *	#include "deliver_request.h"
 *
 *	typedef struct DELIVER_REQUEST { ... } DELIVER_REQUEST;  (below)
 *
 *	Agent side:
 *	int	deliver_request_read(VSTREAM *client, DELIVER_REQUEST **req);
 *	void	deliver_request_result(DELIVER_REQUEST *req,
 *				const RECIPIENT *rcpt, int outcome,
 *				const char *dsn_status);
 *	int	deliver_request_done(VSTREAM *client, DELIVER_REQUEST *req,
 *				int status);
 *
 *	qmgr side:
 *	DELIVER_REQUEST *deliver_request_alloc(void);
 *	int	deliver_request_send(VSTREAM *agent, DELIVER_REQUEST *req);
 *	int	deliver_request_reply(VSTREAM *agent, DELIVER_REQUEST *req);
 *	void	deliver_request_free(DELIVER_REQUEST *req);
 *
 * DESCRIPTION
 *	The wire format is docs/internals/delivery.md, section 2
 *	(attribute lists, protocol name "delivery"; the attribute names
 *	are in deliver_proto.h).
 *
 *	deliver_request_read() sends the agent's greeting, reads one
 *	request within $ipc_timeout, checks it (every required attribute
 *	present, at least one recipient, offsets > 0, bounded strings),
 *	and opens the queue file queue_name/queue_id with a
 *	shared lock as req->fp (read-write: deliver_completed() marks
 *	recipients done through it), positioned at data_offset. It returns 0
 *	with *req set; -1 after a warning when the request was malformed
 *	or the connection failed (*req NULL: the agent just closes); and
 *	0 with req->fp NULL when the queue file is missing (the caller
 *	defers every recipient: "4.3.0 ... queue file is missing" is the
 *	agent's text, as it chooses).
 *
 *	deliver_request_result() records the outcome of one recipient
 *	(DELIVER_OUTCOME_SENT, _DEFERRED, _BOUNCED) for the reply; the
 *	status functions (bounce_client.h) call it, agents need not.
 *
 *	deliver_request_done() sends the reply (status, the recorded
 *	results, req->dead) and frees req (and closes req->fp). Status is
 *	0, or DEL_STAT_DEFER with req->reason set. It returns 0, or -1
 *	when the reply could not be sent.
 *
 *	deliver_request_alloc() makes an empty request for qmgr to fill
 *	(strings NULL mean ""); deliver_request_send() reads the agent's
 *	greeting and writes req; deliver_request_reply() reads the reply
 *	into req->status, req->reason, req->dead and req->results
 *	(offset, outcome, dsn_status per recipient); -1 when the
 *	connection failed or the reply was malformed (then every
 *	recipient not marked done is qmgr's to defer).
 *	deliver_request_free() frees either side's request: every string
 *	field with myfree() (qmgr fills them with mystrdup()), the
 *	recipients, the results, and closes req->fp.
 */
#ifndef DELIVER_REQUEST_H
#define DELIVER_REQUEST_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "recipient_list.h"
#include "msg_stats.h"

#define DELIVER_PROTOCOL	"delivery"

#define DEL_REQ_FLAG_VERIFY	(1<<0)	/* address probe: report, don't deliver */
#define DEL_REQ_FLAG_RECORD	(1<<1)	/* sendmail -v: copy status to trace */
#define DEL_REQ_FLAG_SUCCESS	(1<<2)	/* some recipient wants NOTIFY=SUCCESS */
#define DEL_REQ_FLAG_MTA_VERIFY	(1<<3)	/* with VERIFY: verify(8)'s probe */
#define DEL_REQ_FLAG_CONN_STORE	(1<<4)	/* backlog: keep the connection */
#define DEL_REQ_FLAG_MASK	(DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_RECORD \
				 | DEL_REQ_FLAG_SUCCESS | DEL_REQ_FLAG_MTA_VERIFY \
				 | DEL_REQ_FLAG_CONN_STORE)

/*
 * Address probes: DEL_REQ_FLAG_VERIFY alone (with RECORD) is a user's
 * probe (sendmail -bv, trace_flags 512: outcomes go to the trace log
 * and become a report); VERIFY | MTA_VERIFY is verify(8)'s probe
 * (trace_flags 256: outcomes update the address verification cache).
 * Agents test DEL_REQ_FLAG_VERIFY only: either way nothing is delivered.
 *
 * DEL_REQ_FLAG_CONN_STORE: qmgr has more entries waiting for the same
 * destination (a backlog in the active queue). With
 * smtp_connection_cache_on_demand the SMTP/LMTP client then keeps the
 * connection in the connection cache after the delivery.
 */

#define DEL_STAT_OK		0
#define DEL_STAT_DEFER		1

#define DELIVER_OUTCOME_SENT	0
#define DELIVER_OUTCOME_DEFERRED 1
#define DELIVER_OUTCOME_BOUNCED	2

#define DELIVER_MAX_RCPT	1000	/* recipients in one request */
#define DELIVER_MAX_ADDR	2048	/* bytes in one address */

typedef struct DELIVER_RESULT {
    long    offset;
    int     outcome;
    char    dsn_status[16];
} DELIVER_RESULT;

typedef struct DELIVER_REQUEST {
    /* Request. */
    int     flags;			/* DEL_REQ_FLAG_* */
    char   *queue_name;
    char   *queue_id;
    long    data_offset;		/* offset of the M record */
    long    data_size;			/* content size */
    char   *nexthop;
    char   *encoding;
    int     smtputf8;
    char   *sender;
    char   *dsn_envid;
    int     dsn_ret;
    MSG_STATS stats;			/* arrival, active, handoff */
    char   *client_name;
    char   *client_addr;
    char   *client_port;
    char   *client_proto;
    char   *client_helo;
    char   *sasl_method;
    char   *sasl_username;
    char   *sasl_sender;
    char   *log_ident;
    char   *rewrite_context;
    RECIPIENT_LIST rcpt_list;
    /* Agent side. */
    VSTREAM *fp;			/* queue file, or NULL */
    /* Reply. */
    int     status;			/* DEL_STAT_* */
    char   *reason;			/* with DEL_STAT_DEFER */
    int     dead;			/* next hop failed as a whole */
    DELIVER_RESULT *results;
    int     result_count;
} DELIVER_REQUEST;

extern int deliver_request_read(VSTREAM *client, DELIVER_REQUEST **req);
extern void deliver_request_result(DELIVER_REQUEST *req, const RECIPIENT *rcpt,
				           int outcome, const char *dsn_status);
extern int deliver_request_done(VSTREAM *client, DELIVER_REQUEST *req,
				        int status);
extern DELIVER_REQUEST *deliver_request_alloc(void);
extern int deliver_request_send(VSTREAM *agent, DELIVER_REQUEST *req);
extern int deliver_request_reply(VSTREAM *agent, DELIVER_REQUEST *req);
extern void deliver_request_free(DELIVER_REQUEST *req);

#endif
