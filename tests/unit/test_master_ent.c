/*
 * test_master_ent - unit tests for master_ent(3)
 *
 * master.cf lines go through master_entry_parse() and then
 * master_ent_create(); the tests check endpoint names, field
 * interpretation, the child's command line and the error texts. The
 * master_vars globals are set by hand (IPv4 only, so that results do
 * not depend on the host's IPv6 support).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "inet_proto.h"
#include "master_conf.h"
#include "master_proto.h"
#include "master.h"
#include "test_support.h"

/* setup_vars - what master_vars_init() would have read */
static int setup_vars(void **state)
{
    (void) state;
    var_master_daemon_dir = mystrdup("/usr/libexec/postfix");
    var_master_inet_interfaces = mystrdup("127.0.0.1");
    var_master_known_ports = mystrdup("lmtp=24, smtp=25, smtps=submissions=465, "
				      "submission=587");
    var_master_proc_limit = 100;
    var_master_throttle_time = 60;
    (void) inet_proto_init("inet_protocols", "ipv4");
    return 0;
}

/* teardown_vars - release the globals */
static int teardown_vars(void **state)
{
    (void) state;
    myfree(var_master_daemon_dir);
    myfree(var_master_inet_interfaces);
    myfree(var_master_known_ports);
    return 0;
}

/* parse - a service from one master.cf line, or NULL with why */
static MASTER_SERV *parse(const char *line, VSTRING *why)
{
    MASTER_ENTRY *entry = master_entry_parse(line, "master.cf", 1, why);
    MASTER_SERV *serv;

    assert_non_null(entry);
    serv = master_ent_create(entry, why);
    master_entry_free(entry);
    return serv;
}

/* exec_line - the child's command line, joined with spaces */
static char *exec_line(const MASTER_SERV *serv, bool stress)
{
    ARGV   *args = master_ent_exec_args(serv, stress);
    char   *text = argv_join(args, " ");

    argv_free(args);
    return text;
}

#define LOCAL_ONLY	(1<<0)		/* listeners.local_only */
#define COND_WAKEUP	(1<<1)		/* wakeup.wait_for_child */

/* test_services - good entries */
static void test_services(void **state)
{
    static const struct {
	const char *line;
	const char *name;
	int     type;
	int     limit;
	int     wakeup;
	int     flags;			/* COND_WAKEUP, LOCAL_ONLY */
	const char *listen;		/* inet: addresses, '|'-joined */
	const char *exec;
    } cases[] = {
	{"cleanup unix n - n - 0 cleanup", "public/cleanup", MASTER_XPORT_UNIX,
	    0, 0, LOCAL_ONLY, NULL, "cleanup -z -t unix -u"},
	{"qmgr unix n - n 300 1 qmgr", "public/qmgr", MASTER_XPORT_UNIX, 1, 300,
	LOCAL_ONLY, NULL, "qmgr -l -t unix -u"},
	{"pickup fifo n - y 60? 1 pickup", "public/pickup", MASTER_XPORT_FIFO,
	    1, 60, LOCAL_ONLY | COND_WAKEUP, NULL,
	"pickup -l -t fifo -u -c"},
	{"postlog unix-dgram n - n - 1 postlogd", "public/postlog",
	    MASTER_XPORT_UNIX_DGRAM, 1, 0, LOCAL_ONLY, NULL,
	"postlogd -l -n postlog -t unix-dgram -u"},
	{"tlsproxy pass - n n - - tlsproxy -v", "private/tlsproxy",
	    MASTER_XPORT_PASS, 100, 0, LOCAL_ONLY, NULL,
	"tlsproxy -t pass -v"},
	{"smtp inet n - y - - smtpd -o { smtpd_banner = a b }", "25",
	    MASTER_XPORT_INET, 100, 0, LOCAL_ONLY, "127.0.0.1:25",
	"smtpd -n smtp -t inet -u -c -o smtpd_banner = a b"},
	{"127.0.0.1:submission inet n - n - 10 smtpd", "[127.0.0.1]:587",
	    MASTER_XPORT_INET, 10, 0, LOCAL_ONLY, "127.0.0.1:587",
	"smtpd -n 127.0.0.1:submission -t inet -u"},
	{"10.1.2.3:2525 inet - - n - 3 smtpd", "[10.1.2.3]:2525",
	    MASTER_XPORT_INET, 3, 0, 0, "10.1.2.3:2525",
	"smtpd -n 10.1.2.3:2525 -t inet -u -o stress="},
    };
    VSTRING *why = vstring_alloc(100);
    MASTER_SERV *serv;
    char   *text;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	serv = parse(cases[n].line, why);
	if (serv == NULL)
	    fail_msg("%s: %s", cases[n].line, vstring_str(why));
	assert_string_equal(serv->endpoint, cases[n].name);
	assert_int_equal(serv->transport, cases[n].type);
	assert_int_equal(serv->pool.limit, cases[n].limit);
	assert_int_equal(serv->wakeup.interval, cases[n].wakeup);
	assert_int_equal(serv->listeners.local_only,
			 (cases[n].flags & LOCAL_ONLY) != 0);
	assert_int_equal(serv->wakeup.wait_for_child,
			 (cases[n].flags & COND_WAKEUP) != 0);
	assert_int_equal(serv->throttle.delay, 60);
	assert_false(serv->throttle.active);
	assert_false(serv->listeners.watched);
	assert_int_equal(serv->pool.running, 0);
	assert_int_equal(serv->pool.idle, 0);
	if (cases[n].listen) {
	    text = argv_join(serv->listeners.inet_addrs, "|");
	    assert_string_equal(text, cases[n].listen);
	    myfree(text);
	    assert_int_equal(serv->listeners.count,
			     serv->listeners.inet_addrs->argc);
	} else {
	    assert_null(serv->listeners.inet_addrs);
	    assert_int_equal(serv->listeners.count, 1);
	}
	text = exec_line(serv, false);
	assert_string_equal(text, cases[n].exec);
	myfree(text);
	assert_int_equal(strncmp(serv->program, "/usr/libexec/postfix/", 21), 0);
	master_ent_free(serv);
    }
    vstring_free(why);
}

