/*
 * test_smtp_content - unit tests for smtp_content(3), smtp_checks(3) and
 *	smtp_generic(3)
 *
 * DESCRIPTION
 *	A queue file written by the test is sent through
 *	smtp_content_send() into a collecting out() function, without a
 *	network. The expected bytes are those that Debian's Postfix 3.7.11
 *	smtp(8) sent to a recording server (test_smtp_content_golden.h
 *	and the shapes below): CRLF line ends and dot-stuffing, long
 *	lines broken with CRLF SPACE, 8-bit to quoted-printable conversion
 *	for several MIME shapes, smtp_header_checks and smtp_body_checks
 *	actions and their log lines, smtp_generic_maps in headers and the
 *	envelope; then out() failures, damaged queue files and failing
 *	check tables (SMTP_ERR_DATA), too deep MIME nesting,
 *	smtp_content_needs_downgrade() and smtp_quote_envelope().
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "deliver_request.h"
#include "smtp.h"
#include "smtp_session.h"
#include "smtp_content.h"
#include "smtp_generic.h"
#include "test_queue_sample.h"
#include "test_support.h"
#include "test_smtp_content_golden.h"

typedef struct FIXTURE {
    char   *dir;
    char   *qpath;
    TEST_QUEUE_SAMPLE info;
    DELIVER_REQUEST *req;
    SMTP_STATE state;
    SMTP_SESSION session;
    DSN_BUF *why;
    VSTRING *got;			/* everything out() received */
    size_t  calls;			/* out() calls */
    size_t  biggest;			/* largest piece */
    size_t  fail_at;			/* out() call that fails, 0: none */
} FIXTURE;

static const char *const rcpts[] = {"r@remote.example", NULL};

/* collect - the out() function: keep the bytes */
static int collect(void *context, const char *data, ssize_t len)
{
    FIXTURE *fx = context;

    fx->calls++;
    if (fx->fail_at != 0 && fx->calls >= fx->fail_at)
	return (SMTP_ERR_EOF);
    if ((size_t) len > fx->biggest)
	fx->biggest = (size_t) len;
    vstring_memcat(fx->got, data, (size_t) len);
    return (0);
}

/* configure - main.cf settings for this test (NULL-terminated pairs) */
static void configure(const char *const *pairs)
{
    mail_conf_clear();
    for (; pairs && pairs[0]; pairs += 2)
	mail_conf_update(pairs[0], pairs[1]);
    mail_params_reset();
    smtp_params_init("smtp", "smtp");
    smtp_content_reset();
}

/* queue - a request on a queue file with this content */
static void queue(FIXTURE *fx, const char *content)
{
    if (fx->req)
	deliver_request_free(fx->req);
    test_queue_sample(fx->qpath, "alice@test.example", rcpts, content,
		      &fx->info);
    fx->req = deliver_request_alloc();
    fx->req->queue_id = mystrdup("3F2A1B7E4");
    fx->req->sender = mystrdup("alice@test.example");
    fx->req->data_offset = fx->info.data_offset;
    fx->req->data_size = fx->info.data_size;
    fx->req->fp = vstream_fopen(fx->qpath, O_RDWR, 0);
    assert_non_null(fx->req->fp);
    memset(&fx->state, 0, sizeof(fx->state));
    fx->state.request = fx->req;
    fx->state.src = fx->req->fp;
    fx->state.session = &fx->session;
    memset(&fx->session, 0, sizeof(fx->session));
    fx->session.features = SMTP_FEATURE_ESMTP;
}

/* send_content - smtp_content_send() into fx->got */
static int send_content(FIXTURE *fx, int flags)
{
    VSTRING_RESET(fx->got);
    VSTRING_TERMINATE(fx->got);
    fx->calls = fx->biggest = 0;
    return (smtp_content_send(&fx->state, flags, collect, fx, fx->why));
}

