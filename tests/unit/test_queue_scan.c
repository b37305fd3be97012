/*
 * test_queue_scan - unit tests for queue_scan(3)
 *
 * A queue tree with files at several hash levels, a temporary file, a
 * subdirectory that is not a hash directory, and a callback that moves
 * files around while the walk goes on.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argv.h"
#include "mymalloc.h"
#include "stringops.h"
#include "queue_scan.h"
#include "test_support.h"

 /* What the callbacks saw. */
typedef struct SEEN {
    ARGV   *files;			/* "depth path" */
    ARGV   *dirs;			/* "depth path" */
    bool    move;			/* move "deep" files up */
} SEEN;

/* seen_file - record a file; optionally move it to the queue top */
static void seen_file(const char *queue, const char *path, const char *name,
		              int depth, void *context)
{
    SEEN   *seen = context;
    char    buf[512];

    snprintf(buf, sizeof(buf), "%d %s", depth, path);
    argv_add(seen->files, buf, (char *) 0);
    if (seen->move && depth > 0) {
	char   *to = concatenate(queue, "/", name, (char *) 0);

	assert_int_equal(rename(path, to), 0);
	myfree(to);
    }
}

/* seen_dir - record a finished hash directory */
static void seen_dir(const char *queue, const char *path, int depth,
		             void *context)
{
    SEEN   *seen = context;
    char    buf[512];

    (void) queue;
    snprintf(buf, sizeof(buf), "%d %s", depth, path);
    argv_add(seen->dirs, buf, (char *) 0);
}

/* has - is the string in the list? */
static bool has(const ARGV *argv, const char *text)
{
    for (size_t i = 0; i < argv->argc; i++)
	if (strcmp(argv->argv[i], text) == 0)
	    return (true);
    return (false);
}

/* test_walk - every level, no more */
static void test_walk(void **state)
{
    char   *dir = test_tempdir();
    SEEN    seen = {argv_alloc(8), argv_alloc(8), false};

    (void) state;
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("deferred", 0700), 0);
    assert_int_equal(mkdir("deferred/3", 0700), 0);
    assert_int_equal(mkdir("deferred/3/F", 0700), 0);
    assert_int_equal(mkdir("deferred/3/F/not-hash", 0700), 0);
    assert_int_equal(mkdir("deferred/a", 0700), 0);
    test_write_file("deferred/ABCDEF1", "x");
    test_write_file("deferred/tmp.1.2", "x");
    test_write_file("deferred/3/3F2A1B7E4", "x");
    test_write_file("deferred/3/F/3F0000001", "x");
    test_write_file("deferred/3/F/not-hash/ABCDEF2", "x");
    test_write_file("deferred/a/abcdefgh", "x");

    assert_int_equal(queue_scan("deferred", seen_file, seen_dir, &seen), 0);
    assert_int_equal(seen.files->argc, 5);
    assert_true(has(seen.files, "0 deferred/ABCDEF1"));
    assert_true(has(seen.files, "0 deferred/tmp.1.2"));
    assert_true(has(seen.files, "1 deferred/3/3F2A1B7E4"));
    assert_true(has(seen.files, "2 deferred/3/F/3F0000001"));
    assert_true(has(seen.files, "1 deferred/a/abcdefgh"));
    assert_int_equal(seen.dirs->argc, 3);
    assert_true(has(seen.dirs, "1 deferred/3"));
    assert_true(has(seen.dirs, "2 deferred/3/F"));
    assert_true(has(seen.dirs, "1 deferred/a"));
    /* A missing queue is empty, not an error. */
    assert_int_equal(queue_scan("nosuch", seen_file, 0, &seen), 0);
    argv_free(seen.files);
    argv_free(seen.dirs);
    test_remove_tree(dir);
    myfree(dir);
}

/* test_move_while_walking - a callback may move what it was given */
static void test_move_while_walking(void **state)
{
    char   *dir = test_tempdir();
    SEEN    seen = {argv_alloc(8), argv_alloc(8), true};
    char    name[32];

    (void) state;
    assert_int_equal(chdir(dir), 0);
    assert_int_equal(mkdir("hold", 0700), 0);
    assert_int_equal(mkdir("hold/1", 0700), 0);
    for (int i = 0; i < 50; i++) {
	snprintf(name, sizeof(name), "hold/1/1000%04d", i);
	test_write_file(name, "x");
    }
    assert_int_equal(queue_scan("hold", seen_file, 0, &seen), 0);
    /* Each file once: the top level was read before the moves. */
    assert_int_equal(seen.files->argc, 50);
    assert_true(test_file_exists("hold/10000049"));
    assert_false(test_file_exists("hold/1/10000049"));
    argv_free(seen.files);
    argv_free(seen.dirs);
    test_remove_tree(dir);
    myfree(dir);
}

/* test_hash_name - which names are entered */
static void test_hash_name(void **state)
{
    (void) state;
    assert_true(queue_scan_hash_name("0"));
    assert_true(queue_scan_hash_name("F"));
    assert_true(queue_scan_hash_name("a"));
    assert_false(queue_scan_hash_name(""));
    assert_false(queue_scan_hash_name("10"));
    assert_false(queue_scan_hash_name("."));
    assert_false(queue_scan_hash_name("-"));
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_walk),
	cmocka_unit_test(test_move_while_walking),
	cmocka_unit_test(test_hash_name),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
