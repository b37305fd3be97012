/*
 * fuzz_smtp_reply - feed arbitrary bytes to the SMTP client's reply reader
 *
 * DESCRIPTION
 *	The input is what an SMTP or LMTP server sent smtp(8), read from a
 *	memory file with smtp_reply_read() reply after reply until end of
 *	input. Checked for each reply: the code is 200-599, the enhanced
 *	status code is valid and of the code's class (3.0.0 for 3xx), the joined text is
 *	bounded, and reading ends (never more replies than bytes). At the
 *	end the session goes through smtp_session_passivate() and
 *	smtp_session_activate() (the cached-session round trip) with the
 *	features that the input left.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_addr.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    static char name[] = "mx.example";
    static char address[] = "192.0.2.1";
    SMTP_ADDR addr = {name, address, 25, 0, 0};
    SMTP_SESSION *session;
    SMTP_RESP resp;
    VSTRING *prop;
    VSTRING *why;
    size_t  replies = 0;
    int     session_fd;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_smtp_reply", 0)) < 0)
	    abort();
	init = true;
    }
    session = smtp_session_alloc(fuzz_memfile(fd, data, size, "fuzz"), &addr);
    session->features = (size & 1) ? SMTP_FEATURE_PIPELINING : 0;
    smtp_resp_init(&resp);
    while (smtp_reply_read(session, &resp) == 0) {
	if (resp.code < 200 || resp.code > 599)
	    abort();
	if (resp.dsn[0] != '0' + resp.code / 100)
	    abort();
	if (resp.code / 100 == 3 ? strcmp(resp.dsn, "3.0.0") != 0 :
	    !dsn_valid_status(resp.dsn))
	    abort();
	if (VSTRING_LEN(resp.str) > 64 * 1024 + 1)
	    abort();
	if (++replies > size)
	    abort();
	session->size_limit = (off_t) VSTRING_LEN(resp.str);
	session->features = resp.code;
    }
    smtp_resp_free(&resp);

    /* The cached-session round trip. */
    prop = vstring_alloc(100);
    why = vstring_alloc(100);
    session_fd = smtp_session_passivate(session, prop);
    if (session_fd != fd)
	abort();
    if ((session = smtp_session_activate(fd, vstring_str(prop), why)) == 0)
	abort();
    if (strcmp(session->namaddrport, "mx.example[192.0.2.1]:25") != 0)
	abort();
    (void) smtp_session_passivate(session, prop);
    vstring_free(prop);
    vstring_free(why);
    return 0;
}