/* assert_got - the bytes sent equal expect */
static void assert_got(FIXTURE *fx, const char *expect)
{
    VSTRING_TERMINATE(fx->got);
    assert_string_equal(vstring_str(fx->got), expect);
}

/* write_file - a table file in the test directory; returns its path */
static char *write_file(FIXTURE *fx, const char *name, const char *text)
{
    char   *path = concatenate(fx->dir, "/", name, (char *) 0);
    FILE   *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return (path);
}

/* setup - a temporary directory, default parameters */
static int setup(void **state)
{
    FIXTURE *fx = mycalloc(1, sizeof(*fx));

    fx->dir = test_tempdir();
    fx->qpath = concatenate(fx->dir, "/3F2A1B7E4", (char *) 0);
    fx->why = dsb_create();
    fx->got = vstring_alloc(1000);
    configure(0);
    *state = fx;
    return (0);
}

/* teardown - remove the files */
static int teardown(void **state)
{
    FIXTURE *fx = *state;
    static const char *const files[] = {"3F2A1B7E4", "checks", NULL};
    const char *const *fp;
    char   *path;

    smtp_content_reset();
    test_capture_stop();
    if (fx->req)
	deliver_request_free(fx->req);
    for (fp = files; *fp; fp++) {
	path = concatenate(fx->dir, "/", *fp, (char *) 0);
	(void) unlink(path);
	myfree(path);
    }
    (void) rmdir(fx->dir);
    myfree(fx->dir);
    myfree(fx->qpath);
    dsb_free(fx->why);
    vstring_free(fx->got);
    myfree(fx);
    return (0);
}

/* test_dot_crlf - CRLF line ends; dot-stuffing only with the flag */
static void test_dot_crlf(void **state)
{
    FIXTURE *fx = *state;

    queue(fx, "Subject: t\n\n.dot\n..two\n.\001.split\nsplit\001 line\n.\n");
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
    assert_got(fx, "Subject: t\r\n\r\n..dot\r\n...two\r\n...split\r\n"
	       "split line\r\n..\r\n");
    assert_int_equal(send_content(fx, 0), 0);
    assert_got(fx, "Subject: t\r\n\r\n.dot\r\n..two\r\n..split\r\n"
	       "split line\r\n.\r\n");
}

/* long_line - text of len copies of ch after a prefix */
static void long_line(VSTRING *buf, const char *prefix, int ch, size_t len)
{
    vstring_strcat(buf, prefix);
    while (len-- > 0)
	VSTRING_ADDCH(buf, ch);
    VSTRING_TERMINATE(buf);
}

/* test_line_break - as Debian's smtp(8) broke a 3000-byte line */
static void test_line_break(void **state)
{
    FIXTURE *fx = *state;
    VSTRING *in = vstring_alloc(10000);
    VSTRING *out = vstring_alloc(10000);
    int     pass;

    /* The second pass puts the long line into P records. */
    for (pass = 0; pass < 2; pass++) {
	VSTRING_RESET(in);
	vstring_strcpy(in, "Subject: long\n\nshort line\n");
	long_line(in, "", 'x', 1500);
	long_line(in, pass ? "\001" : "", 'x', 1500);
	long_line(in, "\n.", 'y', 2500);
	vstring_strcat(in, "\n.dot line\nend\n");
	queue(fx, vstring_str(in));

	vstring_strcpy(out, "Subject: long\r\n\r\nshort line\r\n");
	long_line(out, "", 'x', 998);
	long_line(out, "\r\n ", 'x', 997);
	long_line(out, "\r\n ", 'x', 997);
	long_line(out, "\r\n ", 'x', 8);
	long_line(out, "\r\n..", 'y', 997);
	long_line(out, "\r\n ", 'y', 997);
	long_line(out, "\r\n ", 'y', 506);
	vstring_strcat(out, "\r\n..dot line\r\nend\r\n");

	test_capture_start();
	assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
	assert_got(fx, vstring_str(out));
	/* Logged once per message, as Postfix does. */
	assert_non_null(strstr(test_capture_text(), "3F2A1B7E4: breaking line"
			       " > 998 bytes with <CR><LF>SPACE"));
	assert_null(strstr(strstr(test_capture_text(), "breaking") + 1,
			   "breaking"));
	test_capture_stop();
    }
    /* smtp_line_length_limit = 0: no limit. */
    configure((const char *const[]) {"smtp_line_length_limit", "0", NULL});
    queue(fx, vstring_str(in));
    assert_int_equal(send_content(fx, 0), 0);
    assert_int_equal(VSTRING_LEN(fx->got), 13 + 0 + 10 + 3000 + 2501 + 9 + 3
		     + 7 * 2);
    /* A limit of 1 still ends: pieces of one byte after the first. */
    configure((const char *const[]) {"smtp_line_length_limit", "1", NULL});
    queue(fx, "abc\n");
    assert_int_equal(send_content(fx, 0), 0);
    assert_got(fx, "ab\r\n c\r\n");
    vstring_free(in);
    vstring_free(out);
}

