/*
 * fuzz_master_cf - master.cf entries through master_entry_parse()
 *
 * DESCRIPTION
 *	Each input line is one logical master.cf line. Lines that parse are
 *	formatted again with master_entry_text(), which must parse to the
 *	same fields and arguments; the field helpers and the brace remover
 *	run on every argument. Checked: no crash, no leak, the round trip
 *	keeps the entry.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "master_conf.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_same_entry - do two entries agree? */
static bool fuzz_same_entry(const MASTER_ENTRY *a, const MASTER_ENTRY *b)
{
    size_t  n;

    if (strcmp(a->service, b->service) || strcmp(a->type, b->type)
	|| strcmp(a->private_field, b->private_field)
	|| strcmp(a->unpriv_field, b->unpriv_field)
	|| strcmp(a->chroot_field, b->chroot_field)
	|| strcmp(a->wakeup_field, b->wakeup_field)
	|| strcmp(a->maxproc_field, b->maxproc_field)
	|| a->args->argc != b->args->argc)
	return false;
    for (n = 0; n < a->args->argc; n++)
	if (strcmp(a->args->argv[n], b->args->argv[n]) != 0)
	    return false;
    return true;
}

/* fuzz_one_line - parse, check, and round-trip one line */
static void fuzz_one_line(const char *text)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_ENTRY *entry;
    MASTER_ENTRY *again;
    char   *formatted;
    char   *arg;
    bool    conditional;
    size_t  n;

    if ((entry = master_entry_parse(text, "master.cf", 1, why)) == NULL) {
	if (VSTRING_LEN(why) == 0)
	    abort();
	vstring_free(why);
	return;
    }
    if (entry->args->argc != entry->raw_args->argc || entry->args->argc == 0)
	abort();
    for (n = MASTER_FIELD_TYPE; n <= MASTER_FIELD_MAXPROC; n++) {
	const char *fields[] = {entry->service, entry->type, entry->private_field,
	    entry->unpriv_field, entry->chroot_field, entry->wakeup_field,
	entry->maxproc_field};

	if (master_field_error((int) n, fields[n]) != NULL)
	    abort();
    }
    (void) master_entry_flag(entry->private_field, true);
    (void) master_entry_wakeup(entry, &conditional);
    (void) master_entry_maxproc(entry, 100);
    for (n = 0; n < entry->raw_args->argc; n++) {
	arg = master_entry_unbrace(entry->raw_args->argv[n]);
	if (strcmp(arg, entry->args->argv[n]) != 0)
	    abort();
	myfree(arg);
    }

    /*
     * Arguments that contain braces cannot always be quoted again, so the
     * round trip is checked only for entries without them.
     */
    formatted = master_entry_text(entry);
    if (strpbrk(text, "{}") == NULL) {
	if ((again = master_entry_parse(formatted, "master.cf", 1, why)) == NULL)
	    abort();
	if (!fuzz_same_entry(entry, again))
	    abort();
	master_entry_free(again);
    }
    myfree(formatted);
    master_entry_free(entry);
    vstring_free(why);
}

/* LLVMFuzzerTestOneInput - newline-separated lines */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    char   *copy;
    char   *cp;
    char   *line;

    if (!init) {
	fuzz_quiet_init();
	init = true;
    }
    copy = mystrndup((const char *) data, size);
    for (cp = copy; (line = strsep(&cp, "\n")) != NULL; /* void */ )
	fuzz_one_line(line);
    myfree(copy);
    return 0;
}
