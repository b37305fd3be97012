/*
 * test_pickup_file - unit tests for pickup(8)'s file checks and copy
 *
 * DESCRIPTION
 *	pickup_check() on good and hostile maildrop files, pickup_copy()'s
 *	translation for cleanup (no Q, DSN attributes as E/Y/n records, no
 *	extracted recipients), the Received: header pickup_received()
 *	makes and pickup_copy() writes after M, and the cleanup request
 *	flags.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "cleanup_proto.h"
#include "pickup.h"
#include "test_support.h"

/* memfile - a stream on a fresh memory file holding data */
static VSTREAM *memfile(const char *data, size_t len, int flags)
{
    int     fd = memfd_create("test", 0);

    assert_true(fd >= 0);
    if (len > 0)
	assert_int_equal(write(fd, data, len), (ssize_t) len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return vstream_fdopen(fd, flags);
}

#define HEAD	"Q14 postel-queue 1\nT17 1700000000.000001\nF3 s@x\n"
#define TAIL	"M0 \nL2 hi\nX0 \nZ0 \n"

typedef struct CASE {
    const char *data;
    const char *why;			/* NULL: good */
    const char *sender;			/* as logged */
    bool    extract;
} CASE;

/* test_check - good and bad files */
static void test_check(void **state)
{
    static const CASE cases[] = {
	{HEAD "R3 a@b\n" TAIL, 0, "s@x", false},
	{HEAD TAIL, 0, "s@x", false},
	{HEAD "M0 \nX0 \nR3 e@x\nZ0 \n", 0, "s@x", true},
	{HEAD "A21 rewrite_context=local\nR3 a@b\n" TAIL, 0, "s@x", false},
	{HEAD "A10 protocol=x\nR3 a@b\n" TAIL, "record A: unknown attribute name \"protocol\"", "s@x", false},
	{HEAD "R3 a\0b\n" TAIL, "record R: null byte or line break in data", "s@x", false},
	{HEAD "R0 \n" TAIL, "record R: empty recipient", "s@x", false},
	{"", "", "", false},
	{"garbage", "", "", false},
	{HEAD "R3 a@b\n" "M0 \nL2 hi\nX0 \n", "", "s@x", false},
	{HEAD "R3 a@b\n" TAIL "Z0 \n", "", "s@x", false},
	{HEAD "D3 a@b\n" TAIL, "", "s@x", false},
	{"Q14 postel-queue 1\nT17 1700000000.000001\nF3 \001\002\003\nR1 a\n" TAIL,
	0, "???", false},
	/* Well-formed UTF-8 is logged as it is, C1 controls too (as
	 * Postfix 3.7); malformed bytes and DEL as ?. */
	{"Q14 postel-queue 1\nT17 1700000000.000001\nF7 j\303\266rg@x\nR1 a\n" TAIL,
	0, "j\303\266rg@x", false},
	{"Q14 postel-queue 1\nT17 1700000000.000001\nF8 \302\205\377\300\257\177\342\202\nR1 a\n" TAIL,
	0, "\302\205??????", false},
    };
    VSTRING *why = vstring_alloc(100);
    PICKUP_INFO info;

    (void) state;
    for (size_t n = 0; n < ARRAY_LEN(cases); n++) {
	size_t  len = strlen(cases[n].data);
	VSTREAM *fp;
	bool    ok;

	/* The data may hold a null byte: find the real length. */
	if (strstr(cases[n].data, "R3 a") && cases[n].why
	    && strstr(cases[n].why, "null byte"))
	    len = sizeof(HEAD "R3 a\0b\n" TAIL) - 1;
	fp = memfile(cases[n].data, len, O_RDONLY);
	pickup_info_init(&info);
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	ok = pickup_check(fp, &info, why);
	if (cases[n].why == 0 && !ok)
	    fail_msg("case %zu: refused: %s", n, vstring_str(why));
	if (cases[n].why != 0) {
	    if (ok)
		fail_msg("case %zu: accepted", n);
	    if (*cases[n].why)
		assert_string_equal(vstring_str(why), cases[n].why);
	    else
		assert_true(VSTRING_LEN(why) > 0);
	    assert_false(info.read_error);
	}
	assert_string_equal(vstring_str(info.sender), cases[n].sender);
	if (ok)
	    assert_int_equal(info.extract, cases[n].extract);
	pickup_info_free(&info);
	vstream_fclose(fp);
    }
    vstring_free(why);
}

/* test_copy - what cleanup gets */
static void test_copy(void **state)
{
    static const char data[] = HEAD
	"A21 rewrite_context=local\nA9 dsn_ret=2\nA12 dsn_envid=e1\n"
	"A12 dsn_notify=6\nA10 full_name=\nR3 a@b\nR3 c@d\n"
	"M0 \nP3 abc\nL2 de\nX0 \nR3 e@x\nZ0 \n";
    static const char want[] = "T17 1700000000.000001\nF3 s@x\n"
	"A21 rewrite_context=local\nA10 full_name=\nE2 e1\nY1 2\n"
	"o10 rfc822;a@b\nn1 6\nR3 a@b\no10 rfc822;c@d\nn1 6\nR3 c@d\n"
	"M0 \nP3 abc\nL2 de\nX0 \nZ0 \n";
    VSTREAM *fp = memfile(data, sizeof(data) - 1, O_RDONLY);
    VSTREAM *out = memfile("", 0, O_RDWR);
    VSTRING *why = vstring_alloc(100);
    char    buf[sizeof(want) + 10];
    ssize_t got;

    (void) state;
    assert_true(pickup_copy(fp, out, 0, why));
    got = pread(vstream_fileno(out), buf, sizeof(buf), 0);
    assert_int_equal(got, sizeof(want) - 1);
    assert_memory_equal(buf, want, sizeof(want) - 1);
    vstream_fclose(fp);
    vstream_fclose(out);

    /* Without DSN attributes E and Y are not written; M still comes. */
    fp = memfile(HEAD TAIL, sizeof(HEAD TAIL) - 1, O_RDONLY);
    out = memfile("", 0, O_RDWR);
    assert_true(pickup_copy(fp, out, 0, why));
    got = pread(vstream_fileno(out), buf, sizeof(buf), 0);
    assert_int_equal(got, sizeof(HEAD TAIL) - 1 - 19);
    vstream_fclose(fp);
    vstream_fclose(out);
    vstring_free(why);
}

/* test_received - the Received: header, written right after M */
static void test_received(void **state)
{
    static const char want[] = "T17 1700000000.000001\nF3 s@x\n"
	"M0 \nL53 Received: by host.example (Postfix, from userid 1001)\n"
	"L52 \tid 3F2A1B7E4; Sat,  5 Dec 2026 01:43:41 +0000 (UTC)\n"
	"L2 hi\nX0 \nZ0 \n";
    ARGV   *lines = argv_alloc(2);
    VSTREAM *fp = memfile(HEAD TAIL, sizeof(HEAD TAIL) - 1, O_RDONLY);
    VSTREAM *out = memfile("", 0, O_RDWR);
    VSTRING *why = vstring_alloc(100);
    char    buf[sizeof(want) + 10];
    char   *saved = getenv("TZ") ? strdup(getenv("TZ")) : 0;
    ssize_t got;

    (void) state;
    setenv("TZ", "UTC", 1);
    tzset();
    pickup_received(lines, "host.example", "Postfix", 1001L, "3F2A1B7E4",
		    (time_t) 1796435021);
    assert_int_equal(lines->argc, 2);
    assert_string_equal(lines->argv[0],
			"Received: by host.example (Postfix, from userid 1001)");
    assert_string_equal(lines->argv[1],
			"\tid 3F2A1B7E4; Sat,  5 Dec 2026 01:43:41 +0000 (UTC)");
    assert_true(pickup_copy(fp, out, lines, why));
    got = pread(vstream_fileno(out), buf, sizeof(buf), 0);
    assert_int_equal(got, sizeof(want) - 1);
    assert_memory_equal(buf, want, sizeof(want) - 1);

    /* mail_name replaces "Postfix"; the lines are replaced, not added. */
    pickup_received(lines, "h", "Postel", 0L, "ABC", (time_t) 1796435021);
    assert_int_equal(lines->argc, 2);
    assert_string_equal(lines->argv[0],
			"Received: by h (Postel, from userid 0)");
    if (saved) {
	setenv("TZ", saved, 1);
	free(saved);
    } else {
	unsetenv("TZ");
    }
    tzset();
    vstream_fclose(fp);
    vstream_fclose(out);
    vstring_free(why);
    argv_free(lines);
}

/* test_flags - receive_override_options and -t */
static void test_flags(void **state)
{
    int     all = CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_FILTER
    | CLEANUP_FLAG_BCC_OK | CLEANUP_FLAG_MAP_OK;

    (void) state;
    assert_int_equal(pickup_cleanup_flags("", false, ""), all);
    assert_int_equal(pickup_cleanup_flags("", true, ""), all | CLEANUP_FLAG_EXTRACT);
    assert_int_equal(pickup_cleanup_flags("no_header_body_checks", false, ""),
		     all & ~CLEANUP_FLAG_FILTER);
    assert_int_equal(pickup_cleanup_flags("no_address_mappings, "
					  "no_unknown_recipient_checks", false, ""),
		     CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_FILTER);
    assert_int_equal(pickup_cleanup_flags("no_milters no_header_body_checks "
					  "no_address_mappings", false, ""),
		     CLEANUP_FLAG_BOUNCE);
    assert_int_equal(pickup_cleanup_flags("", false, "sendmail, verify"),
		     all | CLEANUP_FLAG_UTF8_DETECT);
    assert_int_equal(pickup_cleanup_flags("", false, "smtpd verify"), all);
    assert_int_equal(pickup_cleanup_flags("", false, "all"),
		     all | CLEANUP_FLAG_UTF8_DETECT);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_check),
	cmocka_unit_test(test_copy),
	cmocka_unit_test(test_received),
	cmocka_unit_test(test_flags),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
