/*
 * postmulti_instance - instances, the instance list, names and paths
 *
 * SYNOPSIS
 *	#include "postmulti.h"
 *
 *	POSTMULTI_INSTANCE *postmulti_instance_create(const char *config_dir);
 *	void	postmulti_instance_free(POSTMULTI_INSTANCE *inst);
 *	const char *postmulti_instance_label(const POSTMULTI_INSTANCE *inst);
 *	bool	postmulti_instance_match(const POSTMULTI_INSTANCE *inst,
 *				const POSTMULTI_SELECTION *sel);
 *	const char *postmulti_instance_name_error(const char *name);
 *	const char *postmulti_instance_group_error(const char *group);
 *	char	*postmulti_instance_private_path(const char *param,
 *				const char *primary_value, const char *name,
 *				VSTRING *why);
 *	bool	postmulti_instance_setting(const char *arg, int edit_cmd,
 *				char **name, char **value, VSTRING *why);
 *	int	postmulti_instance_assign(POSTMULTI_LIST *list,
 *				POSTMULTI_INSTANCE *inst,
 *				const POSTMULTI_ASSIGNMENT *assign);
 *
 *	POSTMULTI_LIST *postmulti_list_create(void);
 *	void	postmulti_list_free(POSTMULTI_LIST *list);
 *	void	postmulti_list_claim(POSTMULTI_LIST *list, const char *owner_dir,
 *				const char *param, const char *value);
 *	const char *postmulti_list_owner(POSTMULTI_LIST *list,
 *				const char *value);
 *	void	postmulti_list_insert(POSTMULTI_LIST *list,
 *				POSTMULTI_INSTANCE *inst,
 *				const POSTMULTI_SELECTION *where);
 *	POSTMULTI_INSTANCE *postmulti_list_find(POSTMULTI_LIST *list,
 *				const POSTMULTI_SELECTION *sel, size_t *index);
 *	void	postmulti_list_remove(POSTMULTI_LIST *list, size_t index);
 *	char	*postmulti_list_secondary_dirs(const POSTMULTI_LIST *list);
 *
 * DESCRIPTION
 *	This file holds the rules of multi-instance management; it reads
 *	no files and runs no commands.
 *
 *	postmulti_instance_create() returns an empty instance for
 *	config_dir (NULL: to be filled in); postmulti_instance_free()
 *	releases it. postmulti_instance_label() is the instance name, or
 *	the configuration directory of a nameless instance.
 *
 *	postmulti_instance_match() applies a selection: ALL matches
 *	everything, NONE nothing, GROUP an instance with that group name.
 *	NAME matches the configuration directory when the selector starts
 *	with '/' (or the instance has no name), else the instance name;
 *	a selector without the "postfix-" prefix also matches a name
 *	that has it ("-i out" selects "postfix-out"), and "-" always
 *	selects the primary instance.
 *
 *	postmulti_instance_name_error() and postmulti_instance_group_error()
 *	return NULL for an acceptable new instance or group name (the
 *	empty string, which clears a name, is always acceptable), else the
 *	reason: names contain only letters, digits and !@%-_=+:./ (no '/'
 *	for instance names, because they become directory names) and an
 *	instance name starts with "postfix-".
 *
 *	postmulti_instance_private_path() derives a new instance's
 *	directory from the primary's value of param: the last pathname
 *	component is replaced by name ("/var/spool/postfix" and
 *	"postfix-out" give "/var/spool/postfix-out"). It returns an
 *	allocated string, or NULL with the reason in why.
 *
 *	postmulti_instance_setting() parses a "param=value" argument of
 *	"-e create" (config_directory, queue_directory, data_directory)
 *	or "-e import" (config_directory only). The value must be an
 *	absolute path other than "/"; trailing slashes are removed. On
 *	success *name and *value are allocated; otherwise the reason is
 *	in why.
 *
 *	postmulti_instance_assign() applies -I and -G to an instance,
 *	claiming a new instance name in the list, and returns the
 *	POSTMULTI_CHANGED_* bits of what actually changed.
 *
 *	postmulti_list_create() makes an empty list; postmulti_list_free()
 *	frees it with its instances. postmulti_list_claim() registers that
 *	the instance in owner_dir uses value for param (a directory or an
 *	instance name); postmulti_list_owner() tells who claimed a value
 *	("<config_dir>, <param>"), or NULL. postmulti_list_insert() claims
 *	the instance's name and directories and inserts it before the
 *	first secondary instance that matches where (NULL or NONE: at the
 *	end; ALL: before all secondaries). postmulti_list_find() returns
 *	the first instance that matches sel, and its position.
 *	postmulti_list_remove() takes an instance out of the list without
 *	freeing it. postmulti_list_secondary_dirs() returns the allocated
 *	value for multi_instance_directories: the secondary configuration
 *	directories, space-separated, in list order.
 *
 * DIAGNOSTICS
 *	Fatal errors, in Postfix's words: "instance <dir>, <param>=<value>
 *	conflicts with instance <owner>=<value>" (a claim conflict),
 *	"No matching secondary instances" (insert before nothing).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "htable.h"
#include "vstring.h"
#include "postmulti.h"

#define POSTMULTI_HAS_PREFIX(s) \
	(strncmp((s), POSTMULTI_NAME_PREFIX, sizeof(POSTMULTI_NAME_PREFIX) - 1) == 0)

/* postmulti_instance_create - empty instance */
POSTMULTI_INSTANCE *postmulti_instance_create(const char *config_dir)
{
    POSTMULTI_INSTANCE *inst = mymalloc(sizeof(*inst));

    inst->config_dir = config_dir ? mystrdup(config_dir) : NULL;
    inst->queue_dir = NULL;
    inst->data_dir = NULL;
    inst->name = NULL;
    inst->group = NULL;
    inst->enabled = false;
    inst->primary = false;
    return inst;
}

