/*
 * postmulti_manage - add, remove and change managed instances (-e)
 *
 * SYNOPSIS
 *	#include "postmulti.h"
 *
 *	NORETURN postmulti_manage(int edit_cmd, char **args,
 *				POSTMULTI_SELECTION *sel,
 *				const POSTMULTI_ASSIGNMENT *assign);
 *	const char *postmulti_manage_action_name(int edit_cmd);
 *	int	postmulti_manage_action_code(const char *name);
 *
 * DESCRIPTION
 *	postmulti_manage() performs one life-cycle action and exits. Every
 *	main.cf change is made by running "$command_directory/postconf -c
 *	<dir> -e ..." (or "-#" to comment out settings); instance state is
 *	asked of "$command_directory/postfix -c <dir> status" (exit status
 *	0: running). These commands run with the environment reduced to
 *	import_environment, command_directory in front of PATH and
 *	MAIL_CONFIG set to the primary instance.
 *
 *	init sets multi_instance_wrapper = ${command_directory}/postmulti
 *	-p -- and multi_instance_enable = yes in the primary main.cf. All
 *	other actions require that, and check their selection first:
 *
 *	create and import add an instance to multi_instance_directories
 *	(before the instance selected with -i, -g or -a, else at the end)
 *	and remove it from alternate_config_directories. Their arguments
 *	name the configuration directory (and for create the queue and
 *	data directories); missing paths are derived from the primary's
 *	with the -I name. When the configuration directory lacks main.cf
 *	or master.cf, create makes the three directories and installs
 *	$meta_directory/main.cf.proto and master.cf.proto (through a
 *	.tmp subdirectory, master.cf last), with the instance's queue and
 *	data directories, "authorized_submit_users =", "master_service_disable
 *	= inet" and the primary's explicit settings of the shared
 *	installation parameters (others are commented out); import
 *	requires both files. Then -I/-G are written to the instance's
 *	main.cf, and "postfix -c <dir> set-permissions" finishes the job.
 *
 *	deport removes a disabled, stopped instance from
 *	multi_instance_directories and adds it to
 *	alternate_config_directories. destroy removes a disabled, stopped
 *	instance from both lists, then deletes what create made: the
 *	empty queue subdirectories, the data and queue directories, main.cf
 *	and master.cf, and the configuration directory; anything else is
 *	left behind with a warning. enable and disable set
 *	multi_instance_enable; assign writes new -I/-G names (nothing
 *	happens when they are unchanged).
 *
 *	postmulti_manage_action_name() and postmulti_manage_action_code()
 *	convert between action names and POSTMULTI_EDIT_* codes (-1 for
 *	an unknown name).
 *
 * DIAGNOSTICS
 *	Fatal, in Postfix's words: "Select an instance via '-i name'",
 *	"No instance named <name>", "Cannot remove the primary instance",
 *	"Cannot remove enabled instances", "new config_directory=<dir> is
 *	already in use by instance <owner>=<dir>", "multi_instance_wrapper
 *	is empty, run 'postmulti -e init' first.", "multi_instance_enable!=yes,
 *	run 'postmulti -e init' first.", "'<dir>' lacks a main.cf file",
 *	"Missing main.cf prototype: <path>", "<dir>/main.cf file not
 *	found", "Instance '<dir>' is not stopped", the errors of
 *	postmulti_instance.c, and "<command> ... failed with exit status
 *	<n>" when a postconf or postfix command fails. Warnings:
 *	"<path>: please verify contents and remove by hand".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "clean_env.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "make_dirs.h"
#include "mail_conf.h"
#include "mail_parm_split.h"
#include "postmulti.h"

static const struct {
    const char *name;
    int     code;
} postmulti_manage_actions[] = {
    {"create", POSTMULTI_EDIT_CREATE},
    {"import", POSTMULTI_EDIT_IMPORT},
    {"destroy", POSTMULTI_EDIT_DESTROY},
    {"deport", POSTMULTI_EDIT_DEPORT},
    {"enable", POSTMULTI_EDIT_ENABLE},
    {"disable", POSTMULTI_EDIT_DISABLE},
    {"assign", POSTMULTI_EDIT_ASSIGN},
    {"init", POSTMULTI_EDIT_INIT},
};

 /*
  * What "postfix set-permissions" and master create in a queue
  * directory; destroy removes these (when empty) and nothing else.
  */
