/*
 * postmulti_conf - read the main.cf files of the managed instances
 *
 * SYNOPSIS
 *	#include "postmulti.h"
 *
 *	POSTMULTI_CONF *postmulti_conf;
 *
 *	void	postmulti_conf_read(const char *config_dir);
 *	void	postmulti_conf_check_shared(POSTMULTI_LIST *list);
 *	POSTMULTI_INSTANCE *postmulti_conf_primary(void);
 *	void	postmulti_conf_load_instance(POSTMULTI_INSTANCE *inst);
 *	POSTMULTI_LIST *postmulti_conf_load_all(void);
 *
 * DESCRIPTION
 *	postmulti_conf_read() reads the primary instance's main.cf (from
 *	config_dir, or when that is NULL from MAIL_CONFIG or the compiled-in
 *	default) and keeps the values that the manager needs in
 *	postmulti_conf, so that reading other instances' files later
 *	cannot change them. It also records which shared installation
 *	parameters main.cf sets explicitly: a new instance inherits those
 *	settings, and leaves the others at their defaults.
 *
 *	postmulti_conf_check_shared() checks that the shared directories
 *	(command_directory, daemon_directory, meta_directory,
 *	shlib_directory; values that do not start with '/' are skipped)
 *	exist, and claims all but meta_directory in list, so that no
 *	instance can use them as a private directory.
 *
 *	postmulti_conf_primary() returns a new instance object for the
 *	primary instance. postmulti_conf_load_instance() fills in
 *	queue_directory, data_directory, multi_instance_name,
 *	multi_instance_group and multi_instance_enable from the main.cf
 *	in inst->config_dir, with Postfix's $name expansion and defaults.
 *	postmulti_conf_load_all() returns the list of all managed
 *	instances: the shared directory claims, the primary instance
 *	(always enabled when there are no secondary instances), then each
 *	directory of multi_instance_directories in order.
 *
 *	Secondary files are read with mail_conf(3), which holds one
 *	configuration at a time; the primary's configuration is read
 *	again afterwards, so that VAR_STR() and friends keep describing
 *	the primary instance.
 *
 * DIAGNOSTICS
 *	Fatal: the main.cf errors of mail_conf(3) (for example "open
 *	<dir>/main.cf: No such file or directory"), "<param> = '<dir>':
 *	directory not found: <error>", "<param> = '<dir>' is not a
 *	directory", and claim conflicts (see postmulti_instance.c).
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postmulti.h"

POSTMULTI_CONF *postmulti_conf;

 /*
  * Installation parameters that all instances share. A new instance
  * copies the primary's explicit settings of these.
  */
static const char *const postmulti_shared_params[] = {
    "command_directory", "daemon_directory", "meta_directory",
    "mail_owner", "setgid_group", "sendmail_path", "mailq_path",
    "newaliases_path", "html_directory", "manpage_directory",
    "sample_directory", "readme_directory", "shlib_directory",
};

/* postmulti_conf_reread - make mail_conf(3) describe config_dir */
static void postmulti_conf_reread(const char *config_dir)
{
    mail_conf_clear();
    mail_conf_set_dir(config_dir);
    mail_conf_read();
}

/* postmulti_conf_read - read and keep the primary instance's settings */
void    postmulti_conf_read(const char *config_dir)
{
    POSTMULTI_CONF *conf = mymalloc(sizeof(*conf));
    const char *raw;
    size_t  n;

    if (config_dir != NULL)
	mail_conf_set_dir(config_dir);
    mail_conf_read();

    conf->config_dir = mystrdup(VAR_STR(config_directory));
    conf->queue_dir = mystrdup(VAR_STR(queue_directory));
    conf->data_dir = mystrdup(VAR_STR(data_directory));
    conf->command_dir = mystrdup(VAR_STR(command_directory));
    conf->daemon_dir = mystrdup(VAR_STR(daemon_directory));
    conf->meta_dir = mystrdup(VAR_STR(meta_directory));
    conf->shlib_dir = mystrdup(VAR_STR(shlib_directory));
    conf->multi_dirs = mystrdup(VAR_STR(multi_instance_directories));
    conf->multi_name = mystrdup(VAR_STR(multi_instance_name));
    conf->multi_group = mystrdup(VAR_STR(multi_instance_group));
    conf->multi_enable = VAR_BOOL(multi_instance_enable);
    conf->multi_wrapper = mystrdup(VAR_STR(multi_instance_wrapper));
    conf->alternate_dirs = mystrdup(VAR_STR(alternate_config_directories));
    conf->start_cmds = mystrdup(VAR_STR(postmulti_start_commands));
    conf->stop_cmds = mystrdup(VAR_STR(postmulti_stop_commands));
    conf->control_cmds = mystrdup(VAR_STR(postmulti_control_commands));
    conf->import_environment = mystrdup(VAR_STR(import_environment));

    conf->shared_settings = argv_alloc(ARRAY_LEN(postmulti_shared_params));
    conf->shared_defaults = argv_alloc(ARRAY_LEN(postmulti_shared_params));
    for (n = 0; n < ARRAY_LEN(postmulti_shared_params); n++) {
	const char *name = postmulti_shared_params[n];
	char   *setting;

	if ((raw = mail_conf_lookup(name)) != NULL && *raw != 0) {
	    setting = concatenate(name, " = ", raw, (char *) 0);
	    argv_add(conf->shared_settings, setting, ARGV_END);
	    myfree(setting);
	} else {
	    argv_add(conf->shared_defaults, name, ARGV_END);
	}
    }
    postmulti_conf = conf;
}

