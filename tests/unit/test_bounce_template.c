/*
 * test_bounce_template - unit tests for bounce_template(3)
 *
 * The diagnostics and output formats were checked against real Postfix
 * 3.7 ("postconf -t" and "postconf -b" with the same template files).
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_conf.h"
#include "bounce_template.h"
#include "test_support.h"
#include "test_child.h"

static char *test_dir;

/* setup_conf - main.cf with the given settings */
static void setup_conf(const char *main_cf)
{
    char   *path;

    if (test_dir == NULL)
	test_dir = test_tempdir();
    path = concatenate(test_dir, "/main.cf", (char *) 0);
    test_write_file(path, main_cf);
    mail_conf_clear();
    mail_conf_set_dir(test_dir);
    mail_conf_read();
    myfree(path);
}

/* load_templates - built-in templates plus a template file */
static BOUNCE_TEMPLATES *load_templates(const char *text)
{
    BOUNCE_TEMPLATES *ts = bounce_templates_create();
    char   *path;
    VSTREAM *fp;

    if (text != NULL) {
	path = concatenate(test_dir, "/t.cf", (char *) 0);
	test_write_file(path, text);
	if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	    fail_msg("open %s", path);
	bounce_templates_load(ts, fp);
	vstream_fclose(fp);
	myfree(path);
    }
    return ts;
}

/* collect_line - bounce_template_expand() callback */
static void collect_line(const char *line, void *context)
{
    vstring_sprintf_append((VSTRING *) context, "%s\n", line);
}

/* expand_text - one template's expanded text */
static char *expand_text(BOUNCE_TEMPLATES *ts, int class)
{
    VSTRING *buf = vstring_alloc(100);

    bounce_template_expand(bounce_templates_get(ts, class), collect_line, buf);
    return vstring_export(buf);
}

/* test_builtin - headers and expansion of the built-in templates */
static void test_builtin(void **state)
{
    BOUNCE_TEMPLATES *ts;
    const BOUNCE_TEMPLATE *tp;
    char   *text;

    (void) state;
    setup_conf("myhostname = host.example\ndelay_warning_time = 4h\n");
    ts = load_templates(NULL);
    tp = bounce_templates_get(ts, BOUNCE_TMPL_FAILURE);
    assert_string_equal(bounce_template_charset(tp), "us-ascii");
    assert_string_equal(bounce_template_from(tp),
			"Mail Delivery System <MAILER-DAEMON>");
    assert_string_equal(bounce_template_subject(tp),
			"Undelivered Mail Returned to Sender");
    assert_string_equal(bounce_template_postmaster_subject(tp),
			"Postmaster Copy: Undelivered Mail");
    tp = bounce_templates_get(ts, BOUNCE_TMPL_SUCCESS);
    assert_null(bounce_template_postmaster_subject(tp));
    text = expand_text(ts, BOUNCE_TMPL_DELAY);
    assert_non_null(strstr(text, "This is the mail system at host host.example.\n"));
    assert_non_null(strstr(text, " 4 hour(s).\n"));
    assert_non_null(strstr(text, "5 day(s) old"));
    myfree(text);
    bounce_templates_free(ts);
}

/* test_load - a template file replaces some templates */
static void test_load(void **state)
{
    BOUNCE_TEMPLATES *ts;
    const BOUNCE_TEMPLATE *tp;
    char   *text;

    (void) state;
    setup_conf("myhostname = host.example\nuserp = U $myhostname\n");
    test_capture_start();
    ts = load_templates("# comment\n"
			"\n"
			"failure_template = <<EOF\n"
			"charset: us-ascii\n"
			"FROM:   Postmaster <pm@example>  \n"
			"\n"
			"a $$ $myhostname $userp ${userp?yes} ${nothere:no}\n"
			"  \\ b\n"
			"\n"
			"EOF\n"
			"delay_template = one line $mydomain\n"
			"verify_template = <<END\n"
			"\n"
			"only text\n"
			"END\n");
    tp = bounce_templates_get(ts, BOUNCE_TMPL_FAILURE);
    assert_string_equal(bounce_template_from(tp), "Postmaster <pm@example>  ");
    assert_string_equal(bounce_template_subject(tp),
			"Undelivered Mail Returned to Sender");
    text = expand_text(ts, BOUNCE_TMPL_FAILURE);
    assert_string_equal(text, "a $ host.example U host.example yes no\n"
			"  \\ b\n\n");
    myfree(text);
    text = expand_text(ts, BOUNCE_TMPL_DELAY);
    assert_string_equal(text, "one line example\n");
    myfree(text);
    text = expand_text(ts, BOUNCE_TMPL_VERIFY);
    assert_string_equal(text, "only text\n");
    myfree(text);
    assert_string_equal(test_capture_text(), "");
    test_capture_stop();
    bounce_templates_free(ts);
}

