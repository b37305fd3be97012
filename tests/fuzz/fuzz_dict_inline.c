/*
 * fuzz_dict_inline - fuzz target for tables written in their name
 *
 * DESCRIPTION
 *	The input (up to a null byte) is used as the name of an inline:,
 *	static: and randmap: table, and of regexp: and cidr: tables in
 *	their inline "{ {rule}, ... }" form; each is opened and queried
 *	(see fuzz_dict_support.h). Composite types (pipemap:, unionmap:)
 *	are left out because their components may name arbitrary files.
 *	The regexp: form is skipped for inputs whose patterns could make
 *	the regular expression library itself run out of memory
 *	(fuzz_dict_regex_bounded()).
 */
#include "sys_defs.h"

#include "fuzz_dict_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *types[] = {"inline", "static", "randmap", "regexp",
    "cidr"};
    bool    regex_ok = fuzz_dict_regex_bounded(data, size);
    size_t  n;

    for (n = 0; n < ARRAY_LEN(types); n++)
	if (regex_ok || strcmp(types[n], "regexp") != 0)
	    fuzz_dict_name(types[n], data, size);
    return 0;
}