static const char *const postmulti_queue_subdirs[] = {
    "active", "bounce", "corrupt", "defer", "deferred", "flush", "hold",
    "incoming", "maildrop", "pid", "private", "public", "saved", "trace",
};

/* postmulti_manage_action_name - code to name */
const char *postmulti_manage_action_name(int edit_cmd)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(postmulti_manage_actions); n++)
	if (postmulti_manage_actions[n].code == edit_cmd)
	    return postmulti_manage_actions[n].name;
    msg_panic("postmulti_manage_action_name: unknown action %d", edit_cmd);
}

/* postmulti_manage_action_code - name to code, or -1 */
int     postmulti_manage_action_code(const char *name)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(postmulti_manage_actions); n++)
	if (strcmp(postmulti_manage_actions[n].name, name) == 0)
	    return postmulti_manage_actions[n].code;
    return -1;
}

/* postmulti_manage_run - run a command, wait, return its exit status */
static int postmulti_manage_run(char **argv, bool quiet)
{
    pid_t   pid;
    int     status;
    int     fd;

    if (vstream_fflush(VSTREAM_OUT))
	msg_fatal("error writing output: %m");
    if (msg_verbose)
	msg_info("running %s %s", argv[0], argv[1] ? argv[1] : "");
    switch (pid = fork()) {
    case -1:
	msg_warn("fork %s: %m", argv[0]);
	return -1;
    case 0:
	if (quiet && (fd = open("/dev/null", O_RDWR)) >= 0) {
	    (void) dup2(fd, STDOUT_FILENO);
	    (void) dup2(fd, STDERR_FILENO);
	    if (fd > STDERR_FILENO)
		(void) close(fd);
	}
	execv(argv[0], argv);
	msg_fatal("execv %s: %m", argv[0]);
    default:
	while (waitpid(pid, &status, 0) < 0)
	    if (errno != EINTR)
		msg_fatal("waitpid: %m");
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
}

/* postmulti_manage_command - run a Postfix command or die */
static void postmulti_manage_command(const char *program, ARGV *args)
{
    char   *path = concatenate(postmulti_conf->command_dir, "/", program,
			       (char *) 0);
    int     status;
    char   *text;

    argv_insert_one(args, 0, path);
    if ((status = postmulti_manage_run(args->argv, false)) != 0) {
	text = argv_join(args, " ");
	msg_fatal("%s failed with exit status %d", text, status);
    }
    argv_delete(args, 0, 1);
    myfree(path);
}

/* postmulti_manage_postconf - postconf -c dir <option> args... */
static void postmulti_manage_postconf(const char *dir, const char *option,
				              ARGV *settings)
{
    ARGV   *args = argv_alloc(settings->argc + 4);
    size_t  n;

    argv_add(args, "-c", dir, option, ARGV_END);
    for (n = 0; n < settings->argc; n++)
	argv_add(args, settings->argv[n], ARGV_END);
    postmulti_manage_command("postconf", args);
    argv_free(args);
}

/* postmulti_manage_running - does "postfix -c dir status" say running? */
static bool postmulti_manage_running(const char *dir)
{
    char   *path = concatenate(postmulti_conf->command_dir, "/postfix",
			       (char *) 0);
    char   *argv[] = {path, (char *) "-c", (char *) dir, (char *) "status", 0};
    int     status = postmulti_manage_run(argv, true);

    myfree(path);
    return status == 0;
}

/* postmulti_manage_environment - the helpers' environment */
static void postmulti_manage_environment(void)
{
    ARGV   *import_env = mail_parm_split("import_environment",
					 postmulti_conf->import_environment);
    const char *path;
    char   *new_path;

    clean_env((const char *const *) import_env->argv);
    argv_free(import_env);
    path = getenv("PATH");
    new_path = concatenate(postmulti_conf->command_dir, ":",
			   path && *path ? path : "/bin:/usr/bin:/sbin:/usr/sbin",
			   (char *) 0);
    if (setenv("PATH", new_path, 1) < 0
	|| setenv("MAIL_CONFIG", postmulti_conf->config_dir, 1) < 0)
	msg_fatal("setenv: %m");
    myfree(new_path);
}

/* postmulti_manage_require_init - "postmulti -e init" must have run */
static void postmulti_manage_require_init(void)
{
    if (*postmulti_conf->multi_wrapper == 0)
	msg_fatal("multi_instance_wrapper is empty, run 'postmulti -e init' first.");
    if (!postmulti_conf->multi_enable)
	msg_fatal("multi_instance_enable!=yes, run 'postmulti -e init' first.");
}

/* postmulti_manage_exists - is path a regular file? */
static bool postmulti_manage_exists(const char *dir, const char *file)
{
    char   *path = concatenate(dir, "/", file, (char *) 0);
    struct stat st;
    bool    found = stat(path, &st) == 0 && S_ISREG(st.st_mode);

    myfree(path);
    return found;
}

/* postmulti_manage_update_dirs - rewrite the primary's instance lists */
static void postmulti_manage_update_dirs(POSTMULTI_LIST *list,
				             const char *dir, bool alternate)
{
    ARGV   *settings = argv_alloc(2);
    ARGV   *alt = argv_split(postmulti_conf->alternate_dirs, CHARS_COMMA_SP);
    ARGV   *keep = argv_alloc(alt->argc + 2);
    char   *dirs = postmulti_list_secondary_dirs(list);
    char   *setting;
    char   *joined;
    bool    found = false;
    size_t  n;

    setting = concatenate("multi_instance_directories = ", dirs, (char *) 0);
    argv_add(settings, setting, ARGV_END);
    myfree(setting);
    for (n = 0; n < alt->argc; n++) {
	if (strcmp(alt->argv[n], dir) == 0)
	    found = true;
	else
	    argv_add(keep, alt->argv[n], ARGV_END);
    }
    /* Only touch alternate_config_directories when it must change. */
    if (alternate ? !found : found) {
	if (alternate)
	    argv_add(keep, dir, ARGV_END);
	joined = argv_join(keep, " ");
	setting = concatenate("alternate_config_directories = ", joined,
			      (char *) 0);
	argv_add(settings, setting, ARGV_END);
	myfree(setting);
	myfree(joined);
    }
    postmulti_manage_postconf(postmulti_conf->config_dir, "-e", settings);
    argv_free(settings);
    argv_free(alt);
    argv_free(keep);
    myfree(dirs);
}

/* postmulti_manage_names - write changed -I/-G into the instance's main.cf */
static void postmulti_manage_names(const POSTMULTI_INSTANCE *inst, int changed)
{
    ARGV   *settings = argv_alloc(2);
    char   *setting;

    if (changed & POSTMULTI_CHANGED_NAME) {
	setting = concatenate("multi_instance_name = ",
			      inst->name ? inst->name : "", (char *) 0);
	argv_add(settings, setting, ARGV_END);
	myfree(setting);
    }
    if (changed & POSTMULTI_CHANGED_GROUP) {
	setting = concatenate("multi_instance_group = ",
			      inst->group ? inst->group : "", (char *) 0);
	argv_add(settings, setting, ARGV_END);
	myfree(setting);
    }
    if (settings->argc > 0)
	postmulti_manage_postconf(inst->config_dir, "-e", settings);
    argv_free(settings);
}

/* postmulti_manage_copy - copy a template file */
static void postmulti_manage_copy(const char *from, const char *to)
{
    char    buf[8192];
    struct stat st;
    ssize_t len;
    int     in;
    int     out;

    if ((in = open(from, O_RDONLY)) < 0 || fstat(in, &st) < 0)
	msg_fatal("open %s: %m", from);
    if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC, st.st_mode & 0777)) < 0)
	msg_fatal("create %s: %m", to);
    while ((len = read(in, buf, sizeof(buf))) > 0)
	if (write(out, buf, (size_t) len) != len)
	    msg_fatal("write %s: %m", to);
    if (len < 0)
	msg_fatal("read %s: %m", from);
    if (close(out) < 0)
	msg_fatal("write %s: %m", to);
    (void) close(in);
}

