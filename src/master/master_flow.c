/*
 * master_flow - the mail flow-control pipe
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	int	master_flow_pipe[2];
 *	void	master_flow_init(void);
 *
 * DESCRIPTION
 *	master_flow_init() creates the pipe that every child inherits as
 *	MASTER_FLOW_READ and MASTER_FLOW_WRITE (see mail_flow(3)). Both
 *	ends are non-blocking, so that a full or empty pipe never stops a
 *	daemon; master(8) itself neither reads nor writes it.
 *
 * DIAGNOSTICS
 *	Fatal: the pipe cannot be created.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <unistd.h>

#include "msg.h"
#include "iostuff.h"
#include "master.h"

int     master_flow_pipe[2] = {-1, -1};

/* master_flow_init - create the flow-control pipe */
void    master_flow_init(void)
{
    if (pipe2(master_flow_pipe, O_CLOEXEC | O_NONBLOCK) < 0)
	msg_fatal("master_flow_init: pipe: %m");
}
