/*
 * test_bounce_log - unit tests for the bounce(8) per-message logs
 *
 * The block format, the skipping of damaged blocks, and the append /
 * read / remove cycle in a hashed log directory.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "bounce.h"
#include "test_support.h"

static char *test_dir;

/* setup_dir - a queue directory with main.cf, as the current directory */
static void setup_dir(void)
{
    char   *path;

    myfree(test_dir);
    test_dir = test_tempdir();
    path = concatenate(test_dir, "/main.cf", (char *) 0);
    test_write_file(path, "hash_queue_names = bounce, defer\n"
		    "hash_queue_depth = 1\n");
    mail_conf_clear();
    mail_conf_set_dir(test_dir);
    mail_conf_read();
    myfree(path);
    if (chdir(test_dir) < 0)
	fail_msg("chdir %s", test_dir);
    mkdir("bounce", 0700);
    mkdir("defer", 0700);
    mkdir("trace", 0700);
}

/* fill - a complete entry */
static BOUNCE_ENTRY *fill(BOUNCE_LOG *log, const char *address,
			          const char *reason)
{
    BOUNCE_ENTRY *e = bounce_log_add(log);

    bounce_entry_set(&e->address, address);
    bounce_entry_set(&e->orig_rcpt, "orig@example.org");
    bounce_entry_set(&e->dsn_orcpt, "rfc822;Orig@example.org");
    e->dsn_notify = 12;
    e->offset = 1234;
    bounce_entry_set(&e->status, "5.1.1");
    bounce_entry_set(&e->action, "failed");
    bounce_entry_set(&e->reason, reason);
    bounce_entry_set(&e->dtype, "smtp");
    bounce_entry_set(&e->dtext, "550 5.1.1 no such user");
    bounce_entry_set(&e->mtype, "dns");
    bounce_entry_set(&e->mname, "mx.example.org");
    bounce_entry_set(&e->relay, "mx.example.org[192.0.2.1]:25");
    e->time_log = 1796430334;
    return e;
}

/* parse_text - bounce_log_parse() over a string */
static int parse_text(const char *text, BOUNCE_LOG *log)
{
    char   *path = concatenate(test_dir, "/parse.log", (char *) 0);
    VSTREAM *fp;
    int     n;

    test_write_file(path, text);
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
	fail_msg("open %s", path);
    n = bounce_log_parse(fp, log, "test.log");
    vstream_fclose(fp);
    myfree(path);
    return n;
}

/* test_format - one block, one line per field, control bytes replaced */
static void test_format(void **state)
{
    BOUNCE_LOG log;
    VSTRING *buf = vstring_alloc(100);

    bounce_log_init(&log);
    fill(&log, "user@example.org", "bad\nthing\there");
    bounce_log_format(buf, log.entries);
    assert_string_equal(vstring_str(buf),
			"address=user@example.org\n"
			"orig_rcpt=orig@example.org\n"
			"dsn_orcpt=rfc822;Orig@example.org\n"
			"dsn_notify=12\n"
			"offset=1234\n"
			"status=5.1.1\n"
			"action=failed\n"
			"reason=bad?thing?here\n"
			"dtype=smtp\n"
			"dtext=550 5.1.1 no such user\n"
			"mtype=dns\n"
			"mname=mx.example.org\n"
			"relay=mx.example.org[192.0.2.1]:25\n"
			"time_log=1796430334\n"
			"\n");
    bounce_log_free(&log);
    vstring_free(buf);
}

/* test_round_trip - format, parse, same values; long values are cut */
static void test_round_trip(void **state)
{
    BOUNCE_LOG log;
    BOUNCE_LOG back;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);
    char   *longer = mymalloc(BOUNCE_FIELD_MAX + 100);

    setup_dir();
    memset(longer, 'x', BOUNCE_FIELD_MAX + 99);
    longer[BOUNCE_FIELD_MAX + 99] = 0;
    bounce_log_init(&log);
    bounce_log_init(&back);
    fill(&log, "one@example.org", "first");
    fill(&log, "two@example.org", longer);
    for (int i = 0; i < log.len; i++) {
	bounce_log_format(buf, log.entries + i);
	vstring_strcat(text, vstring_str(buf));
    }
    assert_int_equal(parse_text(vstring_str(text), &back), 2);
    assert_int_equal(back.len, 2);
    assert_string_equal(back.entries[0].address, "one@example.org");
    assert_string_equal(back.entries[0].dsn_orcpt, "rfc822;Orig@example.org");
    assert_int_equal(back.entries[0].dsn_notify, 12);
    assert_int_equal(back.entries[0].offset, 1234);
    assert_int_equal(back.entries[0].time_log, 1796430334);
    assert_string_equal(back.entries[0].relay, "mx.example.org[192.0.2.1]:25");
    assert_int_equal(strlen(back.entries[1].reason), BOUNCE_FIELD_MAX);
    bounce_log_free(&log);
    bounce_log_free(&back);
    vstring_free(buf);
    vstring_free(text);
    myfree(longer);
}

