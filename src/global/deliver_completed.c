/*
 * deliver_completed - mark one recipient done in its queue file
 *
 * SYNOPSIS
 *	#include "bounce_client.h"
 *
 *	void	deliver_completed(DELIVER_REQUEST *req, RECIPIENT *rcpt);
 *
 * DESCRIPTION
 *	deliver_completed() turns the recipient's R record into a D
 *	record (docs/internals/queue-file.md, sections 1 and 3): a record
 *	starts with its type byte, so the byte at rcpt->offset must be
 *	"R" followed by a length digit; it becomes "D" with one pwrite(2)
 *	of one byte on req->fp's descriptor. The file is not fsync()ed,
 *	as Postfix does not: a mark that a power loss takes away means
 *	one more delivery of that recipient, never a lost one, and the
 *	delivery itself (mailbox, next hop) has been made durable by the
 *	agent already.
 *	The stream's buffer and position are not touched (the content
 *	that mail_copy() reads lies after the recipients).
 *
 *	A record that is already "D" is left alone (the recipient was
 *	reported twice, as an alias with several destinations may be).
 *
 *	A recipient whose recorded outcome (deliver_request_result())
 *	is "deferred" is not marked: bounce_append() defers with
 *	soft_bounce = yes or when the bounce service fails, and an alias
 *	member may be deferred while another is delivered; the agents
 *	call deliver_completed() after bounce_append() or after the last
 *	member, and a mark then would lose the recipient for good (found
 *	with soft_bounce through error(8): the message was removed
 *	without a delivery). Marking stays the caller's choice otherwise.
 *
 *	What it does not do: look for the record anywhere else than at
 *	the offset qmgr gave, or fix a file that does not match it.
 *
 * DIAGNOSTICS
 *	Warnings, each meaning that the recipient may be delivered again
 *	(never that it is lost): "<id>: cannot mark recipient <addr>
 *	done: queue file is not open", "...: read at offset N: <error>",
 *	"...: no recipient record at offset N", "...: write at offset N:
 *	<error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "vstream.h"
#include "rec_type.h"
#include "bounce_client.h"

/* deliver_completed_deferred - was this recipient's outcome a deferral? */
static bool deliver_completed_deferred(const DELIVER_REQUEST *req, long offset)
{
    int     n;

    for (n = 0; n < req->result_count; n++)
	if (req->results[n].offset == offset)
	    return (req->results[n].outcome == DELIVER_OUTCOME_DEFERRED);
    return (false);
}

/* deliver_completed - R to D at rcpt->offset */
void    deliver_completed(DELIVER_REQUEST *req, RECIPIENT *rcpt)
{
    const char *id = req->queue_id ? req->queue_id : "";
    char    head[2];
    char    done = REC_TYPE_DONE;
    ssize_t len;
    int     fd;

    if (deliver_completed_deferred(req, rcpt->offset))
	return;
    if (req->fp == NULL) {
	msg_warn("%s: cannot mark recipient %s done: queue file is not open",
		 id, excerpt(rcpt->address));
	return;
    }
    fd = vstream_fileno(req->fp);
    if (rcpt->offset <= 0
	|| (len = pread(fd, head, sizeof(head), (off_t) rcpt->offset)) < 0) {
	msg_warn("%s: cannot mark recipient %s done: read at offset %ld: %m",
		 id, excerpt(rcpt->address), rcpt->offset);
	return;
    }
    if (len == sizeof(head) && head[0] == REC_TYPE_DONE
	&& head[1] >= '0' && head[1] <= '9')
	return;
    if (len != sizeof(head) || head[0] != REC_TYPE_RCPT
	|| head[1] < '0' || head[1] > '9') {
	msg_warn("%s: cannot mark recipient %s done: "
		 "no recipient record at offset %ld",
		 id, excerpt(rcpt->address), rcpt->offset);
	return;
    }
    while ((len = pwrite(fd, &done, 1, (off_t) rcpt->offset)) < 0
	   && errno == EINTR)
	 /* again */ ;
    if (len != 1) {
	msg_warn("%s: cannot mark recipient %s done: write at offset %ld: %s",
		 id, excerpt(rcpt->address), rcpt->offset,
		 len < 0 ? strerror(errno) : "short write");
	return;
    }
}
