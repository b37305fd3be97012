/*
 * postmulti - the Postfix multi-instance manager
 *
 * SYNOPSIS
 *	postmulti -e init [-v]
 *	postmulti -l [-aRv] [-j] [-g group] [-i name]
 *	postmulti -p [-av] [-g group] [-i name] postfix-command...
 *	postmulti -x [-aRv] [-g group] [-i name] unix-command...
 *	postmulti -e create|import [-av] [-g group] [-i name] [-G group]
 *		[-I name] [param=value ...]
 *	postmulti -e destroy|deport|enable|disable [-v] -i name
 *	postmulti -e assign [-v] -i name [-I name] [-G group]
 *
 * DESCRIPTION
 *	postmulti manages several Postfix instances that share one set of
 *	programs: the primary (default) instance, plus the secondary
 *	instances whose configuration directories its main.cf lists in
 *	multi_instance_directories. Iterator mode (-l, -p, -x) runs one
 *	command for many instances, see postmulti_iterate.c; "-p" is what
 *	postfix(1) runs as multi_instance_wrapper. Life-cycle mode (-e)
 *	changes one instance, see postmulti_manage.c.
 *
 *	Options: -a (all instances; the default in iterator mode; with
 *	create/import: insert the new instance first), -g group, -i name
 *	(an instance name, a configuration directory, or "-" for the
 *	primary), -G group and -I name (new names; "-" clears), -R
 *	(reverse order; not with -p or -e), -j (JSON output for -l), -v
 *	(more verbose; exported as MAIL_VERBOSE).
 *
 *	The primary instance is the one in the compiled-in configuration
 *	directory; a different MAIL_CONFIG is refused, as in Postfix.
 *	Postel extension: "-c config_dir" names the primary instance's
 *	configuration directory explicitly (for private installations
 *	and tests); it must be an absolute path.
 *
 * DIAGNOSTICS
 *	Problems go to standard error and to the mail log (ident
 *	"postmulti"). Fatal errors for bad option combinations use
 *	Postfix's words, for example "Specify exactly one of '-e', '-l',
 *	'-p', '-x'" and "Non-default configuration directory:
 *	MAIL_CONFIG=<dir>". Exit status 0 on success, 1 otherwise.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "maillog_client.h"
#include "postmulti.h"

#define POSTMULTI_NAME	"postmulti"

/* postmulti_usage - explain and exit */
static NORETURN postmulti_usage(void)
{
    msg_fatal("usage: "
	      "%s -l [-v] [-a] [-g group] [-i instance] | "
	      "%s -p [-v] [-a] [-g group] [-i instance] command... | "
	      "%s -x [-v] [-a] [-i name] [-g group] command... | "
	      "%s -e action [-v] [-a] [-i name] [-g group] [-I name] "
	      "[-G group] [param=value ...]",
	      POSTMULTI_NAME, POSTMULTI_NAME, POSTMULTI_NAME, POSTMULTI_NAME);
}

/* postmulti_set_mode - remember -e, -l, -p or -x; count distinct modes */
static void postmulti_set_mode(int *mode, int new_mode, int *count)
{
    if (*mode != new_mode)
	(*count)++;
    *mode = new_mode;
}

