/*
 * test_flush_log - unit tests for flush_log(3), the logs of flush(8)
 *
 * The file names are those that Debian's Postfix 3.7 made for the same
 * destinations ("etrn.example" -> flush/etrn_example).
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "argv.h"
#include "flush_log.h"
#include "test_support.h"

/* test_path - site syntax and file names */
static void test_path(void **state)
{
    static const struct {
	const char *site;
	const char *path;		/* NULL: refused */
    } cases[] = {
	{"etrn.example", "flush/etrn_example"},
	{"ETRN.Example", "flush/etrn_example"},
	{"a-b.c.example", "flush/a-b_c_example"},
	{"localhost", "flush/localhost"},
	{"[127.0.0.1]", "flush/[127_0_0_1]"},
	{"[IPv6:::1]", "flush/[ipv6:::1]"},
	{"[::1]", 0},
	{"bad..domain", 0},
	{"", 0},
	{"a/b", 0},
	{"../etc", 0},
	{".", 0},
	{"[1.2.3]", 0},
	{"[]", 0},
	{"[127.0.0.1", 0},
	{"-x.example", 0},
    };
    VSTRING *buf = vstring_alloc(10);
    const char *got;

    (void) state;
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
	got = flush_log_path(buf, cases[i].site);
	if (cases[i].path == 0) {
	    if (got != 0)
		fail_msg("%s: accepted as %s", cases[i].site, got);
	} else {
	    if (got == 0)
		fail_msg("%s: refused", cases[i].site);
	    assert_string_equal(got, cases[i].path);
	}
    }
    vstring_free(buf);
}

/* test_parse_text - parse text through a temporary file */
static size_t test_parse_text(const char *text, ARGV *ids, size_t limit)
{
    char   *dir = test_tempdir();
    VSTRING *path = vstring_alloc(100);
    VSTREAM *fp;
    size_t  skipped;

    vstring_sprintf(path, "%s/log", dir);
    test_write_file(vstring_str(path), text);
    if ((fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) == 0)
	fail_msg("open %s: %m", vstring_str(path));
    skipped = flush_log_parse(fp, ids, limit);
    (void) vstream_fclose(fp);
    test_remove_tree(dir);
    myfree(dir);
    vstring_free(path);
    return (skipped);
}

/* test_parse - distinct valid IDs in order, bad lines skipped */
static void test_parse(void **state)
{
    ARGV   *ids = argv_alloc(1);
    VSTRING *big = vstring_alloc(300);

    (void) state;
    test_capture_start();
    assert_int_equal(test_parse_text("D53F8A72273\nABCDEF123\n"
				     "D53F8A72273\n4jh8KB5VJ9z1bZr6\n",
				     ids, 100), 0);
    assert_int_equal(ids->argc, 3);
    assert_string_equal(ids->argv[0], "D53F8A72273");
    assert_string_equal(ids->argv[1], "ABCDEF123");
    assert_string_equal(ids->argv[2], "4jh8KB5VJ9z1bZr6");
    assert_string_equal(test_capture_text(), "");

    /* Bad lines: one warning per log, the count says how many. */
    argv_truncate(ids, 0);
    for (int i = 0; i < 250; i++)
	vstring_strcat(big, "A");
    vstring_strcat(big, "\n\nbad/id\nABCDEF123\nlast0ID1");
    assert_int_equal(test_parse_text(vstring_str(big), ids, 100), 3);
    assert_int_equal(ids->argc, 2);
    assert_string_equal(ids->argv[0], "ABCDEF123");
    assert_string_equal(ids->argv[1], "last0ID1");
    assert_non_null(strstr(test_capture_text(),
			   "line 1: line too long, skipped"));
    assert_null(strstr(test_capture_text(), "line 2"));
    test_capture_stop();

    /* The limit counts distinct IDs. */
    test_capture_start();
    argv_truncate(ids, 0);
    assert_int_equal(test_parse_text("AAAAAA1\nAAAAAA1\nAAAAAA2\nAAAAAA3\n",
				     ids, 2), 0);
    assert_int_equal(ids->argc, 2);
    assert_non_null(strstr(test_capture_text(),
			   "more than 2 queue IDs, the rest is dropped"));
    test_capture_stop();
    argv_free(ids);
    vstring_free(big);
}

/* test_append_take - append, take (emptied), take again (nothing) */
static void test_append_take(void **state)
{
    char   *dir = test_tempdir();
    VSTRING *path = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    struct stat st;
    ARGV   *ids;

    (void) state;
    vstring_sprintf(path, "%s/none", dir);
    ids = flush_log_take(vstring_str(path), why);
    assert_non_null(ids);
    assert_int_equal(ids->argc, 0);
    argv_free(ids);

    vstring_sprintf(path, "%s/etrn_example", dir);
    assert_true(flush_log_append(vstring_str(path), "ABCDEF1", why));
    assert_true(flush_log_append(vstring_str(path), "ABCDEF2", why));
    assert_true(flush_log_append(vstring_str(path), "ABCDEF1", why));
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_int_equal(st.st_size, 24);
    ids = flush_log_take(vstring_str(path), why);
    assert_non_null(ids);
    assert_int_equal(ids->argc, 2);
    assert_string_equal(ids->argv[0], "ABCDEF1");
    assert_string_equal(ids->argv[1], "ABCDEF2");
    argv_free(ids);
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_size, 0);
    ids = flush_log_take(vstring_str(path), why);
    assert_int_equal(ids->argc, 0);
    argv_free(ids);

    /* A directory where the log should be: a reason, no crash. */
    vstring_sprintf(path, "%s/sub", dir);
    assert_int_equal(mkdir(vstring_str(path), 0700), 0);
    assert_false(flush_log_append(vstring_str(path), "ABCDEF1", why));
    assert_non_null(strstr(vstring_str(why), "open "));
    test_remove_tree(dir);
    myfree(dir);
    vstring_free(path);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_path),
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_append_take),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