/* test_chunks - out() gets bounded pieces; its failure stops the send */
static void test_chunks(void **state)
{
    FIXTURE *fx = *state;
    VSTRING *in = vstring_alloc(30000);
    int     n;

    vstring_strcpy(in, "Subject: big\n\n");
    for (n = 0; n < 400; n++)
	vstring_sprintf_append(in, "line %d of a message that is long enough"
			       " to need several pieces\n", n);
    queue(fx, vstring_str(in));
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
    assert_true(fx->calls > 4);
    assert_true(fx->biggest <= 4096);
    assert_int_equal(VSTRING_LEN(fx->got), VSTRING_LEN(in) + 402);

    fx->fail_at = 2;
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), SMTP_ERR_EOF);
    assert_int_equal(fx->calls, 2);
    fx->fail_at = 0;
    vstring_free(in);
}

/* test_table_failure - a failing check table: SMTP_ERR_DATA at once */
static void test_table_failure(void **state)
{
    FIXTURE *fx = *state;

    configure((const char *const[]) {"smtp_header_checks", "fail:hc",
	NULL});
    queue(fx, "Subject: t\n\nbody\n");
    test_capture_start();
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), SMTP_ERR_DATA);
    assert_non_null(strstr(test_capture_text(),
		       "warning: 3F2A1B7E4: smtp header checks lookup error"));
    assert_null(strstr(vstring_str(fx->got), "body"));
    test_capture_stop();
}

/* test_damaged - queue file problems: SMTP_ERR_DATA, why 4.3.0 */
static void test_damaged(void **state)
{
    FIXTURE *fx = *state;
    VSTREAM *fp;

    queue(fx, "Subject: t\n\nbody\n");
    fx->req->data_offset = 3;
    test_capture_start();
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), SMTP_ERR_DATA);
    assert_string_equal(vstring_str(fx->why->status), "4.3.0");
    assert_true(strncmp(vstring_str(fx->why->reason),
			"error reading message: no message content at"
			" offset 3", 50) == 0);
    assert_non_null(strstr(test_capture_text(),
			   "warning: 3F2A1B7E4: error reading message: "));
    test_capture_stop();

    /* Cut inside the content: premature end of file. */
    queue(fx, "Subject: t\n\nbody line one\nbody line two\n");
    assert_int_equal(truncate(fx->qpath, fx->info.data_offset + 20), 0);
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), SMTP_ERR_DATA);
    assert_string_equal(vstring_str(fx->why->status), "4.3.0");
    assert_string_equal(vstring_str(fx->why->reason),
			"error reading message: truncated record in"
			" message content");

    /* A P record right before X. */
    queue(fx, "Subject: t\n\nx\n");
    fp = fx->req->fp;
    assert_int_equal(vstream_fseek(fp, fx->info.data_offset, SEEK_SET),
		     fx->info.data_offset);
    record_puts(fp, REC_TYPE_MESSAGE, "");
    record_puts(fp, REC_TYPE_PART, "ab");
    record_puts(fp, REC_TYPE_EXTRACT, "");
    record_puts(fp, REC_TYPE_END, "");
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(send_content(fx, 0), SMTP_ERR_DATA);
    assert_string_equal(vstring_str(fx->why->reason),
		"error reading message: partial line at end of message content");

    fx->state.src = 0;
    assert_int_equal(send_content(fx, 0), SMTP_ERR_DATA);
    assert_string_equal(vstring_str(fx->why->reason),
			"error reading message: queue file is not open");
}

 /*
  * The recorded shapes: input as queued, output as Debian's smtp(8) sent
  * it to a server without 8BITMIME.
  */
