/*
 * test_dict_texthash - unit tests for dict_texthash(3)
 *
 * DESCRIPTION
 *	The input format is that of postmap(1) ("INPUT FILE FORMAT"); the
 *	warning texts are those of Postfix 3.7 ("postmap -q key
 *	texthash:file").
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "mymalloc.h"
#include "stringops.h"
#include "dict.h"
#include "dict_texthash.h"
#include "test_dict_support.h"

#define W(line, text) "warning: t, line " #line ": " text "\n"

static const char text1[] =
"Alpha  one two \n"			/* 1 */
"# comment\n"				/* 2 */
"  # indented comment\n"		/* 3 */
"beta\n"				/* 4 */
"  continued\n"				/* 5 */
"gamma\t tab\n"				/* 6 */
"\"quoted key\" qv\n"			/* 7 */
"\"q\\\"x\\\\y\" esc\n"			/* 8 */
"\"unterminated val\n"			/* 9 */
"dup 1\n"				/* 10 */
"dup 2\n"				/* 11 */
"DUP 3\n"				/* 12 */
"\"\" emptykey\n"			/* 13 */
"\"a\"b x\n"				/* 14 */
"key:colon v\n"				/* 15 */
"\n"					/* 16 */
"last\n"				/* 17 */
"alias: x\n"				/* 18 */
"\"ab\"  \n"				/* 19 */
"a\"b c\n";				/* 20 */

static const char log1[] =
W(9, "unbalanced '\"' in '\"unterminated val' -- ignoring this line")
W(11, "duplicate entry: \"dup\"")
W(12, "duplicate entry: \"DUP\"")
W(17, "expected format: key whitespace value -- ignoring this line")
W(18, "record is in \"key: value\" format; is this an alias file?")
W(19, "expected format: key whitespace value -- ignoring this line")
W(20, "unbalanced '\"' in 'a\"b c' -- ignoring this line");

/* test_texthash_lookup - the postmap(1) input format */
static void test_texthash_lookup(void **state)
{
    static const TEST_DICT_QUERY q[] = {
	{"alpha", "one two", ""},
	{"ALPHA", "one two", ""},
	{"beta", "continued", ""},
	{"gamma", "tab", ""},
	{"\"quoted key\"", "qv", ""},
	{"quoted key", "NOTFOUND", ""},
	{"\"q\\\"x\\\\y\"", "esc", ""},
	{"dup", "1", ""},
	{"\"\"", "emptykey", ""},
	{"\"a\"b", "x", ""},
	{"key:colon", "v", ""},
	{"alias:", "x", ""},
	{"last", "NOTFOUND", ""},
	{"#", "NOTFOUND", ""},
	{0},
    };

    (void) state;
    test_dict_chdir();
    test_dict_expect("texthash:t", DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX,
		     text1, q, log1);
}

/* test_texthash_flags - duplicates, folding, sequence, errors */
static void test_texthash_flags(void **state)
{
    static const TEST_DICT_QUERY first[] = {{"a", "1", ""}, {0}};
    static const TEST_DICT_QUERY last[] = {{"a", "2", ""}, {0}};
    static const TEST_DICT_QUERY nofold[] = {
	{"A", "1", ""}, {"a", "NOTFOUND", ""}, {0},
    };
    static const TEST_DICT_QUERY dup[] = {
	{"a", "CONFIG", "warning: texthash:t is unavailable. "
	"t, line 2: duplicate entry: \"a\"\n"}, {0},
    };
    static const TEST_DICT_QUERY missing[] = {
	{"a", "CONFIG", "warning: texthash:nonexistent is unavailable. "
	"open database nonexistent: No such file or directory\n"}, {0},
    };
    const char *key;
    const char *value;
    DICT   *dict;

    (void) state;
    test_dict_chdir();
    test_dict_expect("texthash:t", DICT_FLAG_DUP_IGNORE, "a 1\na 2\n", first, "");
    test_dict_expect("texthash:t", DICT_FLAG_DUP_REPLACE, NULL, last, "");
    test_dict_expect("texthash:t", 0, NULL, dup,
		     "warning: texthash:t is unavailable. "
		     "t, line 2: duplicate entry: \"a\"\n");
    test_dict_expect("texthash:t", 0, "A 1\n", nofold, "");
    test_dict_expect("texthash:nonexistent", 0, NULL, missing,
		     "warning: texthash:nonexistent is unavailable. "
		     "open database nonexistent: No such file or directory\n");

    /* Sequence in file order; keys as stored (folded). */
    test_write_file("t", "B 1\na 2\nc 3\n");
    dict = dict_open("texthash:t", O_RDONLY, DICT_FLAG_FOLD_FIX);
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_FIRST, &key, &value), 0);
    assert_string_equal(key, "b");
    assert_string_equal(value, "1");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value), 0);
    assert_string_equal(key, "a");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value), 0);
    assert_string_equal(key, "c");
    assert_string_equal(value, "3");
    assert_int_equal(dict_seq(dict, DICT_SEQ_FUN_NEXT, &key, &value),
		     DICT_STAT_FAIL);

    /* Read-only. */
    test_capture_start();
    assert_int_equal(dict_put(dict, "x", "y"), DICT_STAT_ERROR);
    assert_string_equal(test_capture_text(),
			"warning: texthash:t does not support update\n");
    test_capture_stop();
    dict_close(dict);

    /* The file is watched for changes. */
    dict = dict_shared_open("texthash:t", O_RDONLY, 0);
    assert_null(dict_changed_name());
    assert_int_equal(rename("t", "t2"), 0);
    assert_string_equal(dict_changed_name(), "texthash:t");
    dict_shared_close(dict);
}

/* test_watch_chroot - watched paths after a chroot to a directory */
static void test_watch_chroot(void **state)
{
    char    cwd[4096];
    char   *jail_table;
    char   *jail;
    char   *outside_table;
    DICT   *inside;
    DICT   *outside;

    (void) state;
    test_dict_chdir();
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(mkdir("jail", 0755), 0);
    test_write_file("jail/t", "a 1\n");
    test_write_file("out", "b 2\n");
    jail_table = concatenate("texthash:", cwd, "/jail/t", (char *) 0);
    outside_table = concatenate("texthash:", cwd, "/out", (char *) 0);
    inside = dict_shared_open(jail_table, O_RDONLY, 0);
    outside = dict_shared_open(outside_table, O_RDONLY, 0);
    assert_null(dict_changed_name());
    jail = concatenate(cwd, "/jail/", (char *) 0);
    dict_watch_chroot(jail);
    assert_string_equal(inside->watch_path, "/t");
    assert_null(outside->watch_path);
    /* Outside the jail: no longer watched. Inside: looked up as "/t",
     * which (not being chrooted here) does not exist. */
    assert_int_equal(rename("out", "out2"), 0);
    assert_string_equal(dict_changed_name(), jail_table);
    dict_shared_close(inside);
    dict_shared_close(outside);
    myfree(jail_table);
    myfree(outside_table);
    myfree(jail);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_texthash_lookup),
	cmocka_unit_test(test_texthash_flags),
	cmocka_unit_test(test_watch_chroot),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
