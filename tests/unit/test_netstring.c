/*
 * test_netstring - unit tests for netstring(3) and the QMQP request reader
 *
 * DESCRIPTION
 *	Table-driven: the buffer parser with every kind of input (complete,
 *	incomplete, malformed, over the limit); the stream reader on memory
 *	files, including the end of input at every position; the QMQP
 *	request reader of qmqpd_packet.c and its content records. The error
 *	texts are those of Postfix's qmqpd(8) replies.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "netstring.h"
#include "qmqpd.h"
#include "test_support.h"
#include "test_memstream.h"

typedef struct PARSE_CASE {
    const char *input;
    size_t  limit;
    int     status;
    const char *data;			/* NETSTRING_OK only */
    size_t  used;
} PARSE_CASE;

/* test_parse - the buffer parser */
static void test_parse(void **state)
{
    static const PARSE_CASE cases[] = {
	{"5:hello,", 100, NETSTRING_OK, "hello", 8},
	{"5:hello,rest", 100, NETSTRING_OK, "hello", 8},
	{"0:,", 100, NETSTRING_OK, "", 3},
	{"007:abcdefg,", 100, NETSTRING_OK, "abcdefg", 12},
	{"5:hello,", 5, NETSTRING_OK, "hello", 8},
	{"", 100, NETSTRING_MORE, NULL, 0},
	{"5", 100, NETSTRING_MORE, NULL, 0},
	{"5:", 100, NETSTRING_MORE, NULL, 0},
	{"5:hello", 100, NETSTRING_MORE, NULL, 0},
	{"6:hello,", 100, NETSTRING_MORE, NULL, 0},
	{":", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"a:", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{" 5:hello,", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"-1:", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"+1:x,", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"5:hello;", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"4:hello,", 100, NETSTRING_ERR_FORMAT, NULL, 0},
	{"6:hello", 5, NETSTRING_ERR_SIZE, NULL, 0},
	{"10:", 9, NETSTRING_ERR_SIZE, NULL, 0},
	{"99999999999999999999999999:", (size_t) -1, NETSTRING_ERR_SIZE, NULL, 0},
	{"0000000000000000000000000000000000000000:,", 100, NETSTRING_OK, "",
	42},
	{"00000000000000000000000000000000000000000:,", 100,
	NETSTRING_ERR_FORMAT, NULL, 0},
    };
    const PARSE_CASE *tc;
    size_t  offset;
    size_t  len;
    size_t  used;
    int     status;

    (void) state;
    for (tc = cases; tc < cases + ARRAY_LEN(cases); tc++) {
	status = netstring_parse(tc->input, strlen(tc->input), tc->limit,
				 &offset, &len, &used);
	if (status != tc->status)
	    fail_msg("\"%s\": status %d, expected %d", tc->input, status,
		     tc->status);
	if (status == NETSTRING_OK) {
	    assert_int_equal(len, strlen(tc->data));
	    assert_memory_equal(tc->input + offset, tc->data, len);
	    assert_int_equal(used, tc->used);
	}
    }
}

/* test_stream - the stream reader, and the end of input anywhere */
static void test_stream(void **state)
{
    static const char input[] = "11:hello\0world,";
    VSTRING *buf = vstring_alloc(10);
    VSTREAM *fp;
    size_t  cut;
    int     status;

    (void) state;
    fp = test_memstream(input, sizeof(input) - 1);
    assert_int_equal(netstring_get(fp, buf, 100), NETSTRING_OK);
    assert_int_equal(VSTRING_LEN(buf), 11);
    assert_memory_equal(vstring_str(buf), "hello\0world", 11);
    /* Nothing past the comma was read. */
    assert_int_equal(netstring_get(fp, buf, 100), NETSTRING_ERR_EOF);
    vstream_fclose(fp);

    for (cut = 0; cut < sizeof(input) - 1; cut++) {
	fp = test_memstream(input, cut);
	status = netstring_get(fp, buf, 100);
	if (status != NETSTRING_ERR_EOF)
	    fail_msg("cut at %zu: status %d", cut, status);
	vstream_fclose(fp);
    }
    fp = test_memstream(input, sizeof(input) - 1);
    assert_int_equal(netstring_get(fp, buf, 10), NETSTRING_ERR_SIZE);
    vstream_fclose(fp);
    fp = test_memstream("3:abc;", 6);
    assert_int_equal(netstring_get(fp, buf, 10), NETSTRING_ERR_FORMAT);
    vstream_fclose(fp);

    assert_string_equal(netstring_strerror(NETSTRING_ERR_FORMAT),
			"netstring format error");
    assert_string_equal(netstring_strerror(NETSTRING_ERR_SIZE),
			"netstring length exceeds storage limit");
    assert_string_equal(netstring_strerror(NETSTRING_ERR_EOF),
			"lost connection");
    assert_string_equal(netstring_strerror(NETSTRING_ERR_TIME), "timeout");
    vstring_free(buf);
}

/* test_put - the writer gives what the parser takes */
static void test_put(void **state)
{
    int     fd = memfd_create("test_netstring_put", 0);
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    netstring_put(fp, "KOk: queued as ABC", 18);
    assert_int_equal(vstream_fflush(fp), 0);
    assert_true(vstream_fseek(fp, 0, SEEK_SET) == 0);
    assert_int_equal(VSTRING_LEN(buf), 0);
    assert_int_equal(netstring_get(fp, buf, 100), NETSTRING_OK);
    assert_string_equal(vstring_str(buf), "KOk: queued as ABC");
    vstream_fclose(fp);
    vstring_free(buf);
}

typedef struct PACKET_CASE {
    const char *input;
    int     status;
    const char *where;
    int     recipients;
} PACKET_CASE;

/* test_packet - the QMQP request reader */
static void test_packet(void **state)
{
    static const PACKET_CASE cases[] = {
	{"30:8:Subject:,3:a@b,5:r@c.d,,", NETSTRING_OK, QMQPD_WHERE_RCPT, 1},
	/* The outer length is a header only, as Postfix reads it. */
	{"5:8:Subject:,3:a@b,5:r@c.d,5:s@c.d,,", NETSTRING_OK,
	QMQPD_WHERE_RCPT, 2},
	{"9:0:,0:,,", NETSTRING_OK, QMQPD_WHERE_RCPT, 0},
	{"abc:xyz,", NETSTRING_ERR_FORMAT, QMQPD_WHERE_HEADER, 0},
	{"0:,", NETSTRING_ERR_FORMAT, QMQPD_WHERE_CONTENT, 0},
	{"30:99:", NETSTRING_ERR_SIZE, QMQPD_WHERE_CONTENT, 0},
	{"30:1:x,99:", NETSTRING_ERR_SIZE, QMQPD_WHERE_SENDER, 0},
	{"30:1:x,1:a,99:", NETSTRING_ERR_SIZE, QMQPD_WHERE_RCPT, 0},
	{"30:1:x,1:a,1:r;", NETSTRING_ERR_FORMAT, QMQPD_WHERE_RCPT, 0},
	{"30:1:x,1:a,1:r,", NETSTRING_ERR_EOF, QMQPD_WHERE_RCPT, 1},
	{"30:1:x", NETSTRING_ERR_EOF, QMQPD_WHERE_CONTENT, 0},
	{"", NETSTRING_ERR_EOF, QMQPD_WHERE_HEADER, 0},
    };
    const PACKET_CASE *tc;
    VSTRING *content = vstring_alloc(10);
    VSTRING *sender = vstring_alloc(10);
    VSTRING *rcpt = vstring_alloc(10);
    const char *where;
    VSTREAM *fp;
    bool    done;
    int     status;
    int     count;

    (void) state;
    for (tc = cases; tc < cases + ARRAY_LEN(cases); tc++) {
	fp = test_memstream(tc->input, strlen(tc->input));
	count = 0;
	done = false;
	status = qmqpd_packet_head(fp, content, sender, 20, 10, &where);
	while (status == NETSTRING_OK && !done) {
	    where = QMQPD_WHERE_RCPT;
	    status = qmqpd_packet_rcpt(fp, rcpt, 10, &done);
	    if (status == NETSTRING_OK && !done)
		count++;
	}
	if (status != tc->status || strcmp(where, tc->where) != 0
	    || count != tc->recipients)
	    fail_msg("\"%s\": status %d where %s count %d", tc->input, status,
		     where, count);
	vstream_fclose(fp);
    }
    vstring_free(content);
    vstring_free(sender);
    vstring_free(rcpt);
}

/* test_content - lines become L and P records, CR a space */
static void test_content(void **state)
{
    static const char message[] =
	"Subj: x\r\n\nlong\rline here\nlast\r";
    static const struct {
	int     type;
	const char *data;
    } expect[] = {
	{REC_TYPE_LINE, "Subj: x "},
	{REC_TYPE_LINE, ""},
	{REC_TYPE_PART, "long line "},
	{REC_TYPE_LINE, "here"},
	{REC_TYPE_PART, "last "},
	{REC_TYPE_LINE, ""},
    };
    VSTREAM *fp = test_memstream(NULL, 0);
    VSTRING *buf = vstring_alloc(10);
    size_t  n;

    (void) state;
    assert_true(qmqpd_packet_content(fp, message, sizeof(message) - 1, 10));
    assert_int_equal(vstream_fflush(fp), 0);
    assert_true(vstream_fseek(fp, 0, SEEK_SET) == 0);
    for (n = 0; n < ARRAY_LEN(expect); n++) {
	assert_int_equal(record_get(fp, buf, 100), expect[n].type);
	assert_string_equal(vstring_str(buf), expect[n].data);
    }
    assert_true(record_get(fp, buf, 100) < 0);
    vstream_fclose(fp);
    vstring_free(buf);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_stream),
	cmocka_unit_test(test_put),
	cmocka_unit_test(test_packet),
	cmocka_unit_test(test_content),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
