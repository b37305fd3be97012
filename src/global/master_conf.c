/*
 * master_conf - parse master.cf service entries
 *
 * DESCRIPTION
 *	See master_conf.h. Used by master(8) to run services and by
 *	postconf(1) to display and edit them, so both agree on the syntax.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "mail_conf.h"
#include "master_conf.h"

static const char *master_types[] = {
    "inet", "unix", "unix-dgram", "fifo", "pass",
};

/* master_valid_type - known service type? */
static bool master_valid_type(const char *type)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(master_types); n++)
	if (strcmp(type, master_types[n]) == 0)
	    return true;
    return false;
}

/* master_valid_flag - y, n or - */
static bool master_valid_flag(const char *field)
{
    return strcmp(field, "y") == 0 || strcmp(field, "n") == 0
	|| strcmp(field, "-") == 0;
}

/* master_valid_wakeup - "-", digits, optional trailing "?" */
static bool master_valid_wakeup(const char *field)
{
    size_t  digits = strspn(field, "0123456789");

    if (strcmp(field, "-") == 0)
	return true;
    return (field[digits] == 0 && digits > 0)
	|| (field[digits] == '?' && field[digits + 1] == 0);
}

/* master_valid_maxproc - "-" or digits */
static bool master_valid_maxproc(const char *field)
{
    return strcmp(field, "-") == 0 || alldig(field);
}

/* master_entry_unbrace - one argument with its braces removed */
char   *master_entry_unbrace(const char *token)
{
    char   *copy = mystrdup(token);
    char   *cp = copy;
    const char *err;
    ssize_t len;
    char   *result;

    if (*copy != '{')
	return copy;
    if ((err = extpar(&cp, CHARS_BRACE, EXTPAR_FLAG_STRIP)) == NULL) {
	result = mystrdup(cp);
    } else {
	msg_warn("%s: %s", MASTER_CONF_FILE, err);
	if ((len = balpar(copy, CHARS_BRACE)) == 0) {
	    /* Missing '}': keep the text after the '{'. */
	    result = mystrdup(trim_whitespace(copy + 1));
	} else {
	    /* Text after '}': keep what was inside the braces. */
	    copy[len - 1] = 0;
	    result = mystrdup(trim_whitespace(copy + 1));
	}
    }
    myfree(copy);
    return result;
}

/* master_entry_free - destroy an entry */
void    master_entry_free(MASTER_ENTRY *entry)
{
    myfree(entry->service);
    myfree(entry->type);
    myfree(entry->private_field);
    myfree(entry->unpriv_field);
    myfree(entry->chroot_field);
    myfree(entry->wakeup_field);
    myfree(entry->maxproc_field);
    argv_free(entry->args);
    argv_free(entry->raw_args);
    myfree(entry);
}

/* master_field_error - validate one fixed field, NULL when valid */
const char *master_field_error(int field, const char *value)
{
    static const struct {
	const char *label;
	bool    (*valid) (const char *);
    } checks[] = {
	{"type", master_valid_type},
	{"private", master_valid_flag},
	{"unprivileged", master_valid_flag},
	{"chroot", master_valid_flag},
	{"wakeup", master_valid_wakeup},
	{"process_limit", master_valid_maxproc},
    };

    if (field < MASTER_FIELD_TYPE || field > MASTER_FIELD_MAXPROC)
	msg_panic("master_field_error: bad field index %d", field);
    return checks[field - 1].valid(value) ? NULL : checks[field - 1].label;
}

