/*
 * postconf_user - user-defined parameter names
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_register_user_parameters(void);
 *	void	pcf_flag_user_parameter(const char *name, int class,
 *					PCF_MASTER_ENT *local_scope);
 *
 * DESCRIPTION
 *	Besides built-in and service-defined names, a configuration may
 *	define its own parameters: restriction classes, or helper values
 *	that other settings refer to with $name. postconf(1) accepts such
 *	a name=value setting (in main.cf, or as "-o name=value" in a
 *	master.cf entry) when the name is in use:
 *
 *	- it is listed in smtpd_restriction_classes, or
 *	- some main.cf value, master.cf "-o" value, or (for obsolete names)
 *	  some built-in default refers to it as $name.
 *
 *	There are two name spaces: main.cf, and the "-o" settings of each
 *	master.cf entry, which take precedence within that entry. A $name
 *	in a master.cf value is satisfied by a setting of the same entry,
 *	else by main.cf; a $name in main.cf is satisfied by main.cf and by
 *	every master.cf entry that sets it.
 *
 *	pcf_register_user_parameters() scans every value (master.cf
 *	entries first, then defaults of parameters that main.cf leaves
 *	alone, then main.cf settings), enters names in use into the global
 *	table (class user) or into the entry's valid_names, warns about
 *	read-only settings in master.cf (and drops them), and finally
 *	looks for legacy database client names in the expanded values of
 *	the built-in and service-defined parameters that main.cf and
 *	master.cf set (see postconf_dbms.c). As with Postfix, the values of
 *	user-defined and obsolete names are not expanded there: a
 *	user-defined parameter that refers to itself ("z = $z") is an
 *	error only where it is expanded for use (postconf -x, or a
 *	built-in parameter that refers to it). A value with bad $name
 *	syntax is reported while scanning; in a parameter that is expanded
 *	it is fatal, as with Postfix.
 *
 *	pcf_flag_user_parameter() marks one referenced name as in use in
 *	the scope(s) where it is set; class is PCF_PARAM_FLAG_USER,
 *	optionally with PCF_PARAM_FLAG_DBMS.
 *
 * DIAGNOSTICS
 *	Warnings: "<config_dir>/<file>: undefined parameter: name" for a
 *	$name that is set nowhere and is not known (not for database client
 *	names), "<config_dir>/master.cf: read-only parameter assignment:
 *	name=value". Fatal: "macro processing error"; for a bad
 *	smtpd_restriction_classes value, as with Postfix, "dictionary
 *	mail_dict: macro processing error" (main.cf) or "dictionary
 *	service/type: macro processing error" (master.cf).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "stringops.h"
#include "excerpt.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "postconf.h"

#define PCF_REST_CLASSES	"smtpd_restriction_classes"

static HTABLE *pcf_rest_class_table;	/* global restriction class names */

/* pcf_flag_local - mark a name as in use in one master.cf entry */
static void pcf_flag_local(PCF_MASTER_ENT *masterp, const char *name)
{
    if (masterp->valid_names == NULL)
	masterp->valid_names = htable_create(10);
    if (htable_locate(masterp->valid_names, name) == NULL)
	htable_enter(masterp->valid_names, name, (void *) 0);
}

/* pcf_flag_user_parameter - mark a referenced name as in use */
void    pcf_flag_user_parameter(const char *name, int class,
				        PCF_MASTER_ENT *local_scope)
{
    const char *source = local_scope ? MASTER_CONF_FILE : MAIN_CONF_FILE;
    bool    user_supplied = false;
    PCF_MASTER_ENT **mpp;

    if (local_scope != NULL && local_scope->all_params != NULL
	&& htable_find(local_scope->all_params, name) != NULL) {
	user_supplied = true;
	pcf_flag_local(local_scope, name);
    } else if (mail_conf_lookup(name) != NULL) {
	user_supplied = true;
	if (pcf_param_find(name) == NULL)
	    pcf_param_enter(name, class, NULL, NULL);
    }

    /*
     * A main.cf value may refer to a name that master.cf entries set.
     */
    if (local_scope == NULL && pcf_master_table != NULL) {
	for (mpp = pcf_master_table; *mpp; mpp++) {
	    if ((*mpp)->all_params != NULL
		&& htable_find((*mpp)->all_params, name) != NULL) {
		user_supplied = true;
		pcf_flag_local(*mpp, name);
	    }
	}
    }
    if (!user_supplied && (class & PCF_PARAM_FLAG_DBMS) == 0
	&& pcf_param_find(name) == NULL)
	msg_warn("%s/%s: undefined parameter: %s",
		 pcf_config_dir(), source, excerpt(name));
}

