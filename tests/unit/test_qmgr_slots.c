/*
 * test_qmgr_slots - unit tests for qmgr_slots(3), the preemptive
 * scheduler's arithmetic (SCHEDULER_README, postconf(5) on the delivery
 * slot cost, loan and discount, the refill limit and delay) and the VERP
 * sender (as Debian's Postfix 3.7 sends it: owner+bob=remote.example@
 * list.example for owner@list.example and bob@remote.example).
 */
#include "sys_defs.h"

#include <string.h>

#include "qmgr.h"
#include "test_support.h"

/* test_accumulated - whole slots, rounded down also below zero */
static void test_accumulated(void **unused)
{
    (void) unused;
    assert_int_equal(qmgr_slots_accumulated(0, 5), 0);
    assert_int_equal(qmgr_slots_accumulated(4, 5), 0);
    assert_int_equal(qmgr_slots_accumulated(5, 5), 1);
    assert_int_equal(qmgr_slots_accumulated(14, 5), 2);
    assert_int_equal(qmgr_slots_accumulated(-1, 5), -1);
    assert_int_equal(qmgr_slots_accumulated(-5, 5), -1);
    assert_int_equal(qmgr_slots_accumulated(-6, 5), -2);
    assert_int_equal(qmgr_slots_accumulated(10, 0), 0);
}

/* test_potential - what a job may still accumulate */
static void test_potential(void **unused)
{
    (void) unused;
    /* 20 entries at cost 5: 4 slots; 19 entries: 3 slots. */
    assert_int_equal(qmgr_slots_potential(0, 20, 5), 4);
    assert_int_equal(qmgr_slots_potential(0, 19, 5), 3);
    /* Slots already accumulated count, slots lent away do not. */
    assert_int_equal(qmgr_slots_potential(10, 10, 5), 4);
    assert_int_equal(qmgr_slots_potential(-10, 20, 5), 2);
    assert_int_equal(qmgr_slots_potential(-30, 20, 5), 0);
    assert_int_equal(qmgr_slots_potential(0, -3, 5), 0);
    assert_int_equal(qmgr_slots_potential(5, 5, 0), 0);
}

/* test_may_preempt - loan and discount (postconf(5)'s wording) */
static void test_may_preempt(void **unused)
{
    (void) unused;
    /* Without loan or discount: all slots first. */
    assert_false(qmgr_slots_may_preempt(3, 4, 0, 0));
    assert_true(qmgr_slots_may_preempt(4, 4, 0, 0));
    /* 50% of 10 plus 3 may still be missing: 2 accumulated suffice. */
    assert_false(qmgr_slots_may_preempt(1, 10, 3, 50));
    assert_true(qmgr_slots_may_preempt(2, 10, 3, 50));
    /* The defaults let a one-entry job in at once ... */
    assert_true(qmgr_slots_may_preempt(0, 1, 3, 50));
    /* ... and a few more on loan, until the debt is paid. */
    assert_true(qmgr_slots_may_preempt(-2, 1, 3, 50));
    assert_false(qmgr_slots_may_preempt(-3, 1, 3, 50));
    /* Out-of-range settings are clamped. */
    assert_true(qmgr_slots_may_preempt(0, 7, 0, 150));
    assert_false(qmgr_slots_may_preempt(0, 7, -4, -10));
}

/* test_refill - when and how much to read */
static void test_refill(void **unused)
{
    (void) unused;
    assert_false(qmgr_refill_due(0, 100, 100, 5, true));
    assert_false(qmgr_refill_due(-3, 100, 100, 5, true));
    assert_true(qmgr_refill_due(100, 100, 0, 5, false));
    assert_false(qmgr_refill_due(99, 100, 4, 5, false));
    assert_true(qmgr_refill_due(1, 100, 5, 5, false));
    assert_true(qmgr_refill_due(1, 100, 0, 5, true));
    assert_int_equal(qmgr_refill_budget(50, 0, 10), 60);
    assert_int_equal(qmgr_refill_budget(50, 55, 10), 5);
    assert_int_equal(qmgr_refill_budget(50, 60, 10), 0);
    assert_int_equal(qmgr_refill_budget(0, 100, 10), 0);
}

/* test_verp - the VERP sender */
static void test_verp(void **unused)
{
    static const struct {
	const char *sender;
	const char *delims;
	const char *rcpt;
	const char *want;
    }       cases[] = {
	{"owner@list.example", "+=", "bob@remote.example",
	"owner+bob=remote.example@list.example"},
	{"owner@test.example", "+=", "bob@remote.example",
	"owner+bob=remote.example@test.example"},
	{"owner@list.example", "-=", "carol@other.example",
	"owner-carol=other.example@list.example"},
	{"owner", "+=", "bob@remote.example", "owner+bob=remote.example"},
	{"owner@list.example", "+=", "bob", "owner+bob@list.example"},
	{"\"a@b\"@list.example", "+=", "x@y@z.example",
	"\"a@b\"+x@y=z.example@list.example"},
    };
    VSTRING *buf = vstring_alloc(10);
    size_t  i;

    (void) unused;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	assert_string_equal(qmgr_verp_sender(buf, cases[i].sender,
					     cases[i].delims, cases[i].rcpt),
			    cases[i].want);
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_accumulated),
	cmocka_unit_test(test_potential),
	cmocka_unit_test(test_may_preempt),
	cmocka_unit_test(test_refill),
	cmocka_unit_test(test_verp),
    };

    return cmocka_run_group_tests(tests, 0, 0);
}
