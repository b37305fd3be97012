/*
 * test_anvil_table - unit tests for anvil_table(3), the counters of anvil(8)
 *
 * The time is passed in, so windows and expiry are tested without a
 * clock. Expected status lines follow what Postfix 3.7's anvil logs
 * (observed on Debian's Postfix: "statistics: max connection rate
 * 3/60s for (127.0.0.1:10025:127.0.0.1) at Dec  5 03:24:33").
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mymalloc.h"
#include "argv.h"
#include "anvil_table.h"
#include "test_support.h"

#define T0	((time_t) 1000000)

/* collect - a status line callback that keeps the lines */
static void collect(const char *line, void *context)
{
    argv_add((ARGV *) context, line, (char *) 0);
}

/* test_connect_count_rate - counts, rates and disconnects */
static void test_connect_count_rate(void **unused)
{
    ANVIL_TABLE *table = anvil_table_create(60);
    int     count;
    int     rate;
    int     rates[ANVIL_EVENT_COUNT];

    (void) unused;
    anvil_table_connect(table, "smtp:192.0.2.1", T0, &count, &rate);
    assert_int_equal(count, 1);
    assert_int_equal(rate, 1);
    anvil_table_connect(table, "smtp:192.0.2.1", T0 + 1, &count, &rate);
    assert_int_equal(count, 2);
    assert_int_equal(rate, 2);
    anvil_table_connect(table, "smtp:192.0.2.2", T0 + 1, &count, &rate);
    assert_int_equal(count, 1);
    assert_int_equal(rate, 1);
    anvil_table_disconnect(table, "smtp:192.0.2.1", T0 + 2);
    anvil_table_lookup(table, "smtp:192.0.2.1", T0 + 2, &count, rates);
    assert_int_equal(count, 1);
    assert_int_equal(rates[ANVIL_EVENT_CONNECT], 2);
    /* Never below zero; unknown idents are harmless. */
    anvil_table_disconnect(table, "smtp:192.0.2.1", T0 + 2);
    anvil_table_disconnect(table, "smtp:192.0.2.1", T0 + 2);
    anvil_table_disconnect(table, "smtp:198.51.100.1", T0 + 2);
    anvil_table_lookup(table, "smtp:192.0.2.1", T0 + 2, &count, rates);
    assert_int_equal(count, 0);
    anvil_table_rate_only(table, "smtp:192.0.2.1", T0 + 3, &rate);
    assert_int_equal(rate, 3);
    anvil_table_lookup(table, "smtp:192.0.2.1", T0 + 3, &count, rates);
    assert_int_equal(count, 0);
    anvil_table_free(table);
}

/* test_events - message, recipient, newtls and auth rates */
static void test_events(void **unused)
{
    ANVIL_TABLE *table = anvil_table_create(60);
    int     count;
    int     rates[ANVIL_EVENT_COUNT];
    int     n;

    (void) unused;
    for (n = 1; n <= 3; n++)
	assert_int_equal(anvil_table_event(table, ANVIL_EVENT_MAIL, "s:a",
					   T0), n);
    for (n = 1; n <= 5; n++)
	assert_int_equal(anvil_table_event(table, ANVIL_EVENT_RCPT, "s:a",
					   T0), n);
    assert_int_equal(anvil_table_event(table, ANVIL_EVENT_NEWTLS, "s:a", T0), 1);
    assert_int_equal(anvil_table_peek(table, ANVIL_EVENT_NEWTLS, "s:a", T0), 1);
    assert_int_equal(anvil_table_peek(table, ANVIL_EVENT_NEWTLS, "s:a", T0), 1);
    assert_int_equal(anvil_table_event(table, ANVIL_EVENT_AUTH, "s:a", T0), 1);
    /* peek does not create an entry */
    assert_int_equal(anvil_table_peek(table, ANVIL_EVENT_NEWTLS, "s:b", T0), 0);
    assert_int_equal(anvil_table_size(table), 1);
    anvil_table_lookup(table, "s:a", T0, &count, rates);
    assert_int_equal(count, 0);
    assert_int_equal(rates[ANVIL_EVENT_CONNECT], 0);
    assert_int_equal(rates[ANVIL_EVENT_MAIL], 3);
    assert_int_equal(rates[ANVIL_EVENT_RCPT], 5);
    assert_int_equal(rates[ANVIL_EVENT_NEWTLS], 1);
    assert_int_equal(rates[ANVIL_EVENT_AUTH], 1);
    /* unknown ident: all zero */
    anvil_table_lookup(table, "s:none", T0, &count, rates);
    assert_int_equal(count, 0);
    assert_int_equal(rates[ANVIL_EVENT_MAIL], 0);
    anvil_table_free(table);
}

/* test_window - a new time unit starts the rates again */
static void test_window(void **unused)
{
    ANVIL_TABLE *table = anvil_table_create(60);
    int     count;
    int     rate;

    (void) unused;
    anvil_table_connect(table, "s:a", T0, &count, &rate);
    anvil_table_connect(table, "s:a", T0 + 59, &count, &rate);
    assert_int_equal(rate, 2);
    assert_int_equal(anvil_table_event(table, ANVIL_EVENT_MAIL, "s:a", T0 + 59), 1);
    /* 60 seconds after the window started: a new window */
    anvil_table_connect(table, "s:a", T0 + 60, &count, &rate);
    assert_int_equal(rate, 1);
    assert_int_equal(count, 3);
    assert_int_equal(anvil_table_event(table, ANVIL_EVENT_MAIL, "s:a", T0 + 61), 1);
    /* a clock that goes back also starts a new window */
    assert_int_equal(anvil_table_event(table, ANVIL_EVENT_MAIL, "s:a", T0), 1);
    anvil_table_free(table);
}

