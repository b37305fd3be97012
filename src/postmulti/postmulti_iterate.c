/*
 * postmulti_iterate - run one command for each selected instance
 *
 * SYNOPSIS
 *	#include "postmulti.h"
 *
 *	NORETURN postmulti_iterate(int cmd, bool reverse, bool json,
 *				char **args, POSTMULTI_SELECTION *sel);
 *	int	postmulti_iterate_class(const char *command, const char *start,
 *				const char *stop, const char *control);
 *
 * DESCRIPTION
 *	postmulti_iterate() implements the iterator modes over the
 *	instances that sel selects (all of them when sel selects nothing),
 *	in start order (reverse: the other way round), and exits.
 *
 *	POSTMULTI_CMD_LIST (-l) prints one line per instance: name, group
 *	("-" when not set), "y" or "n" for multi_instance_enable, and the
 *	configuration directory, as "%-15s %-15s %-9s %s"; with json, one
 *	JSON object per line with the members name, group, enabled and
 *	config_directory.
 *
 *	POSTMULTI_CMD_POSTFIX (-p, the postfix-wrapper(5) interface) runs
 *	"$command_directory/postfix -c <config_dir> -- args..." with
 *	MAIL_CONFIG set to the instance's directory. What happens depends
 *	on the class of args[0] (see postmulti_iterate_class()): a start
 *	command is replaced by "check" for a disabled instance; stop
 *	commands run in reverse order and skip disabled instances; control
 *	commands skip disabled instances; other commands run everywhere.
 *
 *	POSTMULTI_CMD_GENERIC (-x) runs args (found with PATH) for every
 *	selected instance, with MAIL_CONFIG, command_directory,
 *	daemon_directory, config_directory, queue_directory,
 *	data_directory, multi_instance_name, multi_instance_group and
 *	multi_instance_enable in the environment, and command_directory
 *	in front of PATH.
 *
 *	Commands run one after another, each in a child process that
 *	inherits our standard input, output and error. The exit status is
 *	0 when every command succeeded, 1 otherwise.
 *
 *	postmulti_iterate_class() tells whether command is one of the
 *	start, stop or control commands (lists separated by commas or
 *	whitespace, normally postmulti_start_commands,
 *	postmulti_stop_commands and postmulti_control_commands), in that
 *	order of precedence: POSTMULTI_CLASS_START, _STOP, _CONTROL or
 *	_OTHER.
 *
 * DIAGNOSTICS
 *	Fatal: "No matching instances" (-p and -x only), "execvp
 *	<command>: <error>" (in the child, which counts as a failed
 *	command), "error writing output: <error>". Warning: "fork
 *	<command>: <error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "postmulti.h"

#define POSTMULTI_ROOT_PATH	"/bin:/usr/bin:/sbin:/usr/sbin"

/* postmulti_iterate_in_list - is word an element of list? */
static bool postmulti_iterate_in_list(const char *list, const char *word)
{
    char   *copy = mystrdup(list);
    char   *cp = copy;
    char   *elem;
    bool    found = false;

    while (!found && (elem = mystrtok(&cp, CHARS_COMMA_SP)) != NULL)
	found = strcmp(elem, word) == 0;
    myfree(copy);
    return found;
}

/* postmulti_iterate_class - start, stop, control or other command? */
int     postmulti_iterate_class(const char *command, const char *start,
				        const char *stop, const char *control)
{
    if (postmulti_iterate_in_list(start, command))
	return POSTMULTI_CLASS_START;
    if (postmulti_iterate_in_list(stop, command))
	return POSTMULTI_CLASS_STOP;
    if (postmulti_iterate_in_list(control, command))
	return POSTMULTI_CLASS_CONTROL;
    return POSTMULTI_CLASS_OTHER;
}

/* postmulti_iterate_setenv - setenv() or die */
static void postmulti_iterate_setenv(const char *name, const char *value)
{
    if (setenv(name, value, 1) < 0)
	msg_fatal("setenv %s: %m", name);
}

/* postmulti_iterate_export - the environment of a -x command */
static void postmulti_iterate_export(const POSTMULTI_INSTANCE *inst)
{
    const char *path = getenv("PATH");
    char   *new_path;

    postmulti_iterate_setenv("daemon_directory", postmulti_conf->daemon_dir);
    postmulti_iterate_setenv("command_directory", postmulti_conf->command_dir);
    postmulti_iterate_setenv("config_directory", inst->config_dir);
    postmulti_iterate_setenv("queue_directory", inst->queue_dir);
    postmulti_iterate_setenv("data_directory", inst->data_dir);
    postmulti_iterate_setenv("multi_instance_name", inst->name ? inst->name : "");
    postmulti_iterate_setenv("multi_instance_group",
			     inst->group ? inst->group : "");
    postmulti_iterate_setenv("multi_instance_enable",
			     inst->enabled ? "yes" : "no");
    new_path = concatenate(postmulti_conf->command_dir, ":",
			   path && *path ? path : POSTMULTI_ROOT_PATH,
			   (char *) 0);
    postmulti_iterate_setenv("PATH", new_path);
    myfree(new_path);
}

