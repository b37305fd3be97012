/*
 * queue_file_read - read and check a whole queue file or maildrop file
 *
 * DESCRIPTION
 *	See queue_file_read.h and docs/internals/queue-file.md sections 2-6
 *	and 9. The checks are a small state machine over the segments; each
 *	record is checked before the caller sees it.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "mail_queue.h"
#include "queue_file_read.h"

/* Where the reader is. */
typedef enum QF_STATE {
    QF_FIRST,				/* expect Q */
    QF_SIZE,				/* expect S (queue files) */
    QF_TIME,				/* expect T */
    QF_FROM,				/* expect F */
    QF_ENVELOPE,			/* envelope records, up to M */
    QF_CONTENT,				/* L and P, up to X */
    QF_EXTRACTED,			/* extracted records, up to Z */
    QF_DONE,				/* Z seen */
} QF_STATE;

/* One reader's state. */
typedef struct QF_READ {
    int     kind;			/* QUEUE_FILE_KIND_* */
    QF_STATE state;
    bool    group_open;			/* O, o or n waiting for R or D */
    bool    partial;			/* P waiting for L */
    bool    maildrop_rcpt;		/* maildrop: R seen, no more A */
    bool    verp_seen;			/* V seen: no second one */
    long long content;			/* content bytes so far */
    QUEUE_FILE_INFO *info;
} QF_READ;

/* S record field widths; separators are single spaces. */
static const int qf_size_width[] = {15, 15, 10, 10, 5, 5};

/* queue_file_info_init - prepare a result */
void    queue_file_info_init(QUEUE_FILE_INFO *info)
{
    memset(info, 0, sizeof(*info));
    info->why = vstring_alloc(100);
    info->error_offset = -1;
    info->end_offset = -1;
}

/* queue_file_info_free - release a result */
void    queue_file_info_free(QUEUE_FILE_INFO *info)
{
    if (info->why)
	vstring_free(info->why);
    info->why = 0;
}

/* qf_fail - record an error and its offset */
static bool PRINTFLIKE(4, 5) qf_fail(QF_READ *qr, int error, off_t offset,
				             const char *fmt,...)
{
    va_list ap;

    qr->info->error = error;
    qr->info->error_offset = offset;
    va_start(ap, fmt);
    vstring_vsprintf(qr->info->why, fmt, ap);
    va_end(ap);
    return false;
}

/* queue_file_size_parse - parse S data */
bool    queue_file_size_parse(const char *data, size_t len,
			              QUEUE_FILE_SIZE *size)
{
    long long value[ARRAY_LEN(qf_size_width)];
    const char *cp = data;
    size_t  field;
    int     n;

    if (len != QUEUE_FILE_SIZE_LEN)
	return false;
    for (field = 0; field < ARRAY_LEN(qf_size_width); field++) {
	if (field > 0 && *cp++ != ' ')
	    return false;
	/* Spaces, then at least one digit, digits to the end. */
	for (n = 0; n < qf_size_width[field] && cp[n] == ' '; n++)
	     /* void */ ;
	if (n == qf_size_width[field])
	    return false;
	value[field] = 0;
	for (; n < qf_size_width[field]; n++) {
	    if (cp[n] < '0' || cp[n] > '9')
		return false;
	    value[field] = value[field] * 10 + (cp[n] - '0');
	}
	cp += qf_size_width[field];
    }
    if (value[4] > QUEUE_FILE_BODY_BINARYMIME || value[5] > 7)
	return false;
    size->content_size = value[0];
    size->content_offset = value[1];
    size->rcpt_count = (long) value[2];
    size->qflags = (long) value[3];
    size->body_type = (int) value[4];
    size->smtputf8 = (int) value[5];
    return true;
}

/* queue_file_size_format - the S data of size */
const char *queue_file_size_format(VSTRING *buf, const QUEUE_FILE_SIZE *size)
{
    vstring_sprintf(buf, "%*lld %*lld %*ld %*ld %*d %*d",
		    qf_size_width[0], size->content_size,
		    qf_size_width[1], size->content_offset,
		    qf_size_width[2], size->rcpt_count,
		    qf_size_width[3], size->qflags,
		    qf_size_width[4], size->body_type,
		    qf_size_width[5], size->smtputf8);
    return vstring_str(buf);
}

