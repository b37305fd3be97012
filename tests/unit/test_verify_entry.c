/*
 * test_verify_entry - unit tests for verify_entry(3)
 *
 * DESCRIPTION
 *	The cache entry format (round trips, every malformed field), and
 *	the rules: expiry of positive, negative and in-progress entries,
 *	when a query probes (unknown, refresh times, a probe in flight,
 *	the negative cache off), and how an answer updates an entry (a
 *	failure does not replace a deliverable answer that is still
 *	valid).
 */
#include "sys_defs.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "vstring.h"
#include "verify_clnt.h"
#include "verify_entry.h"

#define NOW	1000000000L
#define DAY	86400L

static const VERIFY_POLICY policy = {
    .positive_expire = 31 * DAY,
    .positive_refresh = 7 * DAY,
    .negative_expire = 3 * DAY,
    .negative_refresh = 3 * 3600,
    .negative_cache = true,
    .probe_ttl = 1000,
};

/* test_format_parse - entries survive a round trip */
static void test_format_parse(void **unused)
{
    VSTRING *buf = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    VERIFY_ENTRY in = {VERIFY_ADDR_BOUNCE, 0, NOW, "5.1.1 a: b: c"};
    VERIFY_ENTRY out;

    (void) unused;
    verify_entry_format(buf, &in);
    assert_string_equal(vstring_str(buf), "2:0:1000000000:5.1.1 a: b: c");
    assert_true(verify_entry_parse(&out, vstring_str(buf), why));
    assert_int_equal(out.status, VERIFY_ADDR_BOUNCE);
    assert_int_equal(out.probed, 0);
    assert_int_equal(out.updated, NOW);
    assert_string_equal(out.text, "5.1.1 a: b: c");
    /* Text after a newline is not stored; empty text is fine. */
    in.status = VERIFY_ADDR_PENDING;
    in.probed = 5;
    in.text = "first\nsecond";
    verify_entry_format(buf, &in);
    assert_string_equal(vstring_str(buf), "3:5:1000000000:first");
    assert_true(verify_entry_parse(&out, "0:0:0:", why));
    assert_string_equal(out.text, "");
    vstring_free(buf);
    vstring_free(why);
}

/* test_parse_bad - every malformed field is refused with a reason */
static void test_parse_bad(void **unused)
{
    static const struct {
	const char *value;
	const char *why;
    }       cases[] = {
	{"", "bad status field"},
	{"4:0:0:x", "bad status field"},
	{"-1:0:0:x", "bad status field"},
	{"0", "bad status field"},
	{"0:", "bad probe time field"},
	{"0:x:0:x", "bad probe time field"},
	{"0:1234567890123456789:0:x", "bad probe time field"},
	{"0:0:", "bad update time field"},
	{"0:0:-5:x", "bad update time field"},
	{"0:0:5", "bad update time field"},
	{"0:0:5:a\nb", "bad text field"},
	{"3:0:5:x", "entry in progress without a probe time"},
    };
    VSTRING *why = vstring_alloc(10);
    VSTRING *long_text = vstring_alloc(10);
    VERIFY_ENTRY out;
    size_t  i;

    (void) unused;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	vstring_strcpy(why, "");
	assert_false(verify_entry_parse(&out, cases[i].value, why));
	assert_string_equal(vstring_str(why), cases[i].why);
    }
    vstring_strcpy(long_text, "0:0:0:");
    for (i = 0; i <= VERIFY_TEXT_LIMIT; i++)
	VSTRING_ADDCH(long_text, 'x');
    VSTRING_TERMINATE(long_text);
    assert_false(verify_entry_parse(&out, vstring_str(long_text), why));
    assert_string_equal(vstring_str(why), "bad text field");
    vstring_free(why);
    vstring_free(long_text);
}

/* test_expired - each kind of entry against its limit */
static void test_expired(void **unused)
{
    VERIFY_ENTRY e = {VERIFY_ADDR_OK, 0, NOW - 31 * DAY, "x"};

    (void) unused;
    assert_false(verify_entry_expired(&policy, &e, NOW));
    e.updated--;
    assert_true(verify_entry_expired(&policy, &e, NOW));
    e.status = VERIFY_ADDR_BOUNCE;
    e.updated = NOW - 3 * DAY;
    assert_false(verify_entry_expired(&policy, &e, NOW));
    e.updated--;
    assert_true(verify_entry_expired(&policy, &e, NOW));
    e.status = VERIFY_ADDR_DEFER;
    assert_true(verify_entry_expired(&policy, &e, NOW));
    /* In progress: the probe's age counts. */
    e.status = VERIFY_ADDR_PENDING;
    e.updated = 0;
    e.probed = NOW - 3 * DAY - 1;
    assert_true(verify_entry_expired(&policy, &e, NOW));
    e.probed = NOW - 10;
    assert_false(verify_entry_expired(&policy, &e, NOW));
    /* A time stamp in the future is recent. */
    e.status = VERIFY_ADDR_OK;
    e.updated = NOW + DAY;
    assert_false(verify_entry_expired(&policy, &e, NOW));
}

