/*
 * smtp_dest - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "argv.h"
#include "smtp_dest.h"

/* SCAFFOLDING: not yet written */
int smtp_dest_parse(const char *text, int lmtp, const char *def_service, SMTP_DEST *dest, VSTRING *why)
{
    (void) text;
    (void) lmtp;
    (void) def_service;
    (void) dest;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_dest_free(SMTP_DEST *dest)
{
    (void) dest;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
ARGV *smtp_dest_list(const char *text)
{
    (void) text;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
