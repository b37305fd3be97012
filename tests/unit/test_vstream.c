/*
 * test_vstream - unit tests for vstream(3) and vstring_vstream(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "test_support.h"

/* test_file_roundtrip - write, seek, read, bounded lines */
static void test_file_roundtrip(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/file", (char *) 0);
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(10);
    int     n;

    (void) state;
    fp = vstream_fopen(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    assert_non_null(fp);
    for (n = 0; n < 1000; n++)
	vstream_fprintf(fp, "line %d\n", n);
    vstream_fputs("0123456789abcdef\nlast", fp);
    assert_int_equal(vstream_ftell(fp), 8890 + 17 + 4);
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    assert_int_equal(vstring_get_nonl(line, fp), '\n');
    assert_string_equal(vstring_str(line), "line 0");
    assert_int_equal(vstring_get(line, fp), '\n');
    assert_string_equal(vstring_str(line), "line 1\n");
    assert_int_equal(vstream_ftell(fp), 14);
    /* Writing after reading continues at the logical position. */
    vstream_fputs("LINE 2", fp);
    assert_int_equal(vstream_fseek(fp, 14, SEEK_SET), 14);
    assert_int_equal(vstring_get_nonl(line, fp), '\n');
    assert_string_equal(vstring_str(line), "LINE 2");
    assert_int_equal(vstream_fseek(fp, 8890, SEEK_SET), 8890);
    /* A bounded read stops at the bound; the rest stays in the stream. */
    assert_int_equal(vstring_get_nonl_bound(line, fp, 10), '9');
    assert_string_equal(vstring_str(line), "0123456789");
    assert_int_equal(vstring_get_nonl_bound(line, fp, 10), '\n');
    assert_string_equal(vstring_str(line), "abcdef");
    assert_int_equal(vstring_get_nonl(line, fp), 't');
    assert_string_equal(vstring_str(line), "last");
    assert_int_equal(vstring_get_nonl(line, fp), VSTREAM_EOF);
    assert_true(vstream_feof(fp));
    assert_int_equal(vstream_fclose(fp), 0);
    vstring_free(line);
    unlink(path);
    rmdir(dir);
    myfree(path);
    myfree(dir);
}

/* socket_stream - a read-write stream on one end of a new socket pair */
static VSTREAM *socket_stream(int sv[2])
{
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    return vstream_fdopen(sv[0], O_RDWR);
}

/* true_position - where the stream really is: kernel offset adjusted */
static off_t true_position(VSTREAM *fp, off_t unread, off_t pending)
{
    return lseek(vstream_fileno(fp), 0, SEEK_CUR) - unread + pending;
}

/* test_ftell_tracking - ftell agrees with the kernel through mixed I/O */
static void test_ftell_tracking(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/track", (char *) 0);
    VSTREAM *fp;
    off_t   total;
    int     fd;
    int     n;

    (void) state;
    /* A descriptor that is not at offset 0 when the stream is made. */
    fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "0123456789", 10), 10);
    fp = vstream_fdopen(fd, O_RDWR);
    assert_int_equal(vstream_ftell(fp), 10);
    for (n = 0, total = 10; n < 5000; n++) {
	total += vstream_fprintf(fp, "record %d\n", n);
	if (n % 997 == 0)
	    assert_int_equal(vstream_ftell(fp), total);
    }
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(vstream_ftell(fp), true_position(fp, 0, 0));
    assert_int_equal(vstream_fseek(fp, 5, SEEK_SET), 5);
    assert_int_equal(vstream_getc(fp), '5');
    assert_int_equal(vstream_ftell(fp), 6);
    assert_int_equal(vstream_fseek(fp, 3, SEEK_CUR), 9);
    assert_int_equal(vstream_getc(fp), '9');
    assert_int_equal(vstream_ungetc(fp, '9'), '9');
    assert_int_equal(vstream_ftell(fp), 9);
    /* Reading, then writing in place: the offset follows the switch. */
    total = vstream_fseek(fp, 0, SEEK_END);
    assert_int_equal(total, true_position(fp, 0, 0));
    vstream_fputs("tail\n", fp);
    assert_int_equal(vstream_ftell(fp), true_position(fp, 0, 5));
    assert_int_equal(vstream_fclose(fp), 0);

    /* O_APPEND: writes land at the end, wherever the offset was. */
    fd = open(path, O_RDWR | O_APPEND);
    assert_true(fd >= 0);
    fp = vstream_fdopen(fd, O_RDWR);
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    vstream_fputs("more\n", fp);
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(vstream_ftell(fp), lseek(fd, 0, SEEK_END));
    assert_int_equal(vstream_fclose(fp), 0);
    unlink(path);
    rmdir(dir);
    myfree(path);
    myfree(dir);
}

