/*
 * cleanup_state - the per-message state of cleanup(8)
 *
 * SYNOPSIS
 *	#include "mime_state.h"
#include "cleanup.h"
 *
 *	CLEANUP_STATE *cleanup_state_create(VSTREAM *src);
 *	void	cleanup_state_free(CLEANUP_STATE *state);
 *	void	cleanup_state_error(CLEANUP_STATE *state, int status,
 *				const char *fmt, ...);
 *	const char *cleanup_state_reason(CLEANUP_STATE *state);
 *
 * DESCRIPTION
 *	cleanup_state_create() makes an empty state for one message from
 *	the client stream src; cleanup_state_free() releases it (the queue
 *	file must have been committed or aborted).
 *
 *	cleanup_state_error() adds CLEANUP_STAT_* bits to the message's
 *	status; the first error also sets the reason text (formatted; it
 *	starts with an enhanced status code). Once there is an error
 *	nothing more is written to the queue file.
 *
 *	cleanup_state_reason() returns the reason for the reply: the text
 *	of the first error, or a generic text for the status bits when
 *	none was given.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <stdarg.h>
#include <string.h>

#include "mymalloc.h"
#include "mime_state.h"
#include "cleanup.h"

/* cleanup_state_create - an empty state for one message */
CLEANUP_STATE *cleanup_state_create(VSTREAM *src)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) mymalloc(sizeof(*state));

    memset(state, 0, sizeof(*state));
    state->src = src;
    state->reason = vstring_alloc(100);
    state->buf = vstring_alloc(200);
    state->temp1 = vstring_alloc(100);
    state->temp2 = vstring_alloc(100);
    state->header = vstring_alloc(200);
    state->attrs = argv_alloc(10);
    state->dups = htable_create(100);
    state->extracted = argv_alloc(1);
    state->extracted_resent = argv_alloc(1);
    state->check = cleanup_check_result_create();
    state->bcc = argv_alloc(1);
    state->warn_time = -1;
    state->cont_state = CLEANUP_CONT_HEADERS;
    return state;
}

/* cleanup_state_free - release a state */
void    cleanup_state_free(CLEANUP_STATE *state)
{
    vstring_free(state->reason);
    vstring_free(state->buf);
    vstring_free(state->temp1);
    vstring_free(state->temp2);
    if (state->mime)
	mime_state_free(state->mime);
    vstring_free(state->header);
    argv_free(state->attrs);
    htable_free(state->dups, (void (*) (void *)) 0);
    argv_free(state->extracted);
    argv_free(state->extracted_resent);
    cleanup_check_result_free(state->check);
    myfree(state->message_id);
    myfree(state->resent_message_id);
    argv_free(state->bcc);
    myfree(state->queue_id);
    myfree(state->sender);
    myfree(state->full_name);
    myfree(state->client_name);
    myfree(state->client_addr);
    myfree(state->sasl_username);
    myfree(state->rewrite_context);
    myfree(state->dsn_envid);
    myfree(state->verp_delims);
    myfree(state->orig_rcpt);
    myfree(state->dsn_orcpt);
    myfree(state->last_rcpt);
    myfree(state->redirect);
    myfree(state->filter);
    myfree(state);
}

/* cleanup_state_error - record an error; the first one gives the reason */
void    cleanup_state_error(CLEANUP_STATE *state, int status,
			            const char *fmt,...)
{
    va_list ap;

    if (VSTRING_LEN(state->reason) == 0 && fmt != 0) {
	va_start(ap, fmt);
	vstring_vsprintf(state->reason, fmt, ap);
	va_end(ap);
    }
    state->errs |= status;
}

/* cleanup_state_reason - the reason text for the reply */
const char *cleanup_state_reason(CLEANUP_STATE *state)
{
    static const struct {
	int     status;
	const char *text;
    }       generic[] = {
	{CLEANUP_STAT_DEFER, "4.7.1 Service unavailable - try again later"},
	{CLEANUP_STAT_PROXY, "5.3.0 Content filter error"},
	{CLEANUP_STAT_BAD, "5.3.0 bad message format"},
	{CLEANUP_STAT_WRITE, "4.3.0 queue file write error"},
	{CLEANUP_STAT_SIZE, "5.3.4 message file too big"},
	{CLEANUP_STAT_CONT, "5.7.1 message content rejected"},
	{CLEANUP_STAT_HOPS, "5.4.0 too many hops"},
	{CLEANUP_STAT_RCPT, "5.1.0 no recipients specified"},
    };
    size_t  i;

    if (VSTRING_LEN(state->reason) > 0 || state->errs == 0)
	return vstring_str(state->reason);
    for (i = 0; i < sizeof(generic) / sizeof(generic[0]); i++)
	if (state->errs & generic[i].status)
	    return generic[i].text;
    return "4.3.0 cleanup error";
}
