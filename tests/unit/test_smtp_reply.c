/*
 * test_smtp_reply - unit tests for smtp_reply(3): SMTP reply parsing
 *
 * The expectations for joined texts and status codes are what Debian's
 * Postfix 3.7 smtp(8) logs for the same replies (recorded against a
 * scripted server: "550-5.1.1 first line 550-5.1.1 second line 550
 * 5.1.1 third", "550 4.1.1 x" gives 5.0.0, "550-5.1.1 a" "551 5.1.2 b"
 * gives 5.1.2, a garbage line before "550 5.1.1 x" is part of the text).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_addr.h"
#include "test_support.h"
#include "test_memstream.h"

#define MAX_LINES	5

/* One parse case: the lines of a reply and what must come out. */
typedef struct PARSE_CASE {
    const char *lines[MAX_LINES];
    int     count;
    int     result;			/* 0 SMTP, -1 not SMTP */
    int     code;
    const char *dsn;
    const char *text;
} PARSE_CASE;

static const PARSE_CASE parse_cases[] = {
    {{"250 2.0.0 Ok: queued as X"}, 1, 0, 250, "2.0.0",
    "250 2.0.0 Ok: queued as X"},
    {{"250 Ok"}, 1, 0, 250, "2.0.0", "250 Ok"},
    {{"250"}, 1, 0, 250, "2.0.0", "250"},
    {{"550 5.1.1 <a@b>: Recipient address rejected"}, 1, 0, 550, "5.1.1",
    "550 5.1.1 <a@b>: Recipient address rejected"},
    /* Multi-line: every line as received, joined by one space. */
    {{"550-5.1.1 first line", "550-5.1.1 second line", "550 5.1.1 third"},
	3, 0, 550, "5.1.1",
    "550-5.1.1 first line 550-5.1.1 second line 550 5.1.1 third"},
    {{"550-first line", "550 second"}, 2, 0, 550, "5.0.0",
    "550-first line 550 second"},
    /* The status code comes from the last line. */
    {{"550-5.1.1 a", "551 5.1.2 b"}, 2, 0, 551, "5.1.2",
    "550-5.1.1 a 551 5.1.2 b"},
    {{"550-5.1.1 a", "550 b"}, 2, 0, 550, "5.0.0", "550-5.1.1 a 550 b"},
    /* A status code of another class is ignored. */
    {{"550 4.1.1 class mismatch"}, 1, 0, 550, "5.0.0",
    "550 4.1.1 class mismatch"},
    {{"451 2.0.0 odd"}, 1, 0, 451, "4.0.0", "451 2.0.0 odd"},
    /* Things that look almost like a status code. */
    {{"550 5.1 short"}, 1, 0, 550, "5.0.0", "550 5.1 short"},
    {{"550 5.1.1234 long"}, 1, 0, 550, "5.0.0", "550 5.1.1234 long"},
    {{"550 5.1.1x glued"}, 1, 0, 550, "5.0.0", "550 5.1.1x glued"},
    {{"550 5.1.1"}, 1, 0, 550, "5.1.1", "550 5.1.1"},
    {{"250 2.1.5\tTab"}, 1, 0, 250, "2.1.5", "250 2.1.5\tTab"},
    /* A garbage line before the final line is part of the reply. */
    {{"garbage reply", "550 5.1.1 after garbage"}, 2, 0, 550, "5.1.1",
    "garbage reply 550 5.1.1 after garbage"},
    {{"hello there", "220 fine"}, 2, 0, 220, "2.0.0", "hello there 220 fine"},
    /* Not SMTP: no final line. */
    {{"garbage"}, 1, -1, 450, "4.5.0", "garbage"},
    {{"250-more to come"}, 1, -1, 450, "4.5.0", "250-more to come"},
    {{"2501 four digits"}, 1, -1, 450, "4.5.0", "2501 four digits"},
    {{"150 wrong class"}, 1, -1, 450, "4.5.0", "150 wrong class"},
    {{"650 wrong class"}, 1, -1, 450, "4.5.0", "650 wrong class"},
    {{"25"}, 1, -1, 450, "4.5.0", "25"},
    {{""}, 1, -1, 450, "4.5.0", ""},
    {{0}, 0, -1, 450, "4.5.0", ""},
};

