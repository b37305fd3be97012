/*
 * fuzz_conv - feed arbitrary strings to the configuration converters
 *
 * DESCRIPTION
 *	The input (cut at the first null byte) goes to conv_time(3) with
 *	every default unit, conv_size(3), conv_bool(3) and name_mask(3).
 *	Checked: accepted values are in range and agree with a simple
 *	reference; a parsed mask printed with str_name_mask_opt() parses
 *	back to the same mask.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "conv_time.h"
#include "conv_size.h"
#include "conv_bool.h"
#include "name_mask.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const NAME_MASK fuzz_table[] = {
    {"all", 0x7},
    {"alpha", 0x1},
    {"beta", 0x2},
    {"gamma", 0x4},
    {"delta", 0x10},
    {"none", 0},
    {0, 0},
};

/* fuzz_all_digits - text is one or more digits */
static bool fuzz_all_digits(const char *text)
{
    const char *cp;

    for (cp = text; *cp; cp++)
	if (!isdigit((unsigned char) *cp))
	    return false;
    return cp > text;
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char units[] = "smhdw";
    static bool init;
    static VSTRING *buf;
    char   *text;
    const char *printed;
    const char *unit;
    int     seconds;
    long long bytes;
    bool    flag;
    unsigned mask;
    unsigned again;

    if (!init) {
	fuzz_quiet_init();
	buf = vstring_alloc(100);
	init = true;
    }
    text = mystrndup((const char *) data, size);

    for (unit = units; *unit; unit++) {
	seconds = -1;
	if (conv_time(text, &seconds, *unit)) {
	    if (seconds < 0 || !isdigit((unsigned char) text[0]))
		abort();
	} else if (seconds != -1) {
	    abort();
	}
    }

    if (conv_size(text, &bytes)) {
	if (bytes < 0 || !fuzz_all_digits(text))
	    abort();
	if (strlen(text) < 19 && bytes != strtoll(text, NULL, 10))
	    abort();
    } else if (fuzz_all_digits(text) && strlen(text) < 19) {
	abort();
    }

    if (conv_bool(text, &flag) && strlen(text) > 5)
	abort();

    if (name_mask_opt("fuzz", fuzz_table, text,
		      NAME_MASK_RETURN | NAME_MASK_ANY_CASE | NAME_MASK_NUMBER,
		      &mask, NULL)) {
	printed = str_name_mask_opt(buf, "fuzz", fuzz_table, mask,
				    NAME_MASK_NUMBER | NAME_MASK_RETURN);
	if (printed == NULL)
	    abort();
	if (!name_mask_opt("fuzz", fuzz_table, printed,
			   NAME_MASK_RETURN | NAME_MASK_NUMBER, &again, NULL)
	    || again != mask)
	    abort();
    }
    (void) name_mask_opt("fuzz", fuzz_table, text, NAME_MASK_WARN, &mask, NULL);
    myfree(text);
    return 0;
}
