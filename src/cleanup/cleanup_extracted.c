/*
 * cleanup_extracted - the extracted segment of the queue file
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_extracted(CLEANUP_STATE *state, int type,
 *				const char *data, size_t len);
 *	void	cleanup_extracted_end(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	After the X record the client may send recipient groups (O, o, n,
 *	R: a maildrop file's recipients that sendmail placed after the
 *	content) and then Z. cleanup_extracted() takes those records;
 *	anything else is a protocol error (CLEANUP_STAT_BAD).
 *
 *	cleanup_extracted_end() runs when the client's Z record has
 *	arrived. It writes, after the client's own recipients:
 *
 *	- the recipients taken from the headers (sendmail -t), through
 *	  the same rewriting, mapping and duplicate filter as envelope
 *	  recipients, each with the DSN original recipient "rfc822;<addr>"
 *	  ("utf-8;" when not ASCII) as Postfix writes it;
 *	- the automatic BCC recipients (always_bcc, sender_bcc_maps,
 *	  recipient_bcc_maps; CLEANUP_FLAG_BCC_OK) and those of BCC
 *	  actions, with NOTIFY=NEVER;
 *	- an I record for a FILTER action (unless it came after a
 *	  REDIRECT action, as with Postfix 3.7) and a J record for a
 *	  REDIRECT action (docs/internals/queue-file.md: these two may
 *	  appear in the extracted segment, where they override the
 *	  envelope's; J wins over I at delivery);
 *	- the Z record.
 *
 *	A message without any recipient then fails with
 *	CLEANUP_STAT_RCPT "5.1.0 no recipients specified", unless it is
 *	being discarded.
 *
 * DIAGNOSTICS
 *	Warnings: unexpected records after the content.
 */
#include "sys_defs.h"

#include "msg.h"
#include "vstring.h"
#include "rec_type.h"
#include "cleanup.h"

#define CLEANUP_ORCPT_LIMIT 500	/* as for o records from the client */

/* cleanup_extracted - one record after X from the client */
void    cleanup_extracted(CLEANUP_STATE *state, int type, const char *data,
			          size_t len)
{
    switch (type) {
    case REC_TYPE_ORCP:
    case REC_TYPE_DSN_ORCPT:
    case REC_TYPE_DSN_NOTIFY:
    case REC_TYPE_RCPT:
	cleanup_envelope(state, type, data, len);
	break;
    default:
	msg_warn("%s: unexpected %s record after the message content",
		 state->queue_id, rec_type_name(type));
	cleanup_state_error(state, CLEANUP_STAT_BAD,
			    "5.3.0 bad message format");
	break;
    }
}

/* cleanup_extracted_rcpt - one recipient from the headers */
static void cleanup_extracted_rcpt(CLEANUP_STATE *state, const char *addr)
{
    VSTRING *orcpt = vstring_alloc(100);
    const char *cp;
    const char *type = "rfc822";

    /* As Postfix: the DSN original recipient "rfc822;<addr>". */
    for (cp = addr; *cp; cp++)
	if (*(const unsigned char *) cp >= 0x80)
	    type = "utf-8";
    vstring_sprintf(orcpt, "%s;%s", type, addr);
    cleanup_addr_recipient(state, addr, addr,
			   VSTRING_LEN(orcpt) <= CLEANUP_ORCPT_LIMIT ?
			   vstring_str(orcpt) : (char *) 0, 0);
    vstring_free(orcpt);
}

/* cleanup_extracted_end - header recipients, BCC, actions, Z */
void    cleanup_extracted_end(CLEANUP_STATE *state)
{
    ARGV   *list;
    const char *always;
    size_t  i;

    if (state->orig_rcpt || state->dsn_orcpt || state->dsn_notify) {
	msg_warn("%s: recipient group without recipient from client",
		 state->queue_id);
	cleanup_state_error(state, CLEANUP_STAT_BAD,
			    "5.3.0 bad message format");
    }
    if (state->flags & CLEANUP_FLAG_EXTRACT) {
	list = (state->hdr_seen & CLEANUP_HDR_RESENT_ANY) ?
	    state->extracted_resent : state->extracted;
	for (i = 0; i < list->argc && cleanup_out_ok(state); i++)
	    cleanup_extracted_rcpt(state, list->argv[i]);
    }
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && cleanup_maps != 0
	&& (always = cleanup_bcc_always(cleanup_maps)) != 0
	&& state->rcpt_count > 0)
	cleanup_addr_bcc(state, always);
    for (i = 0; i < state->bcc->argc && cleanup_out_ok(state); i++)
	cleanup_addr_bcc(state, state->bcc->argv[i]);
    if (state->filter)
	cleanup_out_str(state, REC_TYPE_FILTER, state->filter);
    if (state->redirect)
	cleanup_out_str(state, REC_TYPE_REDIRECT, state->redirect);
    cleanup_out(state, REC_TYPE_END, "", 0);
    if (state->rcpt_count == 0 && !state->discard)
	cleanup_state_error(state, CLEANUP_STAT_RCPT,
			    "5.1.0 no recipients specified");
}