/* master_entry_parse - parse one logical master.cf line */
MASTER_ENTRY *master_entry_parse(const char *text, const char *path,
				         int line, VSTRING *why)
{
    ARGV   *fields = argv_split_quoted(text, CHARS_SPACE, CHARS_BRACE);
    char   *normalized = argv_join(fields, " ");
    MASTER_ENTRY *entry = NULL;
    const char *label;
    char   *arg;
    int     n;

    if (fields->argc < MASTER_MIN_FIELDS) {
	vstring_sprintf(why, "file %s: line %d: bad field count", path, line);
	goto done;
    }
    for (n = MASTER_FIELD_TYPE; n <= MASTER_FIELD_MAXPROC; n++) {
	if ((label = master_field_error(n, fields->argv[n])) != NULL) {
	    vstring_sprintf(why, "invalid %s field \"%s\" in \"%s\"",
			    label, excerpt(fields->argv[n]), excerpt(normalized));
	    goto done;
	}
    }
    entry = mymalloc(sizeof(*entry));
    entry->service = mystrdup(fields->argv[0]);
    entry->type = mystrdup(fields->argv[1]);
    entry->private_field = mystrdup(fields->argv[2]);
    entry->unpriv_field = mystrdup(fields->argv[3]);
    entry->chroot_field = mystrdup(fields->argv[4]);
    entry->wakeup_field = mystrdup(fields->argv[5]);
    entry->maxproc_field = mystrdup(fields->argv[6]);
    entry->args = argv_alloc(fields->argc - 7);
    entry->raw_args = argv_alloc(fields->argc - 7);
    for (n = MASTER_FIELD_COMMAND; n < (int) fields->argc; n++) {
	argv_add(entry->raw_args, fields->argv[n], ARGV_END);
	arg = master_entry_unbrace(fields->argv[n]);
	argv_add(entry->args, arg, ARGV_END);
	myfree(arg);
    }
    entry->line = line;

done:
    myfree(normalized);
    argv_free(fields);
    return entry;
}

/* master_entry_text - one normalized line for an entry */
char   *master_entry_text(const MASTER_ENTRY *entry)
{
    VSTRING *buf = vstring_alloc(100);
    size_t  n;
    const char *arg;

    vstring_sprintf(buf, "%s %s %s %s %s %s %s", entry->service, entry->type,
		    entry->private_field, entry->unpriv_field,
		    entry->chroot_field, entry->wakeup_field,
		    entry->maxproc_field);
    for (n = 0; n < entry->args->argc; n++) {
	arg = entry->args->argv[n];
	if (*arg == 0 || arg[strcspn(arg, CHARS_SPACE)] != 0)
	    vstring_sprintf_append(buf, " {%s}", arg);
	else
	    vstring_sprintf_append(buf, " %s", arg);
    }
    return vstring_export(buf);
}

/* master_conf_free - destroy a parsed file */
void    master_conf_free(MASTER_CONF *conf)
{
    size_t  n;

    for (n = 0; n < conf->count; n++)
	master_entry_free(conf->entries[n]);
    myfree(conf->entries);
    myfree(conf);
}

/* master_conf_read - parse every entry of a master.cf file */
MASTER_CONF *master_conf_read(const char *path, VSTRING *why)
{
    VSTREAM *fp;
    VSTRING *line;
    MASTER_CONF *conf;
    MASTER_ENTRY *entry;
    int     lineno = 0;
    int     first;
    int     status;
    size_t  alloc = 20;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL) {
	vstring_sprintf(why, "open %s: %m", path);
	return NULL;
    }
    line = vstring_alloc(100);
    conf = mymalloc(sizeof(*conf));
    conf->entries = mymalloc(alloc * sizeof(*conf->entries));
    conf->count = 0;
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       MAIL_CONF_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if ((entry = master_entry_parse(vstring_str(line), path, first, why)) == NULL) {
	    master_conf_free(conf);
	    conf = NULL;
	    break;
	}
	if (conf->count == alloc) {
	    alloc *= 2;
	    conf->entries = myrealloc(conf->entries, alloc * sizeof(*conf->entries));
	}
	conf->entries[conf->count++] = entry;
    }
    if (conf != NULL && vstream_ferror(fp)) {
	vstring_sprintf(why, "read %s: %m", path);
	master_conf_free(conf);
	conf = NULL;
    }
    vstream_fclose(fp);
    vstring_free(line);
    return conf;
}

/* master_entry_flag - interpret y/n/- */
bool    master_entry_flag(const char *field, bool dflt)
{
    if (strcmp(field, "-") == 0)
	return dflt;
    return strcmp(field, "y") == 0;
}

/* master_entry_wakeup - wakeup time in seconds, 0 = none */
int     master_entry_wakeup(const MASTER_ENTRY *entry, bool *conditional)
{
    const char *field = entry->wakeup_field;

    *conditional = strchr(field, '?') != NULL;
    if (strcmp(field, "-") == 0)
	return 0;
    return atoi(field);
}

/* master_entry_maxproc - process limit, 0 = unlimited */
int     master_entry_maxproc(const MASTER_ENTRY *entry, int dflt)
{
    if (strcmp(entry->maxproc_field, "-") == 0)
	return dflt;
    return atoi(entry->maxproc_field);
}
