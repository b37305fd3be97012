/*
 * test_base64_code - unit tests for base64_code(3)
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "base64_code.h"
#include "test_support.h"

/* test_base64_vectors - RFC 4648 section 10 vectors, both ways */
static void test_base64_vectors(void **state)
{
    static const struct {
	const char *plain;
	const char *encoded;
    } cases[] = {
	{"", ""},
	{"f", "Zg=="},
	{"fo", "Zm8="},
	{"foo", "Zm9v"},
	{"foob", "Zm9vYg=="},
	{"fooba", "Zm9vYmE="},
	{"foobar", "Zm9vYmFy"},
    };
    VSTRING *buf = vstring_alloc(1);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	assert_ptr_equal(base64_encode(buf, cases[n].plain,
				       strlen(cases[n].plain)), buf);
	assert_string_equal(vstring_str(buf), cases[n].encoded);
	assert_ptr_equal(base64_decode(buf, cases[n].encoded,
				       strlen(cases[n].encoded)), buf);
	assert_string_equal(vstring_str(buf), cases[n].plain);
	assert_int_equal(VSTRING_LEN(buf), strlen(cases[n].plain));
    }
    vstring_free(buf);
}

/* test_base64_binary - every byte value survives a round trip */
static void test_base64_binary(void **state)
{
    VSTRING *enc = vstring_alloc(1);
    VSTRING *dec = vstring_alloc(1);
    char    bytes[256];
    size_t  len;

    (void) state;
    for (len = 0; len < sizeof(bytes); len++)
	bytes[len] = (char) (255 - len);
    for (len = 0; len <= sizeof(bytes); len++) {
	base64_encode(enc, bytes, len);
	assert_int_equal(VSTRING_LEN(enc), (len + 2) / 3 * 4);
	assert_non_null(base64_decode(dec, vstring_str(enc), VSTRING_LEN(enc)));
	assert_int_equal(VSTRING_LEN(dec), len);
	assert_memory_equal(vstring_str(dec), bytes, len);
    }
    /* AUTH PLAIN style: "\0user\0pass". */
    base64_encode(enc, "\0user\0pass", 10);
    assert_string_equal(vstring_str(enc), "AHVzZXIAcGFzcw==");
    vstring_free(enc);
    vstring_free(dec);
}

/* test_base64_strict - malformed input is refused */
static void test_base64_strict(void **state)
{
    static const char *bad[] = {
	"Z", "Zg", "Zg=", "Zm9vY", "Zm9v\n", " Zm9v", "Zm 9v", "Zm9v====",
	"=Zm9", "Z===", "Zg==Zg==", "Zm=v", "Zm9v=", "Zm9\x80", "Zm-_",
	"====", "Zg=A",
    };
    VSTRING *buf = vstring_alloc(1);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(bad); n++)
	if (base64_decode(buf, bad[n], strlen(bad[n])) != NULL)
	    fail_msg("base64_decode accepted \"%s\"", bad[n]);
    /* The length argument is honoured: a null byte is not an end. */
    assert_null(base64_decode(buf, "Zm9v\0Zm9", 8));
    assert_non_null(base64_decode(buf, "Zm9vYmFyXXXX", 8));
    assert_string_equal(vstring_str(buf), "foobar");
    /* Non-zero bits before padding are tolerated (as Postfix does). */
    assert_non_null(base64_decode(buf, "Zh==", 4));
    assert_string_equal(vstring_str(buf), "f");
    vstring_free(buf);
}

/* test_base64_append - the append flag */
static void test_base64_append(void **state)
{
    VSTRING *buf = vstring_alloc(1);

    (void) state;
    vstring_strcpy(buf, "x=");
    base64_encode_opt(buf, "foo", 3, BASE64_FLAG_APPEND);
    assert_string_equal(vstring_str(buf), "x=Zm9v");
    vstring_strcpy(buf, "x=");
    assert_non_null(base64_decode_opt(buf, "YmFy", 4, BASE64_FLAG_APPEND));
    assert_string_equal(vstring_str(buf), "x=bar");
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_base64_vectors),
	cmocka_unit_test(test_base64_binary),
	cmocka_unit_test(test_base64_strict),
	cmocka_unit_test(test_base64_append),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
