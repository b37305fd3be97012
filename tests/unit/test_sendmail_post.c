/*
 * test_sendmail_post - unit tests for sendmail_post(3) and -t extraction
 *
 * DESCRIPTION
 *	The records that sendmail(1) writes for a message: the envelope,
 *	L and P records of the content, line endings, the "." line, the
 *	size limit, recipients from headers, DSN option parsing.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mymalloc.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "sendmail.h"
#include "test_support.h"

/* memfile - a stream on a fresh memory file holding text */
static VSTREAM *memfile(const char *text, size_t len, int flags)
{
    int     fd = memfd_create("test", 0);

    assert_true(fd >= 0);
    if (len > 0)
	assert_int_equal(write(fd, text, len), (ssize_t) len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return vstream_fdopen(fd, flags);
}

/* run_post - post input; the records as "T:data|" text */
static int run_post(SENDMAIL_POST *post, const char *input, size_t len,
		            VSTRING *result, VSTRING *why)
{
    VSTREAM *in = memfile(input, len, O_RDONLY);
    VSTREAM *out = memfile("", 0, O_RDWR);
    VSTRING *data = vstring_alloc(100);
    int     status;
    int     type;

    status = sendmail_post(in, out, post, why);
    vstream_fflush(out);
    vstream_fseek(out, 0, SEEK_SET);
    VSTRING_RESET(result);
    while ((type = record_get(out, data, 100000)) > 0) {
	if (type == REC_TYPE_TIME)
	    vstring_strcat(result, "T|");
	else
	    vstring_sprintf_append(result, "%c:%s|", type, vstring_str(data));
    }
    assert_int_equal(type, RECORD_EOF);
    vstream_fclose(in);
    vstream_fclose(out);
    vstring_free(data);
    return status;
}

/* post_init - defaults as sendmail sets them */
static void post_init(SENDMAIL_POST *post, ARGV *rcpts)
{
    memset(post, 0, sizeof(*post));
    post->sender = "joe";
    post->rewrite_context = "local";
    post->rcpts = rcpts;
    post->read_content = true;
    post->line_limit = 8;
    post->header_limit = 1000;
}

typedef struct CASE {
    const char *input;
    int     fix;
    bool    ignore_dots;
    const char *content;		/* records from M to Z */
} CASE;

/* test_content - lines, pieces, endings, dots */
static void test_content(void **state)
{
    static const CASE cases[] = {
	{"", SENDMAIL_FIX_ALWAYS, false, "M:|X:|Z:|"},
	{"a\nb\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:a|L:b|X:|Z:|"},
	{"a\nb", SENDMAIL_FIX_ALWAYS, false, "M:|L:a|L:b|X:|Z:|"},
	{"a\r\nb\r\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:a|L:b|X:|Z:|"},
	{"a\r\r\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:a\r|X:|Z:|"},
	{"a\nb\r\n", SENDMAIL_FIX_STRICT, false, "M:|L:a|L:b\r|X:|Z:|"},
	{"a\r\nb\n", SENDMAIL_FIX_STRICT, false, "M:|L:a|L:b|X:|Z:|"},
	{"a\r\n", SENDMAIL_FIX_NEVER, false, "M:|L:a\r|X:|Z:|"},
	{"a\n.\nb\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:a|X:|Z:|"},
	{"a\n.\r\nb\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:a|X:|Z:|"},
	{"a\n.\nb\n", SENDMAIL_FIX_ALWAYS, true, "M:|L:a|L:.|L:b|X:|Z:|"},
	{"..\n. \n", SENDMAIL_FIX_ALWAYS, false, "M:|L:..|L:. |X:|Z:|"},
	{"12345678\n", SENDMAIL_FIX_ALWAYS, false, "M:|P:12345678|L:|X:|Z:|"},
	{"123456789\n", SENDMAIL_FIX_ALWAYS, false, "M:|P:12345678|L:9|X:|Z:|"},
	{"1234567\r\n", SENDMAIL_FIX_ALWAYS, false, "M:|L:1234567|X:|Z:|"},
	{"12345678901234567890", SENDMAIL_FIX_ALWAYS, false,
	"M:|P:12345678|P:90123456|L:7890|X:|Z:|"},
	/* A "." after a piece is not a line of its own. */
	{"12345678.\n", SENDMAIL_FIX_ALWAYS, false, "M:|P:12345678|L:.|X:|Z:|"},
    };
    SENDMAIL_POST post;
    ARGV   *rcpts = argv_alloc(1);
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);

    (void) state;
    argv_add(rcpts, "r@x", (char *) 0);
    for (size_t n = 0; n < ARRAY_LEN(cases); n++) {
	const char *m;

	post_init(&post, rcpts);
	post.fix_line_endings = cases[n].fix;
	post.ignore_dots = cases[n].ignore_dots;
	assert_int_equal(run_post(&post, cases[n].input, strlen(cases[n].input),
				  result, why), SENDMAIL_POST_OK);
	m = strstr(vstring_str(result), "M:|");
	assert_non_null(m);
	if (strcmp(m, cases[n].content) != 0)
	    fail_msg("case %zu: got \"%s\", want \"%s\"", n, m,
		     cases[n].content);
    }
    argv_free(rcpts);
    vstring_free(result);
    vstring_free(why);
}

