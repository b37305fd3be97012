/*
 * test_hex_code - unit tests for hex_code(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "hex_code.h"
#include "test_support.h"

/* test_hex_encode - the encoding flags */
static void test_hex_encode(void **state)
{
    VSTRING *buf = vstring_alloc(1);

    (void) state;
    assert_string_equal(vstring_str(hex_encode(buf, "", 0)), "");
    assert_string_equal(vstring_str(hex_encode(buf, "\x00\x7f\xab", 3)),
			"007FAB");
    assert_string_equal(vstring_str(hex_encode_opt(buf, "\xde\xad\xbe\xef", 4,
					     HEX_ENCODE_FLAG_USE_COLON)),
			"DE:AD:BE:EF");
    assert_string_equal(vstring_str(hex_encode_opt(buf, "\xde\xad", 2,
					     HEX_ENCODE_FLAG_LOWERCASE)),
			"dead");
    vstring_strcpy(buf, "0x");
    assert_string_equal(vstring_str(hex_encode_opt(buf, "\x01", 1,
					     HEX_ENCODE_FLAG_APPEND)),
			"0x01");
    vstring_free(buf);
}

/* test_hex_decode - valid and invalid input */
static void test_hex_decode(void **state)
{
    static const struct {
	const char *in;
	int     flags;
	const char *out;		/* NULL: error */
	size_t  out_len;
    } cases[] = {
	{"", 0, "", 0},
	{"007FAB", 0, "\x00\x7f\xab", 3},
	{"deadBEEF", 0, "\xde\xad\xbe\xef", 4},
	{"DE:AD", HEX_DECODE_FLAG_ALLOW_COLON, "\xde\xad", 2},
	{"DE", HEX_DECODE_FLAG_ALLOW_COLON, "\xde", 1},
	{"0", 0, 0, 0},
	{"0g", 0, 0, 0},
	{"g0", 0, 0, 0},
	{"DE:AD", 0, 0, 0},
	{" DEAD", 0, 0, 0},
	{"DEAD ", 0, 0, 0},
	{"DEAD", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
	{"DE::AD", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
	{":DE", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
	{"DE:", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
	{"DE:A", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
	{"D:EA", HEX_DECODE_FLAG_ALLOW_COLON, 0, 0},
    };
    VSTRING *buf = vstring_alloc(1);
    VSTRING *result;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	result = hex_decode_opt(buf, cases[n].in, strlen(cases[n].in),
				cases[n].flags);
	if (cases[n].out == NULL) {
	    if (result != NULL)
		fail_msg("hex_decode accepted \"%s\"", cases[n].in);
	} else {
	    if (result == NULL)
		fail_msg("hex_decode refused \"%s\"", cases[n].in);
	    assert_int_equal(VSTRING_LEN(buf), cases[n].out_len);
	    assert_memory_equal(vstring_str(buf), cases[n].out, cases[n].out_len);
	}
    }
    /* Round trip with colons. */
    hex_encode_opt(buf, "\x01\x02\xff", 3, HEX_ENCODE_FLAG_USE_COLON);
    result = vstring_alloc(1);
    assert_non_null(hex_decode_opt(result, vstring_str(buf), VSTRING_LEN(buf),
				   HEX_DECODE_FLAG_ALLOW_COLON));
    assert_memory_equal(vstring_str(result), "\x01\x02\xff", 3);
    vstring_strcpy(result, "<");
    assert_non_null(hex_decode_opt(result, "3E", 2, HEX_DECODE_FLAG_APPEND));
    assert_string_equal(vstring_str(result), "<>");
    assert_non_null(hex_decode(result, "3E", 2));
    assert_string_equal(vstring_str(result), ">");
    vstring_free(result);
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_hex_encode),
	cmocka_unit_test(test_hex_decode),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
