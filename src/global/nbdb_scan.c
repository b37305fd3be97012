/*
 * nbdb_scan - the hash: and btree: tables that a configuration names
 *
 * DESCRIPTION
 *	See nbdb_scan.h. A value is expanded only when it could name a
 *	table: when it mentions hash: or btree:, or refers to another
 *	parameter. Values of raw parameters (not $name-expanded by the
 *	mail system) are not expanded here either, and a value that does
 *	not expand is skipped: this pass reports tables, not syntax.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstring.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "master_conf.h"
#include "nbdb_scan.h"

#define NBDB_SCAN_PROXY		"proxy:"

/* nbdb_scan_value - the tables of one expanded value */
void    nbdb_scan_value(ARGV *tables, const char *value)
{
    char   *copy = mystrdup(value);
    char   *bp = copy;
    char   *word;

    while ((word = mystrtok(&bp, CHARS_COMMA_SP CHARS_BRACE)) != NULL) {
	while (strncmp(word, NBDB_SCAN_PROXY, strlen(NBDB_SCAN_PROXY)) == 0)
	    word += strlen(NBDB_SCAN_PROXY);
	if ((strncmp(word, "hash:/", 6) == 0 || strncmp(word, "btree:/", 7) == 0))
	    argv_add(tables, word, ARGV_END);
    }
    myfree(copy);
}

/* nbdb_scan_lookup - mac_expand() callback: main.cf, else defaults */
static const char *nbdb_scan_lookup(const char *name, int mode, void *context)
{
    (void) mode;
    (void) context;
    return mail_conf_lookup_raw(name);
}

/* nbdb_scan_raw - expand a value when it could name a table */
static void nbdb_scan_raw(ARGV *tables, const char *raw, bool expand)
{
    VSTRING *buf;

    if (strchr(raw, '$') == NULL && strstr(raw, "hash:") == NULL
	&& strstr(raw, "btree:") == NULL)
	return;
    if (!expand) {
	nbdb_scan_value(tables, raw);
	return;
    }
    /* A value that does not expand is not ours to report: skip it. */
    buf = vstring_alloc(100);
    if ((mac_expand(buf, raw, MAC_EXP_FLAG_RECURSE, NULL, nbdb_scan_lookup,
		    NULL) & MAC_PARSE_ERROR) == 0)
	nbdb_scan_value(tables, vstring_str(buf));
    vstring_free(buf);
}

/* nbdb_scan_setting - mail_conf_walk() callback for main.cf settings */
static void nbdb_scan_setting(const char *name, const char *value,
			              void *context)
{
    const MAIL_PARAM *param = mail_param_find(name);

    nbdb_scan_raw((ARGV *) context, value,
		  param == NULL || param->type != MAIL_PARAM_RAW);
}

/* nbdb_scan_defaults - the defaults of parameters that main.cf leaves */
static void nbdb_scan_defaults(ARGV *tables)
{
    const MAIL_PARAM *param;

    for (param = mail_param_table; param < mail_param_table + MAIL_PARAM_COUNT;
	 param++) {
	if (param->type != MAIL_PARAM_STR || param->defval == NULL
	    || mail_conf_lookup(param->name) != NULL)
	    continue;
	nbdb_scan_raw(tables, param->defval, true);
    }
}

/* nbdb_scan_overrides - the -o name=value arguments of one service */
static void nbdb_scan_overrides(ARGV *tables, const MASTER_ENTRY *entry)
{
    const char *setting;
    char   *copy;
    char   *name;
    char   *value;
    size_t  n;

    for (n = 1; n < entry->args->argc; n++) {
	if (strcmp(entry->args->argv[n], "-o") == 0 && n + 1 < entry->args->argc)
	    setting = entry->args->argv[++n];
	else if (strncmp(entry->args->argv[n], "-o", 2) == 0)
	    setting = entry->args->argv[n] + 2;
	else
	    continue;
	copy = mystrdup(setting);
	if (split_nameval(copy, &name, &value) == NULL)
	    nbdb_scan_raw(tables, value, true);
	myfree(copy);
    }
}

/* nbdb_scan_tables - the tables of main.cf and master.cf */
ARGV   *nbdb_scan_tables(const char *master_cf)
{
    ARGV   *tables = argv_alloc(10);
    VSTRING *why;
    MASTER_CONF *conf;
    size_t  n;

    mail_conf_walk(nbdb_scan_setting, tables);
    nbdb_scan_defaults(tables);
    if (master_cf != NULL) {
	why = vstring_alloc(100);
	if ((conf = master_conf_read(master_cf, why)) == NULL) {
	    msg_warn("%s", vstring_str(why));
	} else {
	    for (n = 0; n < conf->count; n++)
		nbdb_scan_overrides(tables, conf->entries[n]);
	    master_conf_free(conf);
	}
	vstring_free(why);
    }
    argv_sort(tables);
    argv_uniq(tables);
    return tables;
}