/* pcf_scan_callback - mac_expand() callback for scanning values */
static const char *pcf_scan_callback(const char *name, int mode, void *context)
{
    (void) mode;
    pcf_flag_user_parameter(name, PCF_PARAM_FLAG_USER,
			    (PCF_MASTER_ENT *) context);
    return NULL;
}

/* pcf_scan_value - flag every $name in a value */
static void pcf_scan_value(const char *value, PCF_MASTER_ENT *local_scope)
{
    if (strchr(value, '$') != NULL)
	(void) mac_expand((VSTRING *) 0, value, MAC_EXP_FLAG_SCAN, (char *) 0,
			  pcf_scan_callback, (void *) local_scope);
}

/* pcf_scope_lookup - explicit settings of one name space, for expansion */
static const char *pcf_scope_lookup(const char *name, int mode, void *context)
{
    PCF_MASTER_ENT *local_scope = context;

    (void) mode;
    if (local_scope != NULL)
	return htable_find(local_scope->all_params, name);
    return mail_conf_lookup(name);
}

/* pcf_scan_rest_classes - names in smtpd_restriction_classes */
static void pcf_scan_rest_classes(PCF_MASTER_ENT *local_scope)
{
    const char *raw;
    VSTRING *buf;
    char   *cp;
    char   *name;

    raw = local_scope ? htable_find(local_scope->all_params, PCF_REST_CLASSES)
	: mail_conf_lookup(PCF_REST_CLASSES);
    if (raw == NULL)
	return;
    buf = vstring_alloc(100);
    if (mac_expand(buf, raw, MAC_EXP_FLAG_RECURSE, (char *) 0,
		   pcf_scope_lookup, (void *) local_scope) & MAC_PARSE_ERROR) {
	if (local_scope == NULL)
	    msg_fatal("dictionary %s: macro processing error",
		      MAIL_CONF_DICT_NAME);
	msg_fatal("dictionary %s/%s: macro processing error",
		  PCF_MASTER_NAME(local_scope), PCF_MASTER_TYPE(local_scope));
    }
    cp = vstring_str(buf);
    while ((name = mystrtok(&cp, CHARS_COMMA_SP)) != NULL) {
	if (local_scope == NULL
	    && htable_locate(pcf_rest_class_table, name) == NULL)
	    htable_enter(pcf_rest_class_table, name, (void *) 0);
	pcf_flag_user_parameter(name, PCF_PARAM_FLAG_USER, local_scope);
    }
    vstring_free(buf);
}

/* pcf_scan_setting - examine one name=value of a name space */
static bool pcf_scan_setting(const char *name, const char *value,
			             PCF_MASTER_ENT *local_scope)
{
    PCF_PARAM *param;

    if (local_scope != NULL && htable_find(pcf_rest_class_table, name))
	pcf_flag_local(local_scope, name);
    if ((param = pcf_param_find(name)) != NULL) {
	if (param->flags & PCF_PARAM_FLAG_READONLY) {
	    msg_warn("%s/%s: read-only parameter assignment: %s=%s",
		     pcf_config_dir(), local_scope ? MASTER_CONF_FILE :
		     MAIN_CONF_FILE, name, excerpt(value));
	    return false;
	}
	/* An obsolete name that main.cf sets is shown as user-defined. */
	if (param->flags & PCF_PARAM_FLAG_LEGACY)
	    pcf_param_set_class(param, PCF_PARAM_FLAG_USER);
	if (param->flags & PCF_PARAM_FLAG_RAW)
	    return true;
    }
    pcf_scan_value(value, local_scope);
    return true;
}

/* pcf_scan_main_setting - mail_conf_walk() callback */
static void pcf_scan_main_setting(const char *name, const char *value,
				          void *context)
{
    (void) context;
    (void) pcf_scan_setting(name, value, (PCF_MASTER_ENT *) 0);
}

/* pcf_scan_master_entry - examine the "-o" settings of one entry */
static void pcf_scan_master_entry(PCF_MASTER_ENT *masterp)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    ARGV   *drop = argv_alloc(1);
    size_t  n;

    pcf_scan_rest_classes(masterp);
    list = htable_list(masterp->all_params);
    for (ht = list; *ht; ht++)
	if (!pcf_scan_setting((*ht)->key, (*ht)->value, masterp))
	    argv_add(drop, (*ht)->key, ARGV_END);
    myfree(list);
    for (n = 0; n < drop->argc; n++)
	htable_delete(masterp->all_params, drop->argv[n], myfree);
    argv_free(drop);
}

