/*
 * test_scache_table - unit tests for scache_table(3), the tables of scache(8)
 *
 * Descriptors are plain numbers here: the close function records them
 * instead of closing anything. The time is passed in. The statistics
 * lines follow what Debian's Postfix 3.7 scache logged after four
 * deliveries over one cached connection (smtp_connection_cache_
 * destinations naming the relay host):
 *	statistics: start interval Dec  5 13:17:04
 *	statistics: domain lookup hits=3 miss=1 success=75%
 *	statistics: address lookup hits=0 miss=1 success=0%
 *	statistics: max simultaneous domains=1 addresses=1 connection=1
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "scache_table.h"
#include "test_support.h"

#define T0	((time_t) 395200)	/* Jan  5 13:46:40 UTC 1970 */

/* record_close - the close function: remember the descriptor */
static void record_close(int fd, void *context)
{
    char    buf[20];

    snprintf(buf, sizeof(buf), "%d", fd);
    argv_add((ARGV *) context, buf, (char *) 0);
}

/* collect - a status line callback that keeps the lines */
static void collect(const char *line, void *context)
{
    argv_add((ARGV *) context, line, (char *) 0);
}

/* test_endp - newest first, properties, hits and misses */
static void test_endp(void **unused)
{
    ARGV   *closed = argv_alloc(4);
    SCACHE_TABLE *table = scache_table_create(10, record_close, closed);
    VSTRING *prop = vstring_alloc(10);
    SCACHE_STATS st;

    (void) unused;
    scache_table_save_endp(table, "smtp:192.0.2.1:25", "p10", 10, T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.1:25", "p11", 11, T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.2:25", "p12", 12, T0 + 2);
    assert_int_equal(scache_table_conn_count(table), 3);
    assert_int_equal(scache_table_find_endp(table, "smtp:192.0.2.1:25", prop), 11);
    assert_string_equal(vstring_str(prop), "p11");
    assert_int_equal(scache_table_find_endp(table, "smtp:192.0.2.1:25", prop), 10);
    assert_string_equal(vstring_str(prop), "p10");
    assert_int_equal(scache_table_find_endp(table, "smtp:192.0.2.1:25", prop), -1);
    assert_int_equal(scache_table_find_endp(table, "smtp:192.0.2.9:25", prop), -1);
    assert_int_equal(scache_table_conn_count(table), 1);
    scache_table_stats(table, &st);
    assert_int_equal(st.endp_hits, 2);
    assert_int_equal(st.endp_misses, 2);
    assert_int_equal(st.max_conns, 3);
    assert_int_equal(st.max_endps, 2);
    /* Handed-out descriptors are the caller's: nothing was closed. */
    assert_int_equal(closed->argc, 0);
    scache_table_free(table);
    assert_int_equal(closed->argc, 1);
    assert_string_equal(closed->argv[0], "12");
    vstring_free(prop);
    argv_free(closed);
}

