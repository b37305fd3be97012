/*
 * test_dict_support - helpers shared by the lookup table unit tests
 *
 * SYNOPSIS
 *	#include "test_dict_support.h"
 *
 *	void	test_dict_chdir(void);
 *	const char *test_dict_get(DICT *dict, const char *key);
 *	void	test_dict_expect(const char *type_name, int dict_flags,
 *				 const char *text, const TEST_DICT_QUERY *queries,
 *				 const char *open_log);
 *	void	test_dict_file_cases(const char *type_name,
 *				 const TEST_DICT_FILE_CASE *cases, size_t count);
 *	char	*test_dict_table_name(const char *base);
 *	char	*test_dict_listing(DICT *dict);
 *
 * DESCRIPTION
 *	test_dict_chdir() moves into a fresh temporary directory, so that
 *	table files can have short relative names ("t") that appear as
 *	such in the expected messages.
 *
 *	test_dict_get() looks up key and returns the result, "NOTFOUND",
 *	"RETRY" or "CONFIG" (the dict->error of a failed lookup).
 *
 *	test_dict_expect() writes text (when not NULL) to the file "t",
 *	opens type_name with O_RDONLY and dict_flags while capturing the
 *	log, compares the log with open_log, then runs each query (until
 *	one with a NULL key) and compares its result and the log of that
 *	lookup. The table is closed at the end.
 *
 *	test_dict_file_cases() runs test_dict_expect() for a table of
 *	cases, each a table file text, one key, its expected result and
 *	the warnings expected while the table is opened.
 *
 *	test_dict_table_name() returns a fresh absolute table name (base
 *	plus a counter) in a temporary directory made on first use and
 *	removed when the test program exits; the caller frees it. test_dict_listing() reads the whole table with
 *	dict_seq() and returns "key=value\n" for each entry in sequence
 *	order (caller frees); the sequence must end without error.
 *
 *	These helpers are static functions in this header: each test
 *	program includes it once.
 */
#ifndef TEST_DICT_SUPPORT_H
#define TEST_DICT_SUPPORT_H

#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "mymalloc.h"
#include "vstring.h"
#include "dict.h"
#include "test_support.h"

typedef struct TEST_DICT_QUERY {
    const char *key;			/* NULL: end of list */
    const char *result;			/* value, NOTFOUND, RETRY, CONFIG */
    const char *log;			/* messages logged by the lookup */
} TEST_DICT_QUERY;

typedef struct TEST_DICT_FILE_CASE {
    const char *text;			/* table file content */
    const char *key;
    const char *result;
    const char *log;			/* warnings while opening */
} TEST_DICT_FILE_CASE;

/* test_dict_chdir - work in a fresh temporary directory */
static UNUSED void test_dict_chdir(void)
{
    char   *dir = test_tempdir();

    if (chdir(dir) != 0)
	fail_msg("chdir %s: %m", dir);
    myfree(dir);
}

/* test_dict_get - lookup result as text */
static UNUSED const char *test_dict_get(DICT *dict, const char *key)
{
    const char *result = dict_get(dict, key);

    if (result != NULL)
	return result;
    switch (dict->error) {
    case DICT_ERR_NONE:
	return "NOTFOUND";
    case DICT_ERR_RETRY:
	return "RETRY";
    case DICT_ERR_CONFIG:
	return "CONFIG";
    default:
	return "BAD-ERROR";
    }
}

/* test_dict_expect - open a table and check lookups and messages */
static UNUSED void test_dict_expect(const char *type_name, int dict_flags,
				            const char *text,
				            const TEST_DICT_QUERY *queries,
				            const char *open_log)
{
    DICT   *dict;
    const TEST_DICT_QUERY *q;

    if (text != NULL)
	test_write_file("t", text);
    test_capture_start();
    dict = dict_open(type_name, O_RDONLY, dict_flags);
    if (open_log != NULL)
	assert_string_equal(test_capture_text(), open_log);
    test_capture_stop();
    for (q = queries; q && q->key; q++) {
	test_capture_start();
	assert_string_equal(test_dict_get(dict, q->key), q->result);
	assert_string_equal(test_capture_text(), q->log ? q->log : "");
	test_capture_stop();
    }
    dict_close(dict);
}

/* test_dict_file_cases - one table file per case, one lookup each */
static UNUSED void test_dict_file_cases(const char *type_name,
				               const TEST_DICT_FILE_CASE *cases,
					        size_t count)
{
    size_t  n;
    TEST_DICT_QUERY q[2] = {{0}};

    test_dict_chdir();
    for (n = 0; n < count; n++) {
	q[0].key = cases[n].key;
	q[0].result = cases[n].result;
	q[0].log = "";
	print_message("case %zu: %s", n, cases[n].text);
	test_dict_expect(type_name, DICT_FLAG_NONE, cases[n].text, q,
			 cases[n].log);
    }
}

static char *test_dict_table_dir;	/* test_dict_table_name() */
static pid_t test_dict_table_owner;	/* the process that made it */

/* test_dict_table_cleanup - at exit: remove the directory, once */
static void test_dict_table_cleanup(void)
{
    /* A forked child that exits must leave the parent's files alone. */
    if (test_dict_table_dir != NULL && getpid() == test_dict_table_owner)
	test_remove_tree(test_dict_table_dir);
}

/* test_dict_table_name - a fresh table name in a temporary directory */
static UNUSED char *test_dict_table_name(const char *base)
{
    static int count;
    VSTRING *buf = vstring_alloc(100);

    if (test_dict_table_dir == NULL) {
	test_dict_table_dir = test_tempdir();
	test_dict_table_owner = getpid();
	atexit(test_dict_table_cleanup);
    }
    vstring_sprintf(buf, "%s/%s%d", test_dict_table_dir, base, ++count);
    return vstring_export(buf);
}

/* test_dict_listing - "key=value\n" for each entry, in sequence order */
static UNUSED char *test_dict_listing(DICT *dict)
{
    VSTRING *buf = vstring_alloc(100);
    const char *key;
    const char *value;
    int     status;
    int     function = DICT_SEQ_FUN_FIRST;

    while ((status = dict_seq(dict, function, &key, &value)) == DICT_STAT_SUCCESS) {
	vstring_sprintf_append(buf, "%s=%s\n", key, value);
	function = DICT_SEQ_FUN_NEXT;
    }
    assert_int_equal(status, DICT_STAT_FAIL);
    return vstring_export(buf);
}

#endif
