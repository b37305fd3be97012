/*
 * fuzz_policy_reply - feed arbitrary bytes to the policy reply parser
 *
 * DESCRIPTION
 *	The input is what a policy server sent smtpd(8), read from a memory
 *	file with smtpd_policy_reply_read() as check_policy_service reads
 *	it, reply after reply until an error or end of input. Checked: an
 *	action is the text after the first "action=" of its reply (never
 *	longer than the input), a reply never has more lines than the
 *	bound, and reading ends.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstream.h"
#include "smtpd_policy_reply.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static SMTPD_POLICY_REPLY *reply;
    VSTREAM *fp;
    size_t  replies = 0;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_policy_reply", 0)) < 0)
	    abort();
	reply = smtpd_policy_reply_create();
	init = true;
    }
    fp = fuzz_memfile(fd, data, size, "fuzz");
    while (smtpd_policy_reply_read(reply, fp) == SMTPD_POLICY_REPLY_DONE) {
	if (reply->action != 0 && strlen(reply->action) > size)
	    abort();
	if (reply->action != 0 && memmem(data, size, reply->action,
					 strlen(reply->action)) == 0)
	    abort();
	if (++replies > size)
	    abort();				/* more replies than bytes */
    }
    vstream_fdclose(fp);
    return 0;
}