typedef struct GOLDEN {
    const char *name;
    const char *in;
    const char *out;
} GOLDEN;

static const GOLDEN golden[] = {
    {"text/plain without CTE", golden_noCTE_in, golden_noCTE_out},
    {"text/plain 8bit", golden_cte8_in, golden_cte8_out},
    {"multipart 8bit", golden_multipart_in, golden_multipart_out},
    {"message/rfc822 8bit", golden_rfc822_in, golden_rfc822_out},
    {"multipart with message/rfc822", golden_mp_rfc822_in,
    golden_mp_rfc822_out},
    {"text/plain binary, long lines", golden_binary_in, golden_binary_out},
    {"message/partial 8bit", golden_partial_in, golden_partial_out},
    {0, 0, 0},
};

/* test_downgrade - byte for byte what Debian's smtp(8) sent */
static void test_downgrade(void **state)
{
    FIXTURE *fx = *state;
    const GOLDEN *gp;
    const char *got;
    const char *want;
    size_t  n;

    for (gp = golden; gp->name; gp++) {
	queue(fx, gp->in);
	assert_int_equal(send_content(fx, SMTP_CONTENT_DOT
				      | SMTP_CONTENT_DOWNGRADE), 0);
	VSTRING_TERMINATE(fx->got);
	got = vstring_str(fx->got);
	want = gp->out;
	for (n = 0; got[n] && got[n] == want[n]; n++)
	     /* void */ ;
	if (got[n] != want[n])
	    fail_msg("%s: differs at byte %lu: got \"%.60s\" want \"%.60s\"",
		     gp->name, (unsigned long) n, got + n, want + n);
    }
}

/* test_nesting - too deep nesting while converting: 5.6.0 */
static void test_nesting(void **state)
{
    FIXTURE *fx = *state;
    static const char nested[] =
    "Subject: nest\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=A\n\n"
    "--A\nContent-Type: multipart/mixed; boundary=B\n\n"
    "--B\nContent-Type: multipart/mixed; boundary=C\n\n"
    "--C\nContent-Type: multipart/mixed; boundary=D\n\n"
    "--D\nContent-Type: multipart/mixed; boundary=E\n\n"
    "--E\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n"
    "\303\244\n--E--\n--D--\n--C--\n--B--\n--A--\n";

    configure((const char *const[]) {"mime_nesting_limit", "2", NULL});
    queue(fx, nested);
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT
				  | SMTP_CONTENT_DOWNGRADE), -1);
    assert_string_equal(vstring_str(fx->why->status), "5.6.0");
    assert_string_equal(vstring_str(fx->why->reason),
			"MIME nesting exceeds safety limit");
    /* Without conversion the nesting does not matter. */
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
}

