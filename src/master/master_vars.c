/*
 * master_vars - the main.cf parameters that master(8) uses
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	void	master_vars_init(void);
 *
 * DESCRIPTION
 *	master_vars_init() (re)reads main.cf, (re)initializes logging as
 *	"$syslog_name/master" (to syslog, or to postlogd with the
 *	direct-to-file fallback), and copies the parameters that master(8)
 *	needs into the var_master_* globals. It runs at start-up and again
 *	for each "postfix reload".
 *
 *	mail_owner must name an existing account whose user and group ids
 *	are not 0. As root (master_privileged) that account owns the
 *	service sockets and the data-directory lock file, and the daemons
 *	switch to it. Without root privileges (unprivileged mode, DESIGN.md
 *	section 5) mail_owner must be the invoking user.
 *
 *	A few parameters cannot change while master(8) runs (the listening
 *	sockets and the working directory depend on them):
 *	queue_directory, inet_interfaces and inet_protocols. A reload that
 *	changes one of them keeps the old value, with warnings.
 *
 * DIAGNOSTICS
 *	Fatal (Postfix's words): "file <dir>/main.cf: parameter
 *	mail_owner: unknown user name value: <name>", "... user <name> has
 *	privileged user ID", "... has privileged group ID"; in
 *	unprivileged mode "the master command is reserved for the
 *	superuser, or for the mail_owner (<name>)". Warnings: "ignoring
 *	<name> parameter value change", "old value: ..., new value: ...",
 *	"to change <name>, stop and start Postfix".
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "inet_proto.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "master.h"

char   *var_master_config_dir;
char   *var_master_daemon_dir;
char   *var_master_queue_dir;
char   *var_master_data_dir;
char   *var_master_owner;
char   *var_master_disable;
char   *var_master_inet_interfaces;
char   *var_master_inet_protocols;
char   *var_master_known_ports;
uid_t   var_master_owner_uid;
gid_t   var_master_owner_gid;
int     var_master_proc_limit;
int     var_master_throttle_time;
bool    master_privileged;
bool    master_detach = true;
bool    master_init_mode;

/* master_vars_copy - replace a saved string value */
static void master_vars_copy(char **target, const char *value)
{
    myfree(*target);
    *target = mystrdup(value);
}

/* master_vars_frozen - keep a start-up value, warn when it changed */
static void master_vars_frozen(char **saved, const char *name,
			               const char *value)
{
    if (*saved == NULL) {
	*saved = mystrdup(value);
    } else if (strcmp(*saved, value) != 0) {
	msg_warn("ignoring %s parameter value change", name);
	msg_warn("old value: \"%s\", new value: \"%s\"", excerpt(*saved),
		 excerpt(value));
	msg_warn("to change %s, stop and start Postfix", name);
    }
}

/* master_vars_owner - look up and check mail_owner */
static void master_vars_owner(void)
{
    MYPWD  *pwd;
    int     err;

    if ((err = mypwnam_err(var_master_owner, &pwd)) != 0)
	msg_fatal("file %s/%s: parameter %s: lookup user %s: %s",
		  var_master_config_dir, MAIN_CONF_FILE, PARAM_NAME(mail_owner),
		  excerpt(var_master_owner), strerror(err));
    if (pwd == NULL)
	msg_fatal("file %s/%s: parameter %s: unknown user name value: %s",
		  var_master_config_dir, MAIN_CONF_FILE, PARAM_NAME(mail_owner),
		  excerpt(var_master_owner));
    if (pwd->pw_uid == 0)
	msg_fatal("file %s/%s: parameter %s: user %s has privileged user ID",
		  var_master_config_dir, MAIN_CONF_FILE, PARAM_NAME(mail_owner),
		  excerpt(var_master_owner));
    if (pwd->pw_gid == 0)
	msg_fatal("file %s/%s: parameter %s: user %s has privileged group ID",
		  var_master_config_dir, MAIN_CONF_FILE, PARAM_NAME(mail_owner),
		  excerpt(var_master_owner));
    if (!master_privileged && pwd->pw_uid != getuid())
	msg_fatal("the master command is reserved for the superuser, "
		  "or for the mail_owner (%s)", excerpt(var_master_owner));
    var_master_owner_uid = pwd->pw_uid;
    var_master_owner_gid = pwd->pw_gid;
    mypwfree(pwd);
}

/* master_vars_init - read main.cf and pick up what we need */
void    master_vars_init(void)
{
    static bool initialized;

    if (initialized)
	mail_conf_clear();
    mail_conf_read();
    maillog_client_init("master", MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);

    master_vars_copy(&var_master_config_dir, VAR_STR(config_directory));
    master_vars_copy(&var_master_daemon_dir, VAR_STR(daemon_directory));
    master_vars_copy(&var_master_data_dir, VAR_STR(data_directory));
    master_vars_copy(&var_master_owner, VAR_STR(mail_owner));
    master_vars_copy(&var_master_disable, VAR_STR(master_service_disable));
    master_vars_copy(&var_master_known_ports, VAR_STR(known_tcp_ports));
    var_master_proc_limit = (int) VAR_INT(default_process_limit);
    var_master_throttle_time = VAR_TIME(service_throttle_time);
    master_vars_frozen(&var_master_queue_dir, PARAM_NAME(queue_directory),
		       VAR_STR(queue_directory));
    master_vars_frozen(&var_master_inet_interfaces, PARAM_NAME(inet_interfaces),
		       VAR_STR(inet_interfaces));
    master_vars_frozen(&var_master_inet_protocols, PARAM_NAME(inet_protocols),
		       VAR_STR(inet_protocols));
    if (!initialized)
	(void) inet_proto_init(PARAM_NAME(inet_protocols),
			       var_master_inet_protocols);
    master_vars_owner();
    initialized = true;
}
