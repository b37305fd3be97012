/*
 * test_readlline - unit tests for readlline(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "test_support.h"

/* open_text - a stream that reads the given bytes */
static VSTREAM *open_text(const char *text, size_t len)
{
    int     fd = memfd_create("readlline", 0);
    VSTREAM *fp;

    if (fd < 0)
	fail_msg("memfd_create: %m");
    if (write(fd, text, len) != (ssize_t) len)
	fail_msg("write: %m");
    if (lseek(fd, 0, SEEK_SET) != 0)
	fail_msg("lseek: %m");
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, "test.cf");
    return fp;
}

/*
 * read_all - read every logical line; each becomes "first-last:status:text\n"
 * in the result.
 */
static void read_all(const char *text, size_t bound, VSTRING *result)
{
    VSTREAM *fp = open_text(text, strlen(text));
    VSTRING *buf = vstring_alloc(1);
    int     lineno = 0;
    int     first;
    int     last;
    int     status;

    VSTRING_RESET(result);
    while ((status = readlline(buf, fp, &lineno, &first, &last, bound))
	   != READLLINE_EOF) {
	vstring_sprintf_append(result, "%d-%d:%d:%s\n", first, last, status,
			       vstring_str(buf));
	if (status == READLLINE_TOOLONG)
	    assert_int_equal(VSTRING_LEN(buf), 0);
    }
    /* EOF is sticky. */
    assert_int_equal(readlline(buf, fp, &lineno, &first, &last, bound),
		     READLLINE_EOF);
    vstring_free(buf);
    vstream_fclose(fp);
}

/* test_readlline_table - logical line assembly */
static void test_readlline_table(void **state)
{
    static const struct {
	const char *input;
	size_t  bound;
	const char *output;
	const char *log;
    } cases[] = {
	{"", 100, "", ""},
	{"\n\n  \n\t\n# x\n   # y\n", 100, "", ""},
	{"a = b\n", 100, "1-1:1:a = b\n", ""},
	{"a = b", 100, "1-1:1:a = b\n", ""},
	{"a\nb\n", 100, "1-1:1:a\n2-2:1:b\n", ""},
	/* Continuations keep their leading whitespace, lose the newline. */
	{"a  \n      b   b2  \n\t\t c\nx = 1\n", 100,
	"1-3:1:a        b   b2  \t\t c\n4-4:1:x = 1\n", ""},
	/* Comments and blank lines inside a logical line are ignored. */
	{"key1 a\n  b\n# c\n\n  d\n   lead x\nnext\n", 100,
	"1-6:1:key1 a  b  d   lead x\n7-7:1:next\n", ""},
	{"k v\n  #notcomment\n\tmore\n", 100, "1-3:1:k v\tmore\n", ""},
	/* '#' after text is not a comment here. */
	{"mydomain = d # not comment\n", 100,
	"1-1:1:mydomain = d # not comment\n", ""},
	/* CR is data. */
	{"a\r\n  b\r\n", 100, "1-2:1:a\r  b\r\n", ""},
	/* Leading whitespace at the start: skipped with a warning. */
	{"  lead x\n  cont\nkey1 a\n", 100, "3-3:1:key1 a\n",
	"warning: test.cf, line 1: logical line must not start with whitespace:"
	" \"  lead x  cont\"\n"},
	{"  0123456789012345678901234567890123456789\nk\n", 100, "2-2:1:k\n",
	"warning: test.cf, line 1: logical line must not start with whitespace:"
	" \"  0123456789012345678901234567...\"\n"},
	/* Bounds: exactly at the bound is fine, one more is not. */
	{"abcde\nx\n", 5, "1-1:1:abcde\n2-2:1:x\n", ""},
	{"abcdef\nx\n", 5, "1-1:-1:\n2-2:1:x\n",
	"warning: test.cf, line 1: logical line is longer than 5 bytes;"
	" skipped\n"},
	{"abc\n de\n#\n f\ny\n", 5, "1-4:-1:\n5-5:1:y\n",
	"warning: test.cf, line 1-4: logical line is longer than 5 bytes;"
	" skipped\n"},
	{"a\n          b\nc\n", 5, "1-2:-1:\n3-3:1:c\n",
	"warning: test.cf, line 1-2: logical line is longer than 5 bytes;"
	" skipped\n"},
	{"abcd\n b\n", 6, "1-2:1:abcd b\n", ""},
	/* Long blank and comment lines cost nothing. */
	{"#                                        \n"
	"                                          \nz\n", 3, "3-3:1:z\n", ""},
    };
    VSTRING *result = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	read_all(cases[n].input, cases[n].bound, result);
	if (strcmp(vstring_str(result), cases[n].output) != 0)
	    fail_msg("case %zu: got \"%s\", want \"%s\"", n,
		     vstring_str(result), cases[n].output);
	if (strcmp(test_capture_text(), cases[n].log) != 0)
	    fail_msg("case %zu: log \"%s\", want \"%s\"", n,
		     test_capture_text(), cases[n].log);
	test_capture_stop();
    }
    vstring_free(result);
}

