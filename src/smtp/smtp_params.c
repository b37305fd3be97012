/*
 * smtp_params - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp.h"

int     smtp_mode = 1;

/* SCAFFOLDING: not yet written */
void smtp_params_init(const char *service, const char *argv0)
{
    (void) service;
    (void) argv0;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
const char *smtp_param_str(int smtp_idx, int lmtp_idx)
{
    (void) smtp_idx;
    (void) lmtp_idx;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
long smtp_param_int(int smtp_idx, int lmtp_idx)
{
    (void) smtp_idx;
    (void) lmtp_idx;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
bool smtp_param_bool(int smtp_idx, int lmtp_idx)
{
    (void) smtp_idx;
    (void) lmtp_idx;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int smtp_param_time(int smtp_idx, int lmtp_idx)
{
    (void) smtp_idx;
    (void) lmtp_idx;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
