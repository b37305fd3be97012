/*
 * smtp_content - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_content.h"

/* SCAFFOLDING: not yet written */
int smtp_content_send(SMTP_STATE *state, int flags, SMTP_CONTENT_OUT out, void *context, DSN_BUF *why)
{
    (void) state;
    (void) flags;
    (void) out;
    (void) context;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_content_needs_downgrade(SMTP_STATE *state)
{
    (void) state;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
const char *smtp_map_envelope(SMTP_STATE *state, const char *addr, VSTRING *buf)
{
    (void) state;
    (void) addr;
    (void) buf;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
const char *smtp_quote_envelope(const char *addr, VSTRING *buf)
{
    (void) addr;
    (void) buf;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
