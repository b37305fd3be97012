/*
 * test_cleanup_support - helpers for the cleanup_maps unit tests
 *
 * SYNOPSIS
 *	#include "test_cleanup_support.h"
 *
 *	const char *test_cleanup_dir(void);
 *	void	test_cleanup_table(const char *name, const char *text);
 *	CLEANUP_MAPS *test_cleanup_create(const char *settings);
 *	char	*test_cleanup_log_end(void);
 *	int	test_cleanup_verdict(const char *label, int status,
 *				const char *output, const char *log,
 *				const char *why, int want_status,
 *				const char *want_output, const char *want_log);
 *
 * DESCRIPTION
 *	test_cleanup_dir() returns a temporary directory for table files,
 *	made on first use and removed when the program exits. test_cleanup_table() writes a table file there.
 *
 *	test_cleanup_create() resets every parameter that the cleanup_maps
 *	modules read to a known baseline (empty tables, myorigin
 *	test.example, mydestination "$myorigin, localhost", Postfix's
 *	defaults otherwise), then applies settings: "name=value" lines
 *	where "%D" stands for test_cleanup_dir(). It creates the
 *	CLEANUP_MAPS with log capture on (test_capture_start()), sets its
 *	queue_id to "QID", and clears the log of the open step.
 *
 *	test_cleanup_log_end() returns a copy of the captured log (caller
 *	frees) and stops the capture.
 *
 *	test_cleanup_verdict() compares one table case's result with what
 *	it should be (status, output text, log), and checks that a
 *	CLEANUP_MAP_RETRY result comes with the reason "4.3.0 queue file
 *	write error"; it prints each difference and returns how many
 *	there were (0: the case passed).
 *
 *	Static functions: each test program includes this header once.
 */
#ifndef TEST_CLEANUP_SUPPORT_H
#define TEST_CLEANUP_SUPPORT_H

#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "cleanup_maps.h"
#include "test_params.h"
#include "test_support.h"

static const char *test_cleanup_baseline[] = {
    "canonical_maps=", "sender_canonical_maps=", "recipient_canonical_maps=",
    "canonical_classes=envelope_sender, envelope_recipient, header_sender, header_recipient",
    "sender_canonical_classes=envelope_sender, header_sender",
    "recipient_canonical_classes=envelope_recipient, header_recipient",
    "virtual_alias_maps=", "virtual_alias_recursion_limit=1000",
    "virtual_alias_expansion_limit=1000",
    "virtual_alias_address_length_limit=1000",
    "masquerade_domains=", "masquerade_exceptions=",
    "masquerade_classes=envelope_sender, header_sender, header_recipient",
    "always_bcc=", "sender_bcc_maps=", "recipient_bcc_maps=",
    "header_checks=", "mime_header_checks=$header_checks",
    "nested_header_checks=$header_checks", "body_checks=",
    "body_checks_size_limit=51200", "recipient_delimiter=",
    "propagate_unmatched_extensions=canonical, virtual",
    "smtputf8_enable=yes", "myhostname=host.test.example",
    "myorigin=test.example", "mydestination=$myorigin, localhost",
    "inet_interfaces=127.0.0.1", "proxy_interfaces=",
    0,
};

static char *test_cleanup_tmp;

/* test_cleanup_dir_remove - remove the table directory at exit */
static void test_cleanup_dir_remove(void)
{
    if (test_cleanup_tmp)
	test_remove_tree(test_cleanup_tmp);
}

/* test_cleanup_dir - the table directory */
static UNUSED const char *test_cleanup_dir(void)
{
    if (test_cleanup_tmp == 0) {
	test_cleanup_tmp = test_tempdir();
	atexit(test_cleanup_dir_remove);
    }
    return test_cleanup_tmp;
}

/* test_cleanup_table - write one table file */
static UNUSED void test_cleanup_table(const char *name, const char *text)
{
    char   *path = concatenate(test_cleanup_dir(), "/", name, (char *) 0);

    test_write_file(path, text);
    myfree(path);
}

/* test_cleanup_setting - apply one "name=value" setting */
static void test_cleanup_setting(const char *setting, size_t len)
{
    VSTRING *buf = vstring_alloc(100);
    const char *cp;
    char   *eq;

    for (cp = setting; cp < setting + len; cp++) {
	if (cp[0] == '%' && cp[1] == 'D') {
	    vstring_strcat(buf, test_cleanup_dir());
	    cp++;
	} else {
	    VSTRING_ADDCH(buf, *cp);
	}
    }
    VSTRING_TERMINATE(buf);
    if ((eq = strchr(vstring_str(buf), '=')) == 0)
	fail_msg("bad test setting: %s", vstring_str(buf));
    *eq = 0;
    mail_conf_update(vstring_str(buf), eq + 1);
    vstring_free(buf);
}

/* test_cleanup_create - baseline settings, then the test's own */
static UNUSED CLEANUP_MAPS *test_cleanup_create(const char *settings)
{
    CLEANUP_MAPS *cm;
    const char **bp;
    const char *cp;
    size_t  len;

    for (bp = test_cleanup_baseline; *bp; bp++)
	test_cleanup_setting(*bp, strlen(*bp));
    for (cp = settings ? settings : ""; *cp; cp += len + (cp[len] != 0)) {
	len = strcspn(cp, "\n");
	if (len > 0)
	    test_cleanup_setting(cp, len);
    }
    mail_params_reset();
    test_capture_start();
    cm = cleanup_maps_create();
    cm->queue_id = "QID";
    test_capture_stop();
    test_capture_start();
    return cm;
}

/* test_cleanup_log_end - the captured log */
static UNUSED char *test_cleanup_log_end(void)
{
    char   *text = mystrdup(test_capture_text());

    test_capture_stop();
    return text;
}

/* test_cleanup_verdict - compare one case's result; the number of failures */
static UNUSED int test_cleanup_verdict(const char *label, int status,
				               const char *output, const char *log,
				               const char *why, int want_status,
				               const char *want_output,
				               const char *want_log)
{
    int     failed = 0;

    if (status != want_status || strcmp(output, want_output) != 0
	|| strcmp(log, want_log) != 0) {
	print_error("%s: got %d \"%s\" log \"%s\"; want %d \"%s\" log \"%s\"\n",
		    label, status, output, log, want_status, want_output,
		    want_log);
	failed++;
    }
    if (status == CLEANUP_MAP_RETRY
	&& strcmp(why, "4.3.0 queue file write error") != 0) {
	print_error("%s: why \"%s\"\n", label, why);
	failed++;
    }
    return failed;
}

#endif
