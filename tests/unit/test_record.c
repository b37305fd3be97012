/*
 * test_record - unit tests for record(3) and rec_type(3)
 */
#define _GNU_SOURCE 1
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "test_support.h"

/* mem_stream - a read/write stream over a memory file with data in it */
static VSTREAM *mem_stream(const void *data, size_t len)
{
    int     fd = memfd_create("test_record", 0);

    assert_true(fd >= 0);
    if (len > 0)
	assert_int_equal(write(fd, data, len), (ssize_t) len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return vstream_fdopen(fd, O_RDWR);
}

/* get_one - the status of reading the first record of text */
static int get_one(const char *text, size_t len, size_t limit, VSTRING *buf)
{
    VSTREAM *fp = mem_stream(text, len);
    int     status = record_get(fp, buf, limit);

    vstream_fclose(fp);
    return status;
}

/* test_round_trip - what record_put writes, record_get reads back */
static void test_round_trip(void **state)
{
    VSTREAM *fp = mem_stream("", 0);
    VSTRING *buf = vstring_alloc(10);
    static const char binary[] = {'a', 0, '\n', 'b', (char) 0xff};
    char    big[3000];

    (void) state;
    memset(big, 'x', sizeof(big));
    assert_int_equal(record_puts(fp, REC_TYPE_FORMAT, REC_FORMAT_TEXT), 'Q');
    assert_int_equal(record_put(fp, REC_TYPE_LINE, binary, sizeof(binary)), 'L');
    assert_int_equal(record_fprintf(fp, REC_TYPE_TIME, "%d.%06d", 12, 34), 'T');
    assert_int_equal(record_put(fp, REC_TYPE_END, "", 0), 'Z');
    assert_int_equal(record_put(fp, REC_TYPE_PART, big, sizeof(big)), 'P');
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);

    assert_int_equal(record_get(fp, buf, 100), 'Q');
    assert_string_equal(vstring_str(buf), "postel-queue 1");
    assert_int_equal(record_get(fp, buf, 100), 'L');
    assert_int_equal(VSTRING_LEN(buf), sizeof(binary));
    assert_memory_equal(vstring_str(buf), binary, sizeof(binary));
    assert_int_equal(record_get(fp, buf, 100), 'T');
    assert_string_equal(vstring_str(buf), "12.000034");
    assert_int_equal(record_get(fp, buf, 100), 'Z');
    assert_int_equal(VSTRING_LEN(buf), 0);
    assert_int_equal(record_get(fp, buf, sizeof(big)), 'P');
    assert_int_equal(VSTRING_LEN(buf), sizeof(big));
    assert_int_equal(record_get(fp, buf, 100), RECORD_EOF);
    vstream_fclose(fp);

    /* The bytes on disk. */
    fp = mem_stream("", 0);
    record_puts(fp, REC_TYPE_RCPT, "a@b");
    vstream_fflush(fp);
    {
	char    raw[20];

	assert_int_equal(pread(vstream_fileno(fp), raw, sizeof(raw), 0), 7);
	assert_memory_equal(raw, "R3 a@b\n", 7);
    }
    vstream_fclose(fp);
    vstring_free(buf);
}

/* test_errors - every malformed record */
static void test_errors(void **state)
{
    static const struct {
	const char *text;
	int     status;
    } cases[] = {
	{"", RECORD_EOF},
	{"!3 abc\n", RECORD_ERR_TYPE},
	{"q3 abc\n", RECORD_ERR_TYPE},
	{"\n", RECORD_ERR_TYPE},
	{"L", RECORD_ERR_TRUNC},
	{"L3", RECORD_ERR_TRUNC},
	{"L3 ab", RECORD_ERR_TRUNC},
	{"L3 abc", RECORD_ERR_TRUNC},
	{"L3 abcd", RECORD_ERR_END},
	{"L3 abc\r\n", RECORD_ERR_END},
	{"L abc\n", RECORD_ERR_LENGTH},
	{"L03 abc\n", RECORD_ERR_LENGTH},
	{"L00 \n", RECORD_ERR_LENGTH},
	{"L-1 a\n", RECORD_ERR_LENGTH},
	{"L+1 a\n", RECORD_ERR_LENGTH},
	{"L3x abc\n", RECORD_ERR_LENGTH},
	{"L3\tabc\n", RECORD_ERR_LENGTH},
	{"L12345678901 a\n", RECORD_ERR_LENGTH},
	{"L9999999999 a\n", RECORD_ERR_LIMIT},
	{"L101 a\n", RECORD_ERR_LIMIT},
	{"L100 a\n", RECORD_ERR_TRUNC},
	{"L0 \n", 'L'},
	{"L0 x", RECORD_ERR_END},
	{"Z0 \n", 'Z'},
    };
    VSTRING *buf = vstring_alloc(10);
    size_t  n;
    int     status;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	status = get_one(cases[n].text, strlen(cases[n].text), 100, buf);
	if (status != cases[n].status)
	    fail_msg("\"%s\": got %d (%s), want %d", cases[n].text, status,
		     record_error(status), cases[n].status);
    }
    vstring_free(buf);
}

/* test_read_error - a stream that cannot be read */
static void test_read_error(void **state)
{
    int     fd = open("/dev/null", O_WRONLY);
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    assert_true(fd >= 0);
    fp = vstream_fdopen(fd, O_RDONLY);
    assert_int_equal(record_get(fp, buf, 100), RECORD_ERR_READ);
    vstream_fclose(fp);
    vstring_free(buf);
}

/* test_names - error and type names */
static void test_names(void **state)
{
    static const char types[] = "QSTFAEYWIJVOonRDMLPXZf";
    const char *cp;
    int     ch;
    int     count = 0;

    (void) state;
    assert_string_equal(record_error(RECORD_ERR_LIMIT), "record too long");
    assert_string_equal(record_error(RECORD_ERR_TRUNC), "truncated record");
    assert_string_equal(record_error(RECORD_ERR_TYPE), "bad record type");
    assert_string_equal(record_error(-99), "unknown record error");
    for (cp = types; *cp; cp++) {
	assert_true(rec_type_valid(*cp));
	assert_string_not_equal(rec_type_name(*cp), "unknown");
    }
    for (ch = -1; ch < 256; ch++)
	count += rec_type_valid(ch);
    assert_int_equal(count, (int) strlen(types));
    assert_string_equal(rec_type_name(REC_TYPE_RCPT), "recipient");
    assert_string_equal(rec_type_name(REC_TYPE_FROM), "sender");
    assert_string_equal(rec_type_name(REC_TYPE_VERP), "verp_delimiters");
    assert_string_equal(rec_type_name('?'), "unknown");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_errors),
	cmocka_unit_test(test_read_error),
	cmocka_unit_test(test_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
