/*
 * fuzz_pipe_argv - feed arbitrary text to pipe(8)'s macro expansion
 *
 * DESCRIPTION
 *	The input is split at newlines: the first line is the argv=
 *	pattern (split at spaces into words), the second the sender, the
 *	rest are recipient addresses (at most 20). The first byte also
 *	chooses the pipe(8) flags. pipe_argv_expand() must either refuse
 *	the pattern or return, for each word, one argument (no
 *	per-recipient macro) or one per recipient. The same lines also go
 *	through dsn_split(3) (as a command's output), whose status must be
 *	valid or the default and whose text must be a suffix of the input.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "mymalloc.h"
#include "vstring.h"
#include "deliver_request.h"
#include "dsn.h"
#include "dsn_split.h"
#include "recipient_list.h"
#include "pipe_argv.h"
#include "pipe_attr.h"
#include "fuzz_support.h"

#define FUZZ_MAX_RCPT	20

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_check_split - dsn_split() invariants for one line */
static void fuzz_check_split(const char *line, VSTRING *status)
{
    const char *text = dsn_split(line, "5.0.0", status);

    if (!dsn_valid_status(vstring_str(status)))
	abort();
    if (text < line || text > line + strlen(line))
	abort();
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char   *copy = mystrndup((const char *) data, size);
    ARGV   *lines = argv_split(copy, "\n");
    VSTRING *why = vstring_alloc(10);
    VSTRING *status = vstring_alloc(10);
    DELIVER_REQUEST req;
    ARGV   *pattern;
    ARGV   *result;
    size_t  n;
    int     flags = size ? data[0] : 0;

    fuzz_quiet_init();
    memset(&req, 0, sizeof(req));
    recipient_list_init(&req.rcpt_list);
    req.queue_id = (char *) "4A1B2C3D4E5";
    req.nexthop = (char *) "nexthop.example";
    req.data_size = (long) size;
    req.sender = lines->argc > 1 ? lines->argv[1] : (char *) "";
    for (n = 2; n < lines->argc && n < 2 + FUZZ_MAX_RCPT; n++)
	recipient_list_add(&req.rcpt_list, (long) n, "", 0, "",
			   lines->argv[n]);
    for (n = 0; n < lines->argc; n++)
	fuzz_check_split(lines->argv[n], status);

    pattern = argv_split(lines->argc ? lines->argv[0] : "", " ");
    result = pipe_argv_expand(pattern, &req, flags, "MAILER-DAEMON", "+-",
			      why);
    if (result != NULL) {
	size_t  most = pattern->argc * (req.rcpt_list.len > 1 ?
				       (size_t) req.rcpt_list.len : 1);

	if (result->argc > most)
	    abort();
	if (req.rcpt_list.len > 0 && result->argc < pattern->argc)
	    abort();
	argv_free(result);
    } else if (VSTRING_LEN(why) == 0) {
	abort();
    }
    argv_free(pattern);
    recipient_list_free(&req.rcpt_list);
    argv_free(lines);
    vstring_free(why);
    vstring_free(status);
    myfree(copy);
    return 0;
}
