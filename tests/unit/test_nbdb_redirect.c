/*
 * test_nbdb_redirect - unit tests for nbdb_redirect(3) and dict_nbdb(3)
 *
 * DESCRIPTION
 *	Levels, the non_bdb_custom_mapping syntax, the choice of the type
 *	that serves hash: and btree: tables, and the open paths of the
 *	hash: and btree: drivers that need no reindexing (disabled,
 *	redirected to lmdb: and cdb:, created, missing with a legacy .db
 *	file). Reindexing itself is in test_nbdb_reindex and test_nbdb_proto.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "dict.h"
#include "dict_nbdb.h"
#include "nbdb_redirect.h"
#include "test_params.h"
#include "test_support.h"

static char *test_dir;

/* setup - defaults, and a fresh directory */
static int setup(void **state)
{
    (void) state;
    test_set_param("non_bdb_migration_level", "enable-redirect");
    test_set_param("non_bdb_custom_mapping", "");
    test_set_param("default_database_type", "lmdb");
    test_set_param("default_cache_db_type", "lmdb");
    test_dir = test_tempdir();
    return 0;
}

/* teardown - remove the directory */
static int teardown(void **state)
{
    (void) state;
    test_capture_stop();
    test_remove_tree(test_dir);
    myfree(test_dir);
    test_dir = NULL;
    return 0;
}

/* path_in_dir - a file in the test directory */
static char *path_in_dir(const char *base)
{
    return concatenate(test_dir, "/", base, (char *) 0);
}

/* make_table - a one-entry table "key" = "value" of the given type */
static void make_table(const char *type, const char *name)
{
    DICT   *dict = dict_open3(type, name, O_RDWR | O_CREAT | O_TRUNC,
			      DICT_FLAG_BULK_UPDATE);

    assert_int_equal(dict_put(dict, "key", "value"), DICT_STAT_SUCCESS);
    dict_close(dict);
}

/* test_levels - names and codes */
static void test_levels(void **state)
{
    VSTRING *why = vstring_alloc(10);

    (void) state;
    assert_int_equal(nbdb_level_code("disable"), NBDB_LEVEL_DISABLE);
    assert_int_equal(nbdb_level_code("enable-redirect"), NBDB_LEVEL_REDIRECT);
    assert_int_equal(nbdb_level_code("enable-reindex"), NBDB_LEVEL_REINDEX);
    assert_int_equal(nbdb_level_code("Enable-Reindex"), -1);
    assert_int_equal(nbdb_level_code(""), -1);
    assert_string_equal(nbdb_level_name(NBDB_LEVEL_REINDEX), "enable-reindex");
    assert_int_equal(nbdb_level(why), NBDB_LEVEL_REDIRECT);
    test_set_param("non_bdb_migration_level", "yes");
    assert_int_equal(nbdb_level(why), -1);
    assert_string_equal(vstring_str(why),
			"unsupported non_bdb_migration_level value: \"yes\"");
    vstring_free(why);
}

/* test_default_level - ours is enable-reindex */
static void test_default_level(void **state)
{
    const MAIL_PARAM *param = mail_param_find("non_bdb_migration_level");

    (void) state;
    assert_non_null(param);
    assert_string_equal(mail_param_default_text(param), "enable-reindex");
    param = mail_param_find("default_cache_db_type");
    assert_non_null(param);
    assert_string_equal(mail_param_default_text(param), "lmdb");
}

