/*
 * test_nbdb_reindex - unit tests for nbdb_reindex(3)
 *
 * DESCRIPTION
 *	command_directory points to fake postmap and postalias scripts that
 *	record how they were run (arguments, environment, standard input,
 *	user) and create the indexed file, unless a control file in their
 *	directory tells them to fail, to create nothing, or to hang. The
 *	tables live in a directory that the safety policy accepts for the
 *	user who runs the tests (both prefix lists name it).
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "nbdb_reindex.h"
#include "test_params.h"
#include "test_support.h"

static char *test_dir;
static char *bin_dir;

#define FAKE_COMMAND \
    "#!/bin/sh\n" \
    "dir=$(dirname \"$0\")\n" \
    "test -f \"$dir/hang\" && sleep 30\n" \
    "if read -r line; then input=\"$line\"; else input=empty; fi\n" \
    "echo \"$(basename \"$0\") $* MAIL_CONFIG=$MAIL_CONFIG " \
    "SECRET=${SECRET-unset} stdin=$input uid=$(id -u)\" >> \"$dir/record\"\n" \
    "test -f \"$dir/fail\" && exit 3\n" \
    "test -f \"$dir/nocreate\" && exit 0\n" \
    "eval last=\\${$#}\n" \
    ": > \"${last#*:}.lmdb\"\n"

/* in_dir - a path in a directory */
static char *in_dir(const char *dir, const char *base)
{
    return concatenate(dir, "/", base, (char *) 0);
}

/* write_script - an executable fake command */
static void write_script(const char *name)
{
    char   *path = in_dir(bin_dir, name);

    test_write_file(path, FAKE_COMMAND);
    if (chmod(path, 0755) < 0)
	fail_msg("chmod %s: %m", path);
    myfree(path);
}

/* setup - fake commands, settings, an empty table directory */
static int setup(void **state)
{
    (void) state;
    test_dir = test_tempdir();
    bin_dir = in_dir(test_dir, "bin");
    if (mkdir(bin_dir, 0755) < 0)
	fail_msg("mkdir %s: %m", bin_dir);
    (void) chmod(test_dir, 0755);
    write_script("postmap");
    write_script("postalias");
    test_set_param("non_bdb_migration_level", "enable-reindex");
    test_set_param("command_directory", bin_dir);
    test_set_param("config_directory", test_dir);
    test_set_param("non_bdb_migration_allow_root_prefixes", test_dir);
    test_set_param("non_bdb_migration_allow_user_prefixes", test_dir);
    test_set_param("command_time_limit", "10s");
    setenv("SECRET", "from the caller", 1);
    return 0;
}

/* teardown - remove everything */
static int teardown(void **state)
{
    (void) state;
    test_capture_stop();
    test_remove_tree(test_dir);
    myfree(test_dir);
    myfree(bin_dir);
    return 0;
}

/* legacy_table - a source file and a legacy .db file */
static char *legacy_table(const char *base, const char *text)
{
    char   *name = in_dir(test_dir, base);
    char   *legacy = concatenate(name, ".db", (char *) 0);

    test_write_file(name, text);
    test_write_file(legacy, "legacy");
    myfree(legacy);
    return name;
}

/* record - what the fake commands wrote, or "" */
static char *record(void)
{
    char   *path = in_dir(bin_dir, "record");
    VSTRING *text = vstring_alloc(100);
    FILE   *fp;
    int     ch;

    if ((fp = fopen(path, "r")) != NULL) {
	while ((ch = getc(fp)) != EOF)
	    VSTRING_ADDCH(text, ch);
	fclose(fp);
	VSTRING_TERMINATE(text);
    }
    myfree(path);
    return vstring_export(text);
}

/* control - create a control file for the fake commands */
static void control(const char *base)
{
    char   *path = in_dir(bin_dir, base);

    test_write_file(path, "");
    myfree(path);
}

/* reindex - nbdb_reindex_table() of type:name; result, reason in why */
static int reindex(const char *type, const char *name, VSTRING *why)
{
    char   *table = concatenate(type, ":", name, (char *) 0);
    int     status = nbdb_reindex_table(table, why);

    myfree(table);
    return status;
}

/* test_postmap - a postmap source file */
static void test_postmap(void **state)
{
    char   *name = legacy_table("virtual", "user@example.com local\n");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    char   *text;

    (void) state;
    test_capture_start();
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_CREATED);
    vstring_sprintf(expect, "hash:%s: running \"postmap lmdb:%s\" as uid=%ld "
		    "gid=%ld\nhash:%s: created %s.lmdb\n", name, name,
		    (long) geteuid(), (long) getegid(), name, name);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    text = record();
    vstring_sprintf(expect, "postmap -c %s lmdb:%s MAIL_CONFIG=%s "
		    "SECRET=unset stdin=empty uid=%ld\n", test_dir, name,
		    test_dir, (long) geteuid());
    assert_string_equal(text, vstring_str(expect));
    myfree(text);
    /* Done already: nothing runs. */
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_EXISTS);
    text = record();
    assert_int_equal(strlen(text), VSTRING_LEN(expect));
    myfree(text);
    myfree(name);
    vstring_free(why);
    vstring_free(expect);
}