/* test_parse_table - code, status and text of each reply shape */
static void test_parse_table(void **state)
{
    SMTP_RESP resp;
    size_t  n;

    (void) state;
    smtp_resp_init(&resp);
    for (n = 0; n < ARRAY_LEN(parse_cases); n++) {
	const PARSE_CASE *c = parse_cases + n;
	int     result = smtp_reply_parse(&resp, (const char **) c->lines,
					  c->count);

	if (result != c->result || resp.code != c->code
	    || strcmp(resp.dsn, c->dsn) != 0
	    || strcmp(vstring_str(resp.str), c->text) != 0
	    || strcmp(vstring_str(resp.dsn_buf), c->dsn) != 0)
	    fail_msg("case %lu: got %d %d %s \"%s\"", (unsigned long) n,
		     result, resp.code, resp.dsn, vstring_str(resp.str));
    }
    smtp_resp_free(&resp);
}

/* test_parse_bounded - a huge reply text is cut at line_length_limit */
static void test_parse_bounded(void **state)
{
    SMTP_RESP resp;
    char   *big = malloc(200000);
    const char *lines[2];

    (void) state;
    assert_non_null(big);
    memset(big, 'x', 199999);
    big[199999] = 0;
    memcpy(big, "550-", 4);
    lines[0] = big;
    lines[1] = "550 5.7.1 end";
    smtp_resp_init(&resp);
    assert_int_equal(smtp_reply_parse(&resp, lines, 2), 0);
    assert_int_equal(resp.code, 550);
    assert_string_equal(resp.dsn, "5.7.1");
    /* Cut at line_length_limit (2048), as Postfix keeps about that. */
    assert_int_equal((int) VSTRING_LEN(resp.str), 2048);
    smtp_resp_free(&resp);
    free(big);
}

/* session_for - a session that reads text from memory */
static SMTP_SESSION *session_for(const char *text)
{
    static char name[] = "mx.example";
    static char address[] = "192.0.2.1";
    SMTP_ADDR addr = {name, address, 25, 0, 0};

    return (smtp_session_alloc(test_memstream(text, strlen(text)), &addr));
}

/* test_read_replies - replies in sequence from one stream */
static void test_read_replies(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;

    (void) state;
    session = session_for("220 mx.example ESMTP\r\n"
			  "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n"
			  "550-5.1.1 a\n550 5.1.1 b\r\n"
			  "354 go\r\n"
			  "250 2.0.0 truncated line without end");
    assert_string_equal(session->namaddr, "mx.example[192.0.2.1]");
    assert_string_equal(session->namaddrport, "mx.example[192.0.2.1]:25");
    smtp_resp_init(&resp);
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_int_equal(resp.code, 220);
    assert_string_equal(vstring_str(resp.str), "220 mx.example ESMTP");
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_int_equal(resp.code, 250);
    assert_int_equal((int) resp.lines->argc, 3);
    assert_string_equal(resp.lines->argv[2], "250 SIZE 1000");
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_string_equal(vstring_str(resp.str), "550-5.1.1 a 550 5.1.1 b");
    assert_string_equal(resp.dsn, "5.1.1");
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_int_equal(resp.code, 354);
    /* A last line without newline still counts. */
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_int_equal(resp.code, 250);
    /* Then end of input. */
    assert_int_equal(smtp_reply_read(session, &resp), SMTP_ERR_EOF);
    assert_false(session->broken);
    smtp_resp_free(&resp);
    smtp_session_free(session);
}

