/*
 * mail_conf - read main.cf and evaluate parameter values
 *
 * DESCRIPTION
 *	See mail_conf.h. Settings live in a hash table that remembers file
 *	order; expansion uses mac_expand(3) with a lookup function that
 *	falls back to built-in defaults.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "stringops.h"
#include "excerpt.h"
#include "mac_expand.h"
#include "conv_time.h"
#include "conv_bool.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "mail_conf.h"

typedef struct MAIL_CONF_ENTRY {
    char   *value;
    int     line;			/* 0 for overrides */
} MAIL_CONF_ENTRY;

static HTABLE *mail_conf_table;
static char *mail_conf_directory;
static bool mail_conf_dir_explicit;

/* mail_conf_entry_free - htable destructor */
static void mail_conf_entry_free(void *ptr)
{
    MAIL_CONF_ENTRY *entry = ptr;

    myfree(entry->value);
    myfree(entry);
}

/* mail_conf_init - create the settings table */
static void mail_conf_init(void)
{
    if (mail_conf_table == NULL)
	mail_conf_table = htable_create(100);
}

/* mail_conf_set - store one setting */
static void mail_conf_set(const char *name, const char *value, int line)
{
    HTABLE_INFO *ht;
    MAIL_CONF_ENTRY *entry;

    mail_conf_init();
    if ((ht = htable_locate(mail_conf_table, name)) != NULL) {
	entry = ht->value;
	myfree(entry->value);
    } else {
	entry = mymalloc(sizeof(*entry));
	htable_enter(mail_conf_table, name, entry);
    }
    entry->value = mystrdup(value);
    entry->line = line;
}

/* mail_conf_set_dir - choose the configuration directory */
void    mail_conf_set_dir(const char *dir)
{
    myfree(mail_conf_directory);
    mail_conf_directory = mystrdup(dir);
    mail_conf_dir_explicit = true;
}

/* mail_conf_dir - the configuration directory in use */
const char *mail_conf_dir(void)
{
    const char *env;

    if (mail_conf_directory == NULL) {
	if ((env = getenv("MAIL_CONFIG")) != NULL && *env != 0) {
	    mail_conf_directory = mystrdup(env);
	    mail_conf_dir_explicit = true;
	} else {
	    mail_conf_directory = mystrdup(mail_params_default_config_directory());
	}
    }
    return mail_conf_directory;
}

/* mail_conf_read - read main.cf from the configuration directory */
void    mail_conf_read(void)
{
    const char *dir = mail_conf_dir();
    char   *path = concatenate(dir, "/", MAIN_CONF_FILE, (char *) 0);

    mail_conf_read_file(path);
    myfree(path);
    if (mail_conf_dir_explicit)
	mail_conf_set("config_directory", dir, 0);
    mail_params_reset();
}

/* mail_conf_read_file - read one main.cf-style file */
void    mail_conf_read_file(const char *path)
{
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(100);
    int     lineno = 0;
    int     first;
    int     status;
    char   *name;
    char   *value;
    const char *err;
    HTABLE_INFO *ht;

    mail_conf_init();
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	msg_fatal("open %s: %m", path);
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       MAIL_CONF_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if ((err = split_nameval(vstring_str(line), &name, &value)) != NULL)
	    msg_fatal("%s, line %d: %s: \"%s\"", path, first, err,
		      excerpt(vstring_str(line)));
	if (mail_param_is_readonly(name)) {
	    msg_warn("%s: read-only parameter assignment: %s=%s",
		     path, name, excerpt(value));
	    continue;
	}
	if ((ht = htable_locate(mail_conf_table, name)) != NULL)
	    msg_warn("%s, line %d: overriding earlier entry: %s=%s", path,
		     first, excerpt(name),
		     excerpt(((MAIL_CONF_ENTRY *) ht->value)->value));
	mail_conf_set(name, value, first);
    }
    if (vstream_ferror(fp))
	msg_fatal("read %s: %m", path);
    vstream_fclose(fp);
    vstring_free(line);
}

/* mail_conf_update - set or override one value */
void    mail_conf_update(const char *name, const char *value)
{
    mail_conf_set(name, value, 0);
    mail_params_reset();
}

/* mail_conf_clear - forget all settings */
void    mail_conf_clear(void)
{
    if (mail_conf_table) {
	htable_free(mail_conf_table, mail_conf_entry_free);
	mail_conf_table = NULL;
    }
    mail_params_reset();
}

/* mail_conf_lookup - the explicit setting, or NULL */
const char *mail_conf_lookup(const char *name)
{
    MAIL_CONF_ENTRY *entry;

    mail_conf_init();
    entry = htable_find(mail_conf_table, name);
    return entry ? entry->value : NULL;
}

/* mail_conf_lookup_line - the main.cf line of a setting, or 0 */
int     mail_conf_lookup_line(const char *name)
{
    MAIL_CONF_ENTRY *entry;

    mail_conf_init();
    entry = htable_find(mail_conf_table, name);
    return entry ? entry->line : 0;
}

