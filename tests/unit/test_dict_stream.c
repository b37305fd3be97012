/*
 * test_dict_stream - unit tests for dict_stream(3)
 *
 * DESCRIPTION
 *	Inline pattern tables (regexp_table(5) "INLINE SPECIFICATION"):
 *	each "{rule}" becomes one line; errors as in Postfix 3.7.
 */
#include "sys_defs.h"

#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "dict_stream.h"
#include "test_dict_support.h"

/* read_all - the whole stream */
static const char *read_all(VSTREAM *fp, VSTRING *buf)
{
    VSTRING *line = vstring_alloc(10);

    VSTRING_RESET(buf);
    while (vstring_get(line, fp) != VSTREAM_EOF)
	vstring_strcat(buf, vstring_str(line));
    vstring_free(line);
    return vstring_str(buf);
}

/* test_dict_stream - inline text and files */
static void test_dict_stream(void **state)
{
    static const struct {
	const char *name;
	const char *text;		/* NULL: error */
	const char *why;
    } cases[] = {
	{"{{foo bar}, {blah blah}}", "foo bar\nblah blah\n", 0},
	{"{{ foo bar }, { blah blah }}", "foo bar\nblah blah\n", 0},
	{"{, ,{foo bar}, {blah blah}, ,}", "foo bar\nblah blah\n", 0},
	{"{, }", "", 0},
	{"{}", "", 0},
	{"{{foo bar}, {blah blah}}x", 0,
	"test map: syntax error after '}' in \"{{foo bar}, {blah blah}}x\""},
	{"{{foo bar}, {blah blah}x}", 0,
	"test map: syntax error after '}' in \"{blah blah}x\""},
	{"{ {a} b }", 0, "test map: no '{' at start of text in \"b\""},
	{"{ {a}", 0, "test map: missing '}' in \"{ {a}\""},
	{"nonexistent", 0, "open nonexistent: No such file or directory"},
	{"t", "file text\n", 0},
    };
    VSTRING *why = vstring_alloc(10);
    VSTRING *buf = vstring_alloc(10);
    VSTREAM *fp;
    size_t  n;

    (void) state;
    test_dict_chdir();
    test_write_file("t", "file text\n");
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	fp = dict_stream_open("test", cases[n].name, why);
	if (cases[n].text) {
	    assert_non_null(fp);
	    assert_string_equal(read_all(fp, buf), cases[n].text);
	    assert_string_equal(vstream_path(fp), cases[n].name);
	    vstream_fclose(fp);
	} else {
	    assert_null(fp);
	    assert_string_equal(vstring_str(why), cases[n].why);
	}
    }
    vstring_free(why);
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_dict_stream),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
