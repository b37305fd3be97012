/*
 * mail_copy - copy a queued message to a mailbox, file or pipe
 *
 * SYNOPSIS
 *	See mail_copy.h.
 *
 * DESCRIPTION
 *	What mail_copy() writes, as Debian's Postfix 3.7 local(8) writes a
 *	mailbox (observed):
 *
 *	From sender@example.org  Sat Dec  5 07:45:19 2026
 *	Return-Path: <sender@example.org>
 *	X-Original-To: NoBody@localhost
 *	Delivered-To: NoBody@localhost
 *	(the message, ">From " for lines that start "From ")
 *	(an empty line)
 *
 *	The From_ line has the sender as quote_822_local() writes it
 *	("odd user"@example.org), or MAILER-DAEMON for the null sender,
 *	two spaces, and the current local time in the form of asctime(3)
 *	(English names whatever the locale). The addresses of the headers
 *	are written as given, in external form, without case folding
 *	(Postfix keeps "NoBody@localhost" as the client sent it).
 *	X-Original-To is left out when orig_to is NULL or empty,
 *	Delivered-To when delivered_to is.
 *
 *	The content is read from req->data_offset each time (an agent may
 *	copy one message to several destinations): the M record, then L
 *	and P records (a P continues its line in the next record) up to
 *	X, with record_get() and QUEUE_FILE_LIMIT. ">From " and dot
 *	quoting look at the start of each whole line only.
 *
 *	Errors (why is a DSN_BUF): a damaged file or read error gives
 *	"4.3.0", "error reading message: <what>"; a write error "5.2.2"
 *	when the file or quota is full (EFBIG, EDQUOT), else "4.3.0",
 *	"error writing message: <error>". The agent puts its own context
 *	in front ("cannot update mailbox ... for user ....").
 *
 *	What it does not do: lock or truncate the destination (mbox_lock(3)
 *	and the agent do), or check for mail loops (the agent checks
 *	Delivered-To).
 *
 * DIAGNOSTICS
 *	Nothing is logged; see why.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "quote_822_local.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "mail_copy.h"

 /*
  * Write state: the first write error's errno, and whether the next
  * content byte starts a line.
  */
typedef struct MAIL_COPY_OUT {
    VSTREAM *dst;
    int     error;			/* errno of the first failure, or 0 */
    const char *eol;
} MAIL_COPY_OUT;

/* mail_copy_write - write bytes; remember the first error */
static void mail_copy_write(MAIL_COPY_OUT *out, const char *data, size_t len)
{
    if (out->error != 0 || len == 0)
	return;
    errno = 0;
    if (vstream_fwrite(out->dst, data, len) != len
	|| vstream_ferror(out->dst))
	out->error = errno ? errno : EIO;
}

/* mail_copy_line - write a text and the line ending */
static void mail_copy_line(MAIL_COPY_OUT *out, const char *text)
{
    mail_copy_write(out, text, strlen(text));
    mail_copy_write(out, out->eol, strlen(out->eol));
}

/* mail_copy_date - asctime() form of the local time, no newline */
static void mail_copy_date(VSTRING *buf, time_t when)
{
    static const char days[7][4] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
    };
    static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };
    struct tm tm;

    if (localtime_r(&when, &tm) == NULL)
	memset(&tm, 0, sizeof(tm));
    vstring_sprintf(buf, "%s %s %2d %02d:%02d:%02d %d",
		    days[tm.tm_wday % 7], months[tm.tm_mon % 12], tm.tm_mday,
		    tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900);
}

/* mail_copy_envelope - From_, Return-Path, X-Original-To, Delivered-To */
static void mail_copy_envelope(MAIL_COPY_OUT *out, DELIVER_REQUEST *req,
			               const char *delivered_to,
			               const char *orig_to, int flags)
{
    const char *sender = req->sender ? req->sender : "";
    VSTRING *addr = vstring_alloc(100);
    VSTRING *line = vstring_alloc(100);
    VSTRING *date = vstring_alloc(30);

    quote_822_local(addr, sender);
    if (flags & MAIL_COPY_FROM) {
	mail_copy_date(date, time((time_t *) 0));
	vstring_sprintf(line, "From %s  %s", *sender ?
			vstring_str(addr) : "MAILER-DAEMON",
			vstring_str(date));
	mail_copy_line(out, vstring_str(line));
    }
    if (flags & MAIL_COPY_RETURN_PATH) {
	vstring_sprintf(line, "Return-Path: <%s>", vstring_str(addr));
	mail_copy_line(out, vstring_str(line));
    }
    if ((flags & MAIL_COPY_ORIG_RCPT) && orig_to != NULL && *orig_to) {
	quote_822_local(addr, orig_to);
	vstring_sprintf(line, "X-Original-To: %s", vstring_str(addr));
	mail_copy_line(out, vstring_str(line));
    }
    if ((flags & MAIL_COPY_DELIVERED) && delivered_to != NULL
	&& *delivered_to) {
	quote_822_local(addr, delivered_to);
	vstring_sprintf(line, "Delivered-To: %s", vstring_str(addr));
	mail_copy_line(out, vstring_str(line));
    }
    vstring_free(addr);
    vstring_free(line);
    vstring_free(date);
}

