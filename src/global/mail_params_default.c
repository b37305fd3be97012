/*
 * mail_params_default - host- and build-dependent parameter defaults
 *
 * DESCRIPTION
 *	See mail_params_default.h.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "get_hostname.h"
#include "mail_conf.h"
#include "mail_version.h"
#include "mynetworks.h"
#include "mail_params_default.h"

#define DEF_MYDOMAIN	"localdomain"

static char *mail_params_process_name;

/* mail_params_default_myhostname - FQDN of this host */
const char *mail_params_default_myhostname(void)
{
    static char *result;
    const char *host;
    const char *domain;

    if (result == NULL) {
	host = get_hostname();
	if (strchr(host, '.') != NULL) {
	    result = mystrdup(host);
	} else {
	    if ((domain = mail_conf_lookup("mydomain")) == NULL || *domain == 0
		|| strchr(domain, '$') != NULL)
		domain = DEF_MYDOMAIN;
	    result = concatenate(host, ".", domain, (char *) 0);
	}
    }
    return result;
}

/* mail_params_default_mydomain - $myhostname minus its first label */
const char *mail_params_default_mydomain(void)
{
    static char *result;
    char   *host;
    const char *dot;

    myfree(result);
    host = mail_conf_expand(mail_conf_lookup_raw("myhostname"));
    dot = strchr(host, '.');
    result = mystrdup(dot && dot[1] ? dot + 1 : DEF_MYDOMAIN);
    myfree(host);
    return result;
}

/* mail_params_default_mynetworks - networks from mynetworks_style */
const char *mail_params_default_mynetworks(void)
{
    return mynetworks();
}

/* mail_params_default_process_id - this process's PID */
const char *mail_params_default_process_id(void)
{
    static char buf[32];

    snprintf(buf, sizeof(buf), "%ld", (long) getpid());
    return buf;
}

/* mail_params_set_process_name - remember the program name */
void    mail_params_set_process_name(const char *name)
{
    myfree(mail_params_process_name);
    mail_params_process_name = mystrdup(base_name(name));
}

/* mail_params_default_process_name - the program name */
const char *mail_params_default_process_name(void)
{
    return mail_params_process_name ? mail_params_process_name : "postfix";
}

/* mail_params_default_mail_version - the feature level we implement */
const char *mail_params_default_mail_version(void)
{
    return MAIL_VERSION_NUMBER;
}

/* mail_params_default_mail_release_date - release date of this build */
const char *mail_params_default_mail_release_date(void)
{
    return MAIL_RELEASE_DATE;
}

#define DIRECTORY_DEFAULT(name, value) \
    const char *mail_params_default_##name(void) { return (value); }

DIRECTORY_DEFAULT(config_directory, DEF_CONFIG_DIRECTORY)
DIRECTORY_DEFAULT(queue_directory, DEF_QUEUE_DIRECTORY)
DIRECTORY_DEFAULT(daemon_directory, DEF_DAEMON_DIRECTORY)
DIRECTORY_DEFAULT(command_directory, DEF_COMMAND_DIRECTORY)
DIRECTORY_DEFAULT(data_directory, DEF_DATA_DIRECTORY)
DIRECTORY_DEFAULT(meta_directory, DEF_META_DIRECTORY)
DIRECTORY_DEFAULT(shlib_directory, DEF_SHLIB_DIRECTORY)
DIRECTORY_DEFAULT(manpage_directory, DEF_MANPAGE_DIRECTORY)
DIRECTORY_DEFAULT(sendmail_path, DEF_SENDMAIL_PATH)
DIRECTORY_DEFAULT(mailq_path, DEF_MAILQ_PATH)
DIRECTORY_DEFAULT(newaliases_path, DEF_NEWALIASES_PATH)
DIRECTORY_DEFAULT(html_directory, DEF_HTML_DIRECTORY)
DIRECTORY_DEFAULT(readme_directory, DEF_README_DIRECTORY)
