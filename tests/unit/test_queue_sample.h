/*
 * test_queue_sample - write a small, valid queue file for a unit test
 *
 * SYNOPSIS
 *	#include "test_queue_sample.h"
 *
 *	typedef struct TEST_QUEUE_SAMPLE {
 *	    long    rcpt_offset[TEST_QUEUE_SAMPLE_MAX];
 *	    int     rcpt_count;
 *	    long    data_offset;	offset of M
 *	    long    data_size;		content size
 *	} TEST_QUEUE_SAMPLE;
 *
 *	void	test_queue_sample(const char *path, const char *sender,
 *				const char *const *rcpts, const char *content,
 *				TEST_QUEUE_SAMPLE *info);
 *
 * DESCRIPTION
 *	test_queue_sample() writes path (mode 0600) as cleanup would
 *	(docs/internals/queue-file.md): Q, S (with the final sizes), T, F
 *	sender, for each recipient of the NULL-terminated rcpts an O
 *	record when the entry is "orig|address", then R, then M, the
 *	content lines (L records; a line with a "\001" byte is split
 *	there into a P and an L record), X and Z. info receives the R
 *	record offsets, the M offset and the content size.
 *
 *	Static functions in a header, for tests that link the mail
 *	library. Setup errors fail the test.
 */
#ifndef TEST_QUEUE_SAMPLE_H
#define TEST_QUEUE_SAMPLE_H

#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>

#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "test_support.h"

#define TEST_QUEUE_SAMPLE_MAX	16

typedef struct TEST_QUEUE_SAMPLE {
    long    rcpt_offset[TEST_QUEUE_SAMPLE_MAX];
    int     rcpt_count;
    long    data_offset;
    long    data_size;
} TEST_QUEUE_SAMPLE;

/* test_queue_sample_size - write the S record at the current position */
static UNUSED void test_queue_sample_size(VSTREAM *fp, long long size,
					          long long offset, long count)
{
    VSTRING *buf = vstring_alloc(100);
    QUEUE_FILE_SIZE qs;

    memset(&qs, 0, sizeof(qs));
    qs.content_size = size;
    qs.content_offset = offset;
    qs.rcpt_count = count;
    assert_int_equal(record_puts(fp, REC_TYPE_SIZE,
				 queue_file_size_format(buf, &qs)),
		     REC_TYPE_SIZE);
    vstring_free(buf);
}

/* test_queue_sample - write a queue file, report its offsets */
static UNUSED void test_queue_sample(const char *path, const char *sender,
				             const char *const *rcpts,
				             const char *content,
				             TEST_QUEUE_SAMPLE *info)
{
    VSTREAM *fp = vstream_fopen(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    const char *line;
    const char *end;
    const char *bar;
    const char *split;
    long    size_offset;

    assert_non_null(fp);
    memset(info, 0, sizeof(*info));
    record_puts(fp, REC_TYPE_FORMAT, REC_FORMAT_TEXT);
    size_offset = (long) vstream_ftell(fp);
    test_queue_sample_size(fp, 0, 0, 0);
    record_puts(fp, REC_TYPE_TIME, "1796430334.774185");
    record_puts(fp, REC_TYPE_FROM, sender);
    for (; *rcpts != NULL; rcpts++) {
	assert_true(info->rcpt_count < TEST_QUEUE_SAMPLE_MAX);
	if ((bar = strchr(*rcpts, '|')) != NULL)
	    record_put(fp, REC_TYPE_ORCP, *rcpts, (size_t) (bar - *rcpts));
	info->rcpt_offset[info->rcpt_count++] = (long) vstream_ftell(fp);
	record_puts(fp, REC_TYPE_RCPT, bar ? bar + 1 : *rcpts);
    }
    info->data_offset = (long) vstream_ftell(fp);
    record_puts(fp, REC_TYPE_MESSAGE, "");
    for (line = content; *line; line = *end ? end + 1 : end) {
	if ((end = strchr(line, '\n')) == NULL)
	    end = line + strlen(line);
	split = memchr(line, '\001', (size_t) (end - line));
	if (split != NULL) {
	    record_put(fp, REC_TYPE_PART, line, (size_t) (split - line));
	    info->data_size += split - line;
	    line = split + 1;
	}
	record_put(fp, REC_TYPE_LINE, line, (size_t) (end - line));
	info->data_size += end - line + 1;
    }
    record_puts(fp, REC_TYPE_EXTRACT, "");
    record_puts(fp, REC_TYPE_END, "");
    assert_int_equal(vstream_fseek(fp, size_offset, SEEK_SET), size_offset);
    test_queue_sample_size(fp, info->data_size, info->data_offset,
			   info->rcpt_count);
    assert_int_equal(vstream_fclose(fp), 0);
}

#endif