/* postmulti_iterate_run - run a command for one instance; its status */
static int postmulti_iterate_run(const POSTMULTI_INSTANCE *inst, int cmd,
				         char **argv)
{
    pid_t   pid;
    int     status;

    if (vstream_fflush(VSTREAM_OUT))
	msg_fatal("error writing output: %m");
    switch (pid = fork()) {
    case -1:
	msg_warn("fork %s: %m", argv[0]);
	return -1;
    case 0:
	postmulti_iterate_setenv("MAIL_CONFIG", inst->config_dir);
	if (cmd == POSTMULTI_CMD_GENERIC)
	    postmulti_iterate_export(inst);
	execvp(argv[0], argv);
	msg_fatal("execvp %s: %m", argv[0]);
    default:
	while (waitpid(pid, &status, 0) < 0)
	    if (errno != EINTR)
		msg_fatal("waitpid: %m");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
}

/* postmulti_iterate_json - JSON string with quotes and escapes */
static const char *postmulti_iterate_json(VSTRING *buf, const char *text)
{
    const unsigned char *cp;

    vstring_strcpy(buf, "\"");
    for (cp = (const unsigned char *) text; *cp; cp++) {
	if (*cp == '"' || *cp == '\\')
	    vstring_sprintf_append(buf, "\\%c", *cp);
	else if (*cp < 0x20 || *cp == 0x7f)
	    vstring_sprintf_append(buf, "\\u%04x", *cp);
	else
	    VSTRING_ADDCH(buf, *cp);
    }
    VSTRING_ADDCH(buf, '"');
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* postmulti_iterate_list - print one instance */
static void postmulti_iterate_list(const POSTMULTI_INSTANCE *inst, bool json)
{
    static VSTRING *buf;
    const char *name = inst->name ? inst->name : "-";
    const char *group = inst->group ? inst->group : "-";
    const char *enabled = inst->enabled ? "y" : "n";

    if (!json) {
	vstream_printf("%-15s %-15s %-9s %s\n", name, group, enabled,
		       inst->config_dir);
	return;
    }
    if (buf == NULL)
	buf = vstring_alloc(100);
    vstream_printf("{\"name\": %s,", postmulti_iterate_json(buf, name));
    vstream_printf("\"group\": %s,", postmulti_iterate_json(buf, group));
    vstream_printf("\"enabled\": %s,", postmulti_iterate_json(buf, enabled));
    vstream_printf("\"config_directory\": %s}\n",
		   postmulti_iterate_json(buf, inst->config_dir));
}

/* postmulti_iterate - -l, -p or -x for the selected instances */
NORETURN postmulti_iterate(int cmd, bool reverse, bool json, char **args,
			           POSTMULTI_SELECTION *sel)
{
    POSTMULTI_LIST *list;
    POSTMULTI_INSTANCE *inst;
    ARGV   *argv = NULL;
    bool    skip_disabled = false;
    bool    check_disabled = false;
    bool    matched = false;
    int     exit_status = 0;
    char   *postfix_path;
    size_t  cmd_index = 0;
    size_t  i;
    size_t  n;

    if (sel->type == POSTMULTI_SELECT_NONE)
	sel->type = POSTMULTI_SELECT_ALL;
    list = postmulti_conf_load_all();

    if (cmd == POSTMULTI_CMD_POSTFIX) {
	switch (postmulti_iterate_class(args[0], postmulti_conf->start_cmds,
					postmulti_conf->stop_cmds,
					postmulti_conf->control_cmds)) {
	case POSTMULTI_CLASS_START:
	    check_disabled = true;
	    break;
	case POSTMULTI_CLASS_STOP:
	    skip_disabled = true;
	    reverse = true;
	    break;
	case POSTMULTI_CLASS_CONTROL:
	    skip_disabled = true;
	    break;
	}
    }
    for (i = 0; i < list->count; i++) {
	inst = list->items[reverse ? list->count - 1 - i : i];
	if (!postmulti_instance_match(inst, sel))
	    continue;
	if (cmd == POSTMULTI_CMD_LIST) {
	    postmulti_iterate_list(inst, json);
	    continue;
	}
	if (skip_disabled && !inst->enabled)
	    continue;
	matched = true;
	argv = argv_alloc(8);
	if (cmd == POSTMULTI_CMD_POSTFIX) {
	    postfix_path = concatenate(postmulti_conf->command_dir, "/postfix",
				       (char *) 0);
	    argv_add(argv, postfix_path, "-c", inst->config_dir, "--", ARGV_END);
	    myfree(postfix_path);
	    cmd_index = argv->argc;
	}
	for (n = 0; args[n] != NULL; n++)
	    argv_add(argv, args[n], ARGV_END);
	if (check_disabled && !inst->enabled)
	    argv_replace_one(argv, cmd_index, "check");
	if (postmulti_iterate_run(inst, cmd, argv->argv) != 0)
	    exit_status = 1;
	argv = argv_free(argv);
    }
    if (cmd == POSTMULTI_CMD_LIST) {
	if (vstream_fflush(VSTREAM_OUT))
	    msg_fatal("error writing output: %m");
    } else if (!matched) {
	msg_fatal("No matching instances");
    }
    postmulti_list_free(list);
    exit(exit_status);
}
