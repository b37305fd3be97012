/*
 * test_queue_file_read - unit tests for queue_file_read(3)
 *
 * A sample queue file with every record type is checked whole, then
 * damaged in every way the reader must notice: each truncation, bad
 * types and lengths, a missing or misplaced end record, a wrong first
 * record, bad size records, records out of place.
 */
#define _GNU_SOURCE 1
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "rec_type.h"
#include "mail_queue.h"
#include "queue_file_read.h"
#include "test_params.h"
#include "test_support.h"

/* A file under construction: the records and where each starts. */
typedef struct SAMPLE {
    VSTRING *bytes;
    size_t  starts[100];
    int     count;
} SAMPLE;

/* add - append one record */
static void add(SAMPLE *sp, int type, const char *data)
{
    sp->starts[sp->count++] = VSTRING_LEN(sp->bytes);
    vstring_sprintf_append(sp->bytes, "%c%zu %s\n", type, strlen(data), data);
}

/* size_text - S data */
static const char *size_text(VSTRING *buf, long long csize, long long coff,
			             long nrcpt)
{
    QUEUE_FILE_SIZE size;

    memset(&size, 0, sizeof(size));
    size.content_size = csize;
    size.content_offset = coff;
    size.rcpt_count = nrcpt;
    return queue_file_size_format(buf, &size);
}

/*
 * make_sample - a complete queue file. The content is "Subject: x",
 * "", "a long line" (as P "a long " + L "line"): 11 + 1 + 12 = 24 bytes.
 */
static void make_sample(SAMPLE *sp)
{
    VSTRING *sbuf = vstring_alloc(100);
    size_t  env_len;
    SAMPLE  env;

    /* The envelope after S, to learn the content offset. */
    env.bytes = vstring_alloc(100);
    env.count = 0;
    add(&env, 'T', "1796430334.774185");
    add(&env, 'F', "alice@example.test");
    add(&env, 'A', "rewrite_context=local");
    add(&env, 'E', "envid");
    add(&env, 'Y', "2");
    add(&env, 'V', "+=");
    add(&env, 'W', "0");
    add(&env, 'I', "smtp:filter");
    add(&env, 'J', "redir@example.test");
    add(&env, 'O', "bob@example.org");
    add(&env, 'o', "rfc822;bob@example.org");
    add(&env, 'n', "10");
    add(&env, 'R', "bob@example.org");
    add(&env, 'D', "done@example.org");
    env_len = VSTRING_LEN(env.bytes);

    sp->bytes = vstring_alloc(1000);
    sp->count = 0;
    add(sp, 'Q', REC_FORMAT_TEXT);
    add(sp, 'S', size_text(sbuf, 24, (long long) (VSTRING_LEN(sp->bytes)
				    + 3 + 2 + QUEUE_FILE_SIZE_LEN + env_len), 2));
    add(sp, 'T', "1796430334.774185");
    add(sp, 'F', "alice@example.test");
    add(sp, 'A', "rewrite_context=local");
    add(sp, 'E', "envid");
    add(sp, 'Y', "2");
    add(sp, 'V', "+=");
    add(sp, 'W', "0");
    add(sp, 'I', "smtp:filter");
    add(sp, 'J', "redir@example.test");
    add(sp, 'O', "bob@example.org");
    add(sp, 'o', "rfc822;bob@example.org");
    add(sp, 'n', "10");
    add(sp, 'R', "bob@example.org");
    add(sp, 'D', "done@example.org");
    add(sp, 'M', "");
    add(sp, 'L', "Subject: x");
    add(sp, 'L', "");
    add(sp, 'P', "a long ");
    add(sp, 'L', "line");
    add(sp, 'X', "");
    add(sp, 'O', "t1@example.org");
    add(sp, 'R', "t1@example.org");
    add(sp, 'A', "x=y");
    add(sp, 'Z', "");
    vstring_free(env.bytes);
    vstring_free(sbuf);
}

/* mem_stream - a read stream over a memory file with these bytes */
static VSTREAM *mem_stream(const void *data, size_t len)
{
    int     fd = memfd_create("test_queue_file_read", 0);

    assert_true(fd >= 0);
    if (len > 0)
	assert_int_equal(write(fd, data, len), (ssize_t) len);
    assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
    return vstream_fdopen(fd, O_RDONLY);
}

