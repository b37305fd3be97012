/*
 * spawn_attr - the command attributes of a spawn(8) service
 *
 * DESCRIPTION
 *	See spawn_attr.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "argv.h"
#include "excerpt.h"
#include "vstring.h"
#include "command_user.h"
#include "spawn_attr.h"

#define SPAWN_ATTR_USER	"user="
#define SPAWN_ATTR_ARGV	"argv="

/* spawn_attr_has_prefix - does arg start with the attribute name? */
static bool spawn_attr_has_prefix(const char *arg, const char *name)
{
    return strncmp(arg, name, strlen(name)) == 0;
}

/* spawn_attr_parse - user= and argv= from the master.cf arguments */
bool    spawn_attr_parse(char **args, const char *mail_owner,
			         SPAWN_ATTR *attr, VSTRING *why)
{
    COMMAND_USER user;
    bool    have_user = false;
    char  **cpp;

    memset(attr, 0, sizeof(*attr));
    for (cpp = args; *cpp != NULL; cpp++) {
	if (spawn_attr_has_prefix(*cpp, SPAWN_ATTR_USER)) {
	    if (!command_user_resolve(*cpp + strlen(SPAWN_ATTR_USER),
				      mail_owner, &user, why))
		return false;
	    have_user = true;
	} else if (spawn_attr_has_prefix(*cpp, SPAWN_ATTR_ARGV)) {
	    break;
	} else {
	    vstring_sprintf(why, "unknown attribute name: %s", excerpt(*cpp));
	    return false;
	}
    }
    if (!have_user) {
	vstring_strcpy(why, "missing user= attribute");
	return false;
    }
    if (*cpp == NULL) {
	vstring_strcpy(why, "missing argv= attribute");
	return false;
    }
    attr->uid = user.uid;
    attr->gid = user.gid;
    attr->argv = argv_alloc(4);
    argv_add(attr->argv, *cpp + strlen(SPAWN_ATTR_ARGV), (char *) 0);
    while (*++cpp != NULL)
	argv_add(attr->argv, *cpp, (char *) 0);
    return true;
}

/* spawn_attr_free - release a parse result */
void    spawn_attr_free(SPAWN_ATTR *attr)
{
    if (attr->argv != NULL)
	attr->argv = argv_free(attr->argv);
}