/* test_exec_options - -d, -v, stress, -s */
static void test_exec_options(void **state)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_SERV *serv;
    char   *text;

    (void) state;
    myfree(var_master_inet_interfaces);
    var_master_inet_interfaces = mystrdup("127.0.0.1, 10.9.8.7");
    serv = parse("smtp inet n - n - 4 smtpd", why);
    assert_non_null(serv);
    assert_int_equal(serv->listeners.count, 2);
    master_detach = false;
    msg_verbose = 2;
    text = exec_line(serv, true);
    assert_string_equal(text, "smtpd -n smtp -t inet -d -v -v -u "
			"-o stress=yes -s 2");
    myfree(text);
    master_detach = true;
    msg_verbose = 0;
    master_ent_free(serv);
    myfree(var_master_inet_interfaces);
    var_master_inet_interfaces = mystrdup("127.0.0.1");
    vstring_free(why);
}

/* test_errors - bad entries and their reasons */
static void test_errors(void **state)
{
    static const struct {
	const char *line;
	const char *error;
    } cases[] = {
	{"smtp inet y - n - - smtpd", "inet service cannot be private"},
	{"localhost inet n - n - - smtpd", "unknown service port \"localhost\""},
	{"127.0.0.1: inet n - n - - smtpd", "missing port in \"127.0.0.1:\""},
	{"[::1 inet n - n - - smtpd", "missing \"]\" in \"[::1\""},
	{"999999 inet n - n - - smtpd", "bad port number \"999999\""},
	{"127.0.0.1:no-such-port-xyz inet n - n - - smtpd",
	"unknown service port \"no-such-port-xyz\""},
	{"no.such.host.invalid:25 inet n - n - - smtpd",
	"bad hostname or network address: no.such.host.invalid:25"},
    };
    VSTRING *why = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(why);
	assert_null(parse(cases[n].line, why));
	assert_string_equal(vstring_str(why), cases[n].error);
    }
    vstring_free(why);
}

/* test_disabled - master_service_disable patterns */
static void test_disabled(void **state)
{
    static const struct {
	const char *line;
	const char *list;
	bool    disabled;
    } cases[] = {
	{"smtp inet n - n - - smtpd", "", false},
	{"smtp inet n - n - - smtpd", "inet", true},
	{"smtp inet n - n - - smtpd", "smtp/inet", true},
	{"smtp inet n - n - - smtpd", "smtp/unix", false},
	{"smtp inet n - n - - smtpd", "!smtp/inet, inet", false},
	{"submission inet n - n - - smtpd", "!smtp/inet, inet", true},
	{"smtp unix - - n - - smtp", "unix", true},
	{"smtp unix - - n - - smtp", "inet, fifo", false},
    };
    VSTRING *why = vstring_alloc(100);
    MASTER_ENTRY *entry;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	entry = master_entry_parse(cases[n].line, "master.cf", 1, why);
	assert_non_null(entry);
	assert_int_equal(master_ent_disabled(entry, cases[n].list),
			 cases[n].disabled);
	master_entry_free(entry);
    }
    vstring_free(why);
}

/* test_inet_port - numbers and names */
static void test_inet_port(void **state)
{
    static const struct {
	const char *text;
	const char *result;		/* NULL: error */
    } cases[] = {
	{"25", "25"},
	{"0025", "25"},
	{"smtp", "25"},
	{"smtps", "465"},
	{"submissions", "465"},
	{"lmtp", "24"},
	{"65535", "65535"},
	{"65536", NULL},
	{"no-such-port-xyz", NULL},
    };
    VSTRING *port = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (cases[n].result) {
	    assert_true(master_ent_inet_port(cases[n].text, port, why));
	    assert_string_equal(vstring_str(port), cases[n].result);
	} else {
	    assert_false(master_ent_inet_port(cases[n].text, port, why));
	}
    }
    vstring_free(port);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_services),
	cmocka_unit_test(test_exec_options),
	cmocka_unit_test(test_errors),
	cmocka_unit_test(test_disabled),
	cmocka_unit_test(test_inet_port),
    };

    return cmocka_run_group_tests(tests, setup_vars, teardown_vars);
}
