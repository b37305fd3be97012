/*
 * fuzz_deliver_request - feed arbitrary bytes to the delivery protocol
 *
 * DESCRIPTION
 *	The first input byte picks the side: even, the agent reads the
 *	rest as a delivery request (deliver_request_read()); odd, qmgr
 *	reads it as the reply to a request of three recipients at offsets
 *	100, 200 and 300 (deliver_request_reply()). The bytes come through
 *	a socketpair, whose writing end is shut down after them. Checked:
 *	an accepted request has 1 to DELIVER_MAX_RCPT recipients with
 *	bounded addresses and distinct offsets; an accepted reply has at
 *	most one result per recipient, each for a recipient of the
 *	request, with a valid outcome and DSN status; a refused one
 *	leaves no results.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "dsn.h"
#include "deliver_request.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_check_request - the invariants of an accepted request */
static void fuzz_check_request(const DELIVER_REQUEST *req)
{
    int     n;
    int     m;

    if (req->rcpt_list.len < 1 || req->rcpt_list.len > DELIVER_MAX_RCPT)
	abort();
    for (n = 0; n < req->rcpt_list.len; n++) {
	if (strlen(req->rcpt_list.info[n].address) > DELIVER_MAX_ADDR
	    || req->rcpt_list.info[n].offset <= 0)
	    abort();
	for (m = 0; m < n; m++)
	    if (req->rcpt_list.info[m].offset == req->rcpt_list.info[n].offset)
		abort();
    }
    if (req->data_offset <= 0 || req->queue_id == NULL
	|| req->queue_name == NULL)
	abort();
}

/* fuzz_check_reply - the invariants of a reply */
static void fuzz_check_reply(const DELIVER_REQUEST *req, int status)
{
    int     n;
    int     m;

    if (status != 0) {
	if (req->result_count != 0 || req->results != NULL)
	    abort();
	return;
    }
    if (req->result_count > req->rcpt_list.len
	|| (req->status != DEL_STAT_OK && req->status != DEL_STAT_DEFER))
	abort();
    for (n = 0; n < req->result_count; n++) {
	if (req->results[n].outcome < DELIVER_OUTCOME_SENT
	    || req->results[n].outcome > DELIVER_OUTCOME_BOUNCED
	    || !dsn_valid_status(req->results[n].dsn_status))
	    abort();
	for (m = 0; m < n; m++)
	    if (req->results[m].offset == req->results[n].offset)
		abort();
	for (m = 0; m < req->rcpt_list.len; m++)
	    if (req->rcpt_list.info[m].offset == req->results[n].offset)
		break;
	if (m == req->rcpt_list.len)
	    abort();
    }
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    DELIVER_REQUEST *req;
    VSTREAM *fp;
    int     fds[2];
    int     status;

    if (!init) {
	fuzz_quiet_init();
	signal(SIGPIPE, SIG_IGN);
	init = true;
    }
    if (size == 0)
	return 0;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) < 0)
	abort();
    /* Inputs are at most a few KB: they fit in the socket buffer. */
    if (size > 1 && write(fds[0], data + 1, size - 1) != (ssize_t) (size - 1))
	abort();
    if (shutdown(fds[0], SHUT_WR) < 0)
	abort();
    fp = vstream_fdopen(fds[1], O_RDWR);
    if ((data[0] & 1) == 0) {
	if (deliver_request_read(fp, &req) == 0) {
	    fuzz_check_request(req);
	    deliver_request_free(req);
	} else if (req != NULL) {
	    abort();
	}
    } else {
	req = deliver_request_alloc();
	recipient_list_add(&req->rcpt_list, 100, "", 0, "", "a@example.org");
	recipient_list_add(&req->rcpt_list, 200, "", 0, "", "b@example.org");
	recipient_list_add(&req->rcpt_list, 300, "", 0, "", "c@example.org");
	status = deliver_request_reply(fp, req);
	fuzz_check_reply(req, status);
	deliver_request_free(req);
    }
    vstream_fclose(fp);
    close(fds[0]);
    return 0;
}
