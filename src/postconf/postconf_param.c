/*
 * postconf_param - the table of parameter names that postconf knows
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	HTABLE	*pcf_param_table;
 *
 *	void	pcf_param_init(void);
 *	PCF_PARAM *pcf_param_find(const char *name);
 *	PCF_PARAM *pcf_param_enter(const char *name, int flags,
 *				   const MAIL_PARAM *builtin,
 *				   const char *service_default);
 *	void	pcf_param_set_class(PCF_PARAM *param, int class);
 *	const char *pcf_param_default(const PCF_PARAM *param);
 *	void	pcf_register_builtin_parameters(void);
 *
 *	const char *pcf_lookup_parameter_value(int mode, const char *name,
 *				PCF_MASTER_ENT *local_scope, PCF_PARAM *param);
 *	const char *pcf_expand_parameter_value(VSTRING *buf, int mode,
 *				const char *value, PCF_MASTER_ENT *local_scope);
 *	const char *pcf_config_dir(void);
 *
 * DESCRIPTION
 *	pcf_param_table maps every known parameter name to a PCF_PARAM
 *	that tells its class (built-in, service-defined, user-defined,
 *	legacy) and how to find its default value.
 *
 *	pcf_param_init() creates the empty table. pcf_param_find() looks up
 *	a name. pcf_param_enter() adds a name (the caller checks that it is
 *	new). pcf_param_set_class() replaces the class bits of an entry and
 *	keeps its other properties. pcf_param_default() returns the default
 *	text: the mail_params.def default for built-in names (computed for
 *	host-dependent names), "$default_name" for service-defined names,
 *	and "" for the others.
 *
 *	pcf_register_builtin_parameters() enters every mail_params.def
 *	parameter, with the RAW and READONLY properties where they apply,
 *	and then every "legacy" name: a name that a default value refers
 *	to with $name but that is not a parameter itself (such as the
 *	obsolete virtual_maps in the default of virtual_alias_maps). Legacy
 *	names are known (so that setting them is not "unused"), have an
 *	empty default, and are listed only when main.cf sets them.
 *
 *	pcf_lookup_parameter_value() returns the value that postconf shows
 *	for a name: with PCF_SHOW_DEFS only the default; otherwise the
 *	local master.cf setting (when local_scope is not NULL; there
 *	service_name is the service name and process_name the command
 *	name), else the
 *	main.cf setting or -o override, else (unless PCF_SHOW_NONDEF) the
 *	default. The result is NULL when there is none. param may be NULL
 *	(it is then looked up by name).
 *
 *	pcf_expand_parameter_value() expands $name recursively with the
 *	same lookup rules (undefined names expand to nothing) into buf, or
 *	into an internal buffer when buf is NULL, and returns the text.
 *
 *	pcf_config_dir() is the configuration directory in use.
 *
 * DIAGNOSTICS
 *	Fatal: "macro processing error" after a $name syntax error (the
 *	expander logs what is wrong first).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "stringops.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postconf.h"

HTABLE *pcf_param_table;

/* pcf_param_init - create the empty table */
void    pcf_param_init(void)
{
    if (pcf_param_table == NULL)
	pcf_param_table = htable_create(MAIL_PARAM_COUNT * 2);
}

/* pcf_param_find - look up a known name */
PCF_PARAM *pcf_param_find(const char *name)
{
    return pcf_param_table ? htable_find(pcf_param_table, name) : NULL;
}

/* pcf_param_enter - add a new name */
PCF_PARAM *pcf_param_enter(const char *name, int flags,
			           const MAIL_PARAM *builtin,
			           const char *service_default)
{
    PCF_PARAM *param = mymalloc(sizeof(*param));

    pcf_param_init();
    param->flags = flags;
    param->builtin = builtin;
    param->service_default = service_default ?
	concatenate("$", service_default, (char *) 0) : NULL;
    htable_enter(pcf_param_table, name, param);
    return param;
}

/* pcf_param_set_class - change the class of a known name */
void    pcf_param_set_class(PCF_PARAM *param, int class)
{
    param->flags &= ~(PCF_PARAM_MASK_CLASS | PCF_PARAM_FLAG_LEGACY);
    param->flags |= class;
}

/* pcf_param_default - the default value text */
const char *pcf_param_default(const PCF_PARAM *param)
{
    if (param->builtin)
	return mail_param_default_text(param->builtin);
    if (param->service_default)
	return param->service_default;
    return "";
}

