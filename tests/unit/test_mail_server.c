/*
 * test_mail_server - unit tests for mail_server(3) and the skeletons
 *
 * The command-line parser is tested directly (table-driven, with the
 * exact error texts). Start-up checks and stand-alone (-S) runs of each
 * skeleton happen in child processes, with a private main.cf.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "mail_server.h"
#include "single_server.h"
#include "multi_server.h"
#include "trigger_server.h"
#include "test_support.h"
#include "test_child.h"

#define MAX_ARGS	20

/* make_argv - a null-terminated copy of a list of strings */
static int make_argv(char **argv, const char *const *list)
{
    int     argc;

    for (argc = 0; list[argc] != NULL; argc++)
	argv[argc] = (char *) list[argc];
    argv[argc] = NULL;
    return argc;
}

/* test_args_good - what each option sets */
static void test_args_good(void **state)
{
    static const char *const full[] = {
	"/usr/libexec/postfix/smtpd", "-n", "submission", "-t", "inet", "-u",
	"-c", "-v", "-v", "-o", "smtpd_tls_security_level=encrypt", "-o",
	"a = b c", "-i", "30s", "-m", "5", "extra", "-v", NULL,
    };
    static const char *const cluster[] = {
	"qmgr", "-lzDdSV", "-ofoo=bar", "-s2", "-ttrigger", "--", "-o", NULL,
    };
    char   *argv[MAX_ARGS];
    MAIL_SERVER_ARGS args;
    VSTRING *why = vstring_alloc(100);
    char   *joined;

    (void) state;
    assert_true(mail_server_args_parse(&args, make_argv(argv, full), argv, why));
    assert_string_equal(args.service_name, "submission");
    assert_string_equal(args.transport, "inet");
    assert_true(args.unprivileged);
    assert_true(args.chroot);
    assert_int_equal(args.verbose, 2);
    assert_false(args.solitary || args.unlimited || args.stand_alone
		 || args.foreground || args.debug || args.log_stderr);
    assert_int_equal(args.socket_count, 1);
    joined = argv_join(args.settings, "|");
    assert_string_equal(joined, "smtpd_tls_security_level=encrypt|a=b c|"
			"max_idle=30s|max_use=5");
    myfree(joined);
    joined = argv_join(args.args, "|");
    assert_string_equal(joined, "extra|-v");
    myfree(joined);
    mail_server_args_free(&args);

    assert_true(mail_server_args_parse(&args, make_argv(argv, cluster), argv, why));
    assert_string_equal(args.service_name, "qmgr");
    assert_true(args.solitary && args.unlimited && args.debug && args.foreground
		&& args.stand_alone && args.log_stderr);
    assert_int_equal(args.socket_count, 2);
    assert_string_equal(args.transport, "trigger");
    joined = argv_join(args.settings, "|");
    assert_string_equal(joined, "foo=bar");
    myfree(joined);
    assert_int_equal(args.args->argc, 1);
    assert_string_equal(args.args->argv[0], "-o");
    mail_server_args_free(&args);
    vstring_free(why);
}

/* test_args_bad - rejected command lines and their messages */
static void test_args_bad(void **state)
{
    static const struct {
	const char *argv[6];
	const char *error;
    } cases[] = {
	{{"x", "-q", NULL}, "invalid option: q"},
	{{"x", "-vq", NULL}, "invalid option: q"},
	{{"x", "-o", NULL}, "option requires an argument -- o"},
	{{"x", "-t", NULL}, "option requires an argument -- t"},
	{{"x", "-o", "novalue", NULL},
	"invalid \"-o novalue\" option value: missing '=' after attribute name"},
	{{"x", "-o", " = x", NULL},
	"invalid \"-o  = x\" option value: missing attribute name"},
	{{"x", "-s", "0", NULL}, "invalid socket_count: 0"},
	{{"x", "-s", "2x", NULL}, "invalid socket_count: 2x"},
	{{"x", "-s", "123456", NULL}, "invalid socket_count: 123456"},
    };
    char   *argv[MAX_ARGS];
    MAIL_SERVER_ARGS args;
    VSTRING *why = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(why);
	assert_false(mail_server_args_parse(&args, make_argv(argv, cases[n].argv),
					    argv, why));
	assert_string_equal(vstring_str(why), cases[n].error);
	mail_server_args_free(&args);
    }
    vstring_free(why);
}

