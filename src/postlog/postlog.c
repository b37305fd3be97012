/*
 * postlog - log text the way Postfix programs do
 *
 * SYNOPSIS
 *	postlog [-iv] [-c config_dir] [-p priority] [-t tag] [text...]
 *
 * DESCRIPTION
 *	postlog logs its text arguments, joined with single spaces, as one
 *	record; without text it logs each line of standard input as one
 *	record. Logging goes where every Postfix program's logging goes
 *	(see maillog_client(3)): syslog, or postlogd(8) when maillog_file
 *	is set, with a direct write to $maillog_file when postlogd is not
 *	running. When standard error is a terminal, the records are
 *	shown there as well.
 *
 *	Options: -c config_dir (read main.cf there), -i (ignored: the
 *	process id is always logged), -p priority (info, warn, error,
 *	fatal or panic; also warning, err and crit; any case), -t tag
 *	(the whole ident of each record, instead of
 *	"$syslog_name/postlog"), -v (more verbose). A fatal or panic
 *	record is followed by a one-second pause, as with other Postfix
 *	programs, but postlog still exits with status 0.
 *
 *	postlog may be installed set-gid (setgid_group) so that it can
 *	reach postlogd's socket. When it runs with privileges that its
 *	invoker does not have, and not as root, a configuration directory
 *	from -c or MAIL_CONFIG other than the default one must be listed
 *	in the default main.cf (see mail_conf_checkdir(3)), and the
 *	invoker's POSTLOG_SERVICE and POSTLOG_HOSTNAME are ignored. The
 *	environment is always reduced to import_environment. The tag and
 *	text are the invoker's; unprintable bytes are logged as '?'.
 *
 * DIAGNOSTICS
 *	Problems go to standard error (and to the log). Fatal, exit
 *	status 1: usage, "bad severity: \"<priority>\"", configuration
 *	errors and an untrusted configuration directory.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "argv.h"
#include "clean_env.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "mail_parm_split.h"
#include "maillog_client.h"

#define POSTLOG_NAME	"postlog"

/* postlog_level - priority name to msg(3) level */
static int postlog_level(const char *name)
{
    static const struct {
	const char *name;
	int     level;
    } levels[] = {
	{"info", MSG_INFO},
	{"warn", MSG_WARN}, {"warning", MSG_WARN},
	{"error", MSG_ERROR}, {"err", MSG_ERROR},
	{"fatal", MSG_FATAL}, {"crit", MSG_FATAL},
	{"panic", MSG_PANIC},
    };
    size_t  n;

    for (n = 0; n < ARRAY_LEN(levels); n++)
	if (strcasecmp(levels[n].name, name) == 0)
	    return levels[n].level;
    msg_fatal("bad severity: \"%s\"", excerpt(name));
}

/* postlog_record - log one record at the given level, without exiting */
static void postlog_record(int level, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(level, fmt, ap);
    va_end(ap);
}

/* postlog_args - log the command-line text as one record */
static void postlog_args(int level, char **args)
{
    ARGV   *words = argv_alloc(4);
    char   *text;

    for (; *args != NULL; args++)
	argv_add(words, *args, ARGV_END);
    text = argv_join(words, " ");
    postlog_record(level, "%s", text);
    myfree(text);
    argv_free(words);
}

/* postlog_stream - log each input line as one record */
static void postlog_stream(int level, VSTREAM *fp)
{
    VSTRING *line = vstring_alloc(100);
    int     last;

    /*
     * A longer line is logged truncated; the rest of it is skipped, so
     * that it does not turn into records of its own.
     */
    while ((last = vstring_get_nonl_bound(line, fp, MAILLOG_RECORD_LIMIT))
	   != VSTREAM_EOF) {
	postlog_record(level, "%s", vstring_str(line));
	if (last != '\n' && VSTRING_LEN(line) >= MAILLOG_RECORD_LIMIT)
	    while ((last = VSTREAM_GETC(fp)) != VSTREAM_EOF && last != '\n')
		 /* void */ ;
    }
    vstring_free(line);
}

/* postlog_config_dir - choose main.cf, distrusting a privileged invoker */
static void postlog_config_dir(const char *option_dir)
{
    const char *dir = option_dir ? option_dir : getenv("MAIL_CONFIG");
    const char *default_dir = mail_params_default_config_directory();

    if (dir == NULL || *dir == 0)
	return;
    if (strcmp(dir, default_dir) != 0 && clean_env_unsafe() && geteuid() != 0)
	mail_conf_checkdir(default_dir, dir);
    mail_conf_set_dir(dir);
}

/* main - parse, configure, log */
int     main(int argc, char **argv)
{
    const char *config_dir = NULL;
    char   *tag = NULL;
    char   *default_tag;
    ARGV   *import_env;
    int     level = MSG_INFO;
    int     ch;

    umask(022);
    open_std_fds();
    msg_stderr_init(POSTLOG_NAME);
    argv[0] = (char *) POSTLOG_NAME;		/* also for getopt() messages */

    while ((ch = getopt(argc, argv, "+c:ip:t:v")) != -1) {
	switch (ch) {
	case 'c':
	    config_dir = optarg;
	    break;
	case 'i':
	    break;
	case 'p':
	    level = postlog_level(optarg);
	    break;
	case 't':
	    tag = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    msg_fatal("usage: %s [-c config_dir] [-i] [-p priority] [-t tag] [-v] [text]",
		      POSTLOG_NAME);
	}
    }

    postlog_config_dir(config_dir);
    mail_conf_read();

    /*
     * Nothing from a privileged invoker's environment steers where the
     * records go.
     */
    import_env = mail_parm_split("import_environment",
				 VAR_STR(import_environment));
    clean_env((const char *const *) import_env->argv);
    argv_free(import_env);
    if (clean_env_unsafe()) {
	unsetenv("POSTLOG_SERVICE");
	unsetenv("POSTLOG_HOSTNAME");
    }

    if (tag != NULL) {
	printable(tag, '?');
	maillog_client_init(tag, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK
			    | MAILLOG_CLIENT_FLAG_IDENT_AS_IS);
	msg_stderr_init(tag);
    } else {
	maillog_client_init(POSTLOG_NAME, MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
	default_tag = concatenate(VAR_STR(syslog_name), "/", POSTLOG_NAME,
				  (char *) 0);
	msg_stderr_init(default_tag);
	myfree(default_tag);
    }
    if (!isatty(STDERR_FILENO))
	msg_stderr_enable(false);

    if (optind < argc)
	postlog_args(level, argv + optind);
    else
	postlog_stream(level, vstream_std(STDIN_FILENO));

    if (level >= MSG_FATAL)
	sleep(1);
    exit(0);
}
