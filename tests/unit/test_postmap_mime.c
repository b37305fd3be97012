/*
 * test_postmap_mime - unit tests for postmap_mime(3) (postmap -b/-h/-m)
 *
 * DESCRIPTION
 *	The expected keys are what Postfix 3.7's postmap generates for the
 *	same input and options (observed with a pcre table that echoes
 *	every key).
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postmap_mime.h"
#include "test_params.h"
#include "test_support.h"

#define H	POSTMAP_MIME_FLAG_HEADER
#define B	POSTMAP_MIME_FLAG_BODY
#define M	POSTMAP_MIME_FLAG_MIME

/* collect - append one key, as "[key]\n" */
static void collect(const char *key, void *context)
{
    vstring_sprintf_append((VSTRING *) context, "[%s]\n", key);
}

/* run - feed a message (lines separated by \n) and return the keys */
static void run(const char *message, int flags, VSTRING *keys)
{
    POSTMAP_MIME *mp;
    const char *cp;
    const char *nl;
    VSTRING *line = vstring_alloc(100);

    VSTRING_RESET(keys);
    VSTRING_TERMINATE(keys);
    mp = postmap_mime_create(flags, collect, keys);
    for (cp = message; *cp; cp = nl + 1) {
	if ((nl = strchr(cp, '\n')) == NULL)
	    nl = cp + strlen(cp) - 1;
	vstring_strncpy(line, cp, nl - cp + (*nl != '\n'));
	if (!postmap_mime_update(mp, vstring_str(line)))
	    break;
    }
    postmap_mime_end(mp);
    postmap_mime_free(mp);
    vstring_free(line);
}

static const char multipart[] =
"From: a@b\n"
"Subject: hello\n"
"  world\n"
"Content-Type: multipart/mixed; boundary=\"XX\"\n"
"\n"
"preamble\n"
"--XX\n"
"Content-Type: text/plain\n"
"X-Part: one\n"
"\n"
"part body\n"
"--XX\n"
"Content-Type: message/rfc822\n"
"\n"
"From: inner@x\n"
"Subject: inner\n"
"\n"
"inner body\n"
"--XX--\n"
"epilogue\n";

