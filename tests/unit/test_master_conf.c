/*
 * test_master_conf - unit tests for master_conf(3)
 *
 * Expected errors and normalizations were checked against real Postfix
 * 3.7 "postconf -M".
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "master_conf.h"
#include "test_support.h"

/* test_parse_errors - table of bad entries and their error texts */
static void test_parse_errors(void **state)
{
    static const struct {
	const char *line;
	const char *error;
    } cases[] = {
	{"foo bar n - - - - x",
	"invalid type field \"bar\" in \"foo bar n - - - - x\""},
	{"smtp inet n - y", "file master.cf: line 7: bad field count"},
	{"smtp inet x - y - - smtpd",
	"invalid private field \"x\" in \"smtp inet x - y - - smtpd\""},
	{"smtp inet n x y - - smtpd",
	"invalid unprivileged field \"x\" in \"smtp inet n x y - - smtpd\""},
	{"smtp inet n - x - - smtpd",
	"invalid chroot field \"x\" in \"smtp inet n - x - - smtpd\""},
	{"smtp inet n - y -1 - smtpd",
	"invalid wakeup field \"-1\" in \"smtp inet n - y -1 - smtpd\""},
	{"smtp inet n - y 1x - smtpd",
	"invalid wakeup field \"1x\" in \"smtp inet n - y 1x - smtpd\""},
	{"smtp  inet\tn - y - -5 smtpd",
	"invalid process_limit field \"-5\" in \"smtp inet n - y - -5 smtpd\""},
    };
    VSTRING *why = vstring_alloc(100);
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(why);
	assert_null(master_entry_parse(cases[n].line, "master.cf", 7, why));
	assert_string_equal(vstring_str(why), cases[n].error);
    }
    vstring_free(why);
}

/* test_parse_good - fields, braces, interpretation */
static void test_parse_good(void **state)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_ENTRY *entry;
    bool    conditional;
    char   *text;

    (void) state;
    entry = master_entry_parse("tlsmgr unix - - y 1000? 1 tlsmgr -o {a = b c} -o x=y",
			       "master.cf", 3, why);
    assert_non_null(entry);
    assert_string_equal(entry->service, "tlsmgr");
    assert_string_equal(entry->type, "unix");
    assert_true(master_entry_flag(entry->private_field, true));
    assert_false(master_entry_flag(entry->chroot_field, false) == false);
    assert_int_equal(master_entry_wakeup(entry, &conditional), 1000);
    assert_true(conditional);
    assert_int_equal(master_entry_maxproc(entry, 100), 1);
    assert_int_equal(entry->args->argc, 5);
    assert_string_equal(entry->args->argv[2], "a = b c");
    text = master_entry_text(entry);
    assert_string_equal(text, "tlsmgr unix - - y 1000? 1 tlsmgr -o {a = b c} -o x=y");
    myfree(text);
    assert_int_equal(entry->line, 3);
    master_entry_free(entry);

    entry = master_entry_parse("smtp inet n - n - - smtpd", "master.cf", 1, why);
    assert_int_equal(master_entry_wakeup(entry, &conditional), 0);
    assert_false(conditional);
    assert_int_equal(master_entry_maxproc(entry, 100), 100);
    master_entry_free(entry);

    /* Brace problems are warnings. */
    test_capture_start();
    entry = master_entry_parse("smtp inet n - y - 1 a {b c} {d}e {f g",
			       "master.cf", 1, why);
    assert_non_null(entry);
    assert_string_equal(entry->args->argv[1], "b c");
    assert_string_equal(entry->args->argv[2], "d");
    assert_string_equal(entry->args->argv[3], "f g");
    assert_string_equal(test_capture_text(),
		 "warning: master.cf: syntax error after '}' in \"{d}e\"\n"
			"warning: master.cf: missing '}' in \"{f g\"\n");
    test_capture_stop();
    master_entry_free(entry);
    vstring_free(why);
}

