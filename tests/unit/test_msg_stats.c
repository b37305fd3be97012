/*
 * test_msg_stats - unit tests for msg_stats(3)
 *
 * DESCRIPTION
 *	The delay= number format pinned by a table (values taken from,
 *	or in line with, Debian's Postfix 3.7 log lines: 0.1 for 0.0957,
 *	1 for 0.996, 2 for 1.96, 10 for 9.96, 12 for 12.4), the
 *	resolution limit, the four parts of delays=, clock steps, an
 *	unset end time, and the conversions.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "vstring.h"
#include "msg_stats.h"
#include "test_params.h"
#include "test_support.h"

#define BASE_USEC	1796430334000000L	/* an arrival time */

typedef struct NUMBER_CASE {
    long    usec;			/* the delay */
    const char *text;			/* as logged */
} NUMBER_CASE;

static const NUMBER_CASE default_cases[] = {
    {0, "0"},
    {1, "0"},
    {4000, "0"},			/* 0.004 */
    {4999, "0"},
    {5000, "0.01"},
    {10000, "0.01"},
    {14999, "0.01"},
    {95700, "0.1"},			/* Postfix: sleep 0.0955 -> 0.1 */
    {100000, "0.1"},
    {120000, "0.12"},
    {123456, "0.12"},
    {300000, "0.3"},
    {380000, "0.38"},
    {994000, "0.99"},
    {996000, "1"},			/* not "1.0" */
    {1000000, "1"},
    {1049999, "1"},
    {1050000, "1.1"},
    {1200000, "1.2"},
    {1960000, "2"},			/* Postfix: sleep 1.96 -> 2 */
    {9940000, "9.9"},
    {9960000, "10"},			/* Postfix: sleep 9.96 -> 10 */
    {12000000, "12"},
    {12400000, "12"},			/* Postfix: sleep 12.4 -> 12 */
    {12500000, "13"},
    {99600000, "100"},
    {123000000, "123"},
    {86400000000L, "86400"},
};

static const NUMBER_CASE resolution3_cases[] = {
    {0, "0"},
    {400, "0"},
    {4000, "0.004"},
    {12300, "0.012"},
    {123450, "0.12"},
    {1230000, "1.2"},
    {12300000, "12"},
};

static const NUMBER_CASE resolution0_cases[] = {
    {400000, "0"},
    {600000, "1"},
    {1200000, "1"},
    {12300000, "12"},
};

static const NUMBER_CASE resolution6_cases[] = {
    {4, "0.000004"},
    {123, "0.00012"},
    {120000, "0.12"},
};

/* delays_text - "delay=..., delays=..." for arrival to done = usec */
static const char *delays_text(VSTRING *buf, long usec)
{
    MSG_STATS stats;

    msg_stats_init(&stats);
    stats.incoming_arrival = msg_stats_tv(BASE_USEC);
    stats.active_arrival = msg_stats_tv(BASE_USEC + usec);
    stats.agent_handoff = msg_stats_tv(BASE_USEC + usec);
    stats.deliver_done = msg_stats_tv(BASE_USEC + usec);
    return msg_stats_delays(buf, &stats);
}

/* check_cases - each value as delay= and as the first part of delays= */
static void check_cases(const NUMBER_CASE *cases, size_t count)
{
    VSTRING *buf = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    size_t  n;

    for (n = 0; n < count; n++) {
	vstring_sprintf(want, "delay=%s, delays=%s/0/0/0",
			cases[n].text, cases[n].text);
	if (strcmp(delays_text(buf, cases[n].usec), vstring_str(want)) != 0)
	    fail_msg("%ld usec: got \"%s\", want \"%s\"", cases[n].usec,
		     vstring_str(buf), vstring_str(want));
    }
    vstring_free(buf);
    vstring_free(want);
}

/* test_number_format - the default resolution of 2 digits */
static void test_number_format(void **state)
{
    (void) state;
    test_set_param("delay_logging_resolution_limit", "2");
    check_cases(default_cases, ARRAY_LEN(default_cases));
}

/* test_resolution - delay_logging_resolution_limit 0, 3 and 6 */
static void test_resolution(void **state)
{
    (void) state;
    test_set_param("delay_logging_resolution_limit", "3");
    check_cases(resolution3_cases, ARRAY_LEN(resolution3_cases));
    test_set_param("delay_logging_resolution_limit", "0");
    check_cases(resolution0_cases, ARRAY_LEN(resolution0_cases));
    test_set_param("delay_logging_resolution_limit", "6");
    check_cases(resolution6_cases, ARRAY_LEN(resolution6_cases));
    test_set_param("delay_logging_resolution_limit", "2");
}

/* test_parts - a/b/c/d with and without a connection set-up time */
static void test_parts(void **state)
{
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;

    (void) state;
    msg_stats_init(&stats);
    stats.incoming_arrival = msg_stats_tv(BASE_USEC);
    stats.active_arrival = msg_stats_tv(BASE_USEC + 500000);
    stats.agent_handoff = msg_stats_tv(BASE_USEC + 600000);
    stats.conn_setup_done = msg_stats_tv(BASE_USEC + 1600000);
    stats.deliver_done = msg_stats_tv(BASE_USEC + 3600000);
    assert_string_equal(msg_stats_delays(buf, &stats),
			"delay=3.6, delays=0.5/0.1/1/2");
    /* No connection: c is 0, d runs from the hand-off. */
    memset(&stats.conn_setup_done, 0, sizeof(stats.conn_setup_done));
    assert_string_equal(msg_stats_delays(buf, &stats),
			"delay=3.6, delays=0.5/0.1/0/3");
    /* A clock step backwards gives 0, never a negative number. */
    stats.active_arrival = msg_stats_tv(BASE_USEC - 5000000);
    stats.deliver_done = msg_stats_tv(BASE_USEC - 1000000);
    assert_string_equal(msg_stats_delays(buf, &stats),
			"delay=0, delays=0/5.6/0/0");
    vstring_free(buf);
}

/* test_done_now - deliver_done 0 means the current time */
static void test_done_now(void **state)
{
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;
    struct timeval now;

    (void) state;
    gettimeofday(&now, NULL);
    msg_stats_init(&stats);
    stats.incoming_arrival = msg_stats_tv(msg_stats_usec(&now) - 100000000L);
    stats.active_arrival = stats.incoming_arrival;
    stats.agent_handoff = stats.incoming_arrival;
    msg_stats_delays(buf, &stats);
    /* 100 seconds ago, plus the time the test takes (bounded). */
    assert_true(strncmp(vstring_str(buf), "delay=10", 8) == 0);
    vstring_free(buf);
}

/* test_conversions - microseconds and timevals */
static void test_conversions(void **state)
{
    struct timeval tv;

    (void) state;
    tv = msg_stats_tv(BASE_USEC + 774185);
    assert_int_equal(tv.tv_sec, BASE_USEC / 1000000);
    assert_int_equal(tv.tv_usec, 774185);
    assert_int_equal(msg_stats_usec(&tv), BASE_USEC + 774185);
    tv = msg_stats_tv(-5);
    assert_int_equal(tv.tv_sec, 0);
    assert_int_equal(tv.tv_usec, 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_number_format),
	cmocka_unit_test(test_resolution),
	cmocka_unit_test(test_parts),
	cmocka_unit_test(test_done_now),
	cmocka_unit_test(test_conversions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