/* test_expire - idle entries go, connected ones stay */
static void test_expire(void **unused)
{
    ANVIL_TABLE *table = anvil_table_create(10);
    int     count;
    int     rate;
    int     rates[ANVIL_EVENT_COUNT];
    char    ident[40];
    int     n;

    (void) unused;
    for (n = 0; n < 1000; n++) {
	snprintf(ident, sizeof(ident), "smtp:10.0.%d.%d", n / 256, n % 256);
	assert_int_equal(anvil_table_event(table, ANVIL_EVENT_RCPT, ident, T0), 1);
    }
    anvil_table_connect(table, "smtp:held", T0, &count, &rate);
    assert_int_equal(anvil_table_size(table), 1001);
    assert_int_equal(anvil_table_expire(table, T0 + 9), 0);
    assert_int_equal(anvil_table_expire(table, T0 + 10), 1000);
    assert_int_equal(anvil_table_size(table), 1);
    anvil_table_disconnect(table, "smtp:held", T0 + 11);
    assert_int_equal(anvil_table_expire(table, T0 + 11), 1);
    assert_int_equal(anvil_table_size(table), 0);
    anvil_table_lookup(table, "smtp:held", T0 + 11, &count, rates);
    assert_int_equal(count, 0);
    assert_int_equal(rates[ANVIL_EVENT_CONNECT], 0);
    anvil_table_free(table);
}

/* status_time - the time as the status lines print it */
static const char *status_time(time_t when)
{
    static char buf[64];

    strftime(buf, sizeof(buf), "%b %e %H:%M:%S", localtime(&when));
    return (buf);
}

/* test_status - the statistics lines, then nothing until new maxima */
static void test_status(void **unused)
{
    ANVIL_TABLE *table = anvil_table_create(60);
    ARGV   *lines = argv_alloc(10);
    char    expect[200];
    int     count;
    int     rate;

    (void) unused;
    setenv("TZ", "UTC", 1);
    tzset();
    anvil_table_connect(table, "smtp:127.0.0.1", T0, &count, &rate);
    anvil_table_connect(table, "smtp:127.0.0.1", T0, &count, &rate);
    anvil_table_connect(table, "smtp:127.0.0.2", T0 + 1, &count, &rate);
    anvil_table_event(table, ANVIL_EVENT_MAIL, "smtp:127.0.0.2", T0 + 2);
    anvil_table_event(table, ANVIL_EVENT_RCPT, "smtp:127.0.0.2", T0 + 2);
    anvil_table_event(table, ANVIL_EVENT_RCPT, "smtp:127.0.0.2", T0 + 3);
    anvil_table_event(table, ANVIL_EVENT_NEWTLS, "smtp:127.0.0.3", T0 + 3);
    anvil_table_event(table, ANVIL_EVENT_AUTH, "smtp:127.0.0.3", T0 + 3);
    anvil_table_status(table, collect, lines);
    assert_int_equal(lines->argc, 7);
    snprintf(expect, sizeof(expect), "statistics: max connection rate 2/60s "
	     "for (smtp:127.0.0.1) at %s", status_time(T0));
    assert_string_equal(lines->argv[0], expect);
    snprintf(expect, sizeof(expect), "statistics: max connection count 2 "
	     "for (smtp:127.0.0.1) at %s", status_time(T0));
    assert_string_equal(lines->argv[1], expect);
    snprintf(expect, sizeof(expect), "statistics: max message rate 1/60s "
	     "for (smtp:127.0.0.2) at %s", status_time(T0 + 2));
    assert_string_equal(lines->argv[2], expect);
    snprintf(expect, sizeof(expect), "statistics: max recipient rate 2/60s "
	     "for (smtp:127.0.0.2) at %s", status_time(T0 + 3));
    assert_string_equal(lines->argv[3], expect);
    snprintf(expect, sizeof(expect), "statistics: max newtls rate 1/60s "
	     "for (smtp:127.0.0.3) at %s", status_time(T0 + 3));
    assert_string_equal(lines->argv[4], expect);
    snprintf(expect, sizeof(expect), "statistics: max auth rate 1/60s "
	     "for (smtp:127.0.0.3) at %s", status_time(T0 + 3));
    assert_string_equal(lines->argv[5], expect);
    snprintf(expect, sizeof(expect), "statistics: max cache size 3 at %s",
	     status_time(T0 + 3));
    assert_string_equal(lines->argv[6], expect);

    /* Reported maxima are forgotten. */
    argv_truncate(lines, 0);
    anvil_table_status(table, collect, lines);
    assert_int_equal(lines->argc, 0);

    /* A smaller value after a report is a new maximum; a known entry
     * does not change the cache size maximum. */
    anvil_table_disconnect(table, "smtp:127.0.0.1", T0 + 5);
    anvil_table_connect(table, "smtp:127.0.0.2", T0 + 5, &count, &rate);
    anvil_table_status(table, collect, lines);
    assert_int_equal(lines->argc, 2);
    snprintf(expect, sizeof(expect), "statistics: max connection rate 2/60s "
	     "for (smtp:127.0.0.2) at %s", status_time(T0 + 5));
    assert_string_equal(lines->argv[0], expect);
    snprintf(expect, sizeof(expect), "statistics: max connection count 2 "
	     "for (smtp:127.0.0.2) at %s", status_time(T0 + 5));
    assert_string_equal(lines->argv[1], expect);
    argv_free(lines);
    anvil_table_free(table);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_connect_count_rate),
	cmocka_unit_test(test_events),
	cmocka_unit_test(test_window),
	cmocka_unit_test(test_expire),
	cmocka_unit_test(test_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