/* test_timeout - a silent peer causes a timeout, not a hang */
static void test_timeout(void **state)
{
    int     sv[2];
    VSTREAM *fp;

    (void) state;
    fp = socket_stream(sv);
    vstream_set_timeout(fp, 1);
    assert_int_equal(VSTREAM_GETC(fp), VSTREAM_EOF);
    assert_true(vstream_ftimeout(fp));
    assert_true(vstream_ferror(fp));
    vstream_clearerr(fp);
    assert_false(vstream_ferror(fp));
    vstream_fclose(fp);
    close(sv[1]);
}

/* test_deadline - a trickling peer cannot extend the deadline */
static void test_deadline(void **state)
{
    int     sv[2];
    VSTREAM *fp;
    pid_t   pid;
    int     n;
    int     ch;

    (void) state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    if ((pid = fork()) == 0) {
	close(sv[0]);
	for (n = 0; n < 40; n++) {
	    if (write(sv[1], "x", 1) != 1)
		_exit(0);
	    usleep(100000);
	}
	_exit(0);
    }
    close(sv[1]);
    fp = vstream_fdopen(sv[0], O_RDWR);
    vstream_set_timeout(fp, 1);
    vstream_start_deadline(fp);
    for (n = 0; n < 40 && (ch = VSTREAM_GETC(fp)) != VSTREAM_EOF; n++)
	 /* void */ ;
    assert_true(n < 40);
    assert_true(vstream_ftimeout(fp));
    vstream_fclose(fp);
    kill(pid, SIGKILL);
}

/* test_flush_before_read - pending output is sent before blocking */
static void test_flush_before_read(void **state)
{
    int     sv[2];
    VSTREAM *fp;
    VSTREAM *peer;
    VSTRING *line = vstring_alloc(10);
    pid_t   pid;

    (void) state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    if ((pid = fork()) == 0) {
	close(sv[0]);
	peer = vstream_fdopen(sv[1], O_RDWR);
	if (vstring_get_nonl(line, peer) == '\n')
	    vstream_fprintf(peer, "echo %s\n", vstring_str(line));
	vstream_fclose(peer);
	_exit(0);
    }
    close(sv[1]);
    fp = vstream_fdopen(sv[0], O_RDWR);
    vstream_set_timeout(fp, 10);
    vstream_fputs("ping\n", fp);
    assert_int_equal(vstring_get_nonl(line, fp), '\n');
    assert_string_equal(vstring_str(line), "echo ping");
    vstream_fclose(fp);
    vstring_free(line);
}

/* test_write_error - writing to a closed peer is reported */
static void test_write_error(void **state)
{
    int     sv[2];
    VSTREAM *fp;
    char    buf[65536];
    int     n;

    (void) state;
    signal(SIGPIPE, SIG_IGN);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    close(sv[1]);
    fp = vstream_fdopen(sv[0], O_WRONLY);
    memset(buf, 'x', sizeof(buf));
    for (n = 0; n < 4; n++)
	vstream_fwrite(fp, buf, sizeof(buf));
    assert_int_equal(vstream_fflush(fp), VSTREAM_EOF);
    assert_true(vstream_ferror(fp));
    assert_int_equal(vstream_fclose(fp), VSTREAM_EOF);
}

/* test_ungetc_and_null - push back and null-terminated records */
static void test_ungetc_and_null(void **state)
{
    int     sv[2];
    VSTREAM *fp;
    VSTRING *rec = vstring_alloc(10);

    (void) state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    assert_int_equal(write(sv[1], "name\0value\0", 11), 11);
    close(sv[1]);
    fp = vstream_fdopen(sv[0], O_RDONLY);
    assert_int_equal(VSTREAM_GETC(fp), 'n');
    vstream_ungetc(fp, 'N');
    assert_int_equal(vstring_get_null(rec, fp), 0);
    assert_string_equal(vstring_str(rec), "Name");
    assert_int_equal(vstream_peek(fp), 6);
    assert_int_equal(vstring_get_null(rec, fp), 0);
    assert_string_equal(vstring_str(rec), "value");
    assert_int_equal(vstring_get_null(rec, fp), VSTREAM_EOF);
    vstream_fclose(fp);
    vstring_free(rec);
}

