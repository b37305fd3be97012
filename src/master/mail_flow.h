/*
 * mail_flow - mail flow-control tokens shared by all daemons
 *
 * SYNOPSIS
 *	#include "mail_flow.h"
 *
 *	ssize_t	mail_flow_get(ssize_t count);
 *	ssize_t	mail_flow_put(ssize_t count);
 *	ssize_t	mail_flow_count(void);
 *
 * DESCRIPTION
 *	master(8) gives every child the two ends of one pipe
 *	(MASTER_FLOW_READ and MASTER_FLOW_WRITE, both non-blocking). Each
 *	byte in the pipe is a token that allows one more message into the
 *	system: the queue manager puts $default_process_limit tokens in
 *	when it starts and one more for each message it takes into the
 *	active queue, and cleanup(8) takes one per message, pausing
 *	$in_flow_delay seconds when none is there (the skeletons do this
 *	with MAIL_SERVER_FLAG_IN_FLOW_DELAY). This is the behaviour seen
 *	from outside Debian's Postfix 3.7.
 *
 *	mail_flow_get() takes count tokens and returns count, or -1 when
 *	fewer are available (the tokens it did read are lost, which only
 *	makes the limit stricter for a moment). mail_flow_put() adds
 *	count tokens and returns count, or -1 when the pipe is full or
 *	not there. mail_flow_count() returns the number of tokens
 *	available, or -1.
 *
 *	This module does not wait and does not log.
 *
 * DIAGNOSTICS
 *	Panic: count <= 0.
 */
#ifndef MAIL_FLOW_H
#define MAIL_FLOW_H

#include "sys_defs.h"

extern ssize_t mail_flow_get(ssize_t count);
extern ssize_t mail_flow_put(ssize_t count);
extern ssize_t mail_flow_count(void);

#endif