/* postmulti_instance_free - release an instance */
void    postmulti_instance_free(POSTMULTI_INSTANCE *inst)
{
    myfree(inst->config_dir);
    myfree(inst->queue_dir);
    myfree(inst->data_dir);
    myfree(inst->name);
    myfree(inst->group);
    myfree(inst);
}

/* postmulti_instance_label - name, or config directory when nameless */
const char *postmulti_instance_label(const POSTMULTI_INSTANCE *inst)
{
    return inst->name ? inst->name : inst->config_dir;
}

/* postmulti_instance_match - does the instance satisfy the selection? */
bool    postmulti_instance_match(const POSTMULTI_INSTANCE *inst,
				         const POSTMULTI_SELECTION *sel)
{
    const char *want;
    const char *have;

    switch (sel->type) {
    case POSTMULTI_SELECT_NONE:
	return false;
    case POSTMULTI_SELECT_ALL:
	return true;
    case POSTMULTI_SELECT_GROUP:
	return inst->group != NULL && strcmp(inst->group, sel->name) == 0;
    case POSTMULTI_SELECT_NAME:
	want = sel->name;
	if (inst->primary && strcmp(want, "-") == 0)
	    return true;
	if (*want == '/' || inst->name == NULL)
	    have = inst->config_dir;
	else if (!POSTMULTI_HAS_PREFIX(want) && POSTMULTI_HAS_PREFIX(inst->name))
	    have = inst->name + sizeof(POSTMULTI_NAME_PREFIX) - 1;
	else
	    have = inst->name;
	return strcmp(want, have) == 0;
    }
    msg_panic("postmulti_instance_match: bad selection type %d", (int) sel->type);
}

/* postmulti_instance_safe - only harmless characters? */
static bool postmulti_instance_safe(const char *s)
{
    if (*s == 0)
	return false;
    for (; *s; s++)
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
	      || (*s >= '0' && *s <= '9') || strchr("!@%-_=+:./", *s)))
	    return false;
    return true;
}

/* postmulti_instance_name_error - why a new instance name is bad, or NULL */
const char *postmulti_instance_name_error(const char *name)
{
    static VSTRING *why;

    if (why == NULL)
	why = vstring_alloc(100);
    if (name == NULL || *name == 0)
	return NULL;
    if (!postmulti_instance_safe(name))
	return vstring_str(vstring_sprintf(why,
			     "Unsafe characters in new instance name: '%s'",
					   excerpt(name)));
    if (strchr(name, '/') != NULL)
	return vstring_str(vstring_sprintf(why,
		       "Illegal '/' character in new instance name: '%s'",
					   excerpt(name)));
    if (!POSTMULTI_HAS_PREFIX(name))
	return vstring_str(vstring_sprintf(why,
				     "New instance name must start with '%s'",
					   POSTMULTI_NAME_PREFIX));
    return NULL;
}