/* test_needs_downgrade - server features, encoding, the parameter */
static void test_needs_downgrade(void **state)
{
    FIXTURE *fx = *state;

    queue(fx, "Subject: t\n\nx\n");
    fx->req->encoding = mystrdup("8bitmime");
    assert_true(smtp_content_needs_downgrade(&fx->state));
    fx->session.features |= SMTP_FEATURE_8BITMIME;
    assert_false(smtp_content_needs_downgrade(&fx->state));
    fx->session.features &= ~SMTP_FEATURE_8BITMIME;
    fx->session.features |= SMTP_FEATURE_SMTPUTF8;
    assert_false(smtp_content_needs_downgrade(&fx->state));
    fx->session.features &= ~SMTP_FEATURE_SMTPUTF8;
    myfree(fx->req->encoding);
    fx->req->encoding = mystrdup("7bit");
    assert_false(smtp_content_needs_downgrade(&fx->state));
    myfree(fx->req->encoding);
    fx->req->encoding = 0;			/* unknown: maybe 8-bit */
    assert_true(smtp_content_needs_downgrade(&fx->state));
    configure((const char *const[]) {"disable_mime_output_conversion", "yes",
	NULL});
    assert_false(smtp_content_needs_downgrade(&fx->state));
    fx->state.session = 0;
    assert_false(smtp_content_needs_downgrade(&fx->state));
}

/* test_checks - the actions and log lines of Debian's smtp(8) */
static void test_checks(void **state)
{
    FIXTURE *fx = *state;
    char   *path = write_file(fx, "checks",
			      "/^Subject: warnme/ WARN warned header\n"
			      "/^Subject: bare/ WARN\n"
			      "/^X-Info:/ INFO informed\n"
			      "/^X-Replace:/ REPLACE X-Replaced: yes\n"
			      "/^X-Prepend:/ PREPEND X-Prepended: yes\n"
			      "/^X-Ignore:/ IGNORE\n"
			      "/^X-Strip:/ STRIP stripped\n"
			      "/^X-Reject:/ REJECT rejected text\n"
			      "/^X-Unknown:/ FOO bar\n"
			      "/^X-BadPrepend:/ PREPEND not a header\n"
			      "/^X-NoText:/ REPLACE\n"
			      "/^X-Ok:/ OK\n"
			      "/^Content-Description: mimewarn/ WARN mime\n"
			      "/^X-Nested: warn/ WARN nested\n"
			      "/^bodywarn/ WARN body warned\n"
			      "/^bodyreplace/ REPLACE body replaced\n"
			      "/^bodyignore/ IGNORE\n"
			      "/^bodyprepend/ PREPEND prepended line\n"
			      "/^bodyinfo/ INFO body info\n");
    char   *table = concatenate("regexp:", path, (char *) 0);
    const char *log;

    configure((const char *const[]) {"smtp_header_checks", table,
	"smtp_mime_header_checks", table, "smtp_nested_header_checks", table,
	"smtp_body_checks", table, NULL});
    queue(fx, "Subject: warnme please\nSubject: bare\nX-Info: 1\n"
	  "X-Replace: 1\nX-Prepend: 1\nX-Ignore: 1\nX-Strip: y\n"
	  "X-Reject: 1\nX-Unknown: 1\nX-BadPrepend: 1\nX-NoText: 1\nX-Ok: 1\n"
	  "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
	  "--b\nContent-Description: mimewarn\n\nbodywarn line\n"
	  "bodyreplace line\nbodyignore line\nbodyprepend line\n"
	  "bodyinfo line\n--b\nContent-Type: message/rfc822\n\n"
	  "X-Nested: warn\n\nx\n--b--\n");
    test_capture_start();
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
    assert_got(fx, "Subject: warnme please\r\nSubject: bare\r\nX-Info: 1\r\n"
	       "X-Replaced: yes\r\nX-Prepended: yes\r\nX-Prepend: 1\r\n"
	       "X-Reject: 1\r\nX-Unknown: 1\r\nX-BadPrepend: 1\r\n"
	       "X-NoText: 1\r\nX-Ok: 1\r\nMIME-Version: 1.0\r\n"
	       "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	       "--b\r\nContent-Description: mimewarn\r\n\r\nbodywarn line\r\n"
	       "body replaced\r\nprepended line\r\nbodyprepend line\r\n"
	       "bodyinfo line\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n"
	       "X-Nested: warn\r\n\r\nx\r\n--b--\r\n");
    log = test_capture_text();
    static const char *const lines[] = {
	"3F2A1B7E4: warning: header Subject: warnme please: warned header\n",
	"3F2A1B7E4: warning: header Subject: bare\n",
	"3F2A1B7E4: info: header X-Info: 1: informed\n",
	"3F2A1B7E4: replace: header X-Replace: 1: X-Replaced: yes\n",
	"3F2A1B7E4: prepend: header X-Prepend: 1: X-Prepended: yes\n",
	"3F2A1B7E4: strip: header X-Strip: y: stripped\n",
	"unsupported command in smtp_header_checks map: REJECT rejected text",
	"unsupported command in smtp_header_checks map: FOO bar",
	"bad PREPEND header text \"not a header\" in smtp_header_checks map"
	" -- need \"headername: headervalue\"",
	"REPLACE action without text in smtp_header_checks map",
	"3F2A1B7E4: warning: header Content-Description: mimewarn: mime\n",
	"3F2A1B7E4: warning: header X-Nested: warn: nested\n",
	"3F2A1B7E4: warning: body bodywarn line: body warned\n",
	"3F2A1B7E4: replace: body bodyreplace line: body replaced\n",
	"3F2A1B7E4: prepend: body bodyprepend line: prepended line\n",
	"3F2A1B7E4: info: body bodyinfo line: body info\n",
	NULL,
    };
    const char *const *lp;

    for (lp = lines; *lp; lp++)
	if (strstr(log, *lp) == 0)
	    fail_msg("missing log line: %s\nlog:\n%s", *lp, log);
    assert_null(strstr(log, "X-Ignore"));
    assert_null(strstr(log, "X-Ok"));
    test_capture_stop();
    myfree(table);
    myfree(path);
}