/* test_query - when a query answers what and sends a probe */
static void test_query(void **unused)
{
    VERIFY_ENTRY e;
    const char *text;
    int     status;

    (void) unused;
    /* Unknown: in progress, probe. */
    assert_true(verify_entry_query(&policy, &e, false, NOW, &status, &text));
    assert_int_equal(status, VERIFY_ADDR_PENDING);
    assert_string_equal(text, VERIFY_ENTRY_PENDING_TEXT);
    assert_int_equal(e.status, VERIFY_ADDR_PENDING);
    assert_int_equal(e.probed, NOW);
    /* Then in flight: no second probe until probe_ttl has passed. */
    assert_false(verify_entry_query(&policy, &e, true, NOW + 1000, &status,
				    &text));
    assert_int_equal(status, VERIFY_ADDR_PENDING);
    assert_true(verify_entry_query(&policy, &e, true, NOW + 1001, &status,
				   &text));
    assert_int_equal(e.probed, NOW + 1001);

    /* Fresh positive: its answer, no probe; stale: answer and probe. */
    e = (VERIFY_ENTRY) {VERIFY_ADDR_OK, 0, NOW, "2.0.0 ok"};
    assert_false(verify_entry_query(&policy, &e, true, NOW + 7 * DAY,
				    &status, &text));
    assert_int_equal(status, VERIFY_ADDR_OK);
    assert_string_equal(text, "2.0.0 ok");
    assert_true(verify_entry_query(&policy, &e, true, NOW + 7 * DAY + 1,
				   &status, &text));
    assert_int_equal(status, VERIFY_ADDR_OK);
    assert_int_equal(e.probed, NOW + 7 * DAY + 1);
    assert_int_equal(e.updated, NOW);
    /* Expired: as unknown. */
    e = (VERIFY_ENTRY) {VERIFY_ADDR_OK, 0, NOW, "2.0.0 ok"};
    assert_true(verify_entry_query(&policy, &e, true, NOW + 31 * DAY + 1,
				   &status, &text));
    assert_int_equal(status, VERIFY_ADDR_PENDING);

    /* Negative: refreshed after negative_refresh. */
    e = (VERIFY_ENTRY) {VERIFY_ADDR_BOUNCE, 0, NOW, "5.1.1 no"};
    assert_false(verify_entry_query(&policy, &e, true, NOW + 3 * 3600,
				    &status, &text));
    assert_int_equal(status, VERIFY_ADDR_BOUNCE);
    assert_string_equal(text, "5.1.1 no");
    assert_true(verify_entry_query(&policy, &e, true, NOW + 3 * 3600 + 1,
				   &status, &text));
    assert_int_equal(status, VERIFY_ADDR_BOUNCE);
}

/* test_query_no_negative_cache - every query of a failure probes */
static void test_query_no_negative_cache(void **unused)
{
    VERIFY_POLICY p = policy;
    VERIFY_ENTRY e = {VERIFY_ADDR_DEFER, 0, NOW, "4.4.1 later"};
    const char *text;
    int     status;

    (void) unused;
    p.negative_cache = false;
    assert_true(verify_entry_query(&p, &e, true, NOW + 1, &status, &text));
    assert_int_equal(status, VERIFY_ADDR_DEFER);
    /* ... but not while that probe is in flight. */
    assert_false(verify_entry_query(&p, &e, true, NOW + 2, &status, &text));
    /* A positive answer is still cached. */
    e = (VERIFY_ENTRY) {VERIFY_ADDR_OK, 0, NOW, "2.0.0 ok"};
    assert_false(verify_entry_query(&p, &e, true, NOW + 1, &status, &text));
}

/* test_update - answers replace entries, except good ones by failures */
static void test_update(void **unused)
{
    VERIFY_ENTRY e;

    (void) unused;
    assert_true(verify_entry_update(&policy, &e, false, VERIFY_ADDR_BOUNCE,
				    "5.1.1 no", NOW));
    assert_int_equal(e.status, VERIFY_ADDR_BOUNCE);
    assert_int_equal(e.probed, 0);
    assert_int_equal(e.updated, NOW);
    assert_string_equal(e.text, "5.1.1 no");
    /* A failure while a good answer is valid: only the probe mark goes. */
    e = (VERIFY_ENTRY) {VERIFY_ADDR_OK, NOW + 5, NOW, "2.0.0 ok"};
    assert_true(verify_entry_update(&policy, &e, true, VERIFY_ADDR_DEFER,
				    "4.4.1 later", NOW + 10));
    assert_int_equal(e.status, VERIFY_ADDR_OK);
    assert_int_equal(e.probed, 0);
    assert_int_equal(e.updated, NOW);
    assert_false(verify_entry_update(&policy, &e, true, VERIFY_ADDR_BOUNCE,
				     "5.1.1 no", NOW + 11));
    /* ... but once it expired, the failure counts. */
    assert_true(verify_entry_update(&policy, &e, true, VERIFY_ADDR_BOUNCE,
				    "5.1.1 no", NOW + 31 * DAY + 1));
    assert_int_equal(e.status, VERIFY_ADDR_BOUNCE);
    /* A success replaces anything. */
    assert_true(verify_entry_update(&policy, &e, true, VERIFY_ADDR_OK,
				    "2.0.0 fine", NOW + 32 * DAY));
    assert_int_equal(e.status, VERIFY_ADDR_OK);
    assert_int_equal(e.updated, NOW + 32 * DAY);
    assert_string_equal(e.text, "2.0.0 fine");
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_format_parse),
	cmocka_unit_test(test_parse_bad),
	cmocka_unit_test(test_expired),
	cmocka_unit_test(test_query),
	cmocka_unit_test(test_query_no_negative_cache),
	cmocka_unit_test(test_update),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