/* test_read_eof_midway - a reply cut off after a continuation line */
static void test_read_eof_midway(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;

    (void) state;
    session = session_for("250-mx.example\r\n250-PIPELINING\r\n");
    smtp_resp_init(&resp);
    assert_int_equal(smtp_reply_read(session, &resp), SMTP_ERR_EOF);
    smtp_resp_free(&resp);
    smtp_session_free(session);
}

/* test_read_non_smtp - garbage lines are logged and kept */
static void test_read_non_smtp(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;

    (void) state;
    session = session_for("garbage reply\r\n550 5.1.1 after garbage\r\n");
    session->log_id = "ABC123";
    session->features = SMTP_FEATURE_PIPELINING;
    smtp_resp_init(&resp);
    test_capture_start();
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_non_null(strstr(test_capture_text(),
			   "ABC123: non-ESMTP response from "
			   "mx.example[192.0.2.1]:25: garbage reply"));
    assert_non_null(strstr(test_capture_text(),
			   "to prevent loss of mail, turn off command "
			   "pipelining for 192.0.2.1 with the "
			   "smtp_discard_ehlo_keyword_address_maps parameter"));
    test_capture_stop();
    assert_int_equal(resp.code, 550);
    assert_string_equal(vstring_str(resp.str),
			"garbage reply 550 5.1.1 after garbage");
    smtp_resp_free(&resp);
    smtp_session_free(session);
}

/* test_read_long_line - a line over line_length_limit is truncated */
static void test_read_long_line(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;
    VSTRING *text = vstring_alloc(10000);
    int     i;

    (void) state;
    vstring_strcpy(text, "250-");
    for (i = 0; i < 5000; i++)
	VSTRING_ADDCH(text, 'y');
    vstring_strcat(text, "\r\n250 2.0.0 ok\r\n");
    session = session_for(vstring_str(text));
    smtp_resp_init(&resp);
    test_capture_start();
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_non_null(strstr(test_capture_text(), "truncated"));
    test_capture_stop();
    assert_int_equal(resp.code, 250);
    assert_string_equal(resp.lines->argv[1], "250 2.0.0 ok");
    assert_true(strlen(resp.lines->argv[0]) <= 2048);
    smtp_resp_free(&resp);
    smtp_session_free(session);
    vstring_free(text);
}

/* test_read_many_lines - a long reply: first lines and the last kept */
static void test_read_many_lines(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;
    VSTRING *text = vstring_alloc(20000);
    int     i;

    (void) state;
    for (i = 0; i < 2000; i++)
	vstring_sprintf_append(text, "550-5.1.1 line %d\r\n", i);
    vstring_strcat(text, "550 5.1.1 end\r\n");
    session = session_for(vstring_str(text));
    smtp_resp_init(&resp);
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_int_equal(resp.code, 550);
    assert_string_equal(resp.dsn, "5.1.1");
    assert_int_equal((int) resp.lines->argc, SMTP_REPLY_MAX_LINES);
    assert_string_equal(resp.lines->argv[SMTP_REPLY_MAX_LINES - 1],
			"550 5.1.1 end");
    assert_true(VSTRING_LEN(resp.str) <= 2048);
    assert_false(session->broken);
    smtp_resp_free(&resp);
    smtp_session_free(session);
    vstring_free(text);
}

/* test_read_endless - a reply that never ends is cut off */
static void test_read_endless(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;
    VSTRING *text = vstring_alloc(800000);
    int     i;

    (void) state;
    for (i = 0; i < 100010; i++)
	vstring_strcat(text, "250-x\r\n");
    session = session_for(vstring_str(text));
    smtp_resp_init(&resp);
    test_capture_start();
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_non_null(strstr(test_capture_text(), "more than 100000 lines"));
    test_capture_stop();
    assert_int_equal(resp.code, 450);
    assert_string_equal(resp.dsn, "4.5.0");
    assert_true(session->broken);
    smtp_resp_free(&resp);
    smtp_session_free(session);
    vstring_free(text);
}