/* test_envelope - every envelope record */
static void test_envelope(void **state)
{
    SENDMAIL_POST post;
    ARGV   *rcpts = argv_alloc(1);
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);

    (void) state;
    argv_add(rcpts, "a@x", "b@x", (char *) 0);
    post_init(&post, rcpts);
    post.full_name = "Joe User";
    post.encoding = "8bit";
    post.dsn_ret = 2;
    post.dsn_envid = "id1";
    post.dsn_notify = 6;
    post.trace_flags = 1024;
    assert_int_equal(run_post(&post, "x\0y\n", 4, result, why),
		     SENDMAIL_POST_OK);
    assert_memory_equal(vstring_str(result),
			"Q:postel-queue 1|T|F:joe|A:rewrite_context=local|"
			"A:full_name=Joe User|A:encoding=8bit|A:dsn_ret=2|"
			"A:dsn_envid=id1|A:dsn_notify=6|A:trace_flags=1024|"
			"R:a@x|R:b@x|M:|L:x", 163);

    /* No content is read. */
    post_init(&post, rcpts);
    post.read_content = false;
    assert_int_equal(run_post(&post, "x\n", 2, result, why), SENDMAIL_POST_OK);
    assert_non_null(strstr(vstring_str(result), "|M:|X:|Z:|"));

    /* -bv: the probe headers, without splitting long ones. */
    post_init(&post, rcpts);
    post.read_content = false;
    post.probe = true;
    post.line_limit = 1000;
    assert_int_equal(run_post(&post, "x\n", 2, result, why), SENDMAIL_POST_OK);
    assert_non_null(strstr(vstring_str(result), "|M:|L:From: joe|"
			   "L:Subject: probe|L:To:\ta@x,|L:\tb@x|X:|Z:|"));
    argv_free(rcpts);
    vstring_free(result);
    vstring_free(why);
}

/* test_size_limit - content bytes, each line with its newline */
static void test_size_limit(void **state)
{
    SENDMAIL_POST post;
    ARGV   *rcpts = argv_alloc(1);
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);

    (void) state;
    argv_add(rcpts, "a@x", (char *) 0);
    post_init(&post, rcpts);
    post.size_limit = 6;
    assert_int_equal(run_post(&post, "ab\ncd\n", 6, result, why),
		     SENDMAIL_POST_OK);
    assert_int_equal(run_post(&post, "ab\ncde\n", 7, result, why),
		     SENDMAIL_POST_TOO_BIG);
    assert_string_equal(vstring_str(why), "message file too big");
    assert_null(strstr(vstring_str(result), "Z:"));
    argv_free(rcpts);
    vstring_free(result);
    vstring_free(why);
}

/* test_extract - recipients from headers */
static void test_extract(void **state)
{
    static const struct {
	const char *input;
	const char *extracted;		/* from X to Z */
    }       cases[] = {
	{"To: a@x\n\n", "X:|R:a@x|Z:|"},
	{"to: a@x, \"B C\" <b@x>\nCc: c@x (C)\nBcc: <d@x>\n\nTo: e@x\n",
	"X:|R:a@x|R:b@x|R:c@x|R:d@x|Z:|"},
	{"To: a@x,\n b@x\n\n", "X:|R:a@x|R:b@x|Z:|"},
	{"To: a@x\nResent-To: r@x\nResent-Bcc: s@x\n\n", "X:|R:r@x|R:s@x|Z:|"},
	{"To: g: a@x, b@x;, <>\n", "X:|R:a@x|R:b@x|Z:|"},
	{"To: \"a b\"@x\n", "X:|R:a b@x|Z:|"},
	{"Subject: x\nbroken\nTo: a@x\n\n", 0},
	{"To : a@x\n", "X:|R:a@x|Z:|"},
	{"Tox: a@x\n", 0},
	/* A header longer than the piece size is followed into P records. */
	{"To: 12345678@example.com\n", "X:|R:12345678@example.com|Z:|"},
    };
    SENDMAIL_POST post;
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);

    (void) state;
    for (size_t n = 0; n < ARRAY_LEN(cases); n++) {
	int     status;

	post_init(&post, 0);
	post.extract = true;
	status = run_post(&post, cases[n].input, strlen(cases[n].input),
			  result, why);
	if (cases[n].extracted == 0) {
	    assert_int_equal(status, SENDMAIL_POST_NO_RCPT);
	    assert_string_equal(vstring_str(why),
			    "No recipient addresses found in message header");
	    continue;
	}
	assert_int_equal(status, SENDMAIL_POST_OK);
	if (strcmp(strstr(vstring_str(result), "X:|"), cases[n].extracted) != 0)
	    fail_msg("case %zu: got \"%s\"", n, vstring_str(result));
    }
    vstring_free(result);
    vstring_free(why);
}

