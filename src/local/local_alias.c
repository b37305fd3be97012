/*
 * local_alias - deliver through the alias database
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_alias(LOCAL_STATE *state, int *found);
 *	int	local_alias_known(const LOCAL_ADDR *addr);
 *
 * DESCRIPTION
 *	local_alias() looks up the local part of the address in state
 *	in $alias_maps: first with its extension ("user+ext"), then
 *	without ("user"), each table in turn. When there is no entry,
 *	*found is 0 and nothing happens. Otherwise *found is 1 and the
 *	value is expanded (local_deliver_list(), context "alias"):
 *
 *	-  with the privileges of the owner of the table file, or of
 *	   default_privs when root owns it or the table is not a file
 *	   (local.8, DELIVERY RIGHTS);
 *	-  when owner_request_special is on and an "owner-<name>" alias
 *	   exists, with the envelope sender "owner-<name>@<domain>" (or,
 *	   with expand_owner_alias = yes, the owner alias's value), so
 *	   that bounces of the list go to its owner;
 *	-  with reset_owner_alias = yes, an alias without its own owner
 *	   alias has the request's sender again.
 *
 *	A table lookup error defers the recipient ("4.3.0 alias database
 *	unavailable"), as Postfix does.
 *
 *	local_alias_known() tells whether addr has an alias (the same
 *	keys): 1 yes, 0 no, -1 a table lookup failed.
 *
 * DIAGNOSTICS
 *	The maps(3) warnings for failed lookups.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "dict.h"
#include "mail_params.h"
#include "local.h"

/* local_alias_lookup - one key in every alias table; NULL: not found */
static char *local_alias_lookup(const char *key, DICT **where, int *error)
{
    MAPS   *maps = local_config.alias_maps;
    const char *value;
    size_t  i;

    *error = 0;
    if (maps == 0 || *key == 0)
	return 0;
    for (i = 0; i < maps->count; i++) {
	value = dict_get(maps->dicts[i], key);
	if (value) {
	    *where = maps->dicts[i];
	    return mystrdup(value);
	}
	if (maps->dicts[i]->error) {
	    msg_warn("%s:%s lookup error for \"%s\"", maps->dicts[i]->type,
		     maps->dicts[i]->name, key);
	    *error = maps->dicts[i]->error;
	    return 0;
	}
    }
    return 0;
}

/* local_alias_privs - deliver with the table owner's privileges */
static void local_alias_privs(LOCAL_STATE *state, const DICT *dict)
{
    static const char *const suffixes[] = {"", ".lmdb", ".db", ".cdb", 0};
    char   *path;
    int     i;

    for (i = 0; suffixes[i]; i++) {
	path = concatenate(dict->name, suffixes[i], (char *) 0);
	if (*dict->name == '/' && local_state_privs(state, path)) {
	    if (msg_verbose)
		msg_info("alias %s:%s: privileges of uid %ld gid %ld",
			 dict->type, dict->name, (long) state->user.uid,
			 (long) state->user.gid);
	    myfree(path);
	    return;
	}
	myfree(path);
    }
    /* Not a file (or a file we cannot see): default_privs. */
    (void) local_state_privs(state, (const char *) 0);
    if (msg_verbose)
	msg_info("alias %s:%s: default_privs", dict->type, dict->name);
}

/* local_alias - look up and expand an alias */
int     local_alias(LOCAL_STATE *state, int *found)
{
    const char *keys[2];
    const char *key = 0;
    char   *value = 0;
    char   *owner_value;
    char   *owner_key;
    DICT   *dict = 0;
    DICT   *owner_dict;
    LOCAL_STATE *exp;
    int     error;
    int     n = 0;
    int     i;
    int     status;
    char   *origin;

    *found = 0;
    keys[n++] = state->addr.local;
    if (state->addr.extension)
	keys[n++] = state->addr.user;
    for (i = 0; i < n && value == 0; i++) {
	key = keys[i];
	value = local_alias_lookup(key, &dict, &error);
	if (error) {
	    *found = 1;
	    return local_defer(state, "4.3.0", "alias database unavailable");
	}
    }
    if (value == 0)
	return LOCAL_OK;
    *found = 1;

    exp = local_state_child(state, state->addr.address, LOCAL_CTX_ALIAS);
    exp->level = state->level;
    local_alias_privs(exp, dict);
    /* Found without its extension: maybe pass the extension on. */
    if (key == state->addr.user && key != keys[0])
	local_state_unmatched(exp, state, LOCAL_CTX_ALIAS);

    /* owner-<name>: the list owner gets the bounces. */
    if (VAR_BOOL(owner_request_special) && strncmp(key, "owner-", 6) != 0) {
	owner_key = concatenate("owner-", key, (char *) 0);
	owner_value = local_alias_lookup(owner_key, &owner_dict, &error);
	if (error) {
	    myfree(owner_key);
	    myfree(value);
	    local_state_free(exp);
	    return local_defer(state, "4.3.0", "alias database unavailable");
	}
	if (owner_value) {
	    myfree(exp->sender);
	    if (exp->owner)
		myfree(exp->owner);
	    exp->owner = mystrdup(owner_key);
	    if (VAR_BOOL(expand_owner_alias))
		exp->sender = mystrdup(trim_whitespace(owner_value));
	    else
		exp->sender = *state->addr.domain ?
		    concatenate(owner_key, "@", state->addr.domain, (char *) 0)
		    : concatenate(owner_key, "@", VAR_STR(myorigin), (char *) 0);
	    myfree(owner_value);
	} else if (VAR_BOOL(reset_owner_alias) && exp->owner) {
	    myfree(exp->owner);
	    exp->owner = 0;
	    myfree(exp->sender);
	    exp->sender = mystrdup(state->lreq->request->sender);
	}
	myfree(owner_key);
    }
    origin = concatenate("alias ", key, (char *) 0);
    status = local_deliver_list(exp, value, LOCAL_CTX_ALIAS, origin);
    myfree(origin);
    myfree(value);
    local_state_free(exp);
    return status;
}

/* local_alias_known - does addr have an alias? 1 yes, 0 no, -1 error */
int     local_alias_known(const LOCAL_ADDR *addr)
{
    const char *keys[2];
    char   *value = 0;
    DICT   *dict = 0;
    int     error = 0;
    int     n = 0;
    int     i;

    keys[n++] = addr->local;
    if (addr->extension)
	keys[n++] = addr->user;
    for (i = 0; i < n && value == 0 && error == 0; i++)
	value = local_alias_lookup(keys[i], &dict, &error);
    if (value == 0)
	return (error ? -1 : 0);
    myfree(value);
    return (1);
}
