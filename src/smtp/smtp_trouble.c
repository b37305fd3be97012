/*
 * smtp_trouble - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
int smtp_sess_fail(SMTP_STATE *state, const SMTP_RESP *resp, const char *stage)
{
    (void) state;
    (void) resp;
    (void) stage;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_stream_except(SMTP_STATE *state, int exception, const char *stage)
{
    (void) state;
    (void) exception;
    (void) stage;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_site_fail(SMTP_STATE *state, DSN_BUF *why)
{
    (void) state;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