/* mail_conf_lookup_raw - the explicit setting, else the built-in default */
const char *mail_conf_lookup_raw(const char *name)
{
    const char *value;
    const MAIL_PARAM *param;

    if ((value = mail_conf_lookup(name)) != NULL)
	return value;
    if ((param = mail_param_find(name)) != NULL)
	return mail_param_default_text(param);
    return NULL;
}

/* mail_conf_expand_lookup - mac_expand() callback */
static const char *mail_conf_expand_lookup(const char *name, int mode,
					           void *context)
{
    (void) mode;
    (void) context;
    return mail_conf_lookup_raw(name);
}

/* mail_conf_expand - expand $name references into a new string */
char   *mail_conf_expand(const char *text)
{
    VSTRING *buf = vstring_alloc(100);

    /* Postfix's words: its settings live in a dictionary of that name. */
    if (mac_expand(buf, text, MAC_EXP_FLAG_RECURSE, NULL,
		   mail_conf_expand_lookup, NULL) & MAC_PARSE_ERROR)
	msg_fatal("dictionary %s: macro processing error", MAIL_CONF_DICT_NAME);
    return vstring_export(buf);
}

/* mail_conf_eval - expand into a reused buffer */
const char *mail_conf_eval(const char *text)
{
    static char *result;

    myfree(result);
    result = mail_conf_expand(text);
    return result;
}

/* mail_conf_walk - visit explicit settings in file order */
void    mail_conf_walk(MAIL_CONF_WALK_FN fn, void *context)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;

    mail_conf_init();
    list = htable_list(mail_conf_table);
    for (ht = list; *ht; ht++)
	fn((*ht)->key, ((MAIL_CONF_ENTRY *) (*ht)->value)->value, context);
    myfree(list);
}

/* mail_conf_value - the expanded setting or default of a name */
static char *mail_conf_value(const char *name, const char *defval, bool expand)
{
    const char *raw = mail_conf_lookup(name);

    if (raw == NULL)
	raw = defval;
    return expand ? mail_conf_expand(raw) : mystrdup(raw);
}

/* mail_conf_check_length - enforce string length limits */
static void mail_conf_check_length(const char *name, const char *value,
				           long min, long max)
{
    size_t  len = strlen(value);

    if ((long) len < min)
	msg_fatal("bad string length %zu < %ld: %s = %s", len, min, name,
		  excerpt(value));
    if (max > 0 && (long) len > max)
	msg_fatal("bad string length %zu > %ld: %s = %s", len, max, name,
		  excerpt(value));
}

/* mail_conf_get_str - expanded string value with length limits */
char   *mail_conf_get_str(const char *name, const char *defval,
			          long min, long max)
{
    char   *value = mail_conf_value(name, defval, true);

    mail_conf_check_length(name, value, min, max);
    return value;
}

/* mail_conf_get_raw - unexpanded string value with length limits */
char   *mail_conf_get_raw(const char *name, const char *defval,
			          long min, long max)
{
    char   *value = mail_conf_value(name, defval, false);

    mail_conf_check_length(name, value, min, max);
    return value;
}

/* mail_conf_get_int - integer value with range limits */
long    mail_conf_get_int(const char *name, const char *defval,
			          long min, long max)
{
    char   *value = mail_conf_value(name, defval, true);
    char   *end;
    long    result;

    errno = 0;
    result = strtol(value, &end, 10);
    if (*value == 0 || *end != 0 || errno == ERANGE
	|| strspn(value, " \t") > 0)
	msg_fatal("bad numerical configuration: %s = %s", name, excerpt(value));
    if (result < min)
	msg_fatal("invalid %s parameter value %ld < %ld", name, result, min);
    if (max > 0 && result > max)
	msg_fatal("invalid %s parameter value %ld > %ld", name, result, max);
    myfree(value);
    return result;
}

/* mail_conf_get_bool - yes/no value */
bool    mail_conf_get_bool(const char *name, const char *defval)
{
    char   *value = mail_conf_value(name, defval, true);
    bool    result;

    if (!conv_bool(value, &result))
	msg_fatal("bad boolean configuration: %s = %s", name, excerpt(value));
    myfree(value);
    return result;
}

/* mail_conf_get_time - time value in seconds with range limits */
int     mail_conf_get_time(const char *name, const char *defval, int unit,
			           long min, long max)
{
    char   *value = mail_conf_value(name, defval, true);
    int     result;

    if (!conv_time(value, &result, unit))
	msg_fatal("parameter %s: bad time value or unit: %s", name,
		  excerpt(value));
    if (result < min)
	msg_fatal("invalid %s: %d (min %ld)", name, result, min);
    if (max > 0 && result > max)
	msg_fatal("invalid %s: %d (max %ld)", name, result, max);
    myfree(value);
    return result;
}