/* test_rejected - bad templates are reported and replaced */
static void test_rejected(void **state)
{
    static const struct {
	const char *text;
	int     class;
	const char *warning;
    } cases[] = {
	{"failure_template = <<EOF\nBogus: x\n\nbody\nEOF\n", BOUNCE_TMPL_FAILURE,
	"unknown \"Bogus\" header label in failure template -- ignoring this template"},
	{"success_template = <<EOF\nPostmaster-Subject: x\n\nok\nEOF\n",
	    BOUNCE_TMPL_SUCCESS,
	"inapplicable \"Postmaster-Subject\" header label in success template "
	"-- ignoring this template"},
	{"verify_template = <<EOF\nsubject:\n\nok\nEOF\n", BOUNCE_TMPL_VERIFY,
	"empty \"Subject\" header value in verify template -- ignoring this template"},
	{"delay_template = <<EOF\nFrom: \xc3\xa9\n\nok\nEOF\n", BOUNCE_TMPL_DELAY,
	"non-ASCII \"From\" header value in delay template -- ignoring this template"},
	{"failure_template = <<EOF\nFrom: a\nEOF\n", BOUNCE_TMPL_FAILURE,
	"missing message text in failure template -- ignoring this template"},
	{"verify_template = <<EOF\nCharset: US-ASCII\n\n\xc3\xa9\nEOF\n",
	    BOUNCE_TMPL_VERIFY, "8-bit message text in verify template\n"
	    "warning: please specify a charset value other than us-ascii\n"
	"warning: -- ignoring this template for now"},
    };
    BOUNCE_TEMPLATES *ts;
    const BOUNCE_TEMPLATE *tp;
    char   *expect;
    size_t  n;

    (void) state;
    setup_conf("myhostname = host.example\n");
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	test_capture_start();
	ts = load_templates(cases[n].text);
	tp = bounce_templates_get(ts, cases[n].class);
	/* The built-in template is used instead. */
	assert_string_equal(bounce_template_from(tp),
			    "Mail Delivery System <MAILER-DAEMON>");
	expect = concatenate("warning: ", test_dir, "/t.cf: ", cases[n].warning,
			     "\n", (char *) 0);
	assert_string_equal(test_capture_text(), expect);
	myfree(expect);
	test_capture_stop();
	bounce_templates_free(ts);
    }
}

/* test_file_warnings - line numbers as Postfix reports them */
static void test_file_warnings(void **state)
{
    BOUNCE_TEMPLATES *ts;
    char   *expect;

    (void) state;
    setup_conf("myhostname = host.example\n");
    test_capture_start();
    ts = load_templates("bogus_template = <<EOF\nx\nEOF\n"
			"failure_template = <<EOF\nx\n\n");
    expect = concatenate("warning: ", test_dir, "/t.cf, line 4: unknown template "
			 "name: bogus_template -- ignoring this template\n",
			 "warning: ", test_dir, "/t.cf, line 7: missing \"EOF\" "
			 "end marker\n", (char *) 0);
    assert_string_equal(test_capture_text(), expect);
    myfree(expect);
    test_capture_stop();
    bounce_templates_free(ts);
}

/* test_time_units - conversions and their sanity warnings */
static void test_time_units(void **state)
{
    BOUNCE_TEMPLATES *ts;
    char   *text;
    char   *expect;

    (void) state;
    setup_conf("myhostname = host.example\nmaximal_queue_lifetime = 2d\n");
    test_capture_start();
    ts = load_templates("failure_template = x $maximal_queue_lifetime_hours "
			"$maximal_queue_lifetime_weeks "
			"$maximal_queue_lifetime_seconds\n");
    text = expand_text(ts, BOUNCE_TMPL_FAILURE);
    assert_string_equal(text, "x 48 0 172800\n");
    expect = concatenate(
			 "warning: ", test_dir, "/t.cf: zero result in failure template "
		       "conversion of parameter \"maximal_queue_lifetime_weeks\"\n"
			 "warning: please reduce time unit \"weeks\" of "
		      "\"maximal_queue_lifetime_weeks\" in failure template\n"
		      "warning: for instructions see the bounce(5) manual\n",
			 "warning: ", test_dir, "/t.cf: excessive result \"172800\" in "
			 "failure template conversion of parameter "
			 "\"maximal_queue_lifetime_seconds\"\n"
			 "warning: please increase time unit \"seconds\" of "
		    "\"maximal_queue_lifetime_seconds\" in failure template\n"
		    "warning: for instructions see the bounce(5) manual\n",
			 (char *) 0);
    assert_string_equal(test_capture_text(), expect);
    myfree(expect);
    myfree(text);
    test_capture_stop();
    bounce_templates_free(ts);
}

