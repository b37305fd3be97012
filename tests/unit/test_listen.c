/*
 * test_listen - unit tests for listen(3), connect(3), sane_accept(3),
 *	sane_connect(3), timed_connect(), pass_accept() and pass_send()
 *
 * DESCRIPTION
 *	Servers and clients run in this one process over loopback and
 *	AF_UNIX sockets in a temporary directory. IPv6 parts are skipped
 *	when ::1 cannot be bound.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "myaddrinfo.h"
#include "iostuff.h"
#include "sane_accept.h"
#include "sane_connect.h"
#include "listen.h"
#include "connect.h"
#include "test_support.h"

static char *tempdir;
static bool have_ipv6;

/* setup - temp directory, IPv6 probe */
static int setup(void **state)
{
    struct sockaddr_in6 sin6;
    int     sock;

    (void) state;
    signal(SIGPIPE, SIG_IGN);
    tempdir = test_tempdir();
    memset(&sin6, 0, sizeof(sin6));
    sin6.sin6_family = AF_INET6;
    sin6.sin6_addr = in6addr_loopback;
    if ((sock = socket(AF_INET6, SOCK_STREAM, 0)) >= 0) {
	have_ipv6 = bind(sock, (struct sockaddr *) &sin6, sizeof(sin6)) == 0;
	close(sock);
    }
    if (!have_ipv6)
	print_message("::1 unavailable: IPv6 parts skipped\n");
    return 0;
}

/* teardown - remove the temp directory */
static int teardown(void **state)
{
    (void) state;
    test_remove_tree(tempdir);
    myfree(tempdir);
    return 0;
}

/* temp_path - file name in the temp directory (myfree) */
static char *temp_path(const char *name)
{
    return concatenate(tempdir, "/", name, (char *) 0);
}

/* local_port - port of a bound inet socket, as text */
static void local_port(int sock, MAI_HOSTADDR_STR *addr, MAI_SERVPORT_STR *port)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);

    assert_int_equal(getsockname(sock, (struct sockaddr *) &ss, &len), 0);
    assert_int_equal(sockaddr_to_hostaddr((struct sockaddr *) &ss, len,
					  addr, port, 0), 0);
}

/* echo_once - accept one client, read a word, send it back */
static void echo_once(int listen_fd, const char *expect)
{
    char    buf[100];
    ssize_t n;
    int     fd;

    assert_int_equal(read_wait(listen_fd, 5), 0);
    fd = sane_accept(listen_fd, NULL, NULL);
    assert_true(fd >= 0);
    assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    n = timed_read(fd, buf, sizeof(buf), 5);
    assert_int_equal(n, (ssize_t) strlen(expect));
    assert_memory_equal(buf, expect, n);
    assert_int_equal(write_buf(fd, buf, (size_t) n, 5), n);
    close(fd);
}

/* round_trip - client side of echo_once */
static void round_trip(int client, const char *word)
{
    assert_int_equal(write_buf(client, word, strlen(word), 5),
		     (ssize_t) strlen(word));
}

/* client_check - read the echo */
static void client_check(int client, const char *word)
{
    char    buf[100];
    ssize_t n = timed_read(client, buf, sizeof(buf), 5);

    assert_int_equal(n, (ssize_t) strlen(word));
    assert_memory_equal(buf, word, n);
}