/* test_read_file - continuation lines and comments */
static void test_read_file(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/master.cf", (char *) 0);
    VSTRING *why = vstring_alloc(100);
    MASTER_CONF *conf;

    (void) state;
    test_write_file(path, "# header\n"
		    "smtp inet n - y - - smtpd\n"
		    "#c\n"
		    "  -o x=1\n"
		    "\n"
		    "  -o y=2\n"
		    "pickup unix n - y 60 1 pickup\n");
    conf = master_conf_read(path, why);
    assert_non_null(conf);
    assert_int_equal(conf->count, 2);
    assert_int_equal(conf->entries[0]->args->argc, 5);
    assert_string_equal(conf->entries[0]->args->argv[4], "y=2");
    assert_int_equal(conf->entries[1]->line, 7);
    master_conf_free(conf);
    test_write_file(path, "smtp inet n - y - - smtpd\nbad line\n");
    assert_null(master_conf_read(path, why));
    {
	char   *expect = concatenate("file ", path, ": line 2: bad field count",
				     (char *) 0);

	assert_string_equal(vstring_str(why), expect);
	myfree(expect);
    }
    unlink(path);
    assert_null(master_conf_read(path, why));
    vstring_free(why);
    myfree(path);
    myfree(dir);
}

/* test_raw_args_and_fields - arguments as written; field checks */
static void test_raw_args_and_fields(void **state)
{
    static const struct {
	int     field;
	const char *value;
	const char *label;		/* NULL: valid */
    } fields[] = {
	{MASTER_FIELD_TYPE, "unix-dgram", NULL},
	{MASTER_FIELD_TYPE, "tcp", "type"},
	{MASTER_FIELD_PRIVATE, "-", NULL},
	{MASTER_FIELD_PRIVATE, "yes", "private"},
	{MASTER_FIELD_UNPRIV, "x", "unprivileged"},
	{MASTER_FIELD_CHROOT, "n", NULL},
	{MASTER_FIELD_WAKEUP, "60?", NULL},
	{MASTER_FIELD_WAKEUP, "?x", "wakeup"},
	{MASTER_FIELD_MAXPROC, "0", NULL},
	{MASTER_FIELD_MAXPROC, "1x", "process_limit"},
    };
    VSTRING *why = vstring_alloc(100);
    MASTER_ENTRY *entry;
    char   *text;
    size_t  n;

    (void) state;
    entry = master_entry_parse("a unix - - n - - cmd {-v} -o {x = y} plain",
			       "master.cf", 1, why);
    assert_non_null(entry);
    assert_int_equal(entry->raw_args->argc, 5);
    assert_string_equal(entry->raw_args->argv[1], "{-v}");
    assert_string_equal(entry->args->argv[1], "-v");
    assert_string_equal(entry->raw_args->argv[3], "{x = y}");
    assert_string_equal(entry->args->argv[3], "x = y");
    assert_string_equal(entry->raw_args->argv[4], "plain");
    master_entry_free(entry);
    for (n = 0; n < ARRAY_LEN(fields); n++) {
	if (fields[n].label == NULL)
	    assert_null(master_field_error(fields[n].field, fields[n].value));
	else
	    assert_string_equal(master_field_error(fields[n].field,
						   fields[n].value),
				fields[n].label);
    }
    text = master_entry_unbrace("{  a b  }");
    assert_string_equal(text, "a b");
    myfree(text);
    text = master_entry_unbrace("plain");
    assert_string_equal(text, "plain");
    myfree(text);
    test_capture_start();
    text = master_entry_unbrace("{a}b");
    assert_string_equal(text, "a");
    myfree(text);
    assert_string_equal(test_capture_text(),
		 "warning: master.cf: syntax error after '}' in \"{a}b\"\n");
    test_capture_stop();
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_parse_good),
	cmocka_unit_test(test_read_file),
	cmocka_unit_test(test_raw_args_and_fields),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
