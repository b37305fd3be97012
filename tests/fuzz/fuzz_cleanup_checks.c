/*
 * fuzz_cleanup_checks - fuzz target for cleanup_checks(3) action parsing
 *
 * DESCRIPTION
 *	The input is a header_checks/body_checks table value (the action),
 *	a newline, and the header or body line that matched. The first
 *	byte picks the class. The target parses the action, formats the
 *	log line, and splits the value as a canonical/virtual result
 *	(cleanup_maps_addr_split()), and aborts when an invariant breaks:
 * .IP \(bu
 *	the action is a known CLEANUP_ACT_* value other than RETRY;
 * .IP \(bu
 *	a REJECT reply starts with "4." or "5." and is not longer than the
 *	value plus the default text;
 * .IP \(bu
 *	REDIRECT and BCC have an address with a local part and a domain,
 *	FILTER a ':', PREPEND and REPLACE of a header a "name:" label;
 * .IP \(bu
 *	the logged input shows at most 200 bytes (UTF-8 kept whole) and
 *	no byte below 0x20 or 0x7f;
 * .IP \(bu
 *	the split addresses are bounded: each at most 4 * the value's
 *	length + 8 bytes (tok822(3) may add spaces and closing brackets).
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "cleanup_maps.h"
#include "fuzz_support.h"

/* fuzz_fail - report a broken invariant and abort */
static void fuzz_fail(const char *what, const char *value, const char *text)
{
    fprintf(stderr, "invariant broken: %s\nvalue: [%s]\ntext: [%s]\n",
	    what, value, text);
    abort();
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const CLEANUP_LOG_CONTEXT ctx = {
	"QID", "localhost", "127.0.0.1", "a@example.com", "b@example.com",
	"ESMTP", "helo", false,
    };
    static const int classes[] = {
	CLEANUP_CHECK_HEADER, CLEANUP_CHECK_MIME_HEADER,
	CLEANUP_CHECK_NESTED_HEADER, CLEANUP_CHECK_BODY,
    };
    CLEANUP_CHECK_RESULT *result;
    VSTRING *log;
    ARGV   *addrs;
    char   *in;
    char   *value;
    char   *input;
    char   *nl;
    const char *text;
    const char *cp;
    size_t  shown;
    size_t  n;
    int     class;
    int     action;

    if (size == 0)
	return 0;
    fuzz_quiet_init();
    class = classes[data[0] % 4];
    in = mystrndup((const char *) data + 1, size - 1);
    value = in;
    if ((nl = strchr(in, '\n')) != 0) {
	*nl = 0;
	input = nl + 1;
    } else {
	input = "Subject: x";
    }
    result = cleanup_check_result_create();
    log = vstring_alloc(100);

    action = cleanup_checks_action("header_checks", class, value, input, &ctx,
				   result);
    text = vstring_str(result->text);
    if (action != result->action || action < CLEANUP_ACT_NONE
	|| action >= CLEANUP_ACT_RETRY)
	fuzz_fail("action", value, text);
    switch (action) {
    case CLEANUP_ACT_REJECT:
	if ((text[0] != '4' && text[0] != '5') || text[1] != '.'
	    || strlen(text) > strlen(value) + 40)
	    fuzz_fail("reject reply", value, text);
	break;
    case CLEANUP_ACT_REDIRECT:
    case CLEANUP_ACT_BCC:
	if ((cp = strrchr(text, '@')) == 0 || cp == text || cp[1] == 0)
	    fuzz_fail("address", value, text);
	break;
    case CLEANUP_ACT_FILTER:
	if (strchr(text, ':') == 0)
	    fuzz_fail("filter", value, text);
	break;
    case CLEANUP_ACT_PREPEND:
    case CLEANUP_ACT_REPLACE:
	if (*text == 0 || (class != CLEANUP_CHECK_BODY && !strchr(text, ':')))
	    fuzz_fail("prepend/replace", value, text);
	break;
    }

    cleanup_checks_log_format(log, "warning", class, input, &ctx, (char *) 0);
    cp = vstring_str(log) + strlen("QID: warning: ")
	+ strlen(cleanup_checks_class_name(class)) + 1;
    for (shown = 0; *cp && strncmp(cp, " from localhost[", 16) != 0; cp++) {
	if ((unsigned char) *cp < 0x20 || (unsigned char) *cp == 0x7f)
	    fuzz_fail("unprintable byte logged", value, vstring_str(log));
	shown++;
    }
    if (shown > 200 || *cp == 0)
	fuzz_fail("logged input", value, vstring_str(log));

    addrs = cleanup_maps_addr_split(value);
    for (n = 0; n < addrs->argc; n++)
	if (strlen(addrs->argv[n]) > 4 * strlen(value) + 8)
	    fuzz_fail("split address", value, addrs->argv[n]);
    argv_free(addrs);

    vstring_free(log);
    cleanup_check_result_free(result);
    myfree(in);
    return 0;
}