/* qf_time_ok - T data: seconds.microseconds */
static bool qf_time_ok(const char *data, size_t len)
{
    size_t  n = 0;
    size_t  frac;

    while (n < len && n < 20 && data[n] >= '0' && data[n] <= '9')
	n++;
    if (n == 0 || n >= len || data[n] != '.')
	return false;
    for (frac = ++n; n < len; n++)
	if (data[n] < '0' || data[n] > '9')
	    return false;
    return len - frac >= 1 && len - frac <= 6;
}

/* qf_order - a record out of place */
static bool qf_order(QF_READ *qr, int type, off_t offset)
{
    if (type >= 0x21 && type <= 0x7e)
	return qf_fail(qr, QUEUE_FILE_ERR_ORDER, offset,
		       "record %c out of order at offset %lld",
		       type, (long long) offset);
    return qf_fail(qr, QUEUE_FILE_ERR_ORDER, offset,
		   "record 0x%02x out of order at offset %lld",
		   type, (long long) offset);
}

/* qf_recipient - recipient group records, in envelope or extracted */
static bool qf_recipient(QF_READ *qr, int type, off_t offset)
{
    switch (type) {
    case REC_TYPE_ORCP:
    case REC_TYPE_DSN_ORCPT:
    case REC_TYPE_DSN_NOTIFY:
	if (qr->kind == QUEUE_FILE_KIND_MAILDROP)
	    return qf_order(qr, type, offset);
	qr->group_open = true;
	return true;
    case REC_TYPE_RCPT:
	qr->info->rcpt_todo++;
	qr->group_open = false;
	return true;
    case REC_TYPE_DONE:
	if (qr->kind == QUEUE_FILE_KIND_MAILDROP)
	    return qf_order(qr, type, offset);
	qr->info->rcpt_done++;
	qr->group_open = false;
	return true;
    default:
	return qf_order(qr, type, offset);
    }
}

/* qf_group_closed - no recipient group may be left open here */
static bool qf_group_closed(QF_READ *qr, int type, off_t offset)
{
    if (qr->group_open)
	return qf_fail(qr, QUEUE_FILE_ERR_ORDER, offset,
		       "recipient group without recipient before record %c"
		       " at offset %lld", type, (long long) offset);
    return true;
}

/* qf_verp - the V record: once; two bytes in a queue file */
static bool qf_verp(QF_READ *qr, size_t len, off_t offset)
{
    if (qr->verp_seen
	|| (qr->kind == QUEUE_FILE_KIND_MAILDROP && qr->maildrop_rcpt))
	return qf_order(qr, REC_TYPE_VERP, offset);
    qr->verp_seen = true;
    if (qr->kind == QUEUE_FILE_KIND_QUEUE && len != 2)
	return qf_fail(qr, QUEUE_FILE_ERR_RECORD, offset,
		       "bad VERP record at offset %lld", (long long) offset);
    return qf_group_closed(qr, REC_TYPE_VERP, offset);
}

/* qf_envelope - one record of the envelope after Q S T A* F */
static bool qf_envelope(QF_READ *qr, int type, off_t offset, size_t len)
{
    QUEUE_FILE_INFO *info = qr->info;

    switch (type) {
    case REC_TYPE_MESSAGE:
	if (!qf_group_closed(qr, type, offset))
	    return false;
	if (qr->kind == QUEUE_FILE_KIND_QUEUE
	    && info->size.content_offset != (long long) offset)
	    return qf_fail(qr, QUEUE_FILE_ERR_SIZE, offset,
			   "size record content offset %lld,"
			   " content starts at offset %lld",
			   info->size.content_offset, (long long) offset);
	qr->state = QF_CONTENT;
	return true;
    case REC_TYPE_ATTR:
	if (qr->kind == QUEUE_FILE_KIND_MAILDROP && qr->maildrop_rcpt)
	    return qf_order(qr, type, offset);
	return qf_group_closed(qr, type, offset);
    case REC_TYPE_VERP:
	return qf_verp(qr, len, offset);
    case REC_TYPE_DSN_ENVID:
    case REC_TYPE_DSN_RET:
    case REC_TYPE_WARN:
    case REC_TYPE_FILTER:
    case REC_TYPE_REDIRECT:
	if (qr->kind == QUEUE_FILE_KIND_MAILDROP)
	    return qf_order(qr, type, offset);
	return qf_group_closed(qr, type, offset);
    default:
	if (type == REC_TYPE_RCPT)
	    qr->maildrop_rcpt = true;
	return qf_recipient(qr, type, offset);
    }
}