/* main - parse the command line, check it, dispatch */
int     main(int argc, char **argv)
{
    POSTMULTI_SELECTION sel = {POSTMULTI_SELECT_NONE, NULL};
    POSTMULTI_ASSIGNMENT assign = {NULL, NULL};
    const char *config_dir = NULL;
    const char *env_dir;
    bool    reverse = false;
    bool    json = false;
    int     select_count = 0;
    int     mode_count = 0;
    int     mode = 0;
    int     code;
    int     ch;

    umask(022);
    open_std_fds();
    msg_stderr_init(POSTMULTI_NAME);
    argv[0] = (char *) POSTMULTI_NAME;		/* also for getopt() messages */

    /* "+": the words after the options are a command of their own. */
    while ((ch = getopt(argc, argv, "+ac:e:g:i:jG:I:lpRvx")) != -1) {
	switch (ch) {
	case 'a':
	    if (sel.type != POSTMULTI_SELECT_ALL)
		select_count++;
	    sel.type = POSTMULTI_SELECT_ALL;
	    break;
	case 'c':
	    if (*optarg != '/')
		msg_fatal("-c requires absolute pathname");
	    config_dir = optarg;
	    break;
	case 'e':
	    if ((code = postmulti_manage_action_code(optarg)) < 0)
		msg_fatal("Invalid '-e' edit action '%s'. Specify 'create', "
			  "'destroy', 'import', 'deport', 'enable', 'disable', "
			  "'assign' or 'init'", excerpt(optarg));
	    postmulti_set_mode(&mode, code, &mode_count);
	    break;
	case 'g':
	    select_count++;
	    sel.type = POSTMULTI_SELECT_GROUP;
	    sel.name = optarg;
	    break;
	case 'i':
	    select_count++;
	    sel.type = POSTMULTI_SELECT_NAME;
	    sel.name = optarg;
	    break;
	case 'j':
	    json = true;
	    break;
	case 'G':
	    if (assign.group != NULL)
		msg_fatal("Specify at most one '-G' option");
	    assign.group = strcmp(optarg, "-") == 0 ? "" : optarg;
	    break;
	case 'I':
	    if (assign.name != NULL)
		msg_fatal("Specify at most one '-I' option");
	    assign.name = strcmp(optarg, "-") == 0 ? "" : optarg;
	    break;
	case 'l':
	    postmulti_set_mode(&mode, POSTMULTI_CMD_LIST, &mode_count);
	    break;
	case 'p':
	    postmulti_set_mode(&mode, POSTMULTI_CMD_POSTFIX, &mode_count);
	    break;
	case 'R':
	    reverse = !reverse;
	    break;
	case 'v':
	    msg_verbose++;
	    if (setenv("MAIL_VERBOSE", "", 1) < 0)
		msg_fatal("setenv: %m");
	    break;
	case 'x':
	    postmulti_set_mode(&mode, POSTMULTI_CMD_GENERIC, &mode_count);
	    break;
	default:
	    postmulti_usage();
	}
    }

    /*
     * The primary instance is the default one; postfix(1) exports that
     * as MAIL_CONFIG before it runs us as its wrapper.
     */
    if (config_dir == NULL && (env_dir = getenv("MAIL_CONFIG")) != NULL
	&& *env_dir != 0
	&& strcmp(env_dir, mail_params_default_config_directory()) != 0)
	msg_fatal("Non-default configuration directory: MAIL_CONFIG=%s",
		  env_dir);
    postmulti_conf_read(config_dir);
    maillog_client_init(POSTMULTI_NAME, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK
			| MAILLOG_CLIENT_FLAG_IDENT_AS_IS);

    if (select_count > 1)
	msg_fatal("Specify no more than one of '-a', '-g', '-i'");
    if (mode_count != 1)
	msg_fatal("Specify exactly one of '-e', '-l', '-p', '-x'");
    if (mode == POSTMULTI_CMD_LIST && optind < argc)
	msg_fatal("Command not allowed with '-l'");
    if ((mode == POSTMULTI_CMD_POSTFIX || mode == POSTMULTI_CMD_GENERIC)
	&& optind >= argc)
	msg_fatal("Command required with '-p' or '-x' option");
    if ((mode == POSTMULTI_CMD_POSTFIX || (mode & POSTMULTI_EDIT_ANY)) && reverse)
	msg_fatal("The '-p' and '-e' options preclude the use of '-R'");
    if ((mode & POSTMULTI_EDIT_NAMES) == 0 && (assign.name || assign.group)) {
	if ((mode & POSTMULTI_EDIT_ANY) == 0)
	    msg_fatal("Cannot assign instance name or group without '-e assign'");
	msg_fatal("Cannot assign instance name or group with '-e %s'",
		  postmulti_manage_action_name(mode));
    }
    if (mode == POSTMULTI_EDIT_ASSIGN && !assign.name && !assign.group)
	msg_fatal("Specify new instance name or group with '-e assign'");
    if ((mode & POSTMULTI_EDIT_ANY) && (mode & POSTMULTI_EDIT_ADD) == 0
	&& optind < argc)
	msg_fatal("Parameter overrides not valid with '-e %s'",
		  postmulti_manage_action_name(mode));
    if (json && mode != POSTMULTI_CMD_LIST)
	msg_fatal("JSON output available only with '-l'");

    if (mode & POSTMULTI_CMD_ITERATE)
	postmulti_iterate(mode, reverse, json, argv + optind, &sel);
    postmulti_manage(mode, argv + optind, &sel, &assign);
}
