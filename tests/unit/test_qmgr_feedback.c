/*
 * test_qmgr_feedback - unit tests for qmgr_feedback(3), the scheduler's
 * arithmetic: feedback settings, the concurrency window (SCHEDULER_README's
 * Postfix 2.5 pseudo code), backoff and queue lifetimes.
 */
#include "sys_defs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "qmgr.h"
#include "test_support.h"

/* test_parse - the three forms, and what is refused */
static void test_parse(void **unused)
{
    static const struct {
	const char *text;
	bool    ok;
	double  numerator;
	int     divide;
    }       cases[] = {
	{"1", true, 1, QMGR_FEEDBACK_CONST},
	{"0", true, 0, QMGR_FEEDBACK_CONST},
	{"1/concurrency", true, 1, QMGR_FEEDBACK_WINDOW},
	{" 0.5 / concurrency ", true, 0.5, QMGR_FEEDBACK_WINDOW},
	{"1/sqrt_concurrency", true, 1, QMGR_FEEDBACK_SQRT},
	{"", false, 0, 0},
	{"2", false, 0, 0},
	{"-1", false, 0, 0},
	{"1/window", false, 0, 0},
	{"1/concurrency x", false, 0, 0},
	{"abc", false, 0, 0},
	{"1x", false, 0, 0},
    };
    size_t  i;

    (void) unused;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	QMGR_FEEDBACK fb = {-1, -1};
	bool    ok = qmgr_feedback_parse(cases[i].text, &fb);

	assert_int_equal(ok, cases[i].ok);
	if (ok) {
	    assert_true(fabs(fb.numerator - cases[i].numerator) < 1e-9);
	    assert_int_equal(fb.divide, cases[i].divide);
	}
    }
}

/* test_value - feedback per window */
static void test_value(void **unused)
{
    QMGR_FEEDBACK fb;

    (void) unused;
    assert_true(qmgr_feedback_parse("1/concurrency", &fb));
    assert_true(fabs(qmgr_feedback_value(&fb, 4) - 0.25) < 1e-9);
    assert_true(qmgr_feedback_parse("1/sqrt_concurrency", &fb));
    assert_true(fabs(qmgr_feedback_value(&fb, 4) - 0.5) < 1e-9);
    assert_true(qmgr_feedback_parse("1", &fb));
    assert_true(fabs(qmgr_feedback_value(&fb, 4) - 1) < 1e-9);
    /* A window below 1 counts as 1. */
    assert_true(qmgr_feedback_parse("1/concurrency", &fb));
    assert_true(fabs(qmgr_feedback_value(&fb, 0) - 1) < 1e-9);
}

/* test_positive - 1/N grows by one per pseudo-cohort, capped */
static void test_positive(void **unused)
{
    QMGR_FEEDBACK fb;
    QMGR_WINDOW w;
    int     i;

    (void) unused;
    assert_true(qmgr_feedback_parse("1/concurrency", &fb));
    qmgr_window_init(&w, 5);
    assert_int_equal(w.concurrency, 5);
    /* Five successes at window 5 (busy enough) make one step. */
    for (i = 0; i < 4; i++) {
	qmgr_window_success(&w, &fb, 20, 5, 5);
	assert_int_equal(w.concurrency, 5);
    }
    qmgr_window_success(&w, &fb, 20, 5, 5);
    assert_int_equal(w.concurrency, 6);
    /* Safety: no growth while window >= busy + initial. */
    qmgr_window_init(&w, 5);
    for (i = 0; i < 20; i++)
	qmgr_window_success(&w, &fb, 20, 0, 5);
    assert_int_equal(w.concurrency, 5);
    /* Constant feedback 1: one step per success, up to the limit. */
    assert_true(qmgr_feedback_parse("1", &fb));
    qmgr_window_init(&w, 1);
    for (i = 0; i < 10; i++)
	qmgr_window_success(&w, &fb, 3, 100, 1);
    assert_int_equal(w.concurrency, 3);
    /* Limit 0 means no limit. */
    qmgr_window_init(&w, 1);
    for (i = 0; i < 10; i++)
	qmgr_window_success(&w, &fb, 0, 100, 1);
    assert_int_equal(w.concurrency, 11);
}

/* test_negative - shrinking, and the failed cohort limit */
static void test_negative(void **unused)
{
    QMGR_FEEDBACK fb;
    QMGR_WINDOW w;
    int     i;

    (void) unused;
    assert_true(qmgr_feedback_parse("1/concurrency", &fb));
    /* Limit 0: never dead; window shrinks but stays >= 1. */
    qmgr_window_init(&w, 4);
    for (i = 0; i < 50; i++)
	assert_false(qmgr_window_failure(&w, &fb, 0));
    assert_int_equal(w.concurrency, 1);
    /* Limit 1 at window 1: the first failure is a whole cohort. */
    qmgr_window_init(&w, 1);
    assert_true(qmgr_window_failure(&w, &fb, 1));
    assert_int_equal(w.concurrency, 0);
    /* Limit 2 at window 1: two failures. */
    qmgr_window_init(&w, 1);
    assert_false(qmgr_window_failure(&w, &fb, 2));
    assert_true(qmgr_window_failure(&w, &fb, 2));
    /* Window 4, 1/N: one step down after the first failure (-0.25 < 0). */
    qmgr_window_init(&w, 4);
    assert_false(qmgr_window_failure(&w, &fb, 10));
    assert_int_equal(w.concurrency, 3);
    /* A success resets the failed cohorts. */
    qmgr_window_init(&w, 2);
    assert_false(qmgr_window_failure(&w, &fb, 1));
    assert_true(w.fail_cohorts > 0);
    qmgr_window_success(&w, &fb, 20, 1, 2);
    assert_true(w.fail_cohorts == 0);
    /* A dead window revives at 1 on success. */
    qmgr_window_init(&w, 1);
    assert_true(qmgr_window_failure(&w, &fb, 1));
    qmgr_window_success(&w, &fb, 20, 0, 1);
    assert_int_equal(w.concurrency, 1);
}

/* test_backoff - the age, within [minimal, maximal] */
static void test_backoff(void **unused)
{
    (void) unused;
    assert_int_equal(qmgr_backoff_delay(0, 300, 4000), 300);
    assert_int_equal(qmgr_backoff_delay(-5, 300, 4000), 300);
    assert_int_equal(qmgr_backoff_delay(1000, 300, 4000), 1000);
    assert_int_equal(qmgr_backoff_delay(10000, 300, 4000), 4000);
    /* maximal below minimal: minimal wins. */
    assert_int_equal(qmgr_backoff_delay(10000, 300, 100), 300);
}

/* test_expired - lifetimes, null sender, zero */
static void test_expired(void **unused)
{
    (void) unused;
    assert_false(qmgr_expired(100, false, 432000, 60));
    assert_true(qmgr_expired(100, true, 432000, 60));
    assert_true(qmgr_expired(432000, false, 432000, 60));
    assert_true(qmgr_expired(0, false, 0, 0));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_value),
	cmocka_unit_test(test_positive),
	cmocka_unit_test(test_negative),
	cmocka_unit_test(test_backoff),
	cmocka_unit_test(test_expired),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