/* Fatal paths, run in a child process. */
static const char *child_template;

/* child_expand - load and expand the failure template */
static void child_expand(void *context)
{
    BOUNCE_TEMPLATES *ts;
    char   *text;

    (void) context;
    ts = load_templates(child_template);
    text = expand_text(ts, BOUNCE_TMPL_FAILURE);
    myfree(text);
    bounce_templates_free(ts);
}

/* test_fatal - undefined names, syntax, suffixes, file syntax */
static void test_fatal(void **state)
{
    static const struct {
	const char *text;
	const char *error;
    } cases[] = {
	{"failure_template = <<EOF\nok\nx $nothere\nEOF\n",
	"/t.cf: undefined $name in failure template: x $nothere"},
	{"failure_template = <<EOF\na ${x\nEOF\n",
	"/t.cf: bad $name syntax in failure template: a ${x"},
	{"failure_template = a $delay_warning_time_fortnights\n",
	"/t.cf: unrecognized suffix \"fortnights\" in parameter "
	"\"delay_warning_time_fortnights\""},
	{"#c\nfailure_template <<EOF\n",
	"/t.cf, line 3: missing '=' after attribute name: \"failure_template <<EOF\""},
	{"failure_template = <<\n", "/t.cf, line 2: missing end marker after <<"},
    };
    TEST_CHILD_RESULT result;
    char   *expect;
    size_t  n;

    (void) state;
    setup_conf("myhostname = host.example\n");
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	child_template = cases[n].text;
	test_child_run(child_expand, NULL, 10000, &result);
	assert_true(test_child_exited(&result, 1));
	expect = concatenate("fatal: ", test_dir, cases[n].error, (char *) 0);
	if (strstr(result.output, expect) == NULL)
	    fail_msg("case %zu: expected \"%s\" in \"%s\"", n, expect,
		     result.output);
	myfree(expect);
	test_child_free(&result);
    }
}

/* test_dump - "postconf -t" format */
static void test_dump(void **state)
{
    BOUNCE_TEMPLATES *ts;
    VSTREAM *fp;
    char   *path;
    char   *text;
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    setup_conf("myhostname = host.example\n");
    ts = load_templates("success_template = <<EOF\nSubject: ok\n\nDone $$.\nEOF\n");
    path = concatenate(test_dir, "/dump.out", (char *) 0);
    fp = vstream_fopen(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    bounce_templates_dump(fp, ts);
    vstream_fclose(fp);
    fp = vstream_fopen(path, O_RDONLY, 0);
    while (vstream_fread(fp, vstring_end(buf), 1) == 1) {
	VSTRING_LEN(buf)++;
	vstring_space(buf, 1);
    }
    VSTRING_TERMINATE(buf);
    vstream_fclose(fp);
    text = vstring_str(buf);
    assert_non_null(strstr(text, "\n\nsuccess_template = <<EOF\n"
			   "Charset: us-ascii\n"
			   "From: Mail Delivery System <MAILER-DAEMON>\n"
			   "Subject: ok\n"
			   "\n"
			   "Done $$.\n"
			   "EOF\n\nverify_template = <<EOF\n"));
    assert_true(strncmp(text, "failure_template = <<EOF\nCharset: us-ascii\n", 43) == 0);
    myfree(path);
    vstring_free(buf);
    bounce_templates_free(ts);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_builtin),
	cmocka_unit_test(test_load),
	cmocka_unit_test(test_rejected),
	cmocka_unit_test(test_file_warnings),
	cmocka_unit_test(test_time_units),
	cmocka_unit_test(test_fatal),
	cmocka_unit_test(test_dump),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
