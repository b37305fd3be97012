/*
 * test_pattern_file - unit tests for pattern_file(3)
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>

#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "pattern_file.h"
#include "test_support.h"

/* read_joined - the patterns of a file with this text, joined by "|" */
static char *read_joined(const char *text)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/list", (char *) 0);
    ARGV   *patterns = argv_alloc(1);
    char   *joined;

    test_write_file(path, text);
    assert_true(pattern_file_read(path, patterns));
    joined = argv_join(patterns, "|");
    argv_free(patterns);
    test_remove_tree(dir);
    myfree(path);
    myfree(dir);
    return joined;
}

/* test_syntax - separators, comments, continuation lines */
static void test_syntax(void **state)
{
    static const struct {
	const char *text;
	const char *patterns;
    } cases[] = {
	{"", ""},
	{"one\n", "one"},
	{"one two,three\n\tfour\n", "one|two|three|four"},
	{"# comment\n\n   \nexample.com # trailing words\n.sub\n",
	 "example.com|.sub"},
	{"a,,b ,\tc\r\n", "a|b|c"},
	{"no newline at end", "no|newline|at|end"},
	{"!negated /nested/file type:table\n", "!negated|/nested/file|type:table"},
    };
    size_t  n;
    char   *got;

    (void) state;
    for (n = 0; n < sizeof(cases) / sizeof(cases[0]); n++) {
	got = read_joined(cases[n].text);
	assert_string_equal(got, cases[n].patterns);
	myfree(got);
    }
}

/* test_appends - patterns are added after what the list holds */
static void test_appends(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/list", (char *) 0);
    ARGV   *patterns = argv_alloc(1);

    (void) state;
    argv_add(patterns, "first", ARGV_END);
    test_write_file(path, "second third\n");
    assert_true(pattern_file_read(path, patterns));
    assert_int_equal(patterns->argc, 3);
    assert_string_equal(patterns->argv[0], "first");
    assert_string_equal(patterns->argv[2], "third");
    argv_free(patterns);
    test_remove_tree(dir);
    myfree(path);
    myfree(dir);
}

/* test_missing - an unreadable file is false with errno set */
static void test_missing(void **state)
{
    ARGV   *patterns = argv_alloc(1);

    (void) state;
    errno = 0;
    assert_false(pattern_file_read("/nonexistent/pattern/file", patterns));
    assert_int_equal(errno, ENOENT);
    assert_int_equal(patterns->argc, 0);
    argv_free(patterns);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_syntax),
	cmocka_unit_test(test_appends),
	cmocka_unit_test(test_missing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