/* postmulti_instance_group_error - why a new group name is bad, or NULL */
const char *postmulti_instance_group_error(const char *group)
{
    static VSTRING *why;

    if (why == NULL)
	why = vstring_alloc(100);
    if (group == NULL || *group == 0 || postmulti_instance_safe(group))
	return NULL;
    return vstring_str(vstring_sprintf(why, "Unsafe characters in '-G %s'",
				       excerpt(group)));
}

/* postmulti_instance_private_path - primary's path with the last part renamed */
char   *postmulti_instance_private_path(const char *param,
				              const char *primary_value,
				              const char *name, VSTRING *why)
{
    char   *base;
    char   *end;
    char   *path;
    size_t  len;

    if (name == NULL || *name == 0) {
	vstring_sprintf(why, "Missing %s parameter value", param);
	return NULL;
    }
    if (*primary_value != '/') {
	vstring_sprintf(why, "Invalid default %s parameter value: '%s': "
			"specify an absolute pathname", param, excerpt(primary_value));
	return NULL;
    }
    base = mystrdup(primary_value);
    /* Drop trailing slashes, then the last component and its slashes. */
    len = strlen(base);
    while (len > 1 && base[len - 1] == '/')
	base[--len] = 0;
    if ((end = strrchr(base, '/')) != NULL)
	*end = 0;
    len = strlen(base);
    while (len > 0 && base[len - 1] == '/')
	base[--len] = 0;
    path = concatenate(base, "/", name, (char *) 0);
    myfree(base);
    return path;
}

/* postmulti_instance_setting - parse one "param=value" of create/import */
bool    postmulti_instance_setting(const char *arg, int edit_cmd,
				           char **name, char **value,
				           VSTRING *why)
{
    char   *copy = mystrdup(arg);
    char   *pname;
    char   *pvalue;
    char   *end;
    bool    allowed;

    if (split_nameval(copy, &pname, &pvalue) != NULL) {
	vstring_sprintf(why, "Malformed parameter setting '%s'", excerpt(arg));
	myfree(copy);
	return false;
    }
    allowed = strcmp(pname, "config_directory") == 0
	|| (edit_cmd != POSTMULTI_EDIT_IMPORT
	    && (strcmp(pname, "queue_directory") == 0
		|| strcmp(pname, "data_directory") == 0));
    if (!allowed) {
	vstring_sprintf(why, "Parameter '%s' not valid with action %s",
			excerpt(pname), postmulti_manage_action_name(edit_cmd));
    } else if (*pvalue != '/') {
	vstring_sprintf(why, "Parameter setting '%s' is not an absolute path",
			excerpt(pname));
	allowed = false;
    } else {
	for (end = pvalue + strlen(pvalue) - 1; end > pvalue && *end == '/'; end--)
	    *end = 0;
	if (end == pvalue) {
	    vstring_sprintf(why, "Parameter setting '%s' is the root directory",
			    excerpt(pname));
	    allowed = false;
	}
    }
    if (allowed) {
	*name = mystrdup(pname);
	*value = mystrdup(pvalue);
    }
    myfree(copy);
    return allowed;
}

/* postmulti_instance_assign - apply -I and -G; return what changed */
int     postmulti_instance_assign(POSTMULTI_LIST *list, POSTMULTI_INSTANCE *inst,
				          const POSTMULTI_ASSIGNMENT *assign)
{
    int     changed = 0;

    if (assign->name && strcmp(assign->name, inst->name ? inst->name : "") != 0) {
	if (*assign->name)
	    postmulti_list_claim(list, inst->config_dir, "multi_instance_name",
				 assign->name);
	myfree(inst->name);
	inst->name = *assign->name ? mystrdup(assign->name) : NULL;
	changed |= POSTMULTI_CHANGED_NAME;
    }
    if (assign->group
	&& strcmp(assign->group, inst->group ? inst->group : "") != 0) {
	myfree(inst->group);
	inst->group = *assign->group ? mystrdup(assign->group) : NULL;
	changed |= POSTMULTI_CHANGED_GROUP;
    }
    return changed;
}