/* test_body_checks_no_size_limit - Postfix's client checks every line */
static void test_body_checks_no_size_limit(void **state)
{
    FIXTURE *fx = *state;
    char   *path = write_file(fx, "checks", "/^bodywarn/ WARN w\n");
    char   *table = concatenate("regexp:", path, (char *) 0);
    VSTRING *in = vstring_alloc(1000);
    int     n;

    configure((const char *const[]) {"smtp_body_checks", table,
	"body_checks_size_limit", "100", NULL});
    vstring_strcpy(in, "Subject: t\n\n");
    for (n = 0; n < 30; n++)
	vstring_strcat(in, "filler line of text\n");
    vstring_strcat(in, "bodywarn late\n");
    queue(fx, vstring_str(in));
    test_capture_start();
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
    assert_non_null(strstr(test_capture_text(),
			   "3F2A1B7E4: warning: body bodywarn late: w"));
    test_capture_stop();
    vstring_free(in);
    myfree(table);
    myfree(path);
}

/* test_generic - headers and envelope as Debian's smtp(8) mapped them */
static void test_generic(void **state)
{
    FIXTURE *fx = *state;
    VSTRING *buf = vstring_alloc(100);

    configure((const char *const[]) {"myorigin", "test.example",
	"mydestination", "test.example, localhost",
	"inet_interfaces", "127.0.0.1",
	"recipient_delimiter", "+",
	"propagate_unmatched_extensions", "canonical, virtual, generic",
	"smtp_generic_maps", "inline:{a1@test.example=a2@test.example, "
	"a2@test.example=a3@public.example, "
	"alice@test.example=alice.public@public.example, "
	"user@test.example=user.public@public.example, "
	"bob=bob.public@public.example, @other.example=x@public.example}",
	NULL});
    queue(fx, "From: a1@test.example\n"
	  "To: user+ext@test.example, \"Quoted Name\" <alice@test.example>,"
	  " group: a1@test.example, x@y;\n"
	  "Cc: bob@test.example\n"
	  "Reply-To: Someone <who@other.example>\n"
	  "Delivered-To: alice@test.example\n"
	  "X-Original-To: alice@test.example\n"
	  "Disposition-Notification-To: alice@test.example\n"
	  "X-Other: alice@test.example\n"
	  "Subject: alice@test.example\n"
	  "MIME-Version: 1.0\nContent-Type: message/rfc822\n\n"
	  "From: alice@test.example\nTo: bob@test.example\n\nbody\n");
    assert_int_equal(send_content(fx, SMTP_CONTENT_DOT), 0);
    /* One lookup, not recursive; folding as Debian's smtp(8) folded. */
    assert_got(fx, "From: a2@test.example\r\n"
	       "To: user.public+ext@public.example,\r\n"
	       "\t\"Quoted Name\" <alice.public@public.example>,"
	       " group: a2@test.example,\r\n"
	       "\tx@y;\r\n"
	       "Cc: bob.public@public.example\r\n"
	       "Reply-To: Someone <x@public.example>\r\n"
	       "Delivered-To: alice@test.example\r\n"
	       "X-Original-To: alice@test.example\r\n"
	       "Disposition-Notification-To: alice.public@public.example\r\n"
	       "X-Other: alice@test.example\r\n"
	       "Subject: alice@test.example\r\n"
	       "MIME-Version: 1.0\r\nContent-Type: message/rfc822\r\n\r\n"
	       "From: alice@test.example\r\nTo: bob@test.example\r\n\r\n"
	       "body\r\n");

    assert_string_equal(smtp_map_envelope(&fx->state, "a1@test.example", buf),
			"a2@test.example");
    assert_string_equal(smtp_map_envelope(&fx->state, "user+x@test.example",
					  buf), "user.public+x@public.example");
    assert_string_equal(smtp_map_envelope(&fx->state, "r@remote.example",
					  buf), "r@remote.example");
    assert_string_equal(smtp_map_envelope(&fx->state, "", buf), "");
    /* "user" keys only for local domains. */
    assert_string_equal(smtp_map_envelope(&fx->state, "bob@elsewhere.example",
					  buf), "bob@elsewhere.example");
    vstring_free(buf);
}