/* test_args_apply - settings land in mail_conf, last one wins */
static void test_args_apply(void **state)
{
    static const char *const list[] = {
	"x", "-o", "syslog_name=one", "-m", "7", "-o", "syslog_name = two words",
	NULL,
    };
    char   *argv[MAX_ARGS];
    MAIL_SERVER_ARGS args;
    VSTRING *why = vstring_alloc(100);

    (void) state;
    mail_conf_clear();
    assert_true(mail_server_args_parse(&args, make_argv(argv, list), argv, why));
    mail_server_args_apply(&args);
    assert_string_equal(mail_conf_lookup("syslog_name"), "two words");
    assert_string_equal(mail_conf_lookup("max_use"), "7");
    mail_server_args_free(&args);
    mail_conf_clear();
    vstring_free(why);
}

/*
 * Child-process tests. Each child gets MAIL_CONFIG pointing at a
 * directory with a minimal main.cf, and runs a skeleton's main().
 */
static char *test_dir;

/* setup_config - a private main.cf for the children */
static void setup_config(void)
{
    char   *path;
    char   *text;

    if (test_dir != NULL)
	return;
    test_dir = test_tempdir();
    path = concatenate(test_dir, "/main.cf", (char *) 0);
    text = concatenate("queue_directory = ", test_dir, "\n",
		       "myhostname = test.example\n", (char *) 0);
    test_write_file(path, text);
    myfree(text);
    myfree(path);
    setenv("MAIL_CONFIG", test_dir, 1);
}

typedef struct CHILD_RUN {
    const char *argv[MAX_ARGS];
    int     skeleton;			/* 's', 'm', 't' */
    int     flags;			/* MAIL_SERVER_FLAG_* */
    const char *input;			/* for -S */
    char   *output_path;		/* -S output file */
} CHILD_RUN;

/* upper_service - single_server/multi_server: echo lines in upper case */
static void upper_service(VSTREAM *client, const char *service, char **argv)
{
    VSTRING *line = vstring_alloc(100);

    while (vstring_get_nonl_bound(line, client, 100) != VSTREAM_EOF) {
	vstream_fprintf(client, "%s %s %s\n", service,
			uppercase(vstring_str(line)), argv[0] ? argv[0] : "-");
	if (mail_server_service_name() == NULL)
	    msg_fatal("no service name");
    }
    vstring_free(line);
}

/* multi_line_service - multi_server: one line per call */
static void multi_line_service(VSTREAM *client, const char *service,
			               char **argv)
{
    VSTRING *line = vstring_alloc(100);

    (void) argv;
    if (vstring_get_nonl_bound(line, client, 100) == VSTREAM_EOF) {
	vstring_free(line);
	multi_server_disconnect(client);
	return;
    }
    vstream_fprintf(client, "%s %s %d\n", service, vstring_str(line),
		    multi_server_client_count());
    (void) vstream_fflush(client);
    vstring_free(line);
}

/* trigger_service - write what came in */
static void trigger_service(char *buf, ssize_t len, const char *service,
			            char **argv)
{
    (void) argv;
    vstream_printf("%s got %ld [%s]\n", service, (long) len, buf);
    (void) vstream_fflush(VSTREAM_OUT);
}