/* test_dest - bindings, newest first; a rebinding replaces */
static void test_dest(void **unused)
{
    ARGV   *closed = argv_alloc(4);
    SCACHE_TABLE *table = scache_table_create(10, record_close, closed);
    VSTRING *dprop = vstring_alloc(10);
    VSTRING *eprop = vstring_alloc(10);
    SCACHE_STATS st;

    (void) unused;
    /* A binding without connections: a miss, and the binding stays. */
    scache_table_save_dest(table, "smtp:example.com:25", "d1",
			   "smtp:192.0.2.1:25", T0 + 2);
    assert_int_equal(scache_table_find_dest(table, "smtp:example.com:25",
					    dprop, eprop), -1);
    scache_table_save_endp(table, "smtp:192.0.2.1:25", "e10", 10, T0 + 2);
    assert_int_equal(scache_table_find_dest(table, "smtp:example.com:25",
					    dprop, eprop), 10);
    assert_string_equal(vstring_str(dprop), "d1");
    assert_string_equal(vstring_str(eprop), "e10");
    /* Two endpoints: the newest binding first, the older as fallback. */
    scache_table_save_dest(table, "smtp:example.com:25", "d2",
			   "smtp:192.0.2.2:25", T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.1:25", "e11", 11, T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.2:25", "e12", 12, T0 + 2);
    assert_int_equal(scache_table_find_dest(table, "smtp:example.com:25",
					    dprop, eprop), 12);
    assert_string_equal(vstring_str(dprop), "d2");
    assert_int_equal(scache_table_find_dest(table, "smtp:example.com:25",
					    dprop, eprop), 11);
    assert_string_equal(vstring_str(dprop), "d1");
    /* Binding the first endpoint again moves it to the front. */
    scache_table_save_dest(table, "smtp:example.com:25", "d3",
			   "smtp:192.0.2.1:25", T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.1:25", "e13", 13, T0 + 2);
    scache_table_save_endp(table, "smtp:192.0.2.2:25", "e14", 14, T0 + 2);
    assert_int_equal(scache_table_find_dest(table, "smtp:example.com:25",
					    dprop, eprop), 13);
    assert_string_equal(vstring_str(dprop), "d3");
    /* An endpoint lookup finds the connection saved for a destination. */
    assert_int_equal(scache_table_find_endp(table, "smtp:192.0.2.2:25",
					    eprop), 14);
    assert_int_equal(scache_table_find_dest(table, "smtp:other.example:25",
					    dprop, eprop), -1);
    scache_table_stats(table, &st);
    assert_int_equal(st.dest_hits, 4);
    assert_int_equal(st.dest_misses, 2);
    assert_int_equal(st.endp_hits, 1);
    assert_int_equal(st.max_dests, 1);
    scache_table_free(table);
    assert_int_equal(closed->argc, 0);
    vstring_free(dprop);
    vstring_free(eprop);
    argv_free(closed);
}

/* test_limit - a full table gives up its oldest connection */
static void test_limit(void **unused)
{
    ARGV   *closed = argv_alloc(4);
    SCACHE_TABLE *table = scache_table_create(2, record_close, closed);
    VSTRING *prop = vstring_alloc(10);

    (void) unused;
    scache_table_save_endp(table, "a", "", 10, T0 + 2);
    scache_table_save_endp(table, "b", "", 11, T0 + 2);
    scache_table_save_endp(table, "b", "", 12, T0 + 2);
    assert_int_equal(scache_table_conn_count(table), 2);
    assert_int_equal(closed->argc, 1);
    assert_string_equal(closed->argv[0], "10");
    assert_int_equal(scache_table_find_endp(table, "a", prop), -1);
    scache_table_save_endp(table, "c", "", 13, T0 + 2);
    assert_int_equal(closed->argc, 2);
    assert_string_equal(closed->argv[1], "11");
    assert_int_equal(scache_table_find_endp(table, "b", prop), 12);
    assert_int_equal(scache_table_find_endp(table, "c", prop), 13);
    scache_table_free(table);
    assert_int_equal(closed->argc, 2);
    vstring_free(prop);
    argv_free(closed);
}

/* test_expire - connections and bindings time out; dead ones are dropped */
static void test_expire(void **unused)
{
    ARGV   *closed = argv_alloc(4);
    SCACHE_TABLE *table = scache_table_create(10, record_close, closed);
    VSTRING *dprop = vstring_alloc(10);
    VSTRING *eprop = vstring_alloc(10);

    (void) unused;
    scache_table_save_endp(table, "e1", "", 10, T0 + 1);
    scache_table_save_endp(table, "e1", "", 11, T0 + 3);
    scache_table_save_endp(table, "e2", "", 12, T0 + 5);
    scache_table_save_dest(table, "d", "", "e1", T0 + 2);
    assert_int_equal(scache_table_expire(table, T0), T0 + 1);
    assert_int_equal(closed->argc, 0);
    assert_int_equal(scache_table_expire(table, T0 + 1), T0 + 2);
    assert_int_equal(closed->argc, 1);
    assert_string_equal(closed->argv[0], "10");
    /* The binding is gone at T0 + 2, the connection stays until T0 + 3. */
    assert_int_equal(scache_table_expire(table, T0 + 2), T0 + 3);
    assert_int_equal(scache_table_find_dest(table, "d", dprop, eprop), -1);
    /* A connection that the peer closed. */
    assert_true(scache_table_drop_fd(table, 12));
    assert_false(scache_table_drop_fd(table, 12));
    assert_int_equal(closed->argc, 2);
    assert_string_equal(closed->argv[1], "12");
    assert_int_equal(scache_table_expire(table, T0 + 3), 0);
    assert_int_equal(closed->argc, 3);
    assert_int_equal(scache_table_conn_count(table), 0);
    scache_table_free(table);
    vstring_free(dprop);
    vstring_free(eprop);
    argv_free(closed);
}

/* test_status - Postfix's statistics lines, and silence without lookups */
static void test_status(void **unused)
{
    ARGV   *closed = argv_alloc(4);
    ARGV   *lines = argv_alloc(4);
    SCACHE_TABLE *table = scache_table_create(10, record_close, closed);
    VSTRING *dprop = vstring_alloc(10);
    VSTRING *eprop = vstring_alloc(10);
    int     i;
    int     fd;

    (void) unused;
    setenv("TZ", "UTC", 1);
    tzset();
    scache_table_stats_reset(table, T0);
    scache_table_status(table, T0 + 1, collect, lines);
    assert_int_equal(lines->argc, 0);
    /* The dialogue of four deliveries over one connection. */
    assert_int_equal(scache_table_find_dest(table, "d", dprop, eprop), -1);
    assert_int_equal(scache_table_find_endp(table, "e", eprop), -1);
    scache_table_save_endp(table, "e", "", 10, T0 + 3);
    scache_table_save_dest(table, "d", "", "e", T0 + 3);
    for (i = 0; i < 3; i++) {
	fd = scache_table_find_dest(table, "d", dprop, eprop);
	assert_int_equal(fd, 10);
	scache_table_save_endp(table, "e", "", fd, T0 + 3);
	scache_table_save_dest(table, "d", "", "e", T0 + 3);
    }
    scache_table_status(table, T0 + 4, collect, lines);
    assert_int_equal(lines->argc, 4);
    assert_string_equal(lines->argv[0],
			"statistics: start interval Jan  5 13:46:41");
    assert_string_equal(lines->argv[1],
			"statistics: domain lookup hits=3 miss=1 success=75%");
    assert_string_equal(lines->argv[2],
			"statistics: address lookup hits=0 miss=1 success=0%");
    assert_string_equal(lines->argv[3], "statistics: max simultaneous "
			"domains=1 addresses=1 connection=1");
    /* A new interval: nothing happened, nothing is logged. */
    argv_truncate(lines, 0);
    assert_int_equal(scache_table_expire(table, T0 + 8), 0);
    scache_table_status(table, T0 + 8, collect, lines);
    assert_int_equal(lines->argc, 0);
    /* Lookups without any saved connection: no "max" line. */
    assert_int_equal(scache_table_find_dest(table, "d", dprop, eprop), -1);
    scache_table_status(table, T0 + 10, collect, lines);
    assert_int_equal(lines->argc, 3);
    assert_string_equal(lines->argv[1],
			"statistics: domain lookup hits=0 miss=1 success=0%");
    scache_table_free(table);
    vstring_free(dprop);
    vstring_free(eprop);
    argv_free(lines);
    argv_free(closed);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_endp),
	cmocka_unit_test(test_dest),
	cmocka_unit_test(test_limit),
	cmocka_unit_test(test_expire),
	cmocka_unit_test(test_status),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