/* qf_extracted - one record after X */
static bool qf_extracted(QF_READ *qr, int type, off_t offset)
{
    switch (type) {
    case REC_TYPE_END:
	if (!qf_group_closed(qr, type, offset))
	    return false;
	qr->state = QF_DONE;
	return true;
    case REC_TYPE_ATTR:
    case REC_TYPE_FILTER:
    case REC_TYPE_REDIRECT:
	if (qr->kind == QUEUE_FILE_KIND_MAILDROP)
	    return qf_order(qr, type, offset);
	return qf_group_closed(qr, type, offset);
    default:
	return qf_recipient(qr, type, offset);
    }
}

/* qf_check - check one record against the state */
static bool qf_check(QF_READ *qr, int type, const char *data, size_t len,
		             off_t offset)
{
    QUEUE_FILE_INFO *info = qr->info;

    switch (qr->state) {
    case QF_FIRST:
	if (type != REC_TYPE_FORMAT || len != strlen(REC_FORMAT_TEXT)
	    || memcmp(data, REC_FORMAT_TEXT, len) != 0)
	    return qf_fail(qr, QUEUE_FILE_ERR_FIRST, offset,
			   "not a queue file: first record is not \"%c %s\"",
			   REC_TYPE_FORMAT, REC_FORMAT_TEXT);
	qr->state = qr->kind == QUEUE_FILE_KIND_MAILDROP ? QF_TIME : QF_SIZE;
	return true;
    case QF_SIZE:
	if (qr->kind == QUEUE_FILE_KIND_ANY) {
	    /* The second record tells a maildrop file from a queue file. */
	    qr->kind = (type == REC_TYPE_SIZE ?
			QUEUE_FILE_KIND_QUEUE : QUEUE_FILE_KIND_MAILDROP);
	    info->kind = qr->kind;
	    if (qr->kind == QUEUE_FILE_KIND_MAILDROP) {
		qr->state = QF_TIME;
		return qf_check(qr, type, data, len, offset);
	    }
	}
	if (type != REC_TYPE_SIZE)
	    return qf_fail(qr, QUEUE_FILE_ERR_SIZE, offset,
			   "missing size record at offset %lld",
			   (long long) offset);
	if (!queue_file_size_parse(data, len, &info->size))
	    return qf_fail(qr, QUEUE_FILE_ERR_SIZE, offset,
			   "bad size record at offset %lld",
			   (long long) offset);
	info->have_size = true;
	qr->state = QF_TIME;
	return true;
    case QF_TIME:
	if (type != REC_TYPE_TIME)
	    return qf_order(qr, type, offset);
	if (!qf_time_ok(data, len))
	    return qf_fail(qr, QUEUE_FILE_ERR_RECORD, offset,
			   "bad time record at offset %lld",
			   (long long) offset);
	qr->state = QF_FROM;
	return true;
    case QF_FROM:
	/* A queue file may carry attributes before F (create_time...). */
	if (type == REC_TYPE_ATTR && qr->kind == QUEUE_FILE_KIND_QUEUE)
	    return true;
	if (type != REC_TYPE_FROM)
	    return qf_order(qr, type, offset);
	qr->state = QF_ENVELOPE;
	return true;
    case QF_ENVELOPE:
	return qf_envelope(qr, type, offset, len);
    case QF_CONTENT:
	if (type == REC_TYPE_LINE || type == REC_TYPE_PART) {
	    qr->partial = (type == REC_TYPE_PART);
	    qr->content += (long long) len + (type == REC_TYPE_LINE);
	    return true;
	}
	if (type != REC_TYPE_EXTRACT)
	    return qf_order(qr, type, offset);
	if (qr->partial)
	    return qf_fail(qr, QUEUE_FILE_ERR_ORDER, offset,
			   "partial line at end of content at offset %lld",
			   (long long) offset);
	if (qr->kind == QUEUE_FILE_KIND_QUEUE
	    && qr->content != info->size.content_size)
	    return qf_fail(qr, QUEUE_FILE_ERR_SIZE, offset,
			   "size record content size %lld,"
			   " content has %lld bytes",
			   info->size.content_size, qr->content);
	qr->state = QF_EXTRACTED;
	return true;
    case QF_EXTRACTED:
	return qf_extracted(qr, type, offset);
    case QF_DONE:
    default:
	return qf_fail(qr, QUEUE_FILE_ERR_AFTER_END, offset,
		       "data after end record at offset %lld",
		       (long long) offset);
    }
}