/* test_unix_stream - listen, connect, modes, permissions, errors */
static void test_unix_stream(void **state)
{
    char   *path = temp_path("private-sock");
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    int     lfd;
    int     client;

    (void) state;
    test_write_file(path, "stale");		/* removed by unix_listen */
    lfd = unix_listen(path, 10, NON_BLOCKING, why);
    assert_true(lfd >= 0);
    assert_true(fcntl(lfd, F_GETFL) & O_NONBLOCK);
    assert_true(fcntl(lfd, F_GETFD) & FD_CLOEXEC);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISSOCK(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0666);

    /* Nothing pending on a non-blocking listener. */
    assert_int_equal(sane_accept(lfd, NULL, NULL), -1);
    assert_int_equal(errno, EAGAIN);

    client = unix_connect(path, NON_BLOCKING, 2);
    assert_true(client >= 0);
    assert_true(fcntl(client, F_GETFL) & O_NONBLOCK);
    round_trip(client, "ping");
    echo_once(lfd, "ping");
    client_check(client, "ping");
    close(client);

    client = unix_connect(path, BLOCKING, 0);
    assert_true(client >= 0);
    assert_false(fcntl(client, F_GETFL) & O_NONBLOCK);
    close(client);
    close(lfd);

    /* Nobody listening. */
    assert_int_equal(unix_connect(path, BLOCKING, 1), -1);
    assert_int_equal(errno, ECONNREFUSED);
    myfree(path);
    path = temp_path("no-such-socket");
    assert_int_equal(unix_connect(path, BLOCKING, 1), -1);
    assert_int_equal(errno, ENOENT);
    myfree(path);

    /* Bad paths. */
    path = temp_path("no-such-dir/sock");
    assert_int_equal(unix_listen(path, 10, BLOCKING, why), -1);
    assert_int_equal(errno, ENOENT);
    assert_true(strncmp(vstring_str(why), "bind ", 5) == 0);
    assert_non_null(strstr(vstring_str(why), ": No such file or directory"));
    myfree(path);
    path = mymalloc(200);
    memset(path, 'x', 199);
    path[199] = 0;
    assert_int_equal(unix_listen(path, 10, BLOCKING, NULL), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(unix_connect(path, BLOCKING, 1), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_int_equal(unix_dgram_connect(path, BLOCKING), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    myfree(path);
    vstring_free(why);
}

/* test_unix_connect_timeout - a full listen queue */
static void test_unix_connect_timeout(void **state)
{
    char   *path = temp_path("full-sock");
    int     lfd = unix_listen(path, 0, BLOCKING, NULL);
    struct sockaddr_un sun;
    int     clients[64];
    int     count;
    int     fd;

    (void) state;
    assert_true(lfd >= 0);
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    for (count = 0; count < 64; count++) {
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
	    fail_msg("socket: %m");
	if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) < 0) {
	    assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	    close(fd);
	    break;
	}
	clients[count] = fd;
    }
    assert_true(count < 64);
    assert_int_equal(unix_connect(path, BLOCKING, 1), -1);
    assert_int_equal(errno, ETIMEDOUT);
    while (count-- > 0)
	close(clients[count]);
    close(lfd);
    myfree(path);
}

/* test_unix_dgram - postlog style datagrams */
static void test_unix_dgram(void **state)
{
    char   *path = temp_path("dgram-sock");
    VSTRING *why = vstring_alloc(10);
    char    buf[100];
    int     server;
    int     client;

    (void) state;
    server = unix_dgram_listen(path, NON_BLOCKING, why);
    assert_true(server >= 0);
    client = unix_dgram_connect(path, BLOCKING);
    assert_true(client >= 0);
    assert_int_equal(send(client, "log line", 8, 0), 8);
    assert_int_equal(read_wait(server, 2), 0);
    assert_int_equal(recv(server, buf, sizeof(buf), 0), 8);
    assert_memory_equal(buf, "log line", 8);
    close(client);
    close(server);
    unlink(path);
    assert_int_equal(unix_dgram_connect(path, BLOCKING), -1);
    assert_int_equal(errno, ENOENT);
    myfree(path);
    vstring_free(why);
}

#define LOOKUP_PREFIX "look up \"192.0.2.1:no-such-service-x\": "

/* test_inet_ipv4 - loopback, wildcard, errors */
static void test_inet_ipv4(void **state)
{
    VSTRING *why = vstring_alloc(10);
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;
    char    where[100];
    char    expect[200];
    int     lfd;
    int     lfd2;
    int     client;
    int     on = 0;
    socklen_t len = sizeof(on);

    (void) state;
    lfd = inet_listen("127.0.0.1:0", 10, BLOCKING, why);
    if (lfd < 0)
	fail_msg("inet_listen: %s", vstring_str(why));
    assert_int_equal(getsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &on, &len), 0);
    assert_true(on);
    local_port(lfd, &addr, &port);
    assert_string_equal(addr.buf, "127.0.0.1");
    snprintf(where, sizeof(where), "127.0.0.1:%s", port.buf);

    client = inet_connect(where, BLOCKING, 2);
    assert_true(client >= 0);
    assert_int_equal(getsockopt(client, SOL_SOCKET, SO_KEEPALIVE, &on, &len), 0);
    assert_true(on);
    round_trip(client, "helo");
    echo_once(lfd, "helo");
    client_check(client, "helo");
    close(client);

    /* An empty host means localhost for clients. */
    snprintf(where, sizeof(where), ":%s", port.buf);
    client = inet_connect(where, NON_BLOCKING, 0);
    assert_true(client >= 0);
    assert_true(fcntl(client, F_GETFL) & O_NONBLOCK);
    close(client);

    /* The port is taken. */
    snprintf(where, sizeof(where), "127.0.0.1:%s", port.buf);
    assert_int_equal(inet_listen(where, 10, BLOCKING, why), -1);
    assert_int_equal(errno, EADDRINUSE);
    snprintf(expect, sizeof(expect), "bind 127.0.0.1:%s: Address already in use",
	     port.buf);
    assert_string_equal(vstring_str(why), expect);
    close(lfd);

    /* Nobody listens any more. */
    assert_int_equal(inet_connect(where, BLOCKING, 2), -1);
    assert_int_equal(errno, ECONNREFUSED);

    /* Wildcard: IPv4 first. */
    lfd = inet_listen(":0", 10, NON_BLOCKING, why);
    assert_true(lfd >= 0);
    local_port(lfd, &addr, &port);
    assert_string_equal(addr.buf, "0.0.0.0");
    if (have_ipv6) {
	/* The IPv6 wildcard on the same port: IPV6_V6ONLY makes it work. */
	snprintf(where, sizeof(where), "[::]:%s", port.buf);
	lfd2 = inet_listen(where, 10, NON_BLOCKING, why);
	if (lfd2 < 0)
	    fail_msg("%s", vstring_str(why));
	assert_int_equal(getsockopt(lfd2, IPPROTO_IPV6, IPV6_V6ONLY, &on, &len), 0);
	assert_true(on);
	close(lfd2);
    }
    close(lfd);

    /* Syntax and lookup errors. */
    assert_int_equal(inet_listen("127.0.0.1", 10, BLOCKING, why), -1);
    assert_int_equal(errno, EINVAL);
    assert_string_equal(vstring_str(why),
			"bad address \"127.0.0.1\": missing port number");
    assert_int_equal(inet_listen("[::1:25", 10, BLOCKING, why), -1);
    assert_string_equal(vstring_str(why),
			"bad address \"[::1:25\": missing \"]\"");
    assert_int_equal(inet_listen("127.0.0.1:99999", 10, BLOCKING, why), -1);
    assert_string_equal(vstring_str(why), "bad address \"127.0.0.1:99999\": "
			"invalid port number or service name");
    assert_int_equal(inet_listen("192.0.2.1:no-such-service-x", 10,
				 BLOCKING, why), -1);
    assert_int_equal(errno, EADDRNOTAVAIL);
    assert_true(strncmp(vstring_str(why), LOOKUP_PREFIX,
			strlen(LOOKUP_PREFIX)) == 0);
    test_capture_start();
    assert_int_equal(inet_connect("127.0.0.1", BLOCKING, 1), -1);
    assert_int_equal(errno, EINVAL);
    assert_string_equal(test_capture_text(),
			"warning: inet_connect: bad address \"127.0.0.1\": "
			"missing port number\n");
    test_capture_stop();
    vstring_free(why);
}