/* test_keys - keys for each option combination */
static void test_keys(void **state)
{
    static const struct {
	const char *message;
	int     flags;
	const char *keys;
    } cases[] = {
	{multipart, H,
	    "[From: a@b]\n[Subject: hello\n  world]\n"
	    "[Content-Type: multipart/mixed; boundary=\"XX\"]\n"},
	{multipart, B,
	    "[]\n[preamble]\n[--XX]\n[Content-Type: text/plain]\n"
	    "[X-Part: one]\n[]\n[part body]\n[--XX]\n"
	    "[Content-Type: message/rfc822]\n[]\n[From: inner@x]\n"
	    "[Subject: inner]\n[]\n[inner body]\n[--XX--]\n[epilogue]\n"},
	{multipart, H | M,
	    "[From: a@b]\n[Subject: hello\n  world]\n"
	    "[Content-Type: multipart/mixed; boundary=\"XX\"]\n"
	    "[Content-Type: text/plain]\n[X-Part: one]\n"
	    "[Content-Type: message/rfc822]\n[From: inner@x]\n"
	    "[Subject: inner]\n"},
	{multipart, B | M,
	    "[]\n[preamble]\n[--XX]\n[]\n[part body]\n[--XX]\n[]\n[]\n"
	    "[inner body]\n[--XX--]\n[epilogue]\n"},
	{multipart, H | B,
	    "[From: a@b]\n[Subject: hello\n  world]\n"
	    "[Content-Type: multipart/mixed; boundary=\"XX\"]\n"
	    "[]\n[preamble]\n[--XX]\n[Content-Type: text/plain]\n"
	    "[X-Part: one]\n[]\n[part body]\n[--XX]\n"
	    "[Content-Type: message/rfc822]\n[]\n[From: inner@x]\n"
	    "[Subject: inner]\n[]\n[inner body]\n[--XX--]\n[epilogue]\n"},
	{multipart, H | B | M,
	    "[From: a@b]\n[Subject: hello\n  world]\n"
	    "[Content-Type: multipart/mixed; boundary=\"XX\"]\n"
	    "[]\n[preamble]\n[--XX]\n[Content-Type: text/plain]\n"
	    "[X-Part: one]\n[]\n[part body]\n[--XX]\n"
	    "[Content-Type: message/rfc822]\n[]\n[From: inner@x]\n"
	    "[Subject: inner]\n[]\n[inner body]\n[--XX--]\n[epilogue]\n"},
	/* A non-header line ends the header: an empty body key first. */
	{"body first\nFrom: x\n", H | B, "[]\n[body first]\n[From: x]\n"},
	{"From x@y Mon\nFrom: a\n\nb\n", H | B,
	"[]\n[From x@y Mon]\n[From: a]\n[]\n[b]\n"},
	{"X: a\n  b\nnot a header\nY: c\n", H | B,
	"[X: a\n  b]\n[]\n[not a header]\n[Y: c]\n"},
	{"X: a\r\nY: b\r\n\r\nbody\r\n", H | B,
	"[X: a\r]\n[Y: b\r]\n[]\n[\r]\n[body\r]\n"},
	{"X: a\n\nbody\n", H, "[X: a]\n"},
	{"Name   : v\n\n", H, "[Name   : v]\n"},
	{"X: a", H, "[X: a]\n"},
	/* Nested multiparts: an outer boundary closes the inner part. */
	{"Content-Type: multipart/mixed; boundary=x\n\n--x\n"
	    "Content-Type: multipart/alternative; boundary=y\n\n--y\nA: 1\n\n"
	    "body y\n--x\nB: 2\n\nbody x\n--y--\nafter\n--x--\nend\n", H | M,
	    "[Content-Type: multipart/mixed; boundary=x]\n"
	    "[Content-Type: multipart/alternative; boundary=y]\n[A: 1]\n"
	"[B: 2]\n"},
	{"Content-Type: multipart/mixed; boundary=x\n\n--x\n"
	    "Content-Type: multipart/alternative; boundary=y\n\n--y\nA: 1\n\n"
	    "body y\n--x\nB: 2\n\nbody x\n--y--\nafter\n--x--\nend\n", B | M,
	    "[]\n[--x]\n[]\n[--y]\n[]\n[body y]\n[--x]\n[]\n[body x]\n"
	"[--y--]\n[after]\n[--x--]\n[end]\n"},
	/* A digest's parts are messages. */
	{"Content-Type: multipart/digest; boundary=d\n\n--d\n\nFrom: m1\n\n"
	    "text\n--d--\n", H | M,
	"[Content-Type: multipart/digest; boundary=d]\n[From: m1]\n"},
	/* No MIME parsing: part headers are body lines. */
	{multipart, H | B | 0, NULL},
    };
    VSTRING *keys = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (cases[n].keys == NULL)
	    continue;
	run(cases[n].message, cases[n].flags, keys);
	assert_string_equal(vstring_str(keys), cases[n].keys);
    }
    vstring_free(keys);
}

/* test_header_limit - continuation lines past header_size_limit are dropped */
static void test_header_limit(void **state)
{
    VSTRING *keys = vstring_alloc(100);

    (void) state;
    test_set_param("header_size_limit", "30");
    run("Subject: 0123456789\n  abcdefghij\n  more\nX: y\n", H, keys);
    assert_string_equal(vstring_str(keys),
			"[Subject: 0123456789\n  abcdefghij]\n[X: y]\n");
    run("Subject: 012345678901234567890\n  x\n", H, keys);
    assert_string_equal(vstring_str(keys), "[Subject: 012345678901234567890]\n");
    run("Subject: 0123456789012345678901234567890123\n  x\n", H, keys);
    assert_string_equal(vstring_str(keys),
			"[Subject: 0123456789012345678901234567890123]\n");
    test_set_param("header_size_limit", "102400");
    vstring_free(keys);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_keys),
	cmocka_unit_test(test_header_limit),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
