/*
 * smtp_status - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
void smtp_rcpt_done(SMTP_STATE *state, int idx, const SMTP_RESP *resp)
{
    (void) state;
    (void) idx;
    (void) resp;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_rcpt_fail(SMTP_STATE *state, int idx, const SMTP_RESP *resp, const char *stage)
{
    (void) state;
    (void) idx;
    (void) resp;
    (void) stage;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_mesg_fail(SMTP_STATE *state, const SMTP_RESP *resp, const char *stage)
{
    (void) state;
    (void) resp;
    (void) stage;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_rcpt_fail_dsn(SMTP_STATE *state, int idx, DSN_BUF *why)
{
    (void) state;
    (void) idx;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_mesg_fail_dsn(SMTP_STATE *state, DSN_BUF *why)
{
    (void) state;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
