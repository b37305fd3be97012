/*
 * test_maildrop_check - unit tests for maildrop_check(3)
 *
 * DESCRIPTION
 *	Which record data a maildrop file may hold: attribute names and
 *	values, envelope text without null bytes or line breaks, address
 *	lengths, types that are not maildrop records.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "rec_type.h"
#include "maildrop_check.h"
#include "test_support.h"

typedef struct CASE {
    int     type;
    const char *data;
    size_t  len;			/* 0: strlen(data) */
    const char *why;			/* NULL: accepted */
} CASE;

/* test_records - the table */
static void test_records(void **state)
{
    static const CASE cases[] = {
	{'Q', "postel-queue 1", 0, 0},
	{'T', "1700000000.000001", 0, 0},
	{'F', "", 0, 0},
	{'F', "user@example.com", 0, 0},
	{'F', "a\0b", 3, "record F: null byte or line break in data"},
	{'R', "user@example.com", 0, 0},
	{'R', "", 0, "record R: empty recipient"},
	{'R', "a\rb", 0, "record R: null byte or line break in data"},
	{'R', "a\nb", 0, "record R: null byte or line break in data"},
	{'T', "1\n", 0, "record T: null byte or line break in data"},
	{'A', "rewrite_context=local", 0, 0},
	{'A', "rewrite_context=remote", 0, 0},
	{'A', "rewrite_context=other", 0, "record A: bad rewrite_context value"},
	{'A', "encoding=7bit", 0, 0},
	{'A', "encoding=8bitmime", 0, 0},
	{'A', "encoding=8bit", 0, 0},
	{'A', "encoding=binary", 0, "record A: bad encoding value"},
	{'A', "full_name=Anybody At All", 0, 0},
	{'A', "full_name=", 0, 0},
	{'A', "dsn_ret=1", 0, 0},
	{'A', "dsn_ret=2", 0, 0},
	{'A', "dsn_ret=3", 0, "record A: bad dsn_ret value"},
	{'A', "dsn_ret=", 0, "record A: bad dsn_ret value"},
	{'A', "dsn_envid=abc-123", 0, 0},
	{'A', "dsn_envid=a b", 0, "record A: bad dsn_envid value"},
	{'A', "dsn_envid=", 0, "record A: bad dsn_envid value"},
	{'A', "dsn_notify=1", 0, 0},
	{'A', "dsn_notify=14", 0, 0},
	{'A', "dsn_notify=3", 0, "record A: bad dsn_notify value"},
	{'A', "dsn_notify=16", 0, "record A: bad dsn_notify value"},
	{'A', "dsn_notify=0", 0, "record A: bad dsn_notify value"},
	{'A', "dsn_notify=-4", 0, "record A: bad dsn_notify value"},
	{'A', "trace_flags=1024", 0, 0},
	{'A', "trace_flags=99999999999", 0, "record A: bad trace_flags value"},
	{'A', "trace_flags=1x", 0, "record A: bad trace_flags value"},
	{'A', "protocol=ESMTP", 0, "record A: unknown attribute name \"protocol\""},
	{'A', "noequals", 0, "record A: no '=' in attribute"},
	{'A', "=x", 0, "record A: bad attribute name length"},
	{'A', "a\001b=x", 0, "record A: unknown attribute name \"a?b\""},
	{'V', "+=", 0, 0},
	{'V', "ab", 0, 0},			/* cleanup decides */
	{'V', "+\n", 0, "record V: null byte or line break in data"},
	{'V', "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789", 0, 0},
	{'V', "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789x", 0, "record V: longer than 100 bytes"},
	{'L', "any\0bytes\r\n", 11, 0},
	{'P', "", 0, 0},
	{'M', "", 0, 0},
	{'X', "", 0, 0},
	{'Z', "", 0, 0},
	{'S', "x", 0, "record type 0x53 not allowed in a maildrop file"},
	{'D', "x", 0, "record type 0x44 not allowed in a maildrop file"},
	{'E', "x", 0, "record type 0x45 not allowed in a maildrop file"},
	{'n', "4", 0, "record type 0x6e not allowed in a maildrop file"},
	{0x07, "", 0, "record type 0x07 not allowed in a maildrop file"},
    };
    VSTRING *why = vstring_alloc(10);

    (void) state;
    for (size_t n = 0; n < ARRAY_LEN(cases); n++) {
	size_t  len = cases[n].len ? cases[n].len : strlen(cases[n].data);
	bool    ok;

	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	ok = maildrop_check_record(cases[n].type, cases[n].data, len, why);
	if (cases[n].why == 0) {
	    if (!ok)
		fail_msg("case %zu: refused: %s", n, vstring_str(why));
	} else {
	    if (ok)
		fail_msg("case %zu: accepted", n);
	    assert_string_equal(vstring_str(why), cases[n].why);
	}
    }
    vstring_free(why);
}

/* test_lengths - address and name limits */
static void test_lengths(void **state)
{
    VSTRING *why = vstring_alloc(10);
    char   *big = mymalloc(MAILDROP_ADDR_LIMIT + 2);
    VSTRING *attr = vstring_alloc(10);

    (void) state;
    memset(big, 'a', MAILDROP_ADDR_LIMIT + 1);
    big[MAILDROP_ADDR_LIMIT + 1] = 0;
    assert_true(maildrop_check_record('R', big, MAILDROP_ADDR_LIMIT, why));
    assert_false(maildrop_check_record('R', big, MAILDROP_ADDR_LIMIT + 1, why));
    assert_string_equal(vstring_str(why), "record R: recipient longer than 4096 bytes");
    assert_false(maildrop_check_record('F', big, MAILDROP_ADDR_LIMIT + 1, why));
    assert_string_equal(vstring_str(why), "record F: sender longer than 4096 bytes");
    vstring_sprintf(attr, "full_name=%.*s", MAILDROP_NAME_LIMIT, big);
    assert_true(maildrop_check_record('A', vstring_str(attr),
				      VSTRING_LEN(attr), why));
    vstring_strcat(attr, "a");
    assert_false(maildrop_check_record('A', vstring_str(attr),
				       VSTRING_LEN(attr), why));
    vstring_sprintf(attr, "dsn_envid=%.*s", MAILDROP_ENVID_LIMIT + 1, big);
    assert_false(maildrop_check_record('A', vstring_str(attr),
				       VSTRING_LEN(attr), why));
    assert_true(maildrop_attr_known("trace_flags"));
    assert_false(maildrop_attr_known("trace"));
    myfree(big);
    vstring_free(attr);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_records),
	cmocka_unit_test(test_lengths),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