/* test_readlline_lineno - the running line counter */
static void test_readlline_lineno(void **state)
{
    static const char text[] = "a\n#c\n\nb\n c\n#\n";
    VSTREAM *fp = open_text(text, sizeof(text) - 1);
    VSTRING *buf = vstring_alloc(1);
    int     lineno = 0;
    int     first;

    (void) state;
    assert_int_equal(readlline(buf, fp, &lineno, &first, NULL, 10),
		     READLLINE_OK);
    assert_string_equal(vstring_str(buf), "a");
    assert_int_equal(first, 1);
    assert_int_equal(lineno, 3);		/* comment and blank consumed */
    assert_int_equal(readlline(buf, fp, &lineno, NULL, NULL, 10),
		     READLLINE_OK);
    assert_string_equal(vstring_str(buf), "b c");
    assert_int_equal(lineno, 6);
    assert_int_equal(readlline(buf, fp, &lineno, &first, NULL, 10),
		     READLLINE_EOF);
    assert_int_equal(lineno, 6);
    vstring_free(buf);
    vstream_fclose(fp);
}

/* test_readlline_huge - a huge line does not grow the buffer */
static void test_readlline_huge(void **state)
{
    size_t  len = 1024 * 1024;
    char   *text = malloc(len + 8);
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(1);
    int     lineno = 0;
    int     first;
    int     last;

    (void) state;
    memset(text, 'x', len);
    memcpy(text + len, "\n  \ny\n", 6);
    fp = open_text(text, len + 6);
    test_capture_start();
    assert_int_equal(readlline(buf, fp, &lineno, &first, &last, 1000),
		     READLLINE_TOOLONG);
    assert_true(buf->size <= 4096);
    assert_int_equal(first, 1);
    assert_int_equal(last, 1);
    assert_int_equal(readlline(buf, fp, &lineno, &first, &last, 1000),
		     READLLINE_OK);
    assert_string_equal(vstring_str(buf), "y");
    assert_int_equal(first, 3);
    assert_string_equal(test_capture_text(), "warning: test.cf, line 1: logical"
			" line is longer than 1000 bytes; skipped\n");
    test_capture_stop();

    /* A huge indented line likewise. */
    memset(text, ' ', len);
    memcpy(text + len, "x\nz\n", 4);
    vstream_fclose(fp);
    fp = open_text(text, len + 4);
    lineno = 0;
    test_capture_start();
    assert_int_equal(readlline(buf, fp, &lineno, &first, &last, 1000),
		     READLLINE_TOOLONG);
    assert_int_equal(readlline(buf, fp, &lineno, &first, &last, 1000),
		     READLLINE_OK);
    assert_string_equal(vstring_str(buf), "z");
    assert_true(buf->size <= 4096);
    test_capture_stop();
    vstream_fclose(fp);
    vstring_free(buf);
    free(text);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_readlline_table),
	cmocka_unit_test(test_readlline_lineno),
	cmocka_unit_test(test_readlline_huge),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