/* postmulti_manage_settings_in - which of names does main.cf set? */
static ARGV *postmulti_manage_settings_in(const char *path, const ARGV *names)
{
    ARGV   *found = argv_alloc(names->argc + 1);
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(100);
    char   *name;
    char   *value;
    int     lineno = 0;
    int     status;
    size_t  n;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	msg_fatal("open %s: %m", path);
    while ((status = readlline(line, fp, &lineno, NULL, NULL,
			       MAIL_CONF_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG
	    || split_nameval(vstring_str(line), &name, &value) != NULL)
	    continue;
	for (n = 0; n < names->argc; n++)
	    if (strcmp(names->argv[n], name) == 0)
		argv_add(found, name, ARGV_END);
    }
    (void) vstream_fclose(fp);
    vstring_free(line);
    argv_sort(found);
    argv_uniq(found);
    return found;
}

/* postmulti_manage_mkdir - create a missing instance directory */
static void postmulti_manage_mkdir(const char *dir, mode_t mode)
{
    if (make_dirs(dir, mode) < 0)
	msg_fatal("create directory %s: %m", dir);
}

/* postmulti_manage_install - stock main.cf and master.cf for a new instance */
static void postmulti_manage_install(const POSTMULTI_INSTANCE *inst)
{
    char   *main_proto = concatenate(postmulti_conf->meta_dir,
				     "/main.cf.proto", (char *) 0);
    char   *master_proto = concatenate(postmulti_conf->meta_dir,
				       "/master.cf.proto", (char *) 0);
    char   *tmpdir = concatenate(inst->config_dir, "/.tmp", (char *) 0);
    char   *tmp_main = concatenate(tmpdir, "/main.cf", (char *) 0);
    char   *tmp_master = concatenate(tmpdir, "/master.cf", (char *) 0);
    char   *main_cf = concatenate(inst->config_dir, "/main.cf", (char *) 0);
    char   *master_cf = concatenate(inst->config_dir, "/master.cf", (char *) 0);
    ARGV   *settings = argv_alloc(8);
    ARGV   *defaults;
    struct stat st;
    char   *setting;
    size_t  n;

    if (stat(main_proto, &st) < 0 || !S_ISREG(st.st_mode))
	msg_fatal("Missing main.cf prototype: %s", main_proto);
    if (stat(master_proto, &st) < 0 || !S_ISREG(st.st_mode))
	msg_fatal("Missing master.cf prototype: %s", master_proto);

    postmulti_manage_mkdir(inst->config_dir, 0755);
    postmulti_manage_mkdir(inst->queue_dir, 0755);
    postmulti_manage_mkdir(inst->data_dir, 0700);
    postmulti_manage_mkdir(tmpdir, 0700);
    postmulti_manage_copy(main_proto, tmp_main);

    /* Shared parameters: the primary's explicit value, or the default. */
    defaults = postmulti_manage_settings_in(tmp_main,
					    postmulti_conf->shared_defaults);
    if (defaults->argc > 0)
	postmulti_manage_postconf(tmpdir, "-#", defaults);
    argv_free(defaults);
    setting = concatenate("queue_directory = ", inst->queue_dir, (char *) 0);
    argv_add(settings, setting, ARGV_END);
    myfree(setting);
    setting = concatenate("data_directory = ", inst->data_dir, (char *) 0);
    argv_add(settings, setting, ARGV_END);
    myfree(setting);
    argv_add(settings, "authorized_submit_users =",
	     "master_service_disable = inet", ARGV_END);
    for (n = 0; n < postmulti_conf->shared_settings->argc; n++)
	argv_add(settings, postmulti_conf->shared_settings->argv[n], ARGV_END);
    postmulti_manage_postconf(tmpdir, "-e", settings);
    argv_free(settings);

    /* master.cf last: once it is in place, the instance is complete. */
    postmulti_manage_copy(master_proto, tmp_master);
    if (rename(tmp_main, main_cf) < 0)
	msg_fatal("rename %s to %s: %m", tmp_main, main_cf);
    if (rename(tmp_master, master_cf) < 0)
	msg_fatal("rename %s to %s: %m", tmp_master, master_cf);
    (void) rmdir(tmpdir);

    myfree(main_proto);
    myfree(master_proto);
    myfree(tmpdir);
    myfree(tmp_main);
    myfree(tmp_master);
    myfree(main_cf);
    myfree(master_cf);
}

static POSTMULTI_INSTANCE *postmulti_manage_adding;	/* being built */

/* postmulti_manage_new - the instance that create or import adds */
static POSTMULTI_INSTANCE *postmulti_manage_new(POSTMULTI_LIST *list,
				             int edit_cmd, char **args,
				          const POSTMULTI_SELECTION *where,
				        const POSTMULTI_ASSIGNMENT *assign,
				                        int *changed)
{
    POSTMULTI_INSTANCE *inst;
    VSTRING *why;
    const char *err;
    const char *owner;
    char   *name;
    char   *value;
    char  **target;

    if ((err = postmulti_instance_name_error(assign->name)) != NULL
	|| (err = postmulti_instance_group_error(assign->group)) != NULL)
	msg_fatal("%s", err);
    /* Reachable from here, so that a fatal error is not a "leak". */
    postmulti_manage_adding = inst = postmulti_instance_create(NULL);
    why = vstring_alloc(100);
    for (; *args != NULL; args++) {
	if (!postmulti_instance_setting(*args, edit_cmd, &name, &value, why))
	    msg_fatal("%s", vstring_str(why));
	target = strcmp(name, "config_directory") == 0 ? &inst->config_dir :
	    strcmp(name, "queue_directory") == 0 ? &inst->queue_dir :
	    &inst->data_dir;
	myfree(*target);
	*target = value;
	myfree(name);
    }
    if (inst->config_dir == NULL
	&& (inst->config_dir = postmulti_instance_private_path(
	   "config_directory", postmulti_conf->config_dir, assign->name,
							    why)) == NULL)
	msg_fatal("%s", vstring_str(why));
    if ((owner = postmulti_list_owner(list, inst->config_dir)) != NULL)
	msg_fatal("new config_directory=%s is already in use by instance %s=%s",
		  inst->config_dir, owner, inst->config_dir);
    if (edit_cmd == POSTMULTI_EDIT_IMPORT) {
	if (!postmulti_manage_exists(inst->config_dir, MAIN_CONF_FILE))
	    msg_fatal("'%s' lacks a main.cf file", inst->config_dir);
	if (!postmulti_manage_exists(inst->config_dir, MASTER_CONF_FILE))
	    msg_fatal("'%s' lacks a master.cf file", inst->config_dir);
	postmulti_conf_load_instance(inst);
    } else {
	if (inst->queue_dir == NULL
	    && (inst->queue_dir = postmulti_instance_private_path(
		"queue_directory", postmulti_conf->queue_dir, assign->name,
								  why)) == NULL)
	    msg_fatal("%s", vstring_str(why));
	if (inst->data_dir == NULL
	    && (inst->data_dir = postmulti_instance_private_path(
		 "data_directory", postmulti_conf->data_dir, assign->name,
								 why)) == NULL)
	    msg_fatal("%s", vstring_str(why));
    }
    *changed = postmulti_instance_assign(list, inst, assign);
    postmulti_list_insert(list, inst, where);
    postmulti_manage_adding = NULL;
    vstring_free(why);
    return inst;
}

/* postmulti_manage_select - the one existing instance that -i names */
static POSTMULTI_INSTANCE *postmulti_manage_select(POSTMULTI_LIST *list,
				              const POSTMULTI_SELECTION *sel,
				                           bool unlink)
{
    POSTMULTI_INSTANCE *inst;
    size_t  index;

    if (sel->type != POSTMULTI_SELECT_NAME)
	msg_fatal("Select an instance via '-i name'");
    if ((inst = postmulti_list_find(list, sel, &index)) == NULL)
	msg_fatal("No instance named %s", excerpt(sel->name));
    if (unlink) {
	if (inst->primary)
	    msg_fatal("Cannot remove the primary instance");
	if (inst->enabled)
	    msg_fatal("Cannot remove enabled instances");
	postmulti_list_remove(list, index);
    }
    return inst;
}

/* postmulti_manage_rmdir - remove an empty directory, or warn */
static void postmulti_manage_rmdir(const char *dir)
{
    if (rmdir(dir) < 0 && errno != ENOENT)
	msg_warn("%s: please verify contents and remove by hand", dir);
}

/* postmulti_manage_destroy - delete what create made */
static void postmulti_manage_destroy(const POSTMULTI_INSTANCE *inst)
{
    char   *path;
    size_t  n;

    for (n = 0; n < ARRAY_LEN(postmulti_queue_subdirs); n++) {
	path = concatenate(inst->queue_dir, "/", postmulti_queue_subdirs[n],
			   (char *) 0);
	postmulti_manage_rmdir(path);
	myfree(path);
    }
    postmulti_manage_rmdir(inst->data_dir);
    postmulti_manage_rmdir(inst->queue_dir);
    path = concatenate(inst->config_dir, "/", MASTER_CONF_FILE, (char *) 0);
    (void) unlink(path);
    myfree(path);
    path = concatenate(inst->config_dir, "/", MAIN_CONF_FILE, (char *) 0);
    (void) unlink(path);
    myfree(path);
    postmulti_manage_rmdir(inst->config_dir);
}

/* postmulti_manage_init - make postmulti the postfix-wrapper(5) */
static NORETURN postmulti_manage_init(void)
{
    ARGV   *settings = argv_alloc(2);

    argv_add(settings,
	     "multi_instance_wrapper = ${command_directory}/postmulti -p --",
	     "multi_instance_enable = yes", ARGV_END);
    postmulti_manage_postconf(postmulti_conf->config_dir, "-e", settings);
    argv_free(settings);
    exit(0);
}

/* postmulti_manage - perform one life-cycle action */
NORETURN postmulti_manage(int edit_cmd, char **args, POSTMULTI_SELECTION *sel,
			          const POSTMULTI_ASSIGNMENT *assign)
{
    POSTMULTI_LIST *list;
    POSTMULTI_INSTANCE *inst;
    ARGV   *settings;
    const char *err;
    int     changed = 0;

    if (edit_cmd == POSTMULTI_EDIT_INIT) {
	list = postmulti_list_create();
	postmulti_conf_check_shared(list);
	postmulti_list_free(list);
	postmulti_manage_environment();
	postmulti_manage_init();
    }
    list = postmulti_conf_load_all();
    switch (edit_cmd) {
    case POSTMULTI_EDIT_CREATE:
    case POSTMULTI_EDIT_IMPORT:
	inst = postmulti_manage_new(list, edit_cmd, args, sel, assign, &changed);
	break;
    case POSTMULTI_EDIT_ASSIGN:
	inst = postmulti_manage_select(list, sel, false);
	if ((err = postmulti_instance_name_error(assign->name)) != NULL
	    || (err = postmulti_instance_group_error(assign->group)) != NULL)
	    msg_fatal("%s", err);
	if ((changed = postmulti_instance_assign(list, inst, assign)) == 0)
	    exit(0);
	break;
    case POSTMULTI_EDIT_DESTROY:
    case POSTMULTI_EDIT_DEPORT:
	inst = postmulti_manage_select(list, sel, true);
	break;
    default:
	inst = postmulti_manage_select(list, sel, false);
	break;
    }
    postmulti_manage_require_init();
    postmulti_manage_environment();

    switch (edit_cmd) {
    case POSTMULTI_EDIT_CREATE:
    case POSTMULTI_EDIT_IMPORT:
	if (!postmulti_manage_exists(inst->config_dir, MAIN_CONF_FILE)
	    || !postmulti_manage_exists(inst->config_dir, MASTER_CONF_FILE))
	    postmulti_manage_install(inst);
	postmulti_manage_names(inst, changed);
	postmulti_manage_update_dirs(list, inst->config_dir, false);
	settings = argv_alloc(2);
	argv_add(settings, "-c", inst->config_dir, "set-permissions", ARGV_END);
	postmulti_manage_command("postfix", settings);
	argv_free(settings);
	break;
    case POSTMULTI_EDIT_DEPORT:
	if (postmulti_manage_exists(inst->config_dir, MAIN_CONF_FILE)) {
	    if (postmulti_manage_running(inst->config_dir))
		msg_fatal("Instance '%s' is not stopped", inst->config_dir);
	    postmulti_manage_update_dirs(list, inst->config_dir, true);
	} else {
	    /* Deporting an instance whose files are already gone. */
	    postmulti_manage_update_dirs(list, inst->config_dir, false);
	}
	postmulti_instance_free(inst);
	break;
    case POSTMULTI_EDIT_DESTROY:
	if (!postmulti_manage_exists(inst->config_dir, MAIN_CONF_FILE))
	    msg_fatal("%s/main.cf file not found", inst->config_dir);
	if (postmulti_manage_running(inst->config_dir))
	    msg_fatal("Instance '%s' is not stopped", inst->config_dir);
	postmulti_manage_update_dirs(list, inst->config_dir, false);
	postmulti_manage_destroy(inst);
	postmulti_instance_free(inst);
	break;
    case POSTMULTI_EDIT_ENABLE:
    case POSTMULTI_EDIT_DISABLE:
	settings = argv_alloc(1);
	argv_add(settings, edit_cmd == POSTMULTI_EDIT_ENABLE ?
		 "multi_instance_enable = yes" : "multi_instance_enable = no",
		 ARGV_END);
	postmulti_manage_postconf(inst->config_dir, "-e", settings);
	argv_free(settings);
	break;
    case POSTMULTI_EDIT_ASSIGN:
	postmulti_manage_names(inst, changed);
	break;
    default:
	msg_panic("postmulti_manage: unexpected action %d", edit_cmd);
    }
    postmulti_list_free(list);
    exit(0);
}
