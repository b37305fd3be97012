/*
 * smtp_connect - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state, const SMTP_ADDR *addr, DSN_BUF *why)
{
    (void) state;
    (void) addr;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
