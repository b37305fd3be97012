/*
 * test_local_addr - unit tests for local(8)'s pure helpers (local_addr.c)
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "vstring.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "local.h"
#include "split_addr.h"
#include "test_support.h"

/* test_local_addr_split - local part, user, extension, domain */
static void test_local_addr_split(void **state)
{
    static const struct {
	const char *address;
	const char *delim;
	const char *local;
	const char *user;
	const char *extension;		/* NULL: none */
	const char *domain;
    } cases[] = {
	{"user@example.com", "+", "user", "user", 0, "example.com"},
	{"User+Foo@Example.COM", "+", "user+foo", "user", "foo", "Example.COM"},
	{"user+foo+bar@h", "+", "user+foo+bar", "user", "foo+bar", "h"},
	{"user+@h", "+", "user+", "user", "", "h"},
	{"+foo@h", "+", "+foo", "+foo", 0, "h"},
	{"user-foo@h", "+-", "user-foo", "user", "foo", "h"},
	{"user", "+", "user", "user", 0, ""},
	{"user+x", "", "user+x", "user+x", 0, ""},
	{"owner-list@h", "-", "owner-list", "owner-list", 0, "h"},
	{"list-request@h", "-", "list-request", "list-request", 0, "h"},
	{"postmaster+x@h", "+", "postmaster+x", "postmaster", "x", "h"},
	{"MAILER-DAEMON@h", "-", "mailer-daemon", "mailer-daemon", 0, "h"},
	{"a@b@c", "+", "a@b", "a@b", 0, "c"},
	{"\"a b\"+x@h", "+", "\"a b\"+x", "\"a b\"", "x", "h"},
    };
    LOCAL_ADDR addr;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	local_addr_split(&addr, cases[n].address, cases[n].delim);
	assert_string_equal(addr.address, cases[n].address);
	assert_string_equal(addr.local, cases[n].local);
	assert_string_equal(addr.user, cases[n].user);
	if (cases[n].extension == 0) {
	    if (addr.extension != 0)
		fail_msg("%s: unexpected extension \"%s\"", cases[n].address,
			 addr.extension);
	} else {
	    assert_non_null(addr.extension);
	    assert_string_equal(addr.extension, cases[n].extension);
	}
	assert_string_equal(addr.domain, cases[n].domain);
	local_addr_free(&addr);
    }
}

/* test_local_expand - forward_path and friends */
static void test_local_expand(void **state)
{
    static const char *filter =
	"1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char *forward_path =
	"$home/.forward${recipient_delimiter}${extension}, $home/.forward";
    LOCAL_EXPAND_ATTR attr = {
	.user = "joe", .home = "/home/joe", .shell = "/bin/sh",
	.recipient = "joe+list@example.com", .extension = "list",
	.domain = "example.com", .local = "joe+list",
	.recipient_delimiter = "+",
    };
    VSTRING *buf = vstring_alloc(100);

    (void) state;
    assert_int_equal(local_expand(buf, forward_path, &attr, filter), 0);
    assert_string_equal(vstring_str(buf),
			"/home/joe/.forward+list, /home/joe/.forward");

    /* No extension: the ${extension} form expands to nothing. */
    attr.extension = 0;
    (void) local_expand(buf, forward_path, &attr, filter);
    assert_string_equal(vstring_str(buf),
			"/home/joe/.forward+, /home/joe/.forward");
    (void) local_expand(buf,
			"$home/.forward${extension?$recipient_delimiter}"
			"${extension}", &attr, filter);
    assert_string_equal(vstring_str(buf), "/home/joe/.forward");

    /* An empty value is undefined. */
    attr.extension = "";
    (void) local_expand(buf, "${extension:none}", &attr, filter);
    assert_string_equal(vstring_str(buf), "none");

    /* Values are filtered, the pattern is not. */
    attr.extension = "a;b`c";
    (void) local_expand(buf, "|x $extension;", &attr, filter);
    assert_string_equal(vstring_str(buf), "|x a_b_c;");

    /* Every name. */
    (void) local_expand(buf, "$user $home $shell $recipient $domain $local",
			&attr, 0);
    assert_string_equal(vstring_str(buf), "joe /home/joe /bin/sh "
			"joe+list@example.com example.com joe+list");

    /* Syntax errors are reported. */
    assert_true(local_expand(buf, "${home", &attr, filter) & MAC_PARSE_ERROR);
    vstring_free(buf);
}

/* test_local_masks - allow_mail_to_* and prepend_delivered_header */
static void test_local_masks(void **state)
{
    (void) state;
    assert_int_equal(local_context_mask("allow_mail_to_commands",
					"alias, forward"),
		     LOCAL_CTX_ALIAS | LOCAL_CTX_FORWARD);
    assert_int_equal(local_context_mask("allow_mail_to_files",
					"Alias,Forward include"),
		     LOCAL_CTX_ALIAS | LOCAL_CTX_FORWARD | LOCAL_CTX_INCLUDE);
    assert_int_equal(local_context_mask("allow_mail_to_files", ""), 0);
    assert_int_equal(local_deliver_hdr_mask("command, file, forward"),
		     LOCAL_DELIVER_HDR_COMMAND | LOCAL_DELIVER_HDR_FILE
		     | LOCAL_DELIVER_HDR_FORWARD);
    assert_int_equal(local_deliver_hdr_mask("forward"),
		     LOCAL_DELIVER_HDR_FORWARD);
}