/* check_bytes - run the reader; return the error kind */
static int check_bytes(const char *data, size_t len, int kind,
		               QUEUE_FILE_INFO *info)
{
    VSTREAM *fp = mem_stream(data, len);
    bool    ok;

    ok = queue_file_read(fp, kind, 0, NULL, NULL, info);
    vstream_fclose(fp);
    assert_true(ok == (info->error == QUEUE_FILE_OK));
    return info->error;
}

/* check_text - the error kind for a file as a string */
static int check_text(const char *text, int kind, QUEUE_FILE_INFO *info)
{
    return check_bytes(text, strlen(text), kind, info);
}

/* edited - the sample with bytes [from, to) replaced by text */
static VSTRING *edited(SAMPLE *sp, size_t from, size_t to, const char *text)
{
    VSTRING *out = vstring_alloc(1000);

    vstring_memcpy(out, vstring_str(sp->bytes), from);
    vstring_strcat(out, text);
    vstring_memcat(out, vstring_str(sp->bytes) + to,
		   VSTRING_LEN(sp->bytes) - to);
    return out;
}

/* record_end - where record n of the sample ends */
static size_t record_end(SAMPLE *sp, int n)
{
    return n + 1 < sp->count ? sp->starts[n + 1] : VSTRING_LEN(sp->bytes);
}

/* replace_record - the sample with record n replaced by text */
static int replace_record(SAMPLE *sp, int n, const char *text,
			          QUEUE_FILE_INFO *info)
{
    VSTRING *out = edited(sp, sp->starts[n], record_end(sp, n), text);
    int     error = check_bytes(vstring_str(out), VSTRING_LEN(out),
				QUEUE_FILE_KIND_QUEUE, info);

    vstring_free(out);
    return error;
}

/* find_record - index of the k-th (0-based) record of a type */
static int find_record(SAMPLE *sp, int type, int k)
{
    int     n;

    for (n = 0; n < sp->count; n++)
	if (vstring_str(sp->bytes)[sp->starts[n]] == type && k-- == 0)
	    return n;
    fail_msg("no record %c", type);
    return -1;
}

/* count_calls - a call-back that counts and can stop */
static bool count_calls(int type, const char *data, size_t len, off_t offset,
			        void *context)
{
    int    *count = (int *) context;

    (void) data;
    (void) len;
    (void) offset;
    (*count)++;
    return type != REC_TYPE_MESSAGE;
}

