/*
 * test_queue_id - unit tests for queue_id(3)
 *
 * The long IDs and hashed directories are those that Debian's Postfix
 * 3.7 made (enable_long_queue_ids = yes, hash_queue_depth = 2) for
 * files whose inode and creation time we decoded.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "vstring.h"
#include "queue_id.h"
#include "test_support.h"

static const struct {
    long    sec;
    long    usec;
    unsigned long inode;
    const char *long_id;
    const char *hash2;
} observed[] = {
    {1796430334, 774185, 10957662, "4jh8KB5VJ9z1bZr6", "B/D/"},
    {1796430334, 788186, 10957665, "4jh8KB5bTQz1bZr9", "C/0/"},
    {1796430334, 801699, 10957595, "4jh8KB5hTHz1bZpn", "C/3/"},
};

/* test_make - short and long forms */
static void test_make(void **state)
{
    VSTRING *buf = vstring_alloc(10);
    VSTRING *hash = vstring_alloc(10);
    struct timeval tv;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(observed); n++) {
	tv.tv_sec = observed[n].sec;
	tv.tv_usec = observed[n].usec;
	assert_string_equal(queue_id_make(buf, (ino_t) observed[n].inode, &tv,
					  true), observed[n].long_id);
	assert_true(queue_id_valid(vstring_str(buf)));
	assert_true(queue_id_is_long(vstring_str(buf)));
	assert_string_equal(queue_id_hash(hash, vstring_str(buf), 2),
			    observed[n].hash2);
	/* The short form hashes alike. */
	queue_id_make(buf, (ino_t) observed[n].inode, &tv, false);
	assert_false(queue_id_is_long(vstring_str(buf)));
	assert_string_equal(queue_id_hash(hash, vstring_str(buf), 2),
			    observed[n].hash2);
    }
    tv.tv_sec = 1796430334;
    tv.tv_usec = 774185;
    assert_string_equal(queue_id_make(buf, 10957662, &tv, false),
			"BD029A7335E");
    tv.tv_usec = 5;
    assert_string_equal(queue_id_make(buf, 1, &tv, false), "000051");
    assert_true(queue_id_valid(vstring_str(buf)));
    /* Small and large values keep their widths; the inode has no "z". */
    tv.tv_sec = 0;
    tv.tv_usec = 0;
    assert_string_equal(queue_id_make(buf, 0, &tv, true), "0000000000z0");
    tv.tv_sec = 19770609663L;		/* 52^6 - 1 */
    tv.tv_usec = 999999;
    queue_id_make(buf, (ino_t) 51 * 51 - 1, &tv, true);
    assert_string_equal(vstring_str(buf), "zzzzzz75plzyy");
    assert_string_equal(queue_id_hash(hash, vstring_str(buf), 5), "F/4/2/3/F/");
    tv.tv_sec = 19770609664L;		/* 7 digits */
    queue_id_make(buf, 1, &tv, true);
    assert_int_equal(VSTRING_LEN(buf), 7 + 4 + 1 + 1);
    assert_string_equal(queue_id_hash(hash, vstring_str(buf), 1), "F/");
    vstring_free(buf);
    vstring_free(hash);
}

/* test_valid - what is a queue ID */
static void test_valid(void **state)
{
    static const char *good[] = {
	"ABCDEF", "3F2A1B7E4", "4jh8KB5VJ9z1bZr6",
	"0123456789012345678901234567890123456789",
    };
    static const char *bad[] = {
	"", "ABCDE", "tmp.12.1", "ABC/DEF", "ABC DEF", "ABCDEF.", "..",
	"01234567890123456789012345678901234567890", "ABCDE\n", "-ABCDEF",
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(good); n++)
	assert_true(queue_id_valid(good[n]));
    for (n = 0; n < ARRAY_LEN(bad); n++)
	if (queue_id_valid(bad[n]))
	    fail_msg("\"%s\" accepted", bad[n]);
}

/* test_hash - depths and odd input */
static void test_hash(void **state)
{
    VSTRING *hash = vstring_alloc(10);

    (void) state;
    assert_string_equal(queue_id_hash(hash, "3F2A1B7E4", 0), "");
    assert_string_equal(queue_id_hash(hash, "3F2A1B7E4", 1), "3/");
    assert_string_equal(queue_id_hash(hash, "3F2A1B7E4", 2), "3/F/");
    assert_string_equal(queue_id_hash(hash, "3F2A1B7E4", 99), "3/F/2/A/1/");
    assert_string_equal(queue_id_hash(hash, "3F2A1B7E4", -1), "");
    /* Observed by Debian's Postfix in a second run. */
    assert_string_equal(queue_id_hash(hash, "4jh8M141Bkz1bZSn", 2), "8/A/");
    assert_string_equal(queue_id_hash(hash, "4jh8M143Gsz1bZSm", 2), "8/B/");
    assert_string_equal(queue_id_hash(hash, "4jh8MG0Qb3z1bXx5", 2), "0/E/");
    assert_string_equal(queue_id_hash(hash, "4jh8MR3sx5z1bYD2", 2), "8/5/");
    /* Lower case without a usable separator: hashed by its characters. */
    assert_string_equal(queue_id_hash(hash, "abcdefgh", 2), "a/b/");
    assert_string_equal(queue_id_hash(hash, "abcdezgh", 2), "a/b/");
    assert_string_equal(queue_id_hash(hash, "AAAAAAaeiouz1", 2), "A/A/");
    vstring_free(hash);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_make),
	cmocka_unit_test(test_valid),
	cmocka_unit_test(test_hash),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
