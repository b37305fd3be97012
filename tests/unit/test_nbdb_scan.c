/*
 * test_nbdb_scan - unit tests for nbdb_scan(3)
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "nbdb_scan.h"
#include "test_support.h"

/* joined - the list as one string, for comparisons */
static char *joined(const ARGV *tables)
{
    return argv_join(tables, " ");
}

/* has - the list has this table */
static bool has(const ARGV *tables, const char *table)
{
    size_t  n;

    for (n = 0; n < tables->argc; n++)
	if (strcmp(tables->argv[n], table) == 0)
	    return true;
    return false;
}

/* test_value - the words of one value */
static void test_value(void **state)
{
    ARGV   *tables = argv_alloc(4);
    char   *text;

    (void) state;
    nbdb_scan_value(tables, "hash:/a, btree:/b regexp:/c\tproxy:hash:/d "
		    "proxy:proxy:btree:/e unionmap:{hash:/f, lmdb:/g} "
		    "hash:relative inline:{k=hash:/h} check_client_access "
		    "hash:/i,hash:/j");
    text = joined(tables);
    assert_string_equal(text, "hash:/a btree:/b hash:/d btree:/e hash:/f "
			"hash:/i hash:/j");
    myfree(text);
    argv_free(tables);
}

/* test_tables - main.cf, defaults and master.cf */
static void test_tables(void **state)
{
    char   *dir = test_tempdir();
    char   *master_cf = concatenate(dir, "/master.cf", (char *) 0);
    ARGV   *tables;

    (void) state;
    mail_conf_clear();
    mail_conf_update("config_directory", "/etc/pf");
    mail_conf_update("data_directory", "/var/lib/pf");
    mail_conf_update("virtual_alias_maps", "hash:$config_directory/virtual");
    mail_conf_update("my_maps", "btree:/etc/pf/mine");
    mail_conf_update("smtpd_recipient_restrictions",
		     "check_recipient_access $my_maps");
    mail_conf_update("transport_maps", "${broken");
    mail_conf_update("alias_database", "cdb:/etc/aliases");
    /* A raw parameter is not expanded, but may name a table itself. */
    mail_conf_update("mailbox_command", "hash:/etc/pf/raw $my_maps");
    test_write_file(master_cf,
		    "smtp inet n - n - - smtpd -o smtpd_sender_restrictions="
		    "hash:/etc/pf/senders\n"
		    "relay unix - - n - - smtp -o { smtp_generic_maps = "
		    "hash:$config_directory/generic }\n"
		    "sub unix - - n - - smtp -osmtp_x=btree:/etc/pf/x -v\n"
		    "other unix - - n - - smtp hash:/not/an/override\n");
    test_capture_start();
    tables = nbdb_scan_tables(master_cf);
    assert_true(has(tables, "hash:/etc/pf/virtual"));
    assert_true(has(tables, "btree:/etc/pf/mine"));
    assert_true(has(tables, "hash:/etc/pf/raw"));
    assert_true(has(tables, "hash:/etc/aliases"));	/* alias_maps default */
    assert_true(has(tables, "btree:/var/lib/pf/verify_cache"));
    assert_true(has(tables, "hash:/etc/pf/senders"));
    assert_true(has(tables, "hash:/etc/pf/generic"));
    assert_true(has(tables, "btree:/etc/pf/x"));
    assert_false(has(tables, "hash:/not/an/override"));
    /* Sorted, no duplicates ($my_maps is named twice). */
    for (size_t n = 1; n < tables->argc; n++)
	assert_true(strcmp(tables->argv[n - 1], tables->argv[n]) < 0);
    argv_free(tables);
    test_capture_stop();

    /* No master.cf: main.cf only; an unreadable one is a warning. */
    tables = nbdb_scan_tables(NULL);
    assert_false(has(tables, "hash:/etc/pf/senders"));
    argv_free(tables);
    unlink(master_cf);
    test_capture_start();
    tables = nbdb_scan_tables(master_cf);
    assert_non_null(strstr(test_capture_text(), "warning: "));
    assert_true(has(tables, "hash:/etc/pf/virtual"));
    argv_free(tables);
    test_capture_stop();
    mail_conf_clear();
    test_remove_tree(dir);
    myfree(dir);
    myfree(master_cf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_value),
	cmocka_unit_test(test_tables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
