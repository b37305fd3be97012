/*
 * smtp_reply - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
void smtp_resp_init(SMTP_RESP *resp)
{
    (void) resp;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_resp_free(SMTP_RESP *resp)
{
    (void) resp;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_reply_read(SMTP_SESSION *session, SMTP_RESP *resp)
{
    (void) session;
    (void) resp;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_reply_parse(SMTP_RESP *resp, const char *lines[], int count)
{
    (void) resp;
    (void) lines;
    (void) count;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