/* mail_copy_content - the M..X records to out; false: read problem */
static bool mail_copy_content(MAIL_COPY_OUT *out, DELIVER_REQUEST *req,
			              int flags, VSTRING *problem)
{
    VSTRING *data = vstring_alloc(1000);
    bool    line_start = true;
    bool    ok = false;
    int     type;

    if (vstream_fseek(req->fp, (off_t) req->data_offset, SEEK_SET) < 0) {
	vstring_sprintf(problem, "seek to offset %ld: %m", req->data_offset);
	vstring_free(data);
	return false;
    }
    type = record_get(req->fp, data, QUEUE_FILE_LIMIT);
    if (type != REC_TYPE_MESSAGE) {
	vstring_sprintf(problem, "no message content at offset %ld: %s",
			req->data_offset, type < 0 ? record_error(type) :
			"unexpected record type");
	vstring_free(data);
	return false;
    }
    while (out->error == 0) {
	type = record_get(req->fp, data, QUEUE_FILE_LIMIT);
	if (type == REC_TYPE_EXTRACT) {
	    ok = true;
	    break;
	}
	if (type != REC_TYPE_LINE && type != REC_TYPE_PART) {
	    vstring_sprintf(problem, "%s in message content",
			    type == RECORD_EOF ? "premature end of file" :
			    type < 0 ? record_error(type) :
			    "unexpected record type");
	    break;
	}
	if (line_start) {
	    if ((flags & MAIL_COPY_QUOTE)
		&& strncmp(vstring_str(data), "From ", 5) == 0)
		mail_copy_write(out, ">", 1);
	    else if ((flags & MAIL_COPY_DOT) && vstring_str(data)[0] == '.')
		mail_copy_write(out, ".", 1);
	}
	/* Writers put at least a whole "From " into a line's first record. */
	mail_copy_write(out, vstring_str(data), VSTRING_LEN(data));
	if (type == REC_TYPE_LINE)
	    mail_copy_write(out, out->eol, strlen(out->eol));
	line_start = (type == REC_TYPE_LINE);
    }
    if (ok && !line_start) {
	vstring_strcpy(problem, "partial line at end of message content");
	ok = false;
    }
    vstring_free(data);
    return ok || out->error != 0;
}

/* mail_copy_full - the write error means "mailbox full" */
static bool mail_copy_full(int error)
{
#ifdef EDQUOT
    if (error == EDQUOT)
	return true;
#endif
    return error == EFBIG;
}

/* mail_copy - the message, with the envelope headers flags ask for */
int     mail_copy(DELIVER_REQUEST *req, const char *delivered_to,
		          const char *orig_to, VSTREAM *dst, int flags,
		          const char *eol, DSN_BUF *why)
{
    MAIL_COPY_OUT out;
    VSTRING *problem = vstring_alloc(100);
    bool    read_ok;

    if (req->fp == NULL) {
	dsb_simple(why, "4.3.0", "error reading message: queue file is not open");
	vstring_free(problem);
	return -1;
    }
    out.dst = dst;
    out.error = 0;
    out.eol = (eol != NULL && *eol) ? eol : "\n";
    mail_copy_envelope(&out, req, delivered_to, orig_to, flags);
    read_ok = mail_copy_content(&out, req, flags, problem);
    if (read_ok && out.error == 0 && (flags & MAIL_COPY_BLANK))
	mail_copy_write(&out, out.eol, strlen(out.eol));
    if (out.error == 0 && vstream_fflush(dst) != 0)
	out.error = errno ? errno : EIO;
    if (out.error == 0 && read_ok && (flags & MAIL_COPY_TOFILE)
	&& fsync(vstream_fileno(dst)) < 0)
	out.error = errno;
    if (!read_ok) {
	dsb_simple(why, "4.3.0", "error reading message: %s",
		   vstring_str(problem));
	vstring_free(problem);
	return -1;
    }
    vstring_free(problem);
    if (out.error != 0) {
	dsb_simple(why, mail_copy_full(out.error) ? "5.2.2" : "4.3.0",
		   "error writing message: %s", strerror(out.error));
	return -1;
    }
    return 0;
}