/* pcf_scan_defaults - defaults of parameters that main.cf leaves alone */
static void pcf_scan_defaults(void)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    PCF_PARAM *param;

    list = htable_list(pcf_param_table);
    for (ht = list; *ht; ht++) {
	param = (*ht)->value;
	if ((param->flags & PCF_PARAM_FLAG_RAW)
	    || mail_conf_lookup((*ht)->key) != NULL)
	    continue;
	/* Computed defaults have no $name. */
	if (param->builtin != NULL && param->builtin->defval == NULL)
	    continue;
	pcf_scan_value(pcf_param_default(param), (PCF_MASTER_ENT *) 0);
    }
    myfree(list);
}

typedef struct {
    char   *value;			/* expanded value */
    PCF_MASTER_ENT *local_scope;
} PCF_EXPANDED;

typedef struct {
    PCF_EXPANDED *items;
    size_t  count;
    size_t  alloc;
} PCF_EXPANDED_LIST;

/* pcf_expand_for_dbms - is this a name whose value is examined? */
static bool pcf_expand_for_dbms(const PCF_PARAM *param)
{
    return param != NULL && (param->flags & PCF_PARAM_FLAG_RAW) == 0
	&& (param->builtin != NULL || param->service_default != NULL);
}

/* pcf_expand_known - expand a known parameter's value and keep it */
static void pcf_expand_known(PCF_EXPANDED_LIST *list, const char *value,
			             PCF_MASTER_ENT *local_scope)
{
    if (list->count == list->alloc) {
	list->alloc = list->alloc ? 2 * list->alloc : 50;
	list->items = myrealloc(list->items, list->alloc * sizeof(*list->items));
    }
    list->items[list->count].value =
	mystrdup(pcf_expand_parameter_value((VSTRING *) 0, 0, value,
					    local_scope));
    list->items[list->count].local_scope = local_scope;
    list->count++;
}

/* pcf_expand_main_setting - mail_conf_walk() callback */
static void pcf_expand_main_setting(const char *name, const char *value,
				            void *context)
{
    if (pcf_expand_for_dbms(pcf_param_find(name)))
	pcf_expand_known((PCF_EXPANDED_LIST *) context, value,
			 (PCF_MASTER_ENT *) 0);
}

/* pcf_expand_master_entry - expand the known settings of one entry */
static void pcf_expand_master_entry(PCF_EXPANDED_LIST *list,
				            PCF_MASTER_ENT *masterp)
{
    HTABLE_INFO **ht_list;
    HTABLE_INFO **ht;

    ht_list = htable_list(masterp->all_params);
    for (ht = ht_list; *ht; ht++)
	if (pcf_expand_for_dbms(pcf_param_find((*ht)->key)))
	    pcf_expand_known(list, (*ht)->value, masterp);
    myfree(ht_list);
}

/* pcf_register_user_parameters - find the user-defined names in use */
void    pcf_register_user_parameters(void)
{
    PCF_MASTER_ENT **mpp;
    PCF_EXPANDED_LIST expanded;
    size_t  n;

    if (pcf_param_table == NULL || pcf_master_table == NULL)
	msg_panic("pcf_register_user_parameters: tables not initialized");
    if (pcf_rest_class_table == NULL)
	pcf_rest_class_table = htable_create(10);

    /*
     * The restriction class names of main.cf are needed while scanning
     * master.cf entries.
     */
    pcf_scan_rest_classes((PCF_MASTER_ENT *) 0);
    for (mpp = pcf_master_table; *mpp; mpp++)
	if ((*mpp)->all_params != NULL)
	    pcf_scan_master_entry(*mpp);
    pcf_scan_defaults();
    mail_conf_walk(pcf_scan_main_setting, (void *) 0);

    /*
     * Expanding every known setting reports $name syntax errors (fatal);
     * the expanded values may name legacy database client settings.
     */
    memset(&expanded, 0, sizeof(expanded));
    for (mpp = pcf_master_table; *mpp; mpp++)
	if ((*mpp)->all_params != NULL)
	    pcf_expand_master_entry(&expanded, *mpp);
    mail_conf_walk(pcf_expand_main_setting, (void *) &expanded);
    for (n = 0; n < expanded.count; n++) {
	pcf_register_dbms_parameters(expanded.items[n].value,
				     expanded.items[n].local_scope);
	myfree(expanded.items[n].value);
    }
    myfree(expanded.items);
}