/* qf_record_error - a malformed record, or the end of the file */
static bool qf_record_error(QF_READ *qr, int status, off_t offset)
{
    if (status == RECORD_ERR_READ)
	return qf_fail(qr, QUEUE_FILE_ERR_READ, offset,
		       "read error at offset %lld: %m", (long long) offset);
    if (status == RECORD_EOF) {
	if (qr->state == QF_FIRST)
	    return qf_fail(qr, QUEUE_FILE_ERR_FIRST, offset,
			   "not a queue file: empty file");
	return qf_fail(qr, QUEUE_FILE_ERR_NO_END, offset,
		       "missing end record at offset %lld",
		       (long long) offset);
    }
    return qf_fail(qr, QUEUE_FILE_ERR_RECORD, offset, "%s at offset %lld",
		   record_error(status), (long long) offset);
}

/* qf_record_size - bytes of a record with len bytes of data */
static off_t qf_record_size(size_t len)
{
    off_t   size = 3 + (off_t) len;	/* type, space, newline */

    do {
	size++;
    } while ((len /= 10) > 0);
    return size;
}

/* queue_file_read - read and check a whole file */
bool    queue_file_read(VSTREAM *fp, int kind, size_t limit,
			        QUEUE_FILE_RECORD_FN fn, void *context,
			        QUEUE_FILE_INFO *info)
{
    VSTRING *buf = vstring_alloc(1024);
    QF_READ qr;
    off_t   offset;
    int     type;
    bool    ok = false;

    if (kind != QUEUE_FILE_KIND_QUEUE && kind != QUEUE_FILE_KIND_MAILDROP
	&& kind != QUEUE_FILE_KIND_ANY)
	msg_panic("queue_file_read: bad kind %d", kind);
    memset(&qr, 0, sizeof(qr));
    qr.kind = kind;
    qr.state = QF_FIRST;
    qr.info = info;
    info->kind = kind;
    info->error = QUEUE_FILE_OK;
    info->error_offset = -1;
    info->end_offset = -1;
    info->have_size = false;
    info->rcpt_todo = info->rcpt_done = 0;
    VSTRING_RESET(info->why);
    if (limit == 0)
	limit = QUEUE_FILE_LIMIT;

    /* Count offsets ourselves: standard input may be a pipe. */
    if ((offset = vstream_ftell(fp)) < 0)
	offset = 0;
    for (;; offset += qf_record_size(VSTRING_LEN(buf))) {
	if (qr.state == QF_DONE) {
	    /* Nothing may follow Z. */
	    info->end_offset = offset;
	    if (VSTREAM_GETC(fp) != VSTREAM_EOF)
		qf_fail(&qr, QUEUE_FILE_ERR_AFTER_END, offset,
			"data after end record at offset %lld",
			(long long) offset);
	    else if (vstream_ferror(fp))
		qf_record_error(&qr, RECORD_ERR_READ, offset);
	    else
		ok = true;
	    break;
	}
	if ((type = record_get(fp, buf, limit)) < 0) {
	    qf_record_error(&qr, type, offset);
	    break;
	}
	if (!qf_check(&qr, type, vstring_str(buf), VSTRING_LEN(buf), offset))
	    break;
	if (fn != 0 && !fn(type, vstring_str(buf), VSTRING_LEN(buf), offset,
			   context)) {
	    info->error = QUEUE_FILE_ERR_CALLER;
	    info->error_offset = offset;
	    if (VSTRING_LEN(info->why) == 0)
		vstring_strcpy(info->why, "stopped by the caller");
	    break;
	}
    }
    vstring_free(buf);
    return ok;
}

/* queue_file_corrupt - move a damaged file to the corrupt queue */
bool    queue_file_corrupt(const char *queue, const char *id, const char *what)
{
    VSTRING *why = vstring_alloc(100);
    bool    ok;

    msg_warn("%s: %s: move to the corrupt queue", id, what);
    if (!(ok = mail_queue_rename(id, queue, MAIL_QUEUE_CORRUPT, why)))
	msg_warn("%s: %s", id, vstring_str(why));
    vstring_free(why);
    return ok;
}
