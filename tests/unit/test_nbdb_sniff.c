/*
 * test_nbdb_sniff - unit tests for nbdb_sniff(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "stringops.h"
#include "nbdb_sniff.h"
#include "test_support.h"

/* sniff - the verdict on a complete text */
static bool sniff(const char *text)
{
    return nbdb_sniff_aliases(text, strlen(text), true);
}

/* test_aliases - files that postalias builds */
static void test_aliases(void **state)
{
    (void) state;
    assert_true(sniff("postmaster: root\nabuse: root\n"));
    assert_true(sniff("# See man 5 aliases\n\nmailer-daemon: postmaster\n"
		      "postmaster:\troot\n"));
    assert_true(sniff("list: a,\n    b,\n\tc\nother:x\n"));
    assert_true(sniff("\"quoted: name\": root\n"));
    assert_true(sniff("\"a\\\"b\": root\n"));
    assert_true(sniff("root: /dev/null"));		/* no final newline */
    assert_true(sniff("x: :include:/etc/list\n"));	/* colon in the value */
}

/* test_postmap - files that postmap builds */
static void test_postmap(void **state)
{
    (void) state;
    assert_false(sniff("user@example.com local\n"));
    assert_false(sniff("example.com REJECT\n"));
    assert_false(sniff("2001:db8::1 REJECT\n"));
    assert_false(sniff("[2001:db8::]:25 OK\n"));
    assert_false(sniff("::1 OK\n"));
    assert_false(sniff("\"a b\" c\n"));
    assert_false(sniff(": empty name\n"));
    assert_false(sniff("\"unterminated: root\n"));
    /* One postmap entry among aliases makes it a postmap file. */
    assert_false(sniff("postmaster: root\nexample.com OK\n"));
    /* Nothing to look at. */
    assert_false(sniff(""));
    assert_false(sniff("# only a comment\n\n   \n"));
    assert_false(sniff("  leading: whitespace\n"));
}

/* test_bounds - entry limit and cut-off text */
static void test_bounds(void **state)
{
    VSTRING *text = vstring_alloc(1000);
    int     n;

    (void) state;
    for (n = 0; n < NBDB_SNIFF_ENTRY_LIMIT; n++)
	vstring_sprintf_append(text, "name%d: root\n", n);
    vstring_strcat(text, "example.com OK\n");
    /* Only the first NBDB_SNIFF_ENTRY_LIMIT entries count. */
    assert_true(sniff(vstring_str(text)));
    /* A cut-off last line is ignored. */
    assert_true(nbdb_sniff_aliases("a: b\nexample.com OK", 19, false));
    assert_false(nbdb_sniff_aliases("a: b\nexample.com OK", 19, true));
    vstring_free(text);
}

/* test_stream - reads at most the byte limit */
static void test_stream(void **state)
{
    char   *dir = test_tempdir();
    char   *path = concatenate(dir, "/aliases", (char *) 0);
    VSTRING *text = vstring_alloc(100000);
    VSTREAM *fp;

    (void) state;
    vstring_strcpy(text, "postmaster: root\n");
    while (VSTRING_LEN(text) < NBDB_SNIFF_BYTE_LIMIT + 100)
	vstring_strcat(text, "# comment line that pads the file\n");
    vstring_strcat(text, "example.com OK\n");
    test_write_file(path, vstring_str(text));
    fp = vstream_fopen(path, O_RDONLY, 0);
    assert_non_null(fp);
    /* The postmap entry lies beyond the limit: not looked at. */
    assert_true(nbdb_sniff_stream(fp));
    vstream_fclose(fp);
    test_write_file(path, "postmaster: root\nexample.com OK\n");
    fp = vstream_fopen(path, O_RDONLY, 0);
    assert_false(nbdb_sniff_stream(fp));
    vstream_fclose(fp);
    unlink(path);
    test_remove_tree(dir);
    myfree(path);
    myfree(dir);
    vstring_free(text);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_aliases),
	cmocka_unit_test(test_postmap),
	cmocka_unit_test(test_bounds),
	cmocka_unit_test(test_stream),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
