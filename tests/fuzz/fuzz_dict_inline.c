/*
 * fuzz_dict_inline - fuzz target for tables written in their name
 *
 * DESCRIPTION
 *	The input (up to a null byte) is used as the name of an inline:,
 *	static: and randmap: table, and of regexp: and cidr: tables in
 *	their inline "{ {rule}, ... }" form; each is opened and queried
 *	(see fuzz_dict_support.h). Composite types (pipemap:, unionmap:)
 *	are left out because their components may name arbitrary files.
 */
#include "sys_defs.h"

#include "fuzz_dict_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *types[] = {"inline", "static", "randmap", "regexp",
    "cidr"};
    size_t  n;

    for (n = 0; n < ARRAY_LEN(types); n++)
	fuzz_dict_name(types[n], data, size);
    return 0;
}
