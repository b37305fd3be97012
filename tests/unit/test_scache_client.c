/*
 * test_scache_client - unit tests for the scache protocol's framing
 *
 * scache_carrier_send() and scache_carrier_recv() over a socketpair: a
 * byte with and without a descriptor, a descriptor that still works
 * after the trip, the list that follows the byte left for the stream
 * reader, the end of input and a timeout. The whole conversation with
 * scache(8) is tests/system/test_scache.py.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "vstring.h"
#include "vstream.h"
#include "attr_list.h"
#include "scache_client.h"
#include "test_support.h"

/* test_carrier - with and without a descriptor, then a list */
static void test_carrier(void **unused)
{
    int     pair[2];
    int     pipefd[2];
    int     fd;
    char    buf[8];
    VSTRING *why = vstring_alloc(10);
    VSTREAM *in;
    VSTREAM *out;
    ATTR_LIST *list = attr_list_create();
    ATTR_LIST *got = attr_list_create();

    (void) unused;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, pair), 0);
    assert_int_equal(pipe(pipefd), 0);

    /* Without a descriptor, then a list: the list stays for the reader. */
    assert_int_equal(scache_carrier_send(pair[0], -1, 5, why), 0);
    out = vstream_fdopen(pair[0], O_RDWR);
    attr_list_add_int(list, ATTR_STATUS, 0);
    assert_true(attr_list_write(out, list));
    assert_int_equal(vstream_fflush(out), 0);
    assert_int_equal(scache_carrier_recv(pair[1], 5, why), -1);
    in = vstream_fdopen(pair[1], O_RDWR);
    assert_true(attr_list_read(in, got, NULL, why));

    /* With a descriptor: a working copy of the pipe's write end. */
    assert_int_equal(scache_carrier_send(pair[0], pipefd[1], 5, why), 0);
    fd = scache_carrier_recv(pair[1], 5, why);
    assert_true(fd >= 0);
    assert_true(fd != pipefd[1]);
    assert_int_equal(write(fd, "x", 1), 1);
    assert_int_equal(read(pipefd[0], buf, 1), 1);
    assert_int_equal(buf[0], 'x');
    (void) close(fd);

    /* Nothing there: a timeout (0 seconds: just a poll). */
    assert_int_equal(scache_carrier_recv(pair[1], 0, why), -2);
    assert_string_equal(vstring_str(why), "timeout");

    /* The end of input. */
    (void) vstream_fclose(out);
    assert_int_equal(scache_carrier_recv(pair[1], 5, why), -2);
    assert_int_equal(errno, ECONNRESET);
    assert_string_equal(vstring_str(why), "end of input");

    (void) vstream_fclose(in);
    (void) close(pipefd[0]);
    (void) close(pipefd[1]);
    attr_list_free(list);
    attr_list_free(got);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_carrier),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