/* test_inet_ipv6 - [::1]:port */
static void test_inet_ipv6(void **state)
{
    VSTRING *why = vstring_alloc(10);
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;
    char    where[100];
    int     lfd;
    int     client;

    (void) state;
    if (!have_ipv6) {
	vstring_free(why);
	skip();
    }
    lfd = inet_listen("[::1]:0", 10, BLOCKING, why);
    if (lfd < 0)
	fail_msg("inet_listen: %s", vstring_str(why));
    local_port(lfd, &addr, &port);
    assert_string_equal(addr.buf, "::1");
    snprintf(where, sizeof(where), "[::1]:%s", port.buf);
    client = inet_connect(where, BLOCKING, 2);
    assert_true(client >= 0);
    round_trip(client, "ehlo");
    echo_once(lfd, "ehlo");
    client_check(client, "ehlo");
    close(client);
    close(lfd);
    vstring_free(why);
}

/* test_timed_and_sane_connect - direct use on raw sockets */
static void test_timed_and_sane_connect(void **state)
{
    struct sockaddr_in sin;
    socklen_t len = sizeof(sin);
    int     lfd = inet_listen("127.0.0.1:0", 10, BLOCKING, NULL);
    int     sock;

    (void) state;
    assert_true(lfd >= 0);
    assert_int_equal(getsockname(lfd, (struct sockaddr *) &sin, &len), 0);

    /* The blocking mode survives timed_connect(). */
    sock = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(timed_connect(sock, (struct sockaddr *) &sin, len, 2), 0);
    assert_false(fcntl(sock, F_GETFL) & O_NONBLOCK);
    close(sock);
    sock = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    assert_int_equal(timed_connect(sock, (struct sockaddr *) &sin, len, 2), 0);
    assert_true(fcntl(sock, F_GETFL) & O_NONBLOCK);
    close(sock);

    sock = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(sane_connect(sock, (struct sockaddr *) &sin, len), 0);
    close(sock);
    close(lfd);

    sock = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(timed_connect(sock, (struct sockaddr *) &sin, len, 2), -1);
    assert_int_equal(errno, ECONNREFUSED);
    close(sock);
    sock = socket(AF_INET, SOCK_STREAM, 0);
    assert_int_equal(sane_connect(sock, (struct sockaddr *) &sin, len), -1);
    assert_int_equal(errno, ECONNREFUSED);
    close(sock);
}

