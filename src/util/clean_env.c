/*
 * clean_env - control the environment that a process passes on
 *
 * DESCRIPTION
 *	See clean_env.h. clean_env() collects "name=value" strings first
 *	(copies, since clearenv() invalidates the old strings), then clears
 *	the environment and puts them back.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "clean_env.h"

/* clean_env_set - set one variable or terminate */
static void clean_env_set(const char *name, size_t name_len, const char *value)
{
    char   *copy = mystrndup(name, name_len);

    if (setenv(copy, value, 1) < 0)
	msg_fatal("setenv %s: %m", copy);
    myfree(copy);
}

/* clean_env - keep only the listed variables */
void    clean_env(const char *const *preserve_list)
{
    ARGV   *save = argv_alloc(10);
    const char *const *cpp;
    const char *eq;
    const char *value;
    char   *name;
    size_t  n;

    for (cpp = preserve_list; cpp && *cpp; cpp++) {
	if ((eq = strchr(*cpp, '=')) != NULL) {
	    if (eq == *cpp) {
		msg_warn("clean_env: bad entry: \"%s\"", excerpt(*cpp));
		continue;
	    }
	    argv_add(save, *cpp, ARGV_END);
	} else if (**cpp == 0) {
	    continue;
	} else if ((value = getenv(*cpp)) != NULL) {
	    name = concatenate(*cpp, "=", value, (char *) 0);
	    argv_add(save, name, ARGV_END);
	    myfree(name);
	}
    }
    if (clearenv() != 0)
	msg_fatal("clean_env: cannot clear the environment");
    for (n = 0; n < save->argc; n++) {
	eq = strchr(save->argv[n], '=');
	clean_env_set(save->argv[n], eq - save->argv[n], eq + 1);
    }
    argv_free(save);
}

/* update_env - set each name=value entry */
void    update_env(const char *const *list)
{
    const char *const *cpp;
    const char *eq;

    for (cpp = list; cpp && *cpp; cpp++) {
	if ((eq = strchr(*cpp, '=')) == NULL)
	    continue;
	if (eq == *cpp) {
	    msg_warn("update_env: bad entry: \"%s\"", excerpt(*cpp));
	    continue;
	}
	clean_env_set(*cpp, eq - *cpp, eq + 1);
    }
}

/* clean_env_unsafe - does the process hold privileges it was given? */
bool    clean_env_unsafe(void)
{
    return getauxval(AT_SECURE) != 0
	|| getuid() != geteuid() || getgid() != getegid();
}

/* safe_getenv - getenv() that ignores the invoker in privileged mode */
const char *safe_getenv(const char *name)
{
    return clean_env_unsafe() ? NULL : getenv(name);
}
