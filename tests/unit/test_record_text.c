/*
 * test_record_text - unit tests for record_text(3)
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "record_text.h"
#include "test_memstream.h"
#include "test_support.h"

/* records - write text, read back "T:payload" lines joined by "|" */
static char *records(const char *text, size_t len, VSTRING *out)
{
    VSTREAM *fp = test_memstream("", 0);
    VSTRING *buf = vstring_alloc(100);
    int     type;

    record_text_put(fp, text, len);
    assert_int_equal(vstream_fflush(fp), 0);
    assert_int_equal(vstream_fseek(fp, 0, SEEK_SET), 0);
    VSTRING_RESET(out);
    while ((type = record_get(fp, buf, 2 * QUEUE_FILE_LIMIT)) > 0) {
	if (VSTRING_LEN(out))
	    vstring_strcat(out, "|");
	vstring_sprintf_append(out, "%c:%s", type,
			       VSTRING_LEN(buf) > 10 ? "long" : vstring_str(buf));
    }
    vstring_free(buf);
    vstream_fclose(fp);
    return (vstring_str(out));
}

/* test_lines - one L record per line; a final newline adds nothing */
static void test_lines(void **state)
{
    static const struct {
	const char *text;
	const char *want;
    } cases[] = {
	{"", ""},
	{"a", "L:a"},
	{"a\n", "L:a"},
	{"a\nb\n", "L:a|L:b"},
	{"\n\nc", "L:|L:|L:c"},
	{"x\n\n", "L:x|L:"},
    };
    VSTRING *out = vstring_alloc(100);

    (void) state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	assert_string_equal(records(cases[i].text, strlen(cases[i].text), out),
			    cases[i].want);
    vstring_free(out);
}

/* test_long_line - a line over QUEUE_FILE_LIMIT becomes P + L */
static void test_long_line(void **state)
{
    size_t  len = QUEUE_FILE_LIMIT + 5;
    char   *text = mymalloc(len + 3);
    VSTRING *out = vstring_alloc(100);

    (void) state;
    memset(text, 'x', len);
    memcpy(text + len, "\nz", 3);
    assert_string_equal(records(text, len + 2, out), "P:long|L:xxxxx|L:z");
    myfree(text);
    vstring_free(out);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_lines),
	cmocka_unit_test(test_long_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
