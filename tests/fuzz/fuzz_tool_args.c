/*
 * fuzz_tool_args - feed arbitrary strings to the argument parsers of
 *	postlock(1) and postmulti(1)
 *
 * DESCRIPTION
 *	The input (cut at the first null byte) goes to mbox_lock_mask(3)
 *	(postlock -l, mailbox_delivery_lock) and to the postmulti rules for
 *	"param=value" arguments, new instance and group names, derived
 *	directories and instance selection. None of them may fail other
 *	than by returning an error. Checked: an accepted lock list has
 *	only known bits; an accepted setting is an allowed name with an
 *	absolute value without trailing '/'; an accepted instance name
 *	starts with "postfix-" and has no '/'; a derived path is absolute
 *	and ends in the new name.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mbox_lock.h"
#include "postmulti.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_setting - one create/import argument */
static void fuzz_setting(const char *text, int cmd, VSTRING *why)
{
    char   *name;
    char   *value;
    size_t  len;

    if (!postmulti_instance_setting(text, cmd, &name, &value, why))
	return;
    len = strlen(value);
    if (value[0] != '/' || len < 2 || value[len - 1] == '/')
	abort();
    if (strcmp(name, "config_directory") != 0
	&& (cmd == POSTMULTI_EDIT_IMPORT
	    || (strcmp(name, "queue_directory") != 0
		&& strcmp(name, "data_directory") != 0)))
	abort();
    myfree(name);
    myfree(value);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static VSTRING *why;
    static POSTMULTI_INSTANCE *instances[3];
    POSTMULTI_SELECTION sel;
    char   *text;
    char   *path;
    int     mask;
    size_t  n;

    if (!init) {
	fuzz_quiet_init();
	why = vstring_alloc(100);
	instances[0] = postmulti_instance_create("/etc/postfix");
	instances[0]->primary = true;
	instances[1] = postmulti_instance_create("/etc/postfix-out");
	instances[1]->name = mystrdup("postfix-out");
	instances[1]->group = mystrdup("mta");
	instances[2] = postmulti_instance_create("/etc/anon");
	init = true;
    }
    text = mystrndup((const char *) data, size);

    if ((mask = mbox_lock_mask(text, why)) != -1
	&& (mask & ~(MBOX_LOCK_FLOCK | MBOX_LOCK_FCNTL | MBOX_LOCK_DOTLOCK)))
	abort();

    fuzz_setting(text, POSTMULTI_EDIT_CREATE, why);
    fuzz_setting(text, POSTMULTI_EDIT_IMPORT, why);

    if (*text && postmulti_instance_name_error(text) == NULL
	&& (strncmp(text, POSTMULTI_NAME_PREFIX, 8) != 0 || strchr(text, '/')))
	abort();
    (void) postmulti_instance_group_error(text);

    if ((path = postmulti_instance_private_path("queue_directory", text,
						"postfix-x", why)) != NULL) {
	if (path[0] != '/' || strlen(path) < 10
	    || strcmp(path + strlen(path) - 10, "/postfix-x") != 0)
	    abort();
	myfree(path);
    }

    sel.name = text;
    for (sel.type = POSTMULTI_SELECT_NONE; sel.type <= POSTMULTI_SELECT_GROUP;
	 sel.type++)
	for (n = 0; n < ARRAY_LEN(instances); n++)
	    (void) postmulti_instance_match(instances[n], &sel);

    myfree(text);
    return 0;
}