/* test_extract_too_long - -t and a header over header_limit: refused */
static void test_extract_too_long(void **state)
{
    SENDMAIL_POST post;
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    VSTRING *input = vstring_alloc(3000);
    ARGV   *rcpts = argv_alloc(1);
    static const char *const starts[] = {"To: a@x, ", "X-Any: ",
    "Subject: x\n "};

    (void) state;
    for (size_t n = 0; n < ARRAY_LEN(starts); n++) {
	/* One line, or a folded header, of more than 1000 bytes. */
	vstring_strcpy(input, starts[n]);
	for (int i = 0; i < 100; i++)
	    vstring_strcat(input, n == 2 ? "bbbbbbbbb\n " : "bbbbbbbbbb");
	vstring_strcat(input, "\nTo: c@x\n\nbody\n");
	post_init(&post, 0);
	post.extract = true;
	assert_int_equal(run_post(&post, vstring_str(input),
				  VSTRING_LEN(input), result, why),
			 SENDMAIL_POST_HEADER);
	assert_string_equal(vstring_str(why), "unable to extract recipients: "
			    "message header length exceeds safety limit");
    }
    /* At most header_limit bytes: fine; without -t: fine. */
    vstring_strcpy(input, "X-Any: ");
    for (int i = 0; i < 99; i++)
	vstring_strcat(input, "bbbbbbbbbb");
    vstring_strcat(input, "\nTo: c@x\n\nbody\n");
    post_init(&post, 0);
    post.extract = true;
    assert_int_equal(run_post(&post, vstring_str(input), VSTRING_LEN(input),
			      result, why), SENDMAIL_POST_OK);
    vstring_strcpy(input, "To: c@x\nX-Any: ");
    for (int i = 0; i < 200; i++)
	vstring_strcat(input, "bbbbbbbbbb");
    vstring_strcat(input, "\n\nbody\n");
    argv_add(rcpts, "a@x", (char *) 0);
    post_init(&post, rcpts);
    assert_int_equal(run_post(&post, vstring_str(input), VSTRING_LEN(input),
			      result, why), SENDMAIL_POST_OK);
    argv_free(rcpts);
    vstring_free(input);
    vstring_free(result);
    vstring_free(why);
}

/* test_extract_header - which headers count */
static void test_extract_header(void **state)
{
    const char *value;
    int     kind;

    (void) state;
    assert_true(sendmail_extract_header("BCC: x", &kind, &value));
    assert_int_equal(kind, SENDMAIL_HDR_PLAIN);
    assert_string_equal(value, " x");
    assert_true(sendmail_extract_header("resent-cc:x", &kind, &value));
    assert_int_equal(kind, SENDMAIL_HDR_RESENT);
    assert_false(sendmail_extract_header("Resent-From: x", &kind, &value));
    assert_false(sendmail_extract_header("Resent-: x", &kind, &value));
    assert_false(sendmail_extract_header("To x", &kind, &value));
}

/* test_notify - -N values */
static void test_notify(void **state)
{
    (void) state;
    assert_int_equal(sendmail_notify_parse("never"), 1);
    assert_int_equal(sendmail_notify_parse("success"), 2);
    assert_int_equal(sendmail_notify_parse("delay,failure"), 12);
    assert_int_equal(sendmail_notify_parse("Success, Delay"), 10);
    assert_int_equal(sendmail_notify_parse("never,success"), -1);
    assert_int_equal(sendmail_notify_parse(""), -1);
    assert_int_equal(sendmail_notify_parse("bogus"), -1);
    assert_int_equal(sendmail_notify_parse("success,bogus"), -1);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_content),
	cmocka_unit_test(test_envelope),
	cmocka_unit_test(test_size_limit),
	cmocka_unit_test(test_extract),
	cmocka_unit_test(test_extract_too_long),
	cmocka_unit_test(test_extract_header),
	cmocka_unit_test(test_notify),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
