/*
 * smtp_proto - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
int smtp_helo(SMTP_STATE *state)
{
    (void) state;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_xfer(SMTP_STATE *state)
{
    (void) state;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_rset(SMTP_STATE *state)
{
    (void) state;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_quit(SMTP_STATE *state)
{
    (void) state;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