/* run_skeleton - in the child: stdin, stdout, then the skeleton */
static void run_skeleton(void *context)
{
    CHILD_RUN *run = context;
    MAIL_SERVER_OPTS opts = {.flags = run->flags};
    char   *argv[MAX_ARGS];
    int     argc = make_argv(argv, run->argv);
    int     fds[2];
    int     fd;

    /* As if not started by master(8): no status channel. */
    (void) close(5);
    if (run->input != NULL) {
	if (pipe(fds) < 0)
	    msg_fatal("pipe: %m");
	if (write(fds[1], run->input, strlen(run->input)) < 0)
	    msg_fatal("write: %m");
	(void) close(fds[1]);
	if (dup2(fds[0], STDIN_FILENO) < 0)
	    msg_fatal("dup2: %m");
    }
    if (run->output_path != NULL) {
	if ((fd = open(run->output_path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0
	    || dup2(fd, STDOUT_FILENO) < 0)
	    msg_fatal("open %s: %m", run->output_path);
    }
    switch (run->skeleton) {
    case 's':
	single_server_main(argc, argv, upper_service, &opts);
    case 'm':
	multi_server_main(argc, argv, multi_line_service, &opts);
    case 't':
	trigger_server_main(argc, argv, trigger_service, &opts);
    default:
	msg_fatal("bad skeleton");
    }
}

/* test_start_errors - start-up checks end in the right fatal error */
static void test_start_errors(void **state)
{
    static const CHILD_RUN cases[] = {
	{{"prog", "-d", NULL}, 's', 0, NULL, NULL},
	{{"prog", "-d", "-t", "fifo", NULL}, 's', 0, NULL, NULL},
	{{"prog", "-d", "-t", "unix-dgram", NULL}, 'm', 0, NULL, NULL},
	{{"prog", "-d", "-t", "unix", "-n", "qmgr", NULL}, 't',
	MAIL_SERVER_FLAG_SOLITARY, NULL, NULL},
	{{"prog", "-d", "-t", "unix", NULL}, 's', MAIL_SERVER_FLAG_UNLIMITED,
	NULL, NULL},
	{{"local", "-d", "-t", "unix", "-u", NULL}, 's',
	MAIL_SERVER_FLAG_PRIVILEGED, NULL, NULL},
	{{"smtpd", "-d", "-t", "unix", NULL}, 's',
	MAIL_SERVER_FLAG_UNPRIVILEGED, NULL, NULL},
	{{"prog", "-d", "-o", "bad", NULL}, 's', 0, NULL, NULL},
	{{"prog", "-d", "-t", "unix", NULL}, 's', 0, NULL, NULL},
    };
    static const char *const expect[] = {
	"fatal: no transport type specified\n",
	"fatal: unsupported transport type: fifo\n",
	"fatal: unsupported transport type: unix-dgram\n",
	"fatal: service qmgr requires a process limit of 1\n",
	"fatal: service prog requires a process limit of 0\n",
	"fatal: service local requires privileged operation\n",
	"fatal: service smtpd requires unprivileged operation\n",
	"fatal: invalid \"-o bad\" option value: missing '=' after attribute name\n",
	"fatal: descriptor 5 is not open: this program must be run by "
	"master(8), or with -S\n"
	"prog: fatal: descriptor 5 is not open: this program must be run by "
	"master(8), or with -S\n",
    };
    TEST_CHILD_RESULT result;
    size_t  n;

    (void) state;
    setup_config();
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_child_run(run_skeleton, (void *) (cases + n), 10000, &result);
	assert_true(test_child_exited(&result, 1));
	assert_string_equal(result.output, expect[n]);
	test_child_free(&result);
    }
}

/* test_stand_alone - each skeleton serves stdin/stdout with -S */
static void test_stand_alone(void **state)
{
    CHILD_RUN single = {{"echo", "-S", "-n", "svc", "arg1", NULL}, 's', 0,
    "hello\nworld\n", NULL};
    CHILD_RUN multi = {{"count", "-S", NULL}, 'm', 0, "one\ntwo\n", NULL};
    CHILD_RUN trigger = {{"trig", "-S", "-o", "max_use=1", NULL}, 't', 0, "W",
    NULL};
    TEST_CHILD_RESULT result;
    char   *out;

    (void) state;
    setup_config();
    single.output_path = concatenate(test_dir, "/single.out", (char *) 0);
    test_child_run(run_skeleton, &single, 10000, &result);
    assert_true(test_child_exited(&result, 0));
    assert_string_equal(result.output, "");
    out = test_file_content(single.output_path);
    assert_string_equal(out, "svc HELLO arg1\nsvc WORLD arg1\n");
    myfree(out);
    test_child_free(&result);

    multi.output_path = concatenate(test_dir, "/multi.out", (char *) 0);
    test_child_run(run_skeleton, &multi, 10000, &result);
    assert_true(test_child_exited(&result, 0));
    out = test_file_content(multi.output_path);
    assert_string_equal(out, "count one 1\ncount two 1\n");
    myfree(out);
    test_child_free(&result);

    trigger.output_path = concatenate(test_dir, "/trigger.out", (char *) 0);
    test_child_run(run_skeleton, &trigger, 10000, &result);
    assert_true(test_child_exited(&result, 0));
    out = test_file_content(trigger.output_path);
    assert_string_equal(out, "trig got 1 [W]\n");
    myfree(out);
    test_child_free(&result);

    myfree(single.output_path);
    myfree(multi.output_path);
    myfree(trigger.output_path);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_args_good),
	cmocka_unit_test(test_args_bad),
	cmocka_unit_test(test_args_apply),
	cmocka_unit_test(test_start_errors),
	cmocka_unit_test(test_stand_alone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
