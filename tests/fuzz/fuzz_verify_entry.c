/*
 * fuzz_verify_entry - feed arbitrary cache values to verify_entry(3)
 *
 * DESCRIPTION
 *	The input (cut at the first null byte) is parsed as a stored
 *	address verification cache entry. Checked: an accepted entry has a
 *	status in range, non-negative times, a text without a newline and
 *	within the limit, and formats to a value that parses back to the same entry; then the
 *	query and update rules run on it at a few times (they must keep
 *	the status in range and never clear a probe mark they just set).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "verify_clnt.h"
#include "verify_entry.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const VERIFY_POLICY fuzz_policy = {
    .positive_expire = 2678400,
    .positive_refresh = 604800,
    .negative_expire = 259200,
    .negative_refresh = 10800,
    .negative_cache = true,
    .probe_ttl = 1000,
};

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long times[] = {0, 1, 1000000000L, 4000000000L};
    static bool init;
    static VSTRING *buf;
    static VSTRING *why;
    VERIFY_ENTRY entry;
    VERIFY_ENTRY copy;
    const char *text;
    char   *value;
    size_t  i;
    int     status;

    if (!init) {
	fuzz_quiet_init();
	buf = vstring_alloc(100);
	why = vstring_alloc(100);
	init = true;
    }
    value = mystrndup((const char *) data, size);
    if (verify_entry_parse(&entry, value, why)) {
	if (entry.status < VERIFY_ADDR_OK || entry.status > VERIFY_ADDR_PENDING
	    || entry.probed < 0 || entry.updated < 0
	    || strchr(entry.text, '\n') != 0
	    || strlen(entry.text) > VERIFY_TEXT_LIMIT)
	    abort();
	verify_entry_format(buf, &entry);
	if (!verify_entry_parse(&copy, vstring_str(buf), why)
	    || copy.status != entry.status || copy.probed != entry.probed
	    || copy.updated != entry.updated
	    || strcmp(copy.text, entry.text) != 0)
	    abort();
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
	    copy = entry;
	    (void) verify_entry_expired(&fuzz_policy, &copy, times[i]);
	    if (verify_entry_query(&fuzz_policy, &copy, true, times[i],
				   &status, &text)
		&& copy.probed != times[i])
		abort();
	    if (status < VERIFY_ADDR_OK || status > VERIFY_ADDR_PENDING
		|| text == 0)
		abort();
	    copy = entry;
	    (void) verify_entry_update(&fuzz_policy, &copy, true,
				       VERIFY_ADDR_BOUNCE, "5.1.1 x",
				       times[i]);
	    if (copy.probed != 0)
		abort();
	}
    } else if (VSTRING_LEN(why) == 0) {
	abort();
    }
    VSTRING_RESET(why);
    VSTRING_TERMINATE(why);
    myfree(value);
    return 0;
}