/* test_quote_envelope - smtp_quote_rfc821_envelope */
static void test_quote_envelope(void **state)
{
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    assert_string_equal(smtp_quote_envelope("odd user@example.org", buf),
			"\"odd user\"@example.org");
    assert_string_equal(smtp_quote_envelope("plain@example.org", buf),
			"plain@example.org");
    assert_string_equal(smtp_quote_envelope("", buf), "");
    configure((const char *const[]) {"smtp_quote_rfc821_envelope", "no",
	NULL});
    assert_string_equal(smtp_quote_envelope("odd user@example.org", buf),
			"odd user@example.org");
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_dot_crlf, setup, teardown),
	cmocka_unit_test_setup_teardown(test_line_break, setup, teardown),
	cmocka_unit_test_setup_teardown(test_chunks, setup, teardown),
	cmocka_unit_test_setup_teardown(test_damaged, setup, teardown),
	cmocka_unit_test_setup_teardown(test_table_failure, setup, teardown),
	cmocka_unit_test_setup_teardown(test_downgrade, setup, teardown),
	cmocka_unit_test_setup_teardown(test_nesting, setup, teardown),
	cmocka_unit_test_setup_teardown(test_needs_downgrade, setup, teardown),
	cmocka_unit_test_setup_teardown(test_checks, setup, teardown),
	cmocka_unit_test_setup_teardown(test_body_checks_no_size_limit, setup,
					teardown),
	cmocka_unit_test_setup_teardown(test_generic, setup, teardown),
	cmocka_unit_test_setup_teardown(test_quote_envelope, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