/* test_damage - bad blocks are skipped with a warning, good ones kept */
static void test_damage(void **state)
{
    static const struct {
	const char *text;
	int     kept;
	const char *warning;
    }       cases[] = {
	{"address=a@b\nstatus=5.0.0\n\n", 1, ""},
	{"address=a@b\nstatus=5.0.0\nfuture_field=1\n\n", 1, ""},
	{"address=a@b\nno equals\nstatus=5.0.0\n\n", 0,
	"warning: test.log, line 2: not a name=value line -- skipping"},
	{"status=5.0.0\n\n", 0, "line 2: missing address"},
	{"address=a@b\n\n", 0, "line 2: missing status"},
	{"address=a@b\ndsn_notify=99\nstatus=5.0.0\n\n", 0,
	"line 2: bad dsn_notify value"},
	{"address=a@b\noffset=-1\nstatus=5.0.0\n\n", 0, "bad offset value"},
	{"address=a@b\ntime_log=x\nstatus=5.0.0\n\n", 0, "bad time_log"},
	{"=x\naddress=a@b\nstatus=5.0.0\n\n", 0, "not a name=value line"},
	{"address=a@b\nstatus=5.0.0\n\naddress=torn@b\nstatus=5.1", 1,
	"line 5: entry without its end"},
	{"\n\n\naddress=a@b\nstatus=5.0.0\n\n\n", 1, ""},
	{"", 0, ""},
    };
    BOUNCE_LOG log;

    setup_dir();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	bounce_log_init(&log);
	test_capture_start();
	assert_int_equal(parse_text(cases[i].text, &log), cases[i].kept);
	assert_int_equal(log.len, cases[i].kept);
	if (*cases[i].warning)
	    assert_non_null(strstr(test_capture_text(), cases[i].warning));
	else
	    assert_string_equal(test_capture_text(), "");
	test_capture_stop();
	bounce_log_free(&log);
    }
}

/* test_long_line - an overlong line spoils only its own block */
static void test_long_line(void **state)
{
    VSTRING *text = vstring_alloc(100);
    BOUNCE_LOG log;

    setup_dir();
    vstring_strcpy(text, "address=a@b\nreason=");
    for (int i = 0; i < BOUNCE_LINE_MAX + 10; i++)
	VSTRING_ADDCH(text, 'y');
    VSTRING_TERMINATE(text);
    vstring_strcat(text, "\nstatus=5.0.0\n\naddress=c@d\nstatus=4.0.0\n\n");
    bounce_log_init(&log);
    test_capture_start();
    assert_int_equal(parse_text(vstring_str(text), &log), 1);
    assert_string_equal(log.entries[0].address, "c@d");
    assert_non_null(strstr(test_capture_text(),
			   "line 2: line too long -- skipping this entry"));
    test_capture_stop();
    bounce_log_free(&log);
    vstring_free(text);
}

/* test_append_read_remove - the files, hashed like the queue */
static void test_append_read_remove(void **state)
{
    BOUNCE_LOG log;
    BOUNCE_LOG back;
    VSTRING *why = vstring_alloc(100);
    struct stat st;

    setup_dir();
    bounce_log_init(&log);
    bounce_log_init(&back);
    fill(&log, "one@example.org", "first");
    fill(&log, "two@example.org", "second");
    assert_int_equal(bounce_log_read("bounce", "3F2A1B7E4", &back), 0);
    assert_true(bounce_log_append("bounce", "3F2A1B7E4", log.entries, why));
    assert_true(bounce_log_append("bounce", "3F2A1B7E4", log.entries + 1,
				  why));
    /* Hashed: one level, the first microsecond digit. */
    assert_int_equal(stat("bounce/3/3F2A1B7E4", &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(bounce_log_read("bounce", "3F2A1B7E4", &back), 1);
    assert_int_equal(back.len, 2);
    assert_string_equal(back.entries[1].reason, "second");
    /* trace is not hashed here. */
    assert_true(bounce_log_append("trace", "3F2A1B7E4", log.entries, why));
    assert_int_equal(stat("trace/3F2A1B7E4", &st), 0);
    assert_int_equal(bounce_log_remove("bounce", "3F2A1B7E4"), 0);
    assert_int_equal(bounce_log_remove("bounce", "3F2A1B7E4"), -1);
    bounce_log_free(&back);
    bounce_log_init(&back);
    assert_int_equal(bounce_log_read("bounce", "3F2A1B7E4", &back), 0);
    bounce_log_free(&log);
    bounce_log_free(&back);
    vstring_free(why);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_format),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_damage),
	cmocka_unit_test(test_long_line),
	cmocka_unit_test(test_append_read_remove),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