/* test_choose - mapping syntax and the choice of type */
static void test_choose(void **state)
{
    static const struct {
	const char *type;
	const char *mapping;
	const char *database_type;
	const char *cache_type;
	const char *result;		/* target, or "!" + part of reason */
    } cases[] = {
	{"hash", "", "lmdb", "lmdb", "lmdb"},
	{"btree", "", "lmdb", "lmdb", "lmdb"},
	{"hash", "", "cdb", "lmdb", "cdb"},
	{"btree", "", "lmdb", "cdb", "cdb"},
	{"hash", "hash=cdb", "lmdb", "lmdb", "cdb"},
	{"btree", "hash=cdb", "lmdb", "lmdb", "lmdb"},
	{"btree", "hash:cdb, btree:cdb", "lmdb", "lmdb", "cdb"},
	{"hash", "  hash=lmdb\tbtree=cdb ", "cdb", "cdb", "lmdb"},
	{"hash", "", "hash", "lmdb", "!default_database_type = hash cannot "
	"serve hash: tables (use lmdb or cdb)"},
	{"btree", "", "lmdb", "btree", "!default_cache_db_type = btree cannot "
	"serve btree: tables"},
	{"btree", "", "lmdb", "hash", "!default_cache_db_type = hash cannot"},
	{"btree", "", "lmdb", "", "!default_cache_db_type = (empty) cannot"},
	{"hash", "hash=btree", "lmdb", "lmdb", "!non_bdb_custom_mapping = "
	"btree cannot serve hash: tables"},
	{"hash", "hash=texthash", "lmdb", "lmdb", "!non_bdb_custom_mapping = "
	"texthash cannot"},
	{"hash", "hash", "lmdb", "lmdb", "!non_bdb_custom_mapping: malformed "
	"entry \"hash\" (expected from=to, e.g. hash=cdb)"},
	{"hash", "hash=", "lmdb", "lmdb", "!malformed entry \"hash=\""},
	{"hash", "=cdb", "lmdb", "lmdb", "!malformed entry \"=cdb\""},
	{"hash", "hash=cdb=x", "lmdb", "lmdb", "!malformed entry"},
	{"hash", "hash=cdb:x", "lmdb", "lmdb", "!malformed entry"},
	{"hash", "foo=cdb", "lmdb", "lmdb", "!non_bdb_custom_mapping: \"foo\" "
	"is not hash or btree"},
	{"hash", "hash=cdb hash=lmdb", "lmdb", "lmdb", "!non_bdb_custom_mapping:"
	" type hash is mapped twice"},
	{"btree", "hash=cdb, hash=lmdb", "lmdb", "lmdb", "!mapped twice"},
    };
    VSTRING *target = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    size_t  n;
    bool    ok;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(target);
	VSTRING_TERMINATE(target);
	ok = nbdb_redirect_choose(cases[n].type, cases[n].mapping,
				  cases[n].database_type, cases[n].cache_type,
				  target, why);
	if (cases[n].result[0] != '!') {
	    if (!ok || strcmp(vstring_str(target), cases[n].result) != 0)
		fail_msg("case %zu: %s, expected %s", n, ok ?
			 vstring_str(target) : vstring_str(why), cases[n].result);
	} else if (ok || strstr(vstring_str(why), cases[n].result + 1) == NULL) {
	    fail_msg("case %zu: %s, expected \"%s\"", n, ok ? vstring_str(target)
		     : vstring_str(why), cases[n].result + 1);
	}
    }
    /* The same through the parameters. */
    test_set_param("non_bdb_custom_mapping", "btree=cdb");
    assert_true(nbdb_redirect_target("btree", target, why));
    assert_string_equal(vstring_str(target), "cdb");
    assert_true(nbdb_redirect_target("hash", target, why));
    assert_string_equal(vstring_str(target), "lmdb");
    vstring_free(target);
    vstring_free(why);
}

/* test_suffix_missing_hint - file names and advice */
static void test_suffix_missing_hint(void **state)
{
    char   *name = path_in_dir("virtual");
    char   *legacy = path_in_dir("virtual.db");
    char   *indexed = path_in_dir("virtual.lmdb");
    VSTRING *why = vstring_alloc(100);
    VSTRING *expect = vstring_alloc(100);

    (void) state;
    assert_string_equal(nbdb_redirect_suffix("lmdb"), ".lmdb");
    assert_string_equal(nbdb_redirect_suffix("cdb"), ".cdb");
    assert_null(nbdb_redirect_suffix("hash"));
    assert_null(nbdb_redirect_suffix("texthash"));
    assert_false(nbdb_redirect_missing("lmdb", name));	/* nothing at all */
    test_write_file(legacy, "");
    assert_true(nbdb_redirect_missing("lmdb", name));
    assert_true(nbdb_redirect_missing("cdb", name));
    test_write_file(indexed, "");
    assert_false(nbdb_redirect_missing("lmdb", name));
    unlink(legacy);
    assert_false(nbdb_redirect_missing("lmdb", name));

    vstring_strcpy(why, "reason");
    nbdb_redirect_hint(why, "cdb", "/etc/postfix/virtual");
    assert_string_equal(vstring_str(why), "reason; /etc/postfix/virtual.db is "
			"a legacy Berkeley DB file: create /etc/postfix/"
			"virtual.cdb with \"postmap cdb:/etc/postfix/virtual\" "
			"(\"postalias cdb:/etc/postfix/virtual\" for an aliases "
			"file) as the owner of /etc/postfix/virtual.db, or see "
			"postfix-non-bdb(1) for automatic reindexing");
    myfree(name);
    myfree(legacy);
    myfree(indexed);
    vstring_free(why);
    vstring_free(expect);
}

/* test_disabled - no Berkeley DB, no redirection: Postfix's message */
static void test_disabled(void **state)
{
    char   *name = path_in_dir("virtual");
    char   *table = concatenate("hash:", name, (char *) 0);
    char   *expect;
    DICT   *dict;

    (void) state;
    make_table("lmdb", name);
    test_set_param("non_bdb_migration_level", "disable");
    test_capture_start();
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    expect = concatenate("warning: ", table, " is unavailable. Berkeley DB "
			 "support for '", table, "' is not available for "
			 "this build; see https://www.postfix.org/NON_"
			 "BERKELEYDB_README.html for alternatives\n", (char *) 0);
    assert_string_equal(test_capture_text(), expect);
    assert_null(dict_get(dict, "key"));
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    dict_close(dict);
    myfree(name);
    myfree(table);
    myfree(expect);
}