/* pcf_note_legacy_name - mac_expand() callback: enter unknown names */
static const char *pcf_note_legacy_name(const char *name, int mode,
					        void *context)
{
    (void) mode;
    (void) context;
    if (pcf_param_find(name) == NULL)
	pcf_param_enter(name, PCF_PARAM_FLAG_LEGACY, NULL, NULL);
    return NULL;
}

/* pcf_register_builtin_parameters - enter the mail_params.def table */
void    pcf_register_builtin_parameters(void)
{
    const MAIL_PARAM *mp;
    int     flags;

    pcf_param_init();
    for (mp = mail_param_table; mp < mail_param_table + MAIL_PARAM_COUNT; mp++) {
	flags = PCF_PARAM_FLAG_BUILTIN;
	if (mp->type == MAIL_PARAM_RAW)
	    flags |= PCF_PARAM_FLAG_RAW;
	if (mail_param_is_readonly(mp->name))
	    flags |= PCF_PARAM_FLAG_READONLY;
	if (pcf_param_find(mp->name) == NULL)
	    pcf_param_enter(mp->name, flags, mp, NULL);
    }

    /*
     * Names that defaults refer to, but that are no parameters themselves:
     * obsolete names kept for compatibility. Computed defaults never
     * contain $name, and raw defaults are never expanded.
     */
    for (mp = mail_param_table; mp < mail_param_table + MAIL_PARAM_COUNT; mp++)
	if (mp->type != MAIL_PARAM_RAW && mp->defval != NULL
	    && strchr(mp->defval, '$') != NULL)
	    (void) mac_expand((VSTRING *) 0, mp->defval, MAC_EXP_FLAG_SCAN,
			      (char *) 0, pcf_note_legacy_name, (void *) 0);
}

/* pcf_lookup_parameter_value - the value that postconf shows */
const char *pcf_lookup_parameter_value(int mode, const char *name,
				               PCF_MASTER_ENT *local_scope,
				               PCF_PARAM *param)
{
    const char *value = NULL;

    if ((mode & PCF_SHOW_DEFS) == 0) {
	if (local_scope != NULL) {
	    /* A service knows its own name and program. */
	    if (strcmp(name, "service_name") == 0)
		return PCF_MASTER_NAME(local_scope);
	    if (strcmp(name, "process_name") == 0)
		return local_scope->argv->argv[7];
	    if (local_scope->all_params != NULL
		&& (value = htable_find(local_scope->all_params, name)) != NULL)
		return value;
	}
	if ((value = mail_conf_lookup(name)) != NULL)
	    return value;
	if (mode & PCF_SHOW_NONDEF)
	    return NULL;
    }
    if (param == NULL)
	param = pcf_param_find(name);
    return param ? pcf_param_default(param) : NULL;
}

typedef struct {
    int     mode;
    PCF_MASTER_ENT *local_scope;
} PCF_EVAL_CTX;

/* pcf_expand_lookup - mac_expand() callback */
static const char *pcf_expand_lookup(const char *name, int mode, void *context)
{
    PCF_EVAL_CTX *ctx = context;

    (void) mode;
    return pcf_lookup_parameter_value(ctx->mode, name, ctx->local_scope,
				      (PCF_PARAM *) 0);
}

/* pcf_expand_parameter_value - expand $name recursively */
const char *pcf_expand_parameter_value(VSTRING *buf, int mode,
				               const char *value,
				               PCF_MASTER_ENT *local_scope)
{
    static VSTRING *local_buf;
    PCF_EVAL_CTX ctx;

    if (buf == NULL) {
	if (local_buf == NULL)
	    local_buf = vstring_alloc(100);
	buf = local_buf;
    }

    /*
     * With -n, names in a value still expand to their defaults; with -d,
     * they expand to defaults only.
     */
    ctx.mode = mode & ~PCF_SHOW_NONDEF;
    ctx.local_scope = local_scope;
    if (mac_expand(buf, value, MAC_EXP_FLAG_RECURSE, (char *) 0,
		   pcf_expand_lookup, &ctx) & MAC_PARSE_ERROR)
	msg_fatal("macro processing error");
    return vstring_str(buf);
}

/* pcf_config_dir - the configuration directory in use */
const char *pcf_config_dir(void)
{
    return mail_conf_dir();
}
