/*
 * fuzz_bounce_log - feed arbitrary bytes to the bounce(8) log reader
 *
 * DESCRIPTION
 *	The input is a per-message log file of the bounce, defer or trace
 *	service. It is parsed with bounce_log_parse(); checked: every entry
 *	kept has an address and a status, no value is longer than a log
 *	line may be, the number of entries is bounded by the input; the
 *	entries written again with bounce_log_format() parse back to as
 *	many entries with the same addresses (control characters become
 *	"?"); and a postmaster notification (no template text) built from
 *	them is complete (it ends with the closing boundary).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "bounce_template.h"
#include "bounce.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_notice - a postmaster notice that needs no main.cf */
static void fuzz_notice(BOUNCE_NOTICE *notice, BOUNCE_TEMPLATES *templates)
{
    memset(notice, 0, sizeof(*notice));
    notice->kind = BOUNCE_KIND_FAILURE;
    notice->postmaster = true;
    notice->ret = BOUNCE_RETURN_HEADERS;
    notice->template = bounce_templates_get(templates, BOUNCE_TMPL_FAILURE);
    notice->recipient = "postmaster";
    notice->new_id = "NEWID";
    notice->now = 1796456567;
    notice->myhostname = "test.example";
    notice->myorigin = "test.example";
    notice->mail_name = "Postfix";
    notice->header_from_format = "standard";
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static int fd2 = -1;
    static BOUNCE_TEMPLATES *templates;
    static VSTRING *text;
    static VSTRING *block;
    BOUNCE_LOG log;
    BOUNCE_LOG again;
    BOUNCE_ORIGINAL orig;
    BOUNCE_NOTICE notice;
    VSTREAM *fp;
    int     n;

    if (fd < 0) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_bounce_log", 0)) < 0
	    || (fd2 = memfd_create("fuzz_bounce_log2", 0)) < 0)
	    abort();
	templates = bounce_templates_create();
	text = vstring_alloc(1000);
	block = vstring_alloc(1000);
    }
    bounce_log_init(&log);
    fp = fuzz_memfile(fd, data, size, "fuzz");
    n = bounce_log_parse(fp, &log, "fuzz");
    vstream_fdclose(fp);
    if (n != log.len || (size_t) n > size / 2 + 1)
	abort();
    VSTRING_RESET(text);
    for (int i = 0; i < log.len; i++) {
	BOUNCE_ENTRY *e = log.entries + i;

	if (*e->address == 0 || *e->status == 0
	    || strlen(e->reason) > BOUNCE_LINE_MAX)
	    abort();
	bounce_log_format(block, e);
	vstring_strcat(text, vstring_str(block));
    }
    VSTRING_TERMINATE(text);

    /* What we write, we read back. */
    bounce_log_init(&again);
    fp = fuzz_memfile(fd2, vstring_str(text), VSTRING_LEN(text), "again");
    if (bounce_log_parse(fp, &again, "again") != log.len)
	abort();
    vstream_fdclose(fp);
    for (int i = 0; i < log.len; i++)
	if (strlen(again.entries[i].address)
	    != (strlen(log.entries[i].address) > BOUNCE_FIELD_MAX ?
		BOUNCE_FIELD_MAX : strlen(log.entries[i].address)))
	    abort();
    bounce_log_free(&again);

    /* A notification of it is complete. */
    bounce_original_init(&orig);
    orig.queue_id = "ORIGID";
    orig.sender = "sender@example.org";
    orig.readable = true;
    vstring_strcpy(orig.headers, "Subject: test\n");
    fuzz_notice(&notice, templates);
    bounce_notify_build(text, &notice, &orig, &log);
    if (VSTRING_LEN(text) < 10 || strcmp(vstring_str(text) + VSTRING_LEN(text)
		   - strlen("/test.example--\n"), "/test.example--\n") != 0)
	abort();
    bounce_original_free(&orig);
    bounce_log_free(&log);
    return 0;
}