/* assert_late_input - a peer writes ch after delay_ms; the stream waits for it */
static void assert_late_input(VSTREAM *fp, int peer_fd, char ch, int delay_ms)
{
    pid_t   pid;

    if ((pid = fork()) == 0) {
	usleep(delay_ms * 1000);
	_exit(write(peer_fd, &ch, 1) == 1 ? 0 : 1);
    }
    assert_true(pid > 0);
    assert_int_equal(VSTREAM_GETC(fp), (unsigned char) ch);
    assert_false(vstream_ferror(fp));
    assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* is_nonblocking - whether fd is in non-blocking mode */
static bool is_nonblocking(int fd)
{
    int     fl = fcntl(fd, F_GETFL);

    assert_true(fl >= 0);
    return (fl & O_NONBLOCK) != 0;
}

/* test_timeout_cleared - clearing the limit restores blocking reads */
static void test_timeout_cleared(void **state)
{
    int     sv[2];
    VSTREAM *fp;

    (void) state;
    fp = socket_stream(sv);
    vstream_set_timeout(fp, 5);
    assert_true(is_nonblocking(sv[0]));
    vstream_set_timeout(fp, 0);
    assert_false(is_nonblocking(sv[0]));
    /* No input yet: the read waits instead of failing. */
    assert_late_input(fp, sv[1], 'l', 200);
    /* A stream released without closing leaves the descriptor blocking. */
    vstream_set_timeout(fp, 5);
    assert_int_equal(vstream_fdclose(fp), 0);
    assert_false(is_nonblocking(sv[0]));
    close(sv[0]);
    close(sv[1]);
}

/* test_caller_nonblocking - a descriptor the caller made non-blocking */
static void test_caller_nonblocking(void **state)
{
    int     sv[2];
    VSTREAM *fp;

    (void) state;
    fp = socket_stream(sv);
    assert_int_equal(fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK), 0);
    assert_late_input(fp, sv[1], 'x', 200);
    /* Its mode is the caller's: clearing a limit leaves it alone. */
    vstream_set_timeout(fp, 5);
    vstream_set_timeout(fp, 0);
    assert_true(is_nonblocking(sv[0]));
    vstream_fclose(fp);
    close(sv[1]);
}

/* test_empty_write - writing nothing succeeds, unless the stream failed */
static void test_empty_write(void **state)
{
    int     sv[2];
    VSTREAM *fp;
    char    buf[65536];

    (void) state;
    signal(SIGPIPE, SIG_IGN);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    fp = vstream_fdopen(sv[0], O_WRONLY);
    assert_int_equal(vstream_fprintf(fp, "%s", ""), 0);
    assert_int_equal(vstream_fprintf(fp, "%s", "ab"), 2);
    assert_int_equal(vstream_fputs("", fp), 0);
    assert_int_equal(vstream_fwrite(fp, "", 0), 0);
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(read(sv[1], buf, sizeof(buf)), 2);
    close(sv[1]);
    memset(buf, 'x', sizeof(buf));
    vstream_fwrite(fp, buf, sizeof(buf));
    assert_int_equal(vstream_fflush(fp), VSTREAM_EOF);
    assert_int_equal(vstream_fprintf(fp, "%s", ""), VSTREAM_EOF);
    assert_int_equal(vstream_fputs("", fp), VSTREAM_EOF);
    assert_int_equal(vstream_fclose(fp), VSTREAM_EOF);
}

/* test_deadline_ended - a new time limit ends the deadline */
static void test_deadline_ended(void **state)
{
    int     sv[2];
    VSTREAM *fp;

    (void) state;
    fp = socket_stream(sv);
    vstream_set_timeout(fp, 1);
    vstream_start_deadline(fp);
    usleep(1100000);
    vstream_set_timeout(fp, 1);
    assert_late_input(fp, sv[1], 'y', 100);
    vstream_fclose(fp);
    close(sv[1]);
}

/* test_write_fd - input from one descriptor, output to another */
static void test_write_fd(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/input", (char *) 0);
    int     out[2];
    int     in_fd;
    VSTREAM *fp;
    char    buf[10];

    (void) state;
    test_write_file(path, "in\n");
    assert_int_equal(pipe(out), 0);
    assert_true((in_fd = open(path, O_RDONLY)) >= 0);
    fp = vstream_fdopen(in_fd, O_RDWR);
    vstream_set_write_fd(fp, out[1]);
    vstream_set_timeout(fp, 5);
    assert_true(is_nonblocking(out[1]));
    assert_int_equal(vstream_fputs("out", fp), 0);
    /* Output is flushed before reading, to its own descriptor. */
    assert_int_equal(VSTREAM_GETC(fp), 'i');
    assert_int_equal(read(out[0], buf, sizeof(buf)), 3);
    assert_memory_equal(buf, "out", 3);
    /* A regular file paired with another output is not seekable. */
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), -1);
    assert_int_equal(errno, ESPIPE);
    assert_int_equal(vstream_fclose(fp), 0);
    /* The write side stays open, blocking again. */
    assert_false(is_nonblocking(out[1]));
    assert_int_equal(write(out[1], "z", 1), 1);
    close(out[0]);
    close(out[1]);
    unlink(path);
    rmdir(dir);
    myfree(path);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_file_roundtrip),
	cmocka_unit_test(test_ftell_tracking),
	cmocka_unit_test(test_timeout),
	cmocka_unit_test(test_deadline),
	cmocka_unit_test(test_flush_before_read),
	cmocka_unit_test(test_write_error),
	cmocka_unit_test(test_ungetc_and_null),
	cmocka_unit_test(test_timeout_cleared),
	cmocka_unit_test(test_caller_nonblocking),
	cmocka_unit_test(test_empty_write),
	cmocka_unit_test(test_deadline_ended),
	cmocka_unit_test(test_write_fd),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