/* test_reply_filter - smtp_reply_filter rewrites lines */
static void test_reply_filter(void **state)
{
    SMTP_SESSION *session;
    SMTP_RESP resp;

    char   *dir = test_tempdir();
    VSTRING *path = vstring_alloc(100);

    (void) state;
    vstring_sprintf(path, "%s/filter", dir);
    test_write_file(vstring_str(path), "/^250 broken$/ 250 fixed\n"
		    "/^250 bad$/ nonsense\n");
    vstring_sprintf_prepend(path, "regexp:");
    mail_conf_update("smtp_reply_filter", vstring_str(path));
    mail_params_reset();
    smtp_reply_filter_reset();
    session = session_for("250 broken\r\n250 bad\r\n");
    smtp_resp_init(&resp);
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_string_equal(vstring_str(resp.str), "250 fixed");
    test_capture_start();
    assert_int_equal(smtp_reply_read(session, &resp), 0);
    assert_non_null(strstr(test_capture_text(),
			   "is not an SMTP reply line"));
    test_capture_stop();
    assert_string_equal(vstring_str(resp.str), "250 bad");
    smtp_resp_free(&resp);
    smtp_session_free(session);
    mail_conf_update("smtp_reply_filter", "");
    mail_params_reset();
    smtp_reply_filter_reset();
    test_remove_tree(dir);
    myfree(dir);
    vstring_free(path);
}

/* test_passivate_activate - cached properties round trip */
static void test_passivate_activate(void **state)
{
    SMTP_SESSION *session;
    VSTRING *prop = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int     fd;

    (void) state;
    session = session_for("");
    session->features = SMTP_FEATURE_ESMTP | SMTP_FEATURE_PIPELINING;
    session->size_limit = 10240000;
    session->reuse_count = 3;
    session->connect_time = 1700000000;
    session->pix_flags = SMTP_PIX_DELAY_DOTCRLF;
    myfree(session->helo);
    session->helo = mystrdup("mx\tname");
    fd = smtp_session_passivate(session, prop);
    assert_true(fd >= 0);
    session = smtp_session_activate(fd, vstring_str(prop), why);
    assert_non_null(session);
    assert_string_equal(session->namaddrport, "mx.example[192.0.2.1]:25");
    assert_int_equal(session->features,
		     SMTP_FEATURE_ESMTP | SMTP_FEATURE_PIPELINING);
    assert_int_equal((long) session->size_limit, 10240000L);
    assert_int_equal(session->reuse_count, 3);
    assert_int_equal((long) session->connect_time, 1700000000L);
    assert_string_equal(session->helo, "mx?name");
    assert_int_equal(session->pix_flags, SMTP_PIX_DELAY_DOTCRLF);
    assert_true(session->reused);
    fd = smtp_session_passivate(session, prop);

    /* Malformed properties. */
    assert_null(smtp_session_activate(fd, "mx\t1.2.3.4\t25", why));
    assert_non_null(strstr(vstring_str(why), "malformed"));
    assert_null(smtp_session_activate(fd,
				  "mx\t1.2.3.4\t99999\t0\t0\t0\t0\th\t0", why));
    assert_null(smtp_session_activate(fd,
				  "mx\t1.2.3.4\t25\t-1\t0\t0\t0\th\t0", why));
    assert_null(smtp_session_activate(fd,
				  "\t1.2.3.4\t25\t1\t0\t0\t0\th\t0", why));
    assert_null(smtp_session_activate(fd,
				  "mx\t1.2.3.4\t25\t1\t0\t0\t0\th\tx", why));
    close(fd);
    vstring_free(prop);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_table),
	cmocka_unit_test(test_parse_bounded),
	cmocka_unit_test(test_read_replies),
	cmocka_unit_test(test_read_eof_midway),
	cmocka_unit_test(test_read_non_smtp),
	cmocka_unit_test(test_read_long_line),
	cmocka_unit_test(test_read_many_lines),
	cmocka_unit_test(test_read_endless),
	cmocka_unit_test(test_reply_filter),
	cmocka_unit_test(test_passivate_activate),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
