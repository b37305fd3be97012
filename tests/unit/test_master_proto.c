/*
 * test_master_proto - unit tests for master_proto(3)
 *
 * master_notify() writes to the fixed descriptor MASTER_STATUS_FD, so
 * that test runs in a child process that owns descriptor 5.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "msg.h"
#include "master_proto.h"
#include "test_support.h"
#include "test_child.h"

/* test_generation - octal GENERATION values */
static void test_generation(void **state)
{
    static const struct {
	const char *text;
	bool    ok;
	unsigned value;
    } cases[] = {
	{"0", true, 0},
	{"17", true, 15},
	{"37777777777", true, 4294967295U},
	{"40000000000", false, 0},
	{"", false, 0},
	{"8", false, 0},
	{"12x", false, 0},
	{"-1", false, 0},
    };
    unsigned gen;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	gen = 12345;
	assert_int_equal(master_generation_parse(cases[n].text, &gen), cases[n].ok);
	if (cases[n].ok)
	    assert_int_equal(gen, cases[n].value);
    }
}

/* test_xport - type names and codes */
static void test_xport(void **state)
{
    static const char *const names[] = {
	"inet", "unix", "unix-dgram", "fifo", "pass",
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(names); n++) {
	assert_int_equal(master_xport_code(names[n]), (int) n);
	assert_string_equal(master_xport_name((int) n), names[n]);
    }
    assert_int_equal(master_xport_code("INET"), -1);
    assert_int_equal(master_xport_code("tcp"), -1);
    assert_null(master_xport_name(-1));
    assert_null(master_xport_name(5));
}

/* notify_child - send two records, then fail after the peer closed */
static void notify_child(void *context)
{
    int     fds[2];
    MASTER_STATUS status;

    (void) context;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, fds) < 0
	|| dup2(fds[1], MASTER_STATUS_FD) < 0)
	msg_fatal("setup: %m");
    if (master_notify(123, 0777, MASTER_STAT_TAKEN) != 0
	|| master_notify(456, 1, MASTER_STAT_AVAIL) != 0)
	msg_fatal("notify: %m");
    if (recv(fds[0], &status, sizeof(status), 0) != sizeof(status)
	|| status.pid != 123 || status.gen != 0777
	|| status.avail != MASTER_STAT_TAKEN)
	msg_fatal("first record is wrong");
    if (recv(fds[0], &status, sizeof(status), 0) != sizeof(status)
	|| status.pid != 456 || status.gen != 1
	|| status.avail != MASTER_STAT_AVAIL)
	msg_fatal("second record is wrong");
    (void) close(fds[0]);
    if (master_notify(1, 1, MASTER_STAT_AVAIL) != -1 || errno != EPIPE)
	msg_fatal("no error after close");
    (void) close(MASTER_STATUS_FD);
    if (master_notify(1, 1, MASTER_STAT_AVAIL) != -1 || errno != EBADF)
	msg_fatal("no error without descriptor");
}

/* test_notify - records arrive whole; failures are reported */
static void test_notify(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(notify_child, NULL, 10000, &result);
    assert_string_equal(result.output, "");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_generation),
	cmocka_unit_test(test_xport),
	cmocka_unit_test(test_notify),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
