/*
 * mail_conf_setgid - read main.cf in a set-gid command
 *
 * DESCRIPTION
 *	See mail_conf_setgid.h.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "msg.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "maillog_client.h"
#include "postel_config.h"
#include "mail_conf_setgid.h"

/* mail_conf_setgid_read - checked config directory, main.cf, environment */
void    mail_conf_setgid_read(const char *program, const char *config_dir,
			              bool privileged, uid_t uid, int fail_status)
{
    ARGV   *import_env;

    if (config_dir) {
	if (privileged && uid != 0 && geteuid() != 0
	    && strcmp(config_dir, DEF_CONFIG_DIRECTORY) != 0)
	    mail_conf_checkdir(DEF_CONFIG_DIRECTORY, config_dir);
	mail_conf_set_dir(config_dir);
	if (setenv("MAIL_CONFIG", config_dir, 1) < 0)
	    msg_fatal_status(fail_status, "setenv: %m");
    }
    mail_conf_read();
    maillog_client_init(program, MAILLOG_CLIENT_FLAG_NONE);
    if (privileged) {
	import_env = mail_parm_split("import_environment",
				     VAR_STR(import_environment));
	clean_env((const char *const *) import_env->argv);
	argv_free(import_env);
    }
}
