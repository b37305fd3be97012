/*
 * postconf_main - read and display main.cf parameters
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_read_parameters(ARGV *overrides);
 *	void	pcf_show_parameters(VSTREAM *fp, int mode, int param_class,
 *				    char **names);
 *
 * DESCRIPTION
 *	pcf_read_parameters() reads main.cf from the configuration
 *	directory (see mail_conf(3)), applies the "-o name=value"
 *	overrides (NULL: none) as if they were main.cf settings, and then,
 *	as Postfix's postconf does when it computes the host-dependent
 *	defaults, expands the settings that these defaults use: myhostname
 *	when mydomain is not set, mydomain when myhostname is not set and
 *	the host name has no dot, and inet_interfaces, mynetworks_style and
 *	inet_protocols when mynetworks is not set. A bad value there stops
 *	postconf as it stops Postfix's.
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
 *	Fatal: "invalid parameter override: text: reason", main.cf errors
 *	(see mail_conf(3)), and "dictionary mail_dict: macro processing
 *	error" after a $name problem in one of the settings expanded when
 *	main.cf is read.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "stringops.h"
#include "excerpt.h"
#include "get_hostname.h"
#include "vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postconf.h"

 /*
  * Postfix's postconf computes the host-dependent defaults when it has
  * read main.cf, and in doing so expands the settings that they depend
  * on; a problem there is fatal before anything else happens. This was
  * found by giving each parameter a value that refers to itself: for
  * example, "myhostname = $myhostname" stops every mode that reads
  * main.cf, unless mydomain is set. (Postfix expands them in an order
  * that changes from run to run; this is one of those orders.)
  */
typedef struct PCF_COMPUTED_DEFAULT {
    const char *name;			/* parameter with a computed default */
    const char *needs[3];		/* settings that the default uses */
} PCF_COMPUTED_DEFAULT;

static const PCF_COMPUTED_DEFAULT pcf_computed_defaults[] = {
    {"mydomain", {"myhostname"}},
    {"myhostname", {"mydomain"}},	/* when the host name has no dot */
    {"mynetworks", {"inet_interfaces", "mynetworks_style", "inet_protocols"}},
};

/* pcf_set_parameters - apply -o name=value overrides */
static void pcf_set_parameters(ARGV *overrides)
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

/* pcf_check_computed_defaults - expand what computed defaults use */
static void pcf_check_computed_defaults(void)
{
    const PCF_COMPUTED_DEFAULT *cp;
    const char *const *need;
    const char *value;

    for (cp = pcf_computed_defaults; cp < pcf_computed_defaults
	 + ARRAY_LEN(pcf_computed_defaults); cp++) {
	if (mail_conf_lookup(cp->name) != NULL)
	    continue;
	if (strcmp(cp->name, "myhostname") == 0
	    && strchr(get_hostname(), '.') != NULL)
	    continue;
	for (need = cp->needs; need < cp->needs + ARRAY_LEN(cp->needs)
	     && *need != NULL; need++)
	    if ((value = mail_conf_lookup(*need)) != NULL)
		myfree(mail_conf_expand(value));
    }
}

/* pcf_read_parameters - read main.cf, apply overrides, check as Postfix */
void    pcf_read_parameters(ARGV *overrides)
{
    mail_conf_read();
    if (overrides)
	pcf_set_parameters(overrides);
    pcf_check_computed_defaults();
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
