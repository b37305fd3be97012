/*
 * mail_conf_checkdir - may a privileged command use this config directory?
 *
 * DESCRIPTION
 *	See mail_conf_checkdir.h. The default main.cf is parsed here with
 *	readlline(3) rather than through mail_conf(3), so that the caller's
 *	own configuration is not disturbed.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"

/* mail_conf_checkdir_listed - is dir an element of the list value? */
static bool mail_conf_checkdir_listed(char *value, const char *dir)
{
    char   *elem;

    while ((elem = mystrtok(&value, CHARS_COMMA_SP)) != NULL)
	if (strcmp(elem, dir) == 0)
	    return true;
    return false;
}

/* mail_conf_checkdir - return when config_dir is a blessed directory */
void    mail_conf_checkdir(const char *default_dir, const char *config_dir)
{
    char   *path;
    VSTREAM *fp;
    VSTRING *line;
    int     lineno = 0;
    int     first;
    int     status;
    char   *name;
    char   *value;
    bool    found = false;

    if (strcmp(config_dir, default_dir) == 0)
	return;
    path = concatenate(default_dir, "/", MAIN_CONF_FILE, (char *) 0);
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	msg_fatal("open file %s: %m", path);
    line = vstring_alloc(100);
    while (!found && (status = readlline(line, fp, &lineno, &first, NULL,
					 MAIL_CONF_LINE_LIMIT))
	   != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if (split_nameval(vstring_str(line), &name, &value) != NULL)
	    continue;
	if (strcmp(name, "alternate_config_directories") == 0
	    || strcmp(name, "multi_instance_directories") == 0)
	    found = mail_conf_checkdir_listed(value, config_dir);
    }
    if (vstream_ferror(fp))
	msg_fatal("read file %s: %m", path);
    (void) vstream_fclose(fp);
    vstring_free(line);
    if (!found) {
	msg_error("untrusted configuration directory name: %s", config_dir);
	msg_fatal("specify \"alternate_config_directories = %s\" in %s",
		  config_dir, path);
    }
    myfree(path);
}
