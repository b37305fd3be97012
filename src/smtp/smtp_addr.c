/*
 * smtp_addr - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp_addr.h"

/* SCAFFOLDING: not yet written */
int smtp_addr_resolve(SMTP_STATE *state, const SMTP_DEST *dest, SMTP_ADDR_LIST *list, DSN_BUF *why)
{
    (void) state;
    (void) dest;
    (void) list;
    (void) why;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void smtp_addr_list_free(SMTP_ADDR_LIST *list)
{
    (void) list;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
