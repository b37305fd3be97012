/*
 * smtp - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "smtp.h"

/* SCAFFOLDING: not yet written */
int     main(int argc, char **argv)
{
    (void) argc;
    (void) argv;
    msg_fatal("smtp: issue-11 scaffolding, not yet written");
}
