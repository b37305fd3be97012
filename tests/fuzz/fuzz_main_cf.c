/*
 * fuzz_main_cf - main.cf text through the configuration parser and expander
 *
 * DESCRIPTION
 *	The input is a main.cf file. It is read as mail_conf(3) reads it
 *	(readlline(3) logical lines, split_nameval()), but a malformed line
 *	is skipped instead of being fatal; the settings go into mail_conf
 *	with mail_conf_update(). Then every value is expanded with
 *	mac_expand(3) recursively, looking names up in the settings and the
 *	fixed built-in defaults, as "postconf -x" does, and scanned for the
 *	names it uses (MAC_EXP_FLAG_SCAN, both branches of every
 *	conditional), as postconf does to find user-defined parameters.
 *	Expansion results are bounded, and the number of name lookups per
 *	value is capped so that self-multiplying references cannot take
 *	forever. Checked: no crash, no leak, no stack overflow on deep
 *	nesting (mac_expand(3) stops at 100 levels), the expansion stays
 *	within its bound.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_LINE_LIMIT		4096
#define FUZZ_RESULT_LIMIT	65536
#define FUZZ_LOOKUP_LIMIT	2000

static int fuzz_lookups;

/* fuzz_lookup - settings, then fixed built-in defaults */
static const char *fuzz_lookup(const char *name, int mode, void *context)
{
    const char *value;
    const MAIL_PARAM *param;

    (void) mode;
    (void) context;
    if (++fuzz_lookups > FUZZ_LOOKUP_LIMIT)
	return NULL;
    if ((value = mail_conf_lookup(name)) != NULL)
	return value;
    /* Computed defaults would ask the host; they have no $name anyway. */
    if ((param = mail_param_find(name)) != NULL && param->defval != NULL)
	return param->defval;
    return NULL;
}

/* fuzz_collect - mail_conf_walk() callback */
static void fuzz_collect(const char *name, const char *value, void *context)
{
    (void) value;
    argv_add((ARGV *) context, name, ARGV_END);
}

/* LLVMFuzzerTestOneInput - one main.cf */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static int fd = -1;
    VSTREAM *fp;
    VSTRING *line;
    VSTRING *result;
    ARGV   *names;
    char   *name;
    char   *value;
    int     lineno = 0;
    int     first;
    int     status;
    size_t  n;

    if (!init) {
	fuzz_quiet_init();
	if ((fd = memfd_create("fuzz_main_cf", 0)) < 0)
	    abort();
	init = true;
    }
    fp = fuzz_memfile(fd, data, size, "main.cf");
    line = vstring_alloc(100);
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       FUZZ_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if (split_nameval(vstring_str(line), &name, &value) == NULL)
	    mail_conf_update(name, value);
    }
    vstream_fdclose(fp);

    names = argv_alloc(10);
    mail_conf_walk(fuzz_collect, names);
    result = vstring_alloc(100);
    vstring_set_maxlen(result, FUZZ_RESULT_LIMIT);
    for (n = 0; n < names->argc; n++) {
	fuzz_lookups = 0;
	(void) mac_expand(result, mail_conf_lookup(names->argv[n]),
			  MAC_EXP_FLAG_RECURSE, (char *) 0, fuzz_lookup, NULL);
	if (VSTRING_LEN(result) > FUZZ_RESULT_LIMIT)
	    abort();
	fuzz_lookups = 0;
	(void) mac_expand((VSTRING *) 0, mail_conf_lookup(names->argv[n]),
			  MAC_EXP_FLAG_SCAN, (char *) 0, fuzz_lookup, NULL);
    }
    vstring_free(result);
    argv_free(names);
    vstring_free(line);
    mail_conf_clear();
    return 0;
}
