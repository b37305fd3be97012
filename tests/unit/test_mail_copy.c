/*
 * test_mail_copy - unit tests for mail_copy(3)
 *
 * DESCRIPTION
 *	A queue file written by the test is copied as local(8) writes a
 *	mailbox (the form observed with Debian's Postfix 3.7: From_ line,
 *	Return-Path, X-Original-To, Delivered-To, ">From " quoting, an
 *	empty line at the end), with the null and a quoted sender, with
 *	dot quoting and CRLF, twice from one request; then a damaged file,
 *	a wrong data offset, a write error and a full file (EFBIG).
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "deliver_request.h"
#include "mail_copy.h"
#include "test_queue_sample.h"
#include "test_support.h"

#define CONTENT	"Subject: t\n" \
		"\n" \
		"From the body\n" \
		">From x\n" \
		"From \001split over two records\n" \
		".\n" \
		".dot\n" \
		"line"

typedef struct FIXTURE {
    char   *dir;
    char   *qpath;
    char   *out;
    TEST_QUEUE_SAMPLE info;
    DELIVER_REQUEST *req;
    DSN_BUF *why;
} FIXTURE;

static const char *const rcpts[] = {"nobody@localhost", NULL};

/* open_request - a request on a queue file with this sender */
static void open_request(FIXTURE *fx, const char *sender)
{
    if (fx->req)
	deliver_request_free(fx->req);
    test_queue_sample(fx->qpath, sender, rcpts, CONTENT, &fx->info);
    fx->req = deliver_request_alloc();
    fx->req->queue_id = mystrdup("3F2A1B7E4");
    fx->req->sender = mystrdup(sender);
    fx->req->data_offset = fx->info.data_offset;
    fx->req->data_size = fx->info.data_size;
    fx->req->fp = vstream_fopen(fx->qpath, O_RDWR, 0);
    assert_non_null(fx->req->fp);
}

/* setup - a queue file, an output path */
static int setup(void **state)
{
    FIXTURE *fx = mycalloc(1, sizeof(*fx));

    fx->dir = test_tempdir();
    fx->qpath = concatenate(fx->dir, "/3F2A1B7E4", (char *) 0);
    fx->out = concatenate(fx->dir, "/mbox", (char *) 0);
    fx->why = dsb_create();
    open_request(fx, "sender@example.org");
    *state = fx;
    return 0;
}

/* teardown - remove everything */
static int teardown(void **state)
{
    FIXTURE *fx = *state;

    deliver_request_free(fx->req);
    dsb_free(fx->why);
    test_remove_tree(fx->dir);
    myfree(fx->dir);
    myfree(fx->qpath);
    myfree(fx->out);
    myfree(fx);
    return 0;
}

/* copy_to_file - mail_copy() into fx->out (appending); its result */
static int copy_to_file(FIXTURE *fx, const char *delivered,
			        const char *orig, int flags, const char *eol)
{
    VSTREAM *dst = vstream_fopen(fx->out, O_WRONLY | O_APPEND | O_CREAT, 0600);
    int     ret;

    assert_non_null(dst);
    ret = mail_copy(fx->req, delivered, orig, dst, flags, eol, fx->why);
    vstream_fclose(dst);
    return ret;
}

/* file_text - the whole output file */
static char *file_text(const char *path)
{
    static VSTRING *buf;
    VSTREAM *fp = vstream_fopen(path, O_RDONLY, 0);
    int     ch;

    if (buf == NULL)
	buf = vstring_alloc(1000);
    VSTRING_RESET(buf);
    assert_non_null(fp);
    while ((ch = VSTREAM_GETC(fp)) != VSTREAM_EOF)
	VSTRING_ADDCH(buf, ch);
    VSTRING_TERMINATE(buf);
    vstream_fclose(fp);
    return vstring_str(buf);
}

/* check_from_line - "From <who>  Www Mmm dd hh:mm:ss yyyy\n", the rest */
static const char *check_from_line(const char *text, const char *who)
{
    static const char pattern[] = "^From [^\n]*  (Sun|Mon|Tue|Wed|Thu|Fri|Sat) "
	"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
	"[ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-6][0-9] [0-9]{4}\n";
    regex_t re;
    size_t  len = strlen(who);

    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED), 0);
    if (regexec(&re, text, 0, NULL, 0) != 0)
	fail_msg("bad From_ line: %.80s", text);
    regfree(&re);
    assert_memory_equal(text, "From ", 5);
    assert_memory_equal(text + 5, who, len);
    assert_memory_equal(text + 5 + len, "  ", 2);
    return strchr(text, '\n') + 1;
}

/* test_mailbox - the mbox form of local(8) */
static void test_mailbox(void **state)
{
    FIXTURE *fx = *state;
    const char *rest;

    assert_int_equal(copy_to_file(fx, "NoBody@localhost", "Alias@LOCALHOST",
				  MAIL_COPY_MBOX | MAIL_COPY_RETURN_PATH
				  | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT,
				  "\n"), 0);
    rest = check_from_line(file_text(fx->out), "sender@example.org");
    assert_string_equal(rest,
			"Return-Path: <sender@example.org>\n"
			"X-Original-To: Alias@LOCALHOST\n"
			"Delivered-To: NoBody@localhost\n"
			"Subject: t\n"
			"\n"
			">From the body\n"
			">From x\n"
			">From split over two records\n"
			".\n"
			".dot\n"
			"line\n"
			"\n");
}

/* starts_with - text begins with prefix */
static void starts_with(const char *text, const char *prefix)
{
    if (strncmp(text, prefix, strlen(prefix)) != 0)
	fail_msg("want \"%s...\", got \"%.120s\"", prefix, text);
}