/* test_postalias - an aliases source file, through btree: and cdb: */
static void test_postalias(void **state)
{
    char   *name = legacy_table("aliases", "postmaster: root\n");
    VSTRING *why = vstring_alloc(10);
    char   *text;

    (void) state;
    test_set_param("default_cache_db_type", "lmdb");
    assert_int_equal(reindex("btree", name, why), NBDB_REINDEX_CREATED);
    text = record();
    assert_true(strncmp(text, "postalias -c ", 13) == 0);
    myfree(text);
    myfree(name);
    vstring_free(why);
}

/* test_refused - level, syntax and policy */
static void test_refused(void **state)
{
    char   *name = legacy_table("virtual", "user@example.com local\n");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    char   *text;

    (void) state;
    test_set_param("non_bdb_migration_level", "enable-redirect");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    assert_string_equal(vstring_str(why), "non_bdb_migration_level is "
			"enable-redirect, not enable-reindex");
    test_set_param("non_bdb_migration_level", "enable-reindex");
    assert_int_equal(nbdb_reindex_table("lmdb:/x", why), NBDB_REINDEX_FAILED);
    assert_string_equal(vstring_str(why), "table type is not hash or btree");
    if (chmod(name, 0664) < 0)
	fail_msg("chmod: %m");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    vstring_sprintf(expect, "source file %s is group or other writable", name);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    if (chmod(name, 0644) < 0)
	fail_msg("chmod: %m");
    test_set_param("non_bdb_migration_allow_root_prefixes", "/nowhere");
    test_set_param("non_bdb_migration_allow_user_prefixes", "/nowhere");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    assert_non_null(strstr(vstring_str(why), "is not in non_bdb_migration_"));
    text = record();
    assert_string_equal(text, "");		/* nothing ran */
    myfree(text);
    myfree(name);
    vstring_free(why);
    vstring_free(expect);
}

/* test_command_failures - exit status, no file, time limit */
static void test_command_failures(void **state)
{
    char   *name = legacy_table("virtual", "user@example.com local\n");
    VSTRING *why = vstring_alloc(10);
    VSTRING *expect = vstring_alloc(10);
    char   *fail_path;

    (void) state;
    control("fail");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    assert_string_equal(vstring_str(why), "postmap exited with status 3 "
			"(see its log)");
    control("nocreate");
    fail_path = in_dir(bin_dir, "fail");
    unlink(fail_path);
    myfree(fail_path);
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    vstring_sprintf(expect, "postmap did not create %s.lmdb", name);
    assert_string_equal(vstring_str(why), vstring_str(expect));
    control("hang");
    test_set_param("command_time_limit", "1s");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    assert_string_equal(vstring_str(why), "postmap did not finish within 1 "
			"seconds");
    test_set_param("command_directory", "/nonexistent");
    assert_int_equal(reindex("hash", name, why), NBDB_REINDEX_FAILED);
    assert_non_null(strstr(vstring_str(why), "/nonexistent/postmap"));
    myfree(name);
    vstring_free(why);
    vstring_free(expect);
}

/* add_table - append "type:name" */
static void add_table(ARGV *tables, const char *type, const char *name)
{
    char   *table = concatenate(type, ":", name, (char *) 0);

    argv_add(tables, table, ARGV_END);
    myfree(table);
}

/* test_list - the start-up pass */
static void test_list(void **state)
{
    char   *made = legacy_table("virtual", "user@example.com local\n");
    char   *refused = legacy_table("access", "example.com OK\n");
    char   *cache = in_dir(test_dir, "verify_cache");
    char   *cache_db = concatenate(cache, ".db", (char *) 0);
    char   *plain = in_dir(test_dir, "plain");
    ARGV   *tables = argv_alloc(4);
    char   *expect;

    (void) state;
    test_write_file(cache_db, "a cache, no source");
    test_write_file(plain, "no legacy file next to it");
    if (chmod(refused, 0666) < 0)
	fail_msg("chmod: %m");
    add_table(tables, "hash", made);
    add_table(tables, "hash", refused);
    add_table(tables, "btree", cache);
    add_table(tables, "hash", plain);
    test_capture_start();
    assert_int_equal(nbdb_reindex_list(tables), 1);
    expect = concatenate("warning: hash:", refused, ": not reindexed: source "
			 "file ", refused, " is group or other writable\n",
			 (char *) 0);
    assert_non_null(strstr(test_capture_text(), expect));
    assert_null(strstr(test_capture_text(), "verify_cache"));
    assert_null(strstr(test_capture_text(), "plain"));
    myfree(expect);
    /* Nothing below enable-reindex. */
    test_capture_stop();
    test_set_param("non_bdb_migration_level", "enable-redirect");
    test_capture_start();
    assert_int_equal(nbdb_reindex_list(tables), 0);
    assert_string_equal(test_capture_text(), "");
    argv_free(tables);
    myfree(made);
    myfree(refused);
    myfree(cache);
    myfree(cache_db);
    myfree(plain);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_postmap, setup, teardown),
	cmocka_unit_test_setup_teardown(test_postalias, setup, teardown),
	cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
	cmocka_unit_test_setup_teardown(test_command_failures, setup, teardown),
	cmocka_unit_test_setup_teardown(test_list, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
