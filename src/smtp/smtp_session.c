/*
 * smtp_session - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_session.h"

/* SCAFFOLDING: not yet written */
SMTP_SESSION *smtp_session_alloc(VSTREAM *stream, const SMTP_ADDR *addr)
{
    (void) stream;
    (void) addr;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_session_free(SMTP_SESSION *session)
{
    (void) session;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_session_passivate(SMTP_SESSION *session, VSTRING *prop)
{
    (void) session;
    (void) prop;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
SMTP_SESSION *smtp_session_activate(int fd, const char *prop, VSTRING *why)
{
    (void) fd;
    (void) prop;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