/* test_local_token_kind - what an alias or .forward item is */
static void test_local_token_kind(void **state)
{
    (void) state;
    assert_int_equal(local_token_kind("|/usr/bin/procmail"),
		     LOCAL_TOKEN_COMMAND);
    assert_int_equal(local_token_kind("/var/log/mail.copy"),
		     LOCAL_TOKEN_FILE);
    assert_int_equal(local_token_kind("/home/joe/Maildir/"),
		     LOCAL_TOKEN_FILE);
    assert_int_equal(local_token_kind(":include:/etc/lists/staff"),
		     LOCAL_TOKEN_INCLUDE);
    assert_int_equal(local_token_kind(":INCLUDE:/etc/lists/staff"),
		     LOCAL_TOKEN_INCLUDE);
    assert_int_equal(local_token_kind("joe@example.com"),
		     LOCAL_TOKEN_ADDRESS);
    assert_int_equal(local_token_kind("joe"), LOCAL_TOKEN_ADDRESS);
}

/* test_local_list_next - destinations of an alias or .forward list */
static void test_local_list_next(void **state)
{
    static const struct {
	const char *input;
	const char *expect[8];		/* NULL-terminated */
    } cases[] = {
	{"joe, jane", {"joe", "jane"}},
	{"  joe ,, jane,\n", {"joe", "jane"}},
	{"joe\njane\r\n", {"joe", "jane"}},
	{"\"|/usr/bin/procmail -a x\", /var/mail/x", {
	"|/usr/bin/procmail -a x", "/var/mail/x"}},
	{"|\"/bin/cat > /tmp/a, b\"", {"|/bin/cat > /tmp/a, b"}},
	{"# a comment, with a comma\njoe\n# another\njane",
	{"joe", "jane"}},
	{"joe # not a comment here", {"joe # not a comment here"}},
	{":include:/etc/lists/x, \"/a file\"",
	{":include:/etc/lists/x", "/a file"}},
	{"a\\,b, c", {"a\\,b", "c"}},
	{"\"unbalanced, quote", {"\"unbalanced, quote"}},
	{"\"\"", {""}},
	{"", {0}},
	{" \n,#only a comment", {0}},
    };
    size_t  n;
    size_t  i;
    char   *copy;
    char   *cp;
    char   *item;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	copy = strdup(cases[n].input);
	cp = copy;
	for (i = 0; (item = local_list_next(&cp)) != 0; i++) {
	    if (cases[n].expect[i] == 0)
		fail_msg("\"%s\": unexpected item \"%s\"", cases[n].input,
			 item);
	    assert_string_equal(item, cases[n].expect[i]);
	}
	if (cases[n].expect[i] != 0)
	    fail_msg("\"%s\": missing item \"%s\"", cases[n].input,
		     cases[n].expect[i]);
	free(copy);
    }
}

/* test_local_maildir_name - unique maildir file names */
static void test_local_maildir_name(void **state)
{
    VSTRING *host = vstring_alloc(10);
    VSTRING *a = vstring_alloc(10);
    VSTRING *b = vstring_alloc(10);

    (void) state;
    assert_string_equal(local_maildir_hostname(host, "mail.example"),
			"mail.example");
    assert_string_equal(local_maildir_hostname(host, "a/b:c"),
			"a\\057b\\072c");
    assert_string_equal(local_maildir_name(a, 1700000000, 123456, 4242, 7,
					   0, 0, "h"),
			"1700000000.P4242Q7.h");
    assert_string_equal(local_maildir_name(a, 1700000000, 123456, 4242, 7,
					   0x801, 0x1f2e3, "h"),
			"1700000000.V801I1f2e3M123456.h");
    /* Another inode, or another microsecond: another name. */
    local_maildir_name(b, 1700000000, 123456, 4242, 7, 0x801, 0x1f2e4, "h");
    assert_string_not_equal(vstring_str(a), vstring_str(b));
    local_maildir_name(b, 1700000000, 123457, 4242, 7, 0x801, 0x1f2e3, "h");
    assert_string_not_equal(vstring_str(a), vstring_str(b));
    vstring_free(host);
    vstring_free(a);
    vstring_free(b);
}

/* test_owner_request_special - "no" lets owner-/-request split */
static void test_owner_request_special(void **state)
{
    char    owner[] = "owner-list";
    char    request[] = "list-request";
    char    kept[] = "owner-list";

    (void) state;
    assert_null(split_addr(kept, "-"));
    mail_conf_update("owner_request_special", "no");
    assert_string_equal(split_addr(owner, "-"), "list");
    assert_string_equal(owner, "owner");
    assert_string_equal(split_addr(request, "-"), "request");
    assert_string_equal(request, "list");
    mail_conf_update("owner_request_special", "yes");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_local_addr_split),
	cmocka_unit_test(test_local_expand),
	cmocka_unit_test(test_local_masks),
	cmocka_unit_test(test_local_token_kind),
	cmocka_unit_test(test_local_list_next),
	cmocka_unit_test(test_local_maildir_name),
	cmocka_unit_test(test_owner_request_special),
    };

    mail_conf_update("double_bounce_sender", "double-bounce");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