/* postmulti_conf_check_shared - shared directories exist; claim them */
void    postmulti_conf_check_shared(POSTMULTI_LIST *list)
{
    const struct {
	const char *name;
	const char *value;
	bool    claim;
    } shared[] = {
	{"command_directory", postmulti_conf->command_dir, true},
	{"daemon_directory", postmulti_conf->daemon_dir, true},
	/* Often the same as another directory; not claimed. */
	{"meta_directory", postmulti_conf->meta_dir, false},
	{"shlib_directory", postmulti_conf->shlib_dir, true},
    };
    struct stat st;
    size_t  n;

    for (n = 0; n < ARRAY_LEN(shared); n++) {
	if (shared[n].value[0] != '/')		/* "no" and the like */
	    continue;
	if (stat(shared[n].value, &st) < 0)
	    msg_fatal("%s = '%s': directory not found: %m",
		      shared[n].name, shared[n].value);
	if (!S_ISDIR(st.st_mode))
	    msg_fatal("%s = '%s' is not a directory",
		      shared[n].name, shared[n].value);
	if (shared[n].claim)
	    postmulti_list_claim(list, postmulti_conf->config_dir,
				 shared[n].name, shared[n].value);
    }
}

/* postmulti_conf_primary - instance object for the primary instance */
POSTMULTI_INSTANCE *postmulti_conf_primary(void)
{
    POSTMULTI_INSTANCE *inst = postmulti_instance_create(postmulti_conf->config_dir);

    inst->queue_dir = mystrdup(postmulti_conf->queue_dir);
    inst->data_dir = mystrdup(postmulti_conf->data_dir);
    if (*postmulti_conf->multi_name)
	inst->name = mystrdup(postmulti_conf->multi_name);
    if (*postmulti_conf->multi_group)
	inst->group = mystrdup(postmulti_conf->multi_group);
    inst->enabled = postmulti_conf->multi_enable;
    inst->primary = true;
    return inst;
}

/* postmulti_conf_load_instance - private settings of a secondary instance */
void    postmulti_conf_load_instance(POSTMULTI_INSTANCE *inst)
{
    postmulti_conf_reread(inst->config_dir);
    myfree(inst->queue_dir);
    myfree(inst->data_dir);
    myfree(inst->name);
    myfree(inst->group);
    inst->queue_dir = mystrdup(VAR_STR(queue_directory));
    inst->data_dir = mystrdup(VAR_STR(data_directory));
    inst->name = *VAR_STR(multi_instance_name) ?
	mystrdup(VAR_STR(multi_instance_name)) : NULL;
    inst->group = *VAR_STR(multi_instance_group) ?
	mystrdup(VAR_STR(multi_instance_group)) : NULL;
    inst->enabled = VAR_BOOL(multi_instance_enable);
    postmulti_conf_reread(postmulti_conf->config_dir);
}

/* postmulti_conf_load_all - primary plus multi_instance_directories */
POSTMULTI_LIST *postmulti_conf_load_all(void)
{
    POSTMULTI_LIST *list = postmulti_list_create();
    POSTMULTI_INSTANCE *primary;
    POSTMULTI_INSTANCE *inst;
    ARGV   *dirs = argv_split(postmulti_conf->multi_dirs, CHARS_COMMA_SP);
    size_t  n;

    postmulti_conf_check_shared(list);
    primary = postmulti_conf_primary();
    if (dirs->argc == 0)
	primary->enabled = true;		/* single-instance mode */
    postmulti_list_insert(list, primary, NULL);
    for (n = 0; n < dirs->argc; n++) {
	inst = postmulti_instance_create(dirs->argv[n]);
	postmulti_conf_load_instance(inst);
	postmulti_list_insert(list, inst, NULL);
    }
    argv_free(dirs);
    return list;
}