/* test_redirected - hash: and btree: served by lmdb: and cdb: */
static void test_redirected(void **state)
{
    char   *name = path_in_dir("virtual");
    char   *legacy = path_in_dir("virtual.db");
    char   *table;
    DICT   *dict;

    (void) state;
    /* A legacy file does not matter once the indexed file exists. */
    test_write_file(legacy, "not a Berkeley DB file");
    make_table("lmdb", name);
    table = concatenate("hash:", name, (char *) 0);
    dict = dict_open(table, O_RDONLY, DICT_FLAG_FOLD_FIX);
    assert_string_equal(dict->type, "hash");
    assert_string_equal(dict_get(dict, "KEY"), "value");
    dict_close(dict);
    myfree(table);

    test_set_param("default_cache_db_type", "cdb");
    make_table("cdb", name);
    unlink(legacy);
    table = concatenate("btree:", name, (char *) 0);
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    assert_string_equal(dict->type, "btree");
    assert_string_equal(dict_get(dict, "key"), "value");
    dict_close(dict);
    myfree(table);
    myfree(name);
    myfree(legacy);
}

/* test_created - O_CREAT opens write the redirected file (postmap) */
static void test_created(void **state)
{
    char   *name = path_in_dir("virtual");
    char   *legacy = path_in_dir("virtual.db");
    char   *indexed = path_in_dir("virtual.lmdb");
    DICT   *dict;

    (void) state;
    test_write_file(legacy, "");
    test_set_param("non_bdb_migration_level", "enable-reindex");
    make_table("hash", name);
    assert_true(test_file_exists(indexed));
    dict = dict_open3("hash", name, O_RDONLY, DICT_FLAG_NONE);
    assert_string_equal(dict_get(dict, "key"), "value");
    dict_close(dict);
    myfree(name);
    myfree(legacy);
    myfree(indexed);
}

/* test_missing_with_legacy - enable-redirect: the open fails with advice */
static void test_missing_with_legacy(void **state)
{
    char   *name = path_in_dir("aliases");
    char   *legacy = path_in_dir("aliases.db");
    char   *table = concatenate("hash:", name, (char *) 0);
    VSTRING *expect = vstring_alloc(100);
    DICT   *dict;

    (void) state;
    test_write_file(legacy, "");
    test_capture_start();
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    vstring_sprintf(expect, "warning: %s is unavailable. open database "
		    "%s.lmdb: No such file or directory; %s.db is a legacy "
		    "Berkeley DB file: create %s.lmdb with \"postmap lmdb:%s\" "
		    "(\"postalias lmdb:%s\" for an aliases file) as the owner "
		    "of %s.db, or see postfix-non-bdb(1) for automatic "
		    "reindexing\n", table, name, name, name, name, name, name);
    assert_string_equal(test_capture_text(), vstring_str(expect));
    assert_null(dict_get(dict, "key"));
    assert_int_equal(dict->error, DICT_ERR_CONFIG);
    dict_close(dict);
    myfree(name);
    myfree(legacy);
    myfree(table);
    vstring_free(expect);
}

/* test_bad_configuration - a level or mapping that does not parse */
static void test_bad_configuration(void **state)
{
    char   *name = path_in_dir("virtual");
    char   *table = concatenate("hash:", name, (char *) 0);
    DICT   *dict;

    (void) state;
    make_table("lmdb", name);
    test_set_param("default_database_type", "hash");
    test_capture_start();
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    assert_non_null(strstr(test_capture_text(), "is unavailable. "
			   "default_database_type = hash cannot serve hash: "
			   "tables (use lmdb or cdb)"));
    dict_close(dict);
    test_capture_stop();
    test_set_param("default_database_type", "lmdb");
    test_set_param("non_bdb_migration_level", "on");
    test_capture_start();
    dict = dict_open(table, O_RDONLY, DICT_FLAG_NONE);
    assert_non_null(strstr(test_capture_text(), "is unavailable. unsupported "
			   "non_bdb_migration_level value: \"on\""));
    dict_close(dict);
    myfree(name);
    myfree(table);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
	cmocka_unit_test(test_default_level),
	cmocka_unit_test_setup_teardown(test_choose, setup, teardown),
	cmocka_unit_test_setup_teardown(test_suffix_missing_hint, setup, teardown),
	cmocka_unit_test_setup_teardown(test_disabled, setup, teardown),
	cmocka_unit_test_setup_teardown(test_redirected, setup, teardown),
	cmocka_unit_test_setup_teardown(test_created, setup, teardown),
	cmocka_unit_test_setup_teardown(test_missing_with_legacy, setup,
					teardown),
	cmocka_unit_test_setup_teardown(test_bad_configuration, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
