/*
 * postconf_main - read and display main.cf parameters
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_read_parameters(void);
 *	void	pcf_set_parameters(ARGV *overrides);
 *	void	pcf_show_parameters(VSTREAM *fp, int mode, int param_class,
 *				    char **names);
 *
 * DESCRIPTION
 *	pcf_read_parameters() reads main.cf from the configuration
 *	directory (see mail_conf(3)).
 *
 *	pcf_set_parameters() applies "-o name=value" overrides as if they
 *	were main.cf settings.
 *
 *	pcf_show_parameters() prints parameters as "name = value" (see
 *	pcf_print_line()). With no names it prints every known parameter
 *	of the classes in param_class, sorted by name; otherwise it prints
 *	the named ones in command-line order, whatever their class. Mode
 *	bits: PCF_SHOW_DEFS (defaults only), PCF_SHOW_NONDEF (only names
 *	that main.cf sets), PCF_SHOW_EVAL (expand $name, except in raw
 *	parameters), PCF_HIDE_NAME (value only), PCF_HIDE_VALUE (name
 *	only), PCF_FOLD_LINE. A name without a value in that mode is not
 *	printed; legacy names are printed only when named or set.
 *
 * DIAGNOSTICS
 *	Warnings: "name: unknown parameter", "<config_dir>/main.cf:
 *	read-only parameter assignment: name=value" (for an override).
 *	Fatal: "invalid parameter override: text: reason", and main.cf
 *	errors (see mail_conf(3)).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postconf.h"

/* pcf_read_parameters - read main.cf */
void    pcf_read_parameters(void)
{
    mail_conf_read();
}

/* pcf_set_parameters - apply -o name=value overrides */
void    pcf_set_parameters(ARGV *overrides)
{
    char   *copy;
    char   *name;
    char   *value;
    const char *err;
    size_t  n;

    for (n = 0; n < overrides->argc; n++) {
	copy = mystrdup(overrides->argv[n]);
	if ((err = split_nameval(copy, &name, &value)) != NULL)
	    msg_fatal("invalid parameter override: %s: %s",
		      excerpt(overrides->argv[n]), err);
	if (mail_param_is_readonly(name))
	    msg_warn("%s/%s: read-only parameter assignment: %s=%s",
		     pcf_config_dir(), MAIN_CONF_FILE, name, excerpt(value));
	else
	    mail_conf_update(name, value);
	myfree(copy);
    }
}

/* pcf_print_parameter - print one parameter in the requested form */
static void pcf_print_parameter(VSTREAM *fp, int mode, const char *name,
				        PCF_PARAM *param)
{
    const char *value;

    if ((value = pcf_lookup_parameter_value(mode, name, (PCF_MASTER_ENT *) 0,
					    param)) == NULL)
	return;
    if (mode & PCF_HIDE_VALUE) {
	pcf_print_line(fp, mode, "%s\n", name);
	return;
    }
    if ((mode & PCF_SHOW_EVAL) != 0 && (param->flags & PCF_PARAM_FLAG_RAW) == 0)
	value = pcf_expand_parameter_value((VSTRING *) 0, mode, value,
					   (PCF_MASTER_ENT *) 0);
    if (mode & PCF_HIDE_NAME)
	pcf_print_line(fp, mode, "%s\n", value);
    else
	pcf_print_line(fp, mode, "%s = %s\n", name, value);
}

/* pcf_compare_names - qsort() callback */
static int pcf_compare_names(const void *a, const void *b)
{
    const HTABLE_INFO *const *ap = a;
    const HTABLE_INFO *const *bp = b;

    return strcmp((*ap)->key, (*bp)->key);
}

/* pcf_show_parameters - print all, or the named, parameters */
void    pcf_show_parameters(VSTREAM *fp, int mode, int param_class,
			            char **names)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    PCF_PARAM *param;

    if (*names == NULL) {
	list = htable_list(pcf_param_table);
	qsort(list, pcf_param_table->used, sizeof(*list), pcf_compare_names);
	for (ht = list; *ht; ht++) {
	    param = (*ht)->value;
	    if (param->flags & param_class)
		pcf_print_parameter(fp, mode, (*ht)->key, param);
	}
	myfree(list);
	return;
    }
    for (; *names; names++) {
	if ((param = pcf_param_find(*names)) == NULL)
	    msg_warn("%s: unknown parameter", excerpt(*names));
	else
	    pcf_print_parameter(fp, mode, *names, param);
    }
}