/* postmulti_list_create - empty instance list */
POSTMULTI_LIST *postmulti_list_create(void)
{
    POSTMULTI_LIST *list = mymalloc(sizeof(*list));

    list->size = 4;
    list->count = 0;
    list->items = mymalloc(list->size * sizeof(list->items[0]));
    list->claims = htable_create(20);
    return list;
}

/* postmulti_list_free - free the list, its instances and claims */
void    postmulti_list_free(POSTMULTI_LIST *list)
{
    size_t  n;

    for (n = 0; n < list->count; n++)
	postmulti_instance_free(list->items[n]);
    myfree(list->items);
    htable_free(list->claims, myfree);
    myfree(list);
}

/* postmulti_list_claim - register a name or directory, or die on conflict */
void    postmulti_list_claim(POSTMULTI_LIST *list, const char *owner_dir,
			             const char *param, const char *value)
{
    char   *requestor = concatenate(owner_dir, ", ", param, (char *) 0);
    const char *owner = htable_find(list->claims, value);

    if (owner == NULL) {
	htable_enter(list->claims, value, requestor);
	return;
    }
    if (strcmp(owner, requestor) != 0)
	msg_fatal("instance %s, %s=%s conflicts with instance %s=%s",
		  owner_dir, param, value, owner, value);
    myfree(requestor);
}

/* postmulti_list_owner - who claimed value, or NULL */
const char *postmulti_list_owner(POSTMULTI_LIST *list, const char *value)
{
    return htable_find(list->claims, value);
}

/* postmulti_list_insert - claim and insert an instance */
void    postmulti_list_insert(POSTMULTI_LIST *list, POSTMULTI_INSTANCE *inst,
			              const POSTMULTI_SELECTION *where)
{
    size_t  pos = list->count;
    size_t  n;

    if (inst->name)
	postmulti_list_claim(list, inst->config_dir, "multi_instance_name",
			     inst->name);
    postmulti_list_claim(list, inst->config_dir, "config_directory",
			 inst->config_dir);
    postmulti_list_claim(list, inst->config_dir, "queue_directory",
			 inst->queue_dir);
    postmulti_list_claim(list, inst->config_dir, "data_directory",
			 inst->data_dir);

    if (where != NULL && where->type != POSTMULTI_SELECT_NONE) {
	for (n = 1; n < list->count; n++) {
	    if (postmulti_instance_match(list->items[n], where)) {
		pos = n;
		break;
	    }
	}
	if (n >= list->count && where->type != POSTMULTI_SELECT_ALL)
	    msg_fatal("No matching secondary instances");
    }
    if (list->count + 1 > list->size) {
	list->size *= 2;
	list->items = myrealloc(list->items, list->size * sizeof(list->items[0]));
    }
    memmove(list->items + pos + 1, list->items + pos,
	    (list->count - pos) * sizeof(list->items[0]));
    list->items[pos] = inst;
    list->count++;
}

/* postmulti_list_find - first instance that matches, or NULL */
POSTMULTI_INSTANCE *postmulti_list_find(POSTMULTI_LIST *list,
				              const POSTMULTI_SELECTION *sel,
				                size_t *index)
{
    size_t  n;

    for (n = 0; n < list->count; n++) {
	if (postmulti_instance_match(list->items[n], sel)) {
	    if (index)
		*index = n;
	    return list->items[n];
	}
    }
    return NULL;
}

/* postmulti_list_remove - take an instance out of the list */
void    postmulti_list_remove(POSTMULTI_LIST *list, size_t index)
{
    if (index >= list->count)
	msg_panic("postmulti_list_remove: index %lu out of range",
		  (unsigned long) index);
    memmove(list->items + index, list->items + index + 1,
	    (list->count - index - 1) * sizeof(list->items[0]));
    list->count--;
}

/* postmulti_list_secondary_dirs - the multi_instance_directories value */
char   *postmulti_list_secondary_dirs(const POSTMULTI_LIST *list)
{
    VSTRING *buf = vstring_alloc(100);
    size_t  n;

    for (n = 0; n < list->count; n++) {
	if (list->items[n]->primary)
	    continue;
	if (VSTRING_LEN(buf) > 0)
	    VSTRING_ADDCH(buf, ' ');
	vstring_strcat(buf, list->items[n]->config_dir);
    }
    VSTRING_TERMINATE(buf);
    return vstring_export(buf);
}
