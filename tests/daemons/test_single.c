/*
 * test_single - single_server(3) example daemon, for the system tests
 *
 * SYNOPSIS
 *	test_single [generic daemon options] [crash | crash-while path]
 *
 * DESCRIPTION
 *	A line-oriented echo service. For each line that a client sends,
 *	it answers one line:
 *
 *	echo <text>	"<text>"
 *	pid		this process's pid
 *	param <name>	the value of a main.cf parameter, as this process
 *			sees it (-o overrides included)
 *	log <text>	logs <text> (info) and answers "ok"
 *	whoami		"uid=<n> gid=<n> cwd=<dir>"
 *	sleep <n>	sleeps n seconds (at most 60), then "ok"
 *	table <path>	opens "watched:<path>" with dict_shared_open(); a
 *			"watched" table only watches its file for changes
 *	lookup <type:name> <key>
 *			looks key up in the table (dict_shared_open(),
 *			read-only, keys folded to lower case): "value
 *			<value>", "not found" or "error"
 *	crash		aborts the process (no answer)
 *	quit		ends the session ("bye")
 *
 *	Anything else gets "error". With the argument "crash" the
 *	process exits with status 1 before serving anyone (a broken
 *	service, for the throttling test); with "crash-while path" it does
 *	so while the file path exists (a service that gets repaired). Not
 *	installed.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "dict.h"
#include "single_server.h"

/* test_single_watched_open - a table that only watches its file */
static DICT *test_single_watched_open(const char *name, int open_flags,
				              int dict_flags)
{
    DICT   *dict;
    int     fd;

    (void) dict_flags;
    if ((fd = open(name, O_RDONLY)) < 0)
	return dict_surrogate("watched", name, open_flags, dict_flags,
			      "open %s: %m", name);
    dict = dict_alloc("watched", name, sizeof(*dict));
    dict_watch_file(dict, name, fd);
    (void) close(fd);
    return dict;
}

/* test_single_lookup - "lookup <type:name> <key>" */
static void test_single_lookup(VSTREAM *client, char *arg)
{
    char   *key = strchr(arg, ' ');
    DICT   *dict;
    const char *value;

    *key++ = 0;
    dict = dict_shared_open(arg, O_RDONLY, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    if ((value = dict_get(dict, key)) != NULL)
	vstream_fprintf(client, "value %s\n", value);
    else
	vstream_fprintf(client, "%s\n", dict->error ? "error" : "not found");
}

/* test_single_service - one client session */
static void test_single_service(VSTREAM *client, const char *service,
				        char **argv)
{
    VSTRING *line = vstring_alloc(100);
    char    cwd[4096];
    char   *arg;
    const char *value;

    (void) service;
    (void) argv;
    while (vstring_get_nonl_bound(line, client, 1000) != VSTREAM_EOF) {
	arg = strchr(vstring_str(line), ' ');
	if (arg)
	    *arg++ = 0;
	if (strcmp(vstring_str(line), "echo") == 0) {
	    vstream_fprintf(client, "%s\n", arg ? arg : "");
	} else if (strcmp(vstring_str(line), "pid") == 0) {
	    vstream_fprintf(client, "%ld\n", (long) getpid());
	} else if (strcmp(vstring_str(line), "param") == 0 && arg) {
	    value = mail_conf_lookup_raw(arg);
	    vstream_fprintf(client, "%s\n", value ? mail_conf_eval(value) : "");
	} else if (strcmp(vstring_str(line), "log") == 0 && arg) {
	    msg_info("%s", arg);
	    vstream_fprintf(client, "ok\n");
	} else if (strcmp(vstring_str(line), "whoami") == 0) {
	    if (getcwd(cwd, sizeof(cwd)) == NULL)
		strcpy(cwd, "?");
	    vstream_fprintf(client, "uid=%ld gid=%ld cwd=%s\n", (long) getuid(),
			    (long) getgid(), cwd);
	} else if (strcmp(vstring_str(line), "sleep") == 0 && arg) {
	    (void) vstream_fflush(client);
	    sleep((unsigned) (atoi(arg) > 60 ? 60 : atoi(arg)));
	    vstream_fprintf(client, "ok\n");
	} else if (strcmp(vstring_str(line), "table") == 0 && arg) {
	    char   *name = concatenate("watched:", arg, (char *) 0);

	    (void) dict_shared_open(name, O_RDONLY, DICT_FLAG_NONE);
	    myfree(name);
	    vstream_fprintf(client, "ok\n");
	} else if (strcmp(vstring_str(line), "lookup") == 0 && arg
		   && strchr(arg, ' ') != NULL) {
	    test_single_lookup(client, arg);
	} else if (strcmp(vstring_str(line), "crash") == 0) {
	    abort();
	} else if (strcmp(vstring_str(line), "quit") == 0) {
	    vstream_fprintf(client, "bye\n");
	    break;
	} else {
	    vstream_fprintf(client, "error\n");
	}
	if (vstream_fflush(client) != 0)
	    break;
    }
    (void) vstream_fflush(client);
    vstring_free(line);
}

/* test_single_post_init - the "crash" and "crash-while" arguments */
static void test_single_post_init(const char *service, char **argv)
{
    if (argv[0] != NULL && strcmp(argv[0], "crash") == 0)
	msg_fatal("%s: crashing on purpose", service);
    if (argv[0] != NULL && strcmp(argv[0], "crash-while") == 0
	&& argv[1] != NULL && access(argv[1], F_OK) == 0)
	msg_fatal("%s: crashing while %s exists", service, argv[1]);
    dict_open_register("watched", test_single_watched_open,
		       DICT_TYPE_FLAG_READONLY);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.post_init = test_single_post_init,
    };

    single_server_main(argc, argv, test_single_service, &opts);
}
