/*
 * fuzz_dict_regexp - fuzz target for regexp: lookup tables
 *
 * DESCRIPTION
 *	The input is "key\ntable text": the table text is written to a
 *	temporary file, opened as a regexp: table and queried with the key and
 *	a few fixed keys (see fuzz_dict_support.h). Parsing and lookups
 *	must not crash, leak, or run without bound. Inputs whose patterns
 *	could make the regular expression library itself run out of memory
 *	are skipped (fuzz_dict_regex_bounded()).
 */
#include "sys_defs.h"

#include "fuzz_dict_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_dict_regex_bounded(data, size))
	fuzz_dict_file("regexp", data, size);
    return 0;
}