/* test_sample - the complete file passes */
static void test_sample(void **state)
{
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    VSTREAM *fp;
    int     calls = 0;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    assert_int_equal(check_bytes(vstring_str(s.bytes), VSTRING_LEN(s.bytes),
				 QUEUE_FILE_KIND_QUEUE, &info), QUEUE_FILE_OK);
    assert_true(info.have_size);
    assert_int_equal(info.size.content_size, 24);
    assert_int_equal(info.size.content_offset, s.starts[find_record(&s, 'M', 0)]);
    assert_int_equal(info.rcpt_todo, 2);
    assert_int_equal(info.rcpt_done, 1);
    assert_int_equal(info.end_offset, VSTRING_LEN(s.bytes));
    assert_int_equal(check_bytes(vstring_str(s.bytes), VSTRING_LEN(s.bytes),
				 QUEUE_FILE_KIND_ANY, &info), QUEUE_FILE_OK);
    assert_int_equal(info.kind, QUEUE_FILE_KIND_QUEUE);
    /* Not a maildrop file. */
    assert_int_equal(check_bytes(vstring_str(s.bytes), VSTRING_LEN(s.bytes),
				 QUEUE_FILE_KIND_MAILDROP, &info),
		     QUEUE_FILE_ERR_ORDER);

    /* Attributes may come between T and F (cleanup's create_time...). */
    {
	int     f = find_record(&s, 'F', 0);
	VSTRING *out = edited(&s, s.starts[f], record_end(&s, f + 1),
			      "A21 rewrite_context=local\n"
			      "F18 alice@example.test\n");

	assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				     QUEUE_FILE_KIND_QUEUE, &info),
			 QUEUE_FILE_OK);
	vstring_free(out);
	/* Not another record type. */
	out = edited(&s, s.starts[f], record_end(&s, f + 1),
		     "E19 rewrite_context=loc\nF18 alice@example.test\n");
	assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				     QUEUE_FILE_KIND_QUEUE, &info),
			 QUEUE_FILE_ERR_ORDER);
	vstring_free(out);
    }

    /* The call-back sees each record and can stop the read. */
    fp = mem_stream(vstring_str(s.bytes), VSTRING_LEN(s.bytes));
    assert_false(queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, 0, count_calls,
				 &calls, &info));
    assert_int_equal(info.error, QUEUE_FILE_ERR_CALLER);
    assert_int_equal(calls, find_record(&s, 'M', 0) + 1);
    vstream_fclose(fp);

    /* A record longer than the limit. */
    fp = mem_stream(vstring_str(s.bytes), VSTRING_LEN(s.bytes));
    assert_false(queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, 20, NULL, NULL,
				 &info));
    assert_int_equal(info.error, QUEUE_FILE_ERR_RECORD);
    assert_string_equal(vstring_str(info.why), "record too long at offset 19");
    vstream_fclose(fp);
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_truncation - the file cut at every offset */
static void test_truncation(void **state)
{
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    size_t  len;
    int     n;
    int     want;
    int     got;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    for (len = 0; len < VSTRING_LEN(s.bytes); len++) {
	want = QUEUE_FILE_ERR_RECORD;
	for (n = 0; n < s.count; n++)
	    if (s.starts[n] == len)
		want = (len == 0 ? QUEUE_FILE_ERR_FIRST : QUEUE_FILE_ERR_NO_END);
	got = check_bytes(vstring_str(s.bytes), len, QUEUE_FILE_KIND_QUEUE,
			  &info);
	if (got != want)
	    fail_msg("cut at %zu: got error %d (%s), want %d", len, got,
		     vstring_str(info.why), want);
    }
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_bad_records - bad type bytes and lengths anywhere */
static void test_bad_records(void **state)
{
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    VSTRING *out;
    int     n;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    for (n = 0; n < s.count; n++) {
	/* A type byte that is no record type. */
	out = edited(&s, s.starts[n], s.starts[n] + 1, "!");
	assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				     QUEUE_FILE_KIND_QUEUE, &info),
			 QUEUE_FILE_ERR_RECORD);
	assert_int_equal(info.error_offset, s.starts[n]);
	vstring_free(out);
	/* A length one too large: the newline is missing or misplaced. */
	out = edited(&s, s.starts[n] + 1, s.starts[n] + 1, "1");
	assert_true(check_bytes(vstring_str(out), VSTRING_LEN(out),
				QUEUE_FILE_KIND_QUEUE, &info) != QUEUE_FILE_OK);
	vstring_free(out);
	/* A leading zero. */
	out = edited(&s, s.starts[n] + 1, s.starts[n] + 1, "0");
	assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				     QUEUE_FILE_KIND_QUEUE, &info),
			 QUEUE_FILE_ERR_RECORD);
	vstring_free(out);
    }
    out = edited(&s, s.starts[3], s.starts[3], "F12345678901 x\n");
    assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				 QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_RECORD);
    assert_string_equal(vstring_str(info.why), "bad record length at offset 111");
    assert_int_equal(s.starts[3], 111);
    vstring_free(out);
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_end - missing Z, data after Z */
static void test_end(void **state)
{
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    VSTRING *out;
    int     z;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    z = find_record(&s, 'Z', 0);
    assert_int_equal(replace_record(&s, z, "", &info), QUEUE_FILE_ERR_NO_END);
    vstring_sprintf(out = vstring_alloc(100), "missing end record at offset %zu",
		    s.starts[z]);
    assert_string_equal(vstring_str(info.why), vstring_str(out));
    vstring_free(out);

    out = edited(&s, VSTRING_LEN(s.bytes), VSTRING_LEN(s.bytes), "x");
    assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				 QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_AFTER_END);
    assert_int_equal(info.error_offset, VSTRING_LEN(s.bytes));
    vstring_free(out);
    out = edited(&s, VSTRING_LEN(s.bytes), VSTRING_LEN(s.bytes), "Z0 \n");
    assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				 QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_AFTER_END);
    vstring_free(out);
    out = edited(&s, VSTRING_LEN(s.bytes), VSTRING_LEN(s.bytes), "\n");
    assert_int_equal(check_bytes(vstring_str(out), VSTRING_LEN(out),
				 QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_AFTER_END);
    vstring_free(out);
    /* Z early, in the envelope or content. */
    assert_int_equal(replace_record(&s, find_record(&s, 'M', 0), "Z0 \n",
				    &info), QUEUE_FILE_ERR_ORDER);
    assert_int_equal(replace_record(&s, find_record(&s, 'X', 0), "Z0 \n",
				    &info), QUEUE_FILE_ERR_ORDER);
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_first - the first record */
static void test_first(void **state)
{
    SAMPLE  s;
    QUEUE_FILE_INFO info;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    assert_int_equal(replace_record(&s, 0, "Q14 postel-queue 2\n", &info),
		     QUEUE_FILE_ERR_FIRST);
    assert_int_equal(replace_record(&s, 0, "Q0 \n", &info),
		     QUEUE_FILE_ERR_FIRST);
    assert_int_equal(replace_record(&s, 0, "", &info), QUEUE_FILE_ERR_FIRST);
    assert_int_equal(replace_record(&s, 0, "T1 1\n", &info),
		     QUEUE_FILE_ERR_FIRST);
    assert_int_equal(check_text("", QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_FIRST);
    assert_string_equal(vstring_str(info.why), "not a queue file: empty file");
    /* A Postfix queue file. */
    assert_int_equal(check_text("C    250             188               1",
				QUEUE_FILE_KIND_ANY, &info),
		     QUEUE_FILE_ERR_RECORD);
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_size - bad S records */
static void test_size(void **state)
{
    static const char *bad[] = {
	"",
	"              24             293          2          0     0    0",
	"               24             293          2          0     0     3",
	"               24             293          2          0     3     0",
	"               24             293          2          0     0    -0",
	"               24             293          2          0     0  0  ",
	"               24             293          2          0     0      ",
	"24                          293          2          0     0     0",
	"               24            +293          2          0     0     0",
	"               24             293 2                    0     0     0",
	"               24             293          2          0     0     x",
	"               24              293          2          0     0    0",
	"               24             293          2          0     0     0 ",
    };
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    VSTRING *sbuf = vstring_alloc(100);
    VSTRING *data = vstring_alloc(100);
    QUEUE_FILE_SIZE size;
    size_t  n;
    int     m;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    m = find_record(&s, 'M', 0);
    for (n = 0; n < ARRAY_LEN(bad); n++) {
	vstring_sprintf(sbuf, "S%zu %s\n", strlen(bad[n]), bad[n]);
	if (replace_record(&s, 1, vstring_str(sbuf), &info)
	    != QUEUE_FILE_ERR_SIZE)
	    fail_msg("accepted: %s", vstring_str(sbuf));
    }
    /* Wrong content offset or size. */
    vstring_sprintf(sbuf, "S65 %s\n", size_text(data, 24, s.starts[m] + 1, 2));
    assert_int_equal(replace_record(&s, 1, vstring_str(sbuf), &info),
		     QUEUE_FILE_ERR_SIZE);
    vstring_sprintf(sbuf, "S65 %s\n", size_text(data, 25, s.starts[m], 2));
    assert_int_equal(replace_record(&s, 1, vstring_str(sbuf), &info),
		     QUEUE_FILE_ERR_SIZE);
    assert_string_equal(vstring_str(info.why),
		 "size record content size 25, content has 24 bytes");
    /* S missing or elsewhere. */
    assert_int_equal(replace_record(&s, 1, "", &info), QUEUE_FILE_ERR_SIZE);
    assert_int_equal(replace_record(&s, 1, "T1 1\n", &info),
		     QUEUE_FILE_ERR_SIZE);
    /* Format and parse agree; the widths are 15 15 10 10 5 5. */
    memset(&size, 0, sizeof(size));
    size.content_size = 123456789012345LL;
    size.content_offset = 7;
    size.rcpt_count = 1234567890;
    size.qflags = 1;
    size.body_type = 2;
    size.smtputf8 = 1;
    queue_file_size_format(sbuf, &size);
    assert_int_equal(VSTRING_LEN(sbuf), QUEUE_FILE_SIZE_LEN);
    assert_string_equal(vstring_str(sbuf), "123456789012345               7"
			" 1234567890          1     2     1");
    memset(&size, 0, sizeof(size));
    assert_true(queue_file_size_parse(vstring_str(sbuf), VSTRING_LEN(sbuf),
				      &size));
    assert_int_equal(size.content_size, 123456789012345LL);
    assert_int_equal(size.rcpt_count, 1234567890);
    assert_int_equal(size.body_type, 2);
    assert_int_equal(size.smtputf8, 1);
    /* SMTPUTF8 is a mask of three bits (requested, header, sender). */
    size.smtputf8 = QUEUE_FILE_UTF8_REQUESTED | QUEUE_FILE_UTF8_HEADER
	| QUEUE_FILE_UTF8_SENDER;
    queue_file_size_format(sbuf, &size);
    assert_true(queue_file_size_parse(vstring_str(sbuf), VSTRING_LEN(sbuf),
				      &size));
    assert_int_equal(size.smtputf8, 7);
    vstring_str(sbuf)[QUEUE_FILE_SIZE_LEN - 1] = '8';
    assert_false(queue_file_size_parse(vstring_str(sbuf), VSTRING_LEN(sbuf),
				       &size));
    queue_file_info_free(&info);
    vstring_free(sbuf);
    vstring_free(data);
    vstring_free(s.bytes);
}

/* test_order - records out of place */
static void test_order(void **state)
{
    static const struct {
	int     type;			/* replace this record... */
	int     which;			/* ...the which-th of its type */
	const char *text;		/* by this */
    } cases[] = {
	{'T', 0, "F1 a\n"},		/* T missing */
	{'F', 0, "A3 a=b\n"},		/* F missing */
	{'T', 0, "T3 1.x\n"},		/* bad time */
	{'T', 0, "T2 1.\n"},
	{'T', 0, "T9 1.1234567\n"},
	{'A', 0, "T3 1.1\n"},		/* T twice */
	{'A', 0, "F1 a\n"},		/* F twice */
	{'A', 0, "L1 a\n"},		/* content in the envelope */
	{'A', 0, "X0 \n"},
	{'A', 0, "Q14 postel-queue 1\n"},
	{'A', 0, "S1 x\n"},
	{'R', 0, "n1 1\n"},		/* group without recipient */
	{'L', 0, "R1 a\n"},		/* envelope records in the content */
	{'L', 0, "M0 \n"},
	{'L', 1, "A3 a=b\n"},
	{'X', 0, "P1 a\n"},		/* partial line at the end */
	{'R', 1, "E1 a\n"},		/* envelope-only in extracted */
	{'R', 1, "Y1 1\n"},
	{'R', 1, "W1 0\n"},
	{'R', 1, "T3 1.1\n"},
	{'R', 1, "M0 \n"},
	{'R', 1, "L1 a\n"},
	{'R', 1, "X0 \n"},
	{'R', 1, "S1 x\n"},
    };
    SAMPLE  s;
    QUEUE_FILE_INFO info;
    size_t  n;
    int     got;

    (void) state;
    make_sample(&s);
    queue_file_info_init(&info);
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	got = replace_record(&s, find_record(&s, cases[n].type, cases[n].which),
			     cases[n].text, &info);
	if (got == QUEUE_FILE_OK || got == QUEUE_FILE_ERR_READ)
	    fail_msg("case %zu (%c -> %s): error %d", n, cases[n].type,
		     cases[n].text, got);
    }
    /* V: once, two bytes, envelope only. */
    got = replace_record(&s, find_record(&s, 'W', 0), "V2 -=\n", &info);
    assert_int_equal(got, QUEUE_FILE_ERR_ORDER);
    got = replace_record(&s, find_record(&s, 'V', 0), "V3 +=+\n", &info);
    assert_int_equal(got, QUEUE_FILE_ERR_RECORD);
    assert_non_null(strstr(vstring_str(info.why), "bad VERP record"));
    got = replace_record(&s, find_record(&s, 'R', 1), "V2 +=\n", &info);
    assert_int_equal(got, QUEUE_FILE_ERR_ORDER);
    /* The group before R: O o n without R, before M. */
    got = replace_record(&s, find_record(&s, 'R', 0), "A3 a=b\n", &info);
    assert_int_equal(got, QUEUE_FILE_ERR_ORDER);
    assert_non_null(strstr(vstring_str(info.why),
			   "recipient group without recipient"));
    queue_file_info_free(&info);
    vstring_free(s.bytes);
}

/* test_maildrop - the maildrop layout */
static void test_maildrop(void **state)
{
    static const char good[] =
	"Q14 postel-queue 1\nT8 1.000001\nF3 a@b\nA21 rewrite_context=local\n"
	"V2 +=\nR3 c@d\nR3 e@f\nM0 \nL4 Subj\nP2 ab\nL0 \nX0 \nR3 g@h\nZ0 \n";
    /* A maildrop V of any length goes on to cleanup, which decides. */
    static const char odd_verp[] =
	"Q14 postel-queue 1\nT3 1.1\nF3 a@b\nV3 abc\nR1 a\nM0 \nX0 \nZ0 \n";
    static const char *bad[] = {
	/* S record */
	"Q14 postel-queue 1\nS1 x\nT3 1.1\nF0 \nM0 \nX0 \nZ0 \n",
	/* A after R */
	"Q14 postel-queue 1\nT3 1.1\nF0 \nR1 a\nA3 a=b\nM0 \nX0 \nZ0 \n",
	/* O, D, E, I in a maildrop file */
	"Q14 postel-queue 1\nT3 1.1\nF0 \nO1 a\nR1 a\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nD1 a\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nE1 a\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nI1 a\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nM0 \nX0 \nA3 a=b\nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nM0 \nX0 \nJ1 a\nZ0 \n",
	/* V after R, V twice, V after X */
	"Q14 postel-queue 1\nT3 1.1\nF0 \nR1 a\nV2 +=\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nV2 +=\nV2 +=\nR1 a\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nR1 a\nM0 \nX0 \nV2 +=\nZ0 \n",
	/* F before T, no F */
	"Q14 postel-queue 1\nF0 \nT3 1.1\nM0 \nX0 \nZ0 \n",
	"Q14 postel-queue 1\nT3 1.1\nM0 \nX0 \nZ0 \n",
	/* no Z, data after Z */
	"Q14 postel-queue 1\nT3 1.1\nF0 \nM0 \nX0 \n",
	"Q14 postel-queue 1\nT3 1.1\nF0 \nM0 \nX0 \nZ0 \nR1 a\n",
    };
    QUEUE_FILE_INFO info;
    size_t  n;

    (void) state;
    queue_file_info_init(&info);
    assert_int_equal(check_text(good, QUEUE_FILE_KIND_MAILDROP, &info),
		     QUEUE_FILE_OK);
    assert_int_equal(info.rcpt_todo, 3);
    assert_false(info.have_size);
    assert_int_equal(check_text(good, QUEUE_FILE_KIND_ANY, &info),
		     QUEUE_FILE_OK);
    assert_int_equal(info.kind, QUEUE_FILE_KIND_MAILDROP);
    assert_int_equal(check_text(good, QUEUE_FILE_KIND_QUEUE, &info),
		     QUEUE_FILE_ERR_SIZE);
    assert_int_equal(check_text(odd_verp, QUEUE_FILE_KIND_MAILDROP, &info),
		     QUEUE_FILE_OK);
    for (n = 0; n < ARRAY_LEN(bad); n++)
	if (check_text(bad[n], QUEUE_FILE_KIND_MAILDROP, &info) == QUEUE_FILE_OK)
	    fail_msg("accepted: %s", bad[n]);
    queue_file_info_free(&info);
}

/* test_corrupt - the move to the corrupt queue */
static void test_corrupt(void **state)
{
    char   *dir = test_tempdir();
    char    cwd[4096];
    const char *id = "4jh8KB5VJ9z1bZr6";

    (void) state;
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    assert_int_equal(chdir(dir), 0);
    test_set_param("hash_queue_names", "deferred");
    test_set_param("hash_queue_depth", "2");
    assert_int_equal(mkdir("deferred", 0700), 0);
    assert_int_equal(mkdir("corrupt", 0700), 0);
    assert_int_equal(mkdir("deferred/B", 0700), 0);
    assert_int_equal(mkdir("deferred/B/D", 0700), 0);
    test_write_file("deferred/B/D/4jh8KB5VJ9z1bZr6", "junk");
    test_capture_start();
    assert_true(queue_file_corrupt("deferred", id, "missing end record"));
    assert_string_equal(test_capture_text(), "warning: 4jh8KB5VJ9z1bZr6: "
			"missing end record: move to the corrupt queue\n");
    test_capture_stop();
    assert_true(test_file_exists("corrupt/4jh8KB5VJ9z1bZr6"));
    assert_false(test_file_exists("deferred/B/D/4jh8KB5VJ9z1bZr6"));
    /* Gone already: a second warning says why. */
    test_capture_start();
    assert_false(queue_file_corrupt("deferred", id, "bad"));
    assert_non_null(strstr(test_capture_text(), "No such file or directory"));
    test_capture_stop();
    assert_int_equal(chdir(cwd), 0);
    test_remove_tree(dir);
    myfree(dir);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_sample),
	cmocka_unit_test(test_truncation),
	cmocka_unit_test(test_bad_records),
	cmocka_unit_test(test_end),
	cmocka_unit_test(test_first),
	cmocka_unit_test(test_size),
	cmocka_unit_test(test_order),
	cmocka_unit_test(test_maildrop),
	cmocka_unit_test(test_corrupt),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