/* test_senders - the null sender and a quoted local part */
static void test_senders(void **state)
{
    FIXTURE *fx = *state;
    const char *rest;

    open_request(fx, "");
    assert_int_equal(copy_to_file(fx, "nobody@localhost", "",
				  MAIL_COPY_FROM | MAIL_COPY_RETURN_PATH
				  | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT,
				  "\n"), 0);
    rest = check_from_line(file_text(fx->out), "MAILER-DAEMON");
    /* An empty orig_to: no X-Original-To. */
    starts_with(rest, "Return-Path: <>\nDelivered-To: "
		"nobody@localhost\nSubject: t\n");
    unlink(fx->out);
    open_request(fx, "odd user@example.org");
    assert_int_equal(copy_to_file(fx, "first last@example.org", NULL,
				  MAIL_COPY_FROM | MAIL_COPY_RETURN_PATH
				  | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT,
				  "\n"), 0);
    rest = check_from_line(file_text(fx->out), "\"odd user\"@example.org");
    starts_with(rest, "Return-Path: <\"odd user\"@example.org>\n"
		"Delivered-To: \"first last\"@example.org\nSubject: t\n");
}

/* test_dot_crlf - SMTP-like dot quoting, CRLF, no From_ quoting */
static void test_dot_crlf(void **state)
{
    FIXTURE *fx = *state;
    const char *want = "Subject: t\r\n"
	"\r\n"
	"From the body\r\n"
	">From x\r\n"
	"From split over two records\r\n"
	"..\r\n"
	"..dot\r\n"
	"line\r\n";
    VSTRING *twice = vstring_alloc(200);

    assert_int_equal(copy_to_file(fx, NULL, NULL, MAIL_COPY_DOT, "\r\n"), 0);
    assert_string_equal(file_text(fx->out), want);
    /* The same request again: read from the start of the content. */
    assert_int_equal(copy_to_file(fx, NULL, NULL, MAIL_COPY_DOT, "\r\n"), 0);
    vstring_sprintf(twice, "%s%s", want, want);
    assert_string_equal(file_text(fx->out), vstring_str(twice));
    vstring_free(twice);
}

/* test_damaged - truncated content, a wrong offset, no file */
static void test_damaged(void **state)
{
    FIXTURE *fx = *state;
    DSN     dsn;

    /* Cut the file inside the content: X and Z are gone. */
    assert_int_equal(truncate(fx->qpath, fx->info.data_offset + 20), 0);
    assert_int_equal(copy_to_file(fx, NULL, NULL, 0, "\n"), -1);
    dsb_dsn(fx->why, &dsn);
    assert_string_equal(dsn.status, "4.3.0");
    assert_true(strncmp(dsn.reason, "error reading message: ", 23) == 0);
    /* The data offset points at the recipient, not at M. */
    open_request(fx, "sender@example.org");
    fx->req->data_offset = fx->info.rcpt_offset[0];
    assert_int_equal(copy_to_file(fx, NULL, NULL, 0, "\n"), -1);
    dsb_dsn(fx->why, &dsn);
    assert_non_null(strstr(dsn.reason, "error reading message: no message "
			   "content at offset"));
    /* No queue file. */
    vstream_fclose(fx->req->fp);
    fx->req->fp = NULL;
    assert_int_equal(copy_to_file(fx, NULL, NULL, 0, "\n"), -1);
    dsb_dsn(fx->why, &dsn);
    assert_string_equal(dsn.status, "4.3.0");
}

/* test_write_error - a destination that cannot be written */
static void test_write_error(void **state)
{
    FIXTURE *fx = *state;
    VSTREAM *dst;
    DSN     dsn;
    int     fd;

    test_write_file(fx->out, "");
    fd = open(fx->out, O_RDONLY);
    assert_true(fd >= 0);
    dst = vstream_fdopen(fd, O_WRONLY);
    assert_int_equal(mail_copy(fx->req, NULL, NULL, dst, MAIL_COPY_MBOX,
			       "\n", fx->why), -1);
    vstream_fclose(dst);
    dsb_dsn(fx->why, &dsn);
    assert_string_equal(dsn.status, "4.3.0");
    assert_true(strncmp(dsn.reason, "error writing message: ", 23) == 0);
}

/* test_file_too_big - EFBIG is a full mailbox: 5.2.2 (in a child) */
static void test_file_too_big(void **state)
{
    FIXTURE *fx = *state;
    pid_t   pid;
    int     status;

    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
	struct rlimit rl = {.rlim_cur = 40, .rlim_max = RLIM_INFINITY};
	VSTREAM *dst;
	DSN     dsn;

	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
	    _exit(20);
	dst = vstream_fopen(fx->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (dst == NULL)
	    _exit(21);
	if (mail_copy(fx->req, NULL, NULL, dst, MAIL_COPY_MBOX, "\n",
		      fx->why) != -1)
	    _exit(22);
	(void) vstream_fclose(dst);
	dsb_dsn(fx->why, &dsn);
	if (strcmp(dsn.status, "5.2.2") != 0)
	    _exit(23);
	if (strcmp(dsn.reason, "error writing message: File too large") != 0)
	    _exit(24);
	_exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_mailbox, setup, teardown),
	cmocka_unit_test_setup_teardown(test_senders, setup, teardown),
	cmocka_unit_test_setup_teardown(test_dot_crlf, setup, teardown),
	cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
	cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
	cmocka_unit_test_setup_teardown(test_file_too_big, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