/* test_fifo - listen, wrong file type, permissions */
static void test_fifo(void **state)
{
    char   *path = temp_path("fifo");
    char   *file = temp_path("plain");
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    char    buf[10];
    int     fd;
    int     wfd;

    (void) state;
    fd = fifo_listen(path, 0622, NON_BLOCKING, why);
    assert_true(fd >= 0);
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0622);
    assert_false(readable(fd));
    wfd = open(path, O_WRONLY | O_NONBLOCK);
    assert_true(wfd >= 0);
    assert_int_equal(write(wfd, "W", 1), 1);
    close(wfd);
    assert_int_equal(read_wait(fd, 2), 0);
    assert_int_equal(read(fd, buf, sizeof(buf)), 1);
    /* No end of file after the last writer: we are a writer too. */
    assert_false(readable(fd));
    close(fd);

    /* An existing FIFO is reused. */
    fd = fifo_listen(path, 0600, BLOCKING, why);
    assert_true(fd >= 0);
    assert_false(fcntl(fd, F_GETFL) & O_NONBLOCK);
    close(fd);

    test_write_file(file, "not a fifo\n");
    assert_int_equal(fifo_listen(file, 0600, BLOCKING, why), -1);
    assert_int_equal(errno, EINVAL);
    assert_non_null(strstr(vstring_str(why), ": not a fifo"));
    myfree(path);
    myfree(file);
    vstring_free(why);
}

/* test_pass - hand an accepted connection to a "pass" server */
static void test_pass(void **state)
{
    char   *path = temp_path("pass-sock");
    VSTRING *why = vstring_alloc(10);
    int     pass_fd;
    int     lfd;
    int     client;
    int     accepted;
    int     received;
    char    where[100];
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;

    (void) state;
    pass_fd = pass_listen(path, 10, NON_BLOCKING, why);
    assert_true(pass_fd >= 0);
    assert_int_equal(pass_accept(pass_fd, 1), -1);	/* nothing yet */
    assert_int_equal(errno, EAGAIN);

    /* A front end (postscreen) accepts a client... */
    lfd = inet_listen("127.0.0.1:0", 10, BLOCKING, why);
    assert_true(lfd >= 0);
    local_port(lfd, &addr, &port);
    snprintf(where, sizeof(where), "127.0.0.1:%s", port.buf);
    client = inet_connect(where, BLOCKING, 2);
    assert_true(client >= 0);
    accepted = sane_accept(lfd, NULL, NULL);
    assert_true(accepted >= 0);

    /* ...and passes it to the back end (smtpd), which talks to it. */
    assert_int_equal(pass_send(path, accepted, 2), 0);
    close(accepted);
    assert_int_equal(read_wait(pass_fd, 2), 0);
    received = pass_accept(pass_fd, 2);
    assert_true(received >= 0);
    assert_int_equal(write_buf(received, "220 ready\r\n", 11, 2), 11);
    client_check(client, "220 ready\r\n");
    close(received);
    close(client);
    close(lfd);

    /* A sender that connects but sends nothing. */
    client = unix_connect(path, BLOCKING, 2);
    assert_true(client >= 0);
    assert_int_equal(read_wait(pass_fd, 2), 0);
    assert_int_equal(pass_accept(pass_fd, 0), -1);
    assert_int_equal(errno, ETIMEDOUT);
    close(client);

    /* A sender that hangs up. */
    client = unix_connect(path, BLOCKING, 2);
    close(client);
    assert_int_equal(read_wait(pass_fd, 2), 0);
    assert_int_equal(pass_accept(pass_fd, 1), -1);
    assert_int_equal(errno, ECONNRESET);

    close(pass_fd);
    assert_int_equal(pass_send(path, 0, 1), -1);
    assert_int_equal(errno, ECONNREFUSED);
    myfree(path);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_unix_stream),
	cmocka_unit_test(test_unix_connect_timeout),
	cmocka_unit_test(test_unix_dgram),
	cmocka_unit_test(test_inet_ipv4),
	cmocka_unit_test(test_inet_ipv6),
	cmocka_unit_test(test_timed_and_sane_connect),
	cmocka_unit_test(test_fifo),
	cmocka_unit_test(test_pass),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
