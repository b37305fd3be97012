/*
 * debug_process - run the configured debugger on this process
 *
 * DESCRIPTION
 *	See debug_process.h.
 */
#include "sys_defs.h"

#include <stdlib.h>

#include "msg.h"
#include "excerpt.h"
#include "mail_params.h"
#include "debug_process.h"

/* debug_process - run $debugger_command and wait for it */
void    debug_process(void)
{
    const char *command = VAR_STR(debugger_command);
    int     status;

    if (*command == 0)
	msg_fatal("no %s variable set up", PARAM_NAME(debugger_command));
    msg_info("running: %s", excerpt(command));
    if ((status = system(command)) != 0)
	msg_warn("%s: exit status %d", PARAM_NAME(debugger_command), status);
}
