/*
 * test_mkmap_source - unit tests for mkmap_source(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "mkmap_source.h"
#include "test_support.h"

/* parse - every entry as "line:key=value\n", and the warnings */
static void parse(const char *text, int flags, VSTRING *result)
{
    int     fd = memfd_create("mkmap_source", 0);
    VSTREAM *fp;
    MKMAP_SOURCE *src;
    const char *key;
    const char *value;

    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), strlen(text));
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, "src");
    src = mkmap_source_open(fp, flags);
    VSTRING_RESET(result);
    while (mkmap_source_next(src, &key, &value))
	vstring_sprintf_append(result, "%d:%s=%s\n",
			       mkmap_source_lineno(src), key, value);
    assert_string_equal(mkmap_source_path(src), "src");
    mkmap_source_close(src);
    vstream_fclose(fp);
}

/* test_postmap_format - "key whitespace value" */
static void test_postmap_format(void **state)
{
    static const struct {
	const char *input;
	const char *entries;
	const char *log;
    } cases[] = {
	{"", "", ""},
	{"a b\n", "1:a=b\n", ""},
	{"a   b c  \n", "1:a=b c\n", ""},
	{"a\tb\n", "1:a=b\n", ""},
	{"# c\n\na b\n  cont\n", "3:a=b  cont\n", ""},
	{"\"a b\" c\n", "1:\"a b\"=c\n", ""},
	{"\"a\\\"b\" c\n", "1:\"a\\\"b\"=c\n", ""},
	{"a\\ b c\n", "1:a\\ b=c\n", ""},
	{"badline\nok v\n", "2:ok=v\n",
	"warning: src, line 1: expected format: key whitespace value\n"},
	{"key   \n", "",
	"warning: src, line 1: expected format: key whitespace value\n"},
	{"\"unbal x\n", "",
	"warning: src, line 1: unbalanced '\"' in '\"unbal x' -- ignoring this line\n"},
	{"k: v\n", "1:k:=v\n",
	"warning: src, line 1: record is in \"key: value\" format; is this an alias file?\n"},
	{"x\\", "",
	"warning: src, line 1: expected format: key whitespace value\n"},
    };
    VSTRING *result = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	parse(cases[n].input, MKMAP_SOURCE_FLAG_NONE, result);
	assert_string_equal(vstring_str(result), cases[n].entries);
	assert_string_equal(test_capture_text(), cases[n].log);
	test_capture_stop();
    }
    vstring_free(result);
}

/* test_alias_format - aliases(5) */
static void test_alias_format(void **state)
{
    static const struct {
	const char *input;
	const char *entries;
	const char *log;
    } cases[] = {
	{"root: admin, Bob\n", "1:root=admin, Bob\n", ""},
	{"a1: x,y\n", "1:a1=x, y\n", ""},
	{"a2: x   y\n", "1:a2=x y\n", ""},
	{"a3: x (comment) , <y@z>\n", "1:a3=x (comment), <y@z>\n", ""},
	{"a4: \"x y\"@z,  Bob <b@c>\n", "1:a4=\"x y\"@z, Bob <b@c>\n", ""},
	{"a5:x,,y\n", "1:a5=x, , y\n", ""},
	{"a6: \"|cmd\", |cmd two, |\"cmd arg\"\n",
	"1:a6=\"|cmd\", |cmd two, |\"cmd arg\"\n", ""},
	{"a7  :  foo\n", "1:a7=foo\n", ""},
	{"a8: x@y,\n", "1:a8=x@y, \n", ""},
	{"list: a,\n   b,\n   c\n", "1:list=a, b, c\n", ""},
	{"\"foo bar\": x\n", "1:foo bar=x\n", ""},
	{"\"Quoted\\\"x\": y\n", "1:Quoted\"x=y\n", ""},
	{"\"a:b\" : c\n", "1:a:b=c\n", ""},
	{"o: :include:/etc/x, /file, \"|exit 67\"\n",
	"1:o=:include:/etc/x, /file, \"|exit 67\"\n", ""},
	{"bad line here\n", "",
	"warning: src, line 1: need name:value pair\n"},
	{"empty:\n", "", "warning: src, line 1: need name:value pair\n"},
	{":include: /etc/foo\n", "",
	"warning: src, line 1: need name:value pair\n"},
	{"multi, two: x\n", "", "warning: src, line 1: need name:value pair\n"},
	{"u@d: z\n", "", "warning: src, line 1: name must be local\n"},
	{"u%d: z\n", "", "warning: src, line 1: name must be local\n"},
	{"x: y\nbad, z\n  w\nok: v\n", "1:x=y\n4:ok=v\n",
	"warning: src, line 2: need name:value pair\n"},
    };
    VSTRING *result = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	parse(cases[n].input, MKMAP_SOURCE_FLAG_ALIAS, result);
	assert_string_equal(vstring_str(result), cases[n].entries);
	assert_string_equal(test_capture_text(), cases[n].log);
	test_capture_stop();
    }
    vstring_free(result);
}

/* test_utf8 - non-UTF-8 lines are skipped with MKMAP_SOURCE_FLAG_UTF8 */
static void test_utf8(void **state)
{
    VSTRING *result = vstring_alloc(100);

    (void) state;
    test_capture_start();
    parse("\xc3\x84 x\n\xff\xfe y\nok z\n", MKMAP_SOURCE_FLAG_UTF8, result);
    assert_string_equal(vstring_str(result), "1:\xc3\x84=x\n3:ok=z\n");
    assert_string_equal(test_capture_text(), "warning: src, line 2: non-UTF-8 "
			"input \"?? y\" -- ignoring this line\n");
    test_capture_stop();

    parse("\xff\xfe y\n", MKMAP_SOURCE_FLAG_NONE, result);
    assert_string_equal(vstring_str(result), "1:\xff\xfe=y\n");

    test_capture_start();
    parse("\xff: bad\nok: y\n", MKMAP_SOURCE_FLAG_UTF8 | MKMAP_SOURCE_FLAG_ALIAS,
	  result);
    assert_string_equal(vstring_str(result), "2:ok=y\n");
    assert_string_equal(test_capture_text(), "warning: src, line 1: non-UTF-8 "
			"input \"?: bad\" -- ignoring this line\n");
    test_capture_stop();
    vstring_free(result);
}

/* main - run the tests */
int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_postmap_format),
	cmocka_unit_test(test_alias_format),
	cmocka_unit_test(test_utf8),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
