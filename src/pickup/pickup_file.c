/*
 * pickup_file - check a maildrop file and copy it to cleanup(8)
 *
 * SYNOPSIS
 *	See pickup.h.
 *
 * DESCRIPTION
 *	A maildrop file is written by a user, so pickup reads it twice:
 *	once to check all of it, so that nothing of a damaged file
 *	reaches cleanup, and once to copy it. Both passes go through
 *	queue_file_read(3), whose record limit (QUEUE_FILE_LIMIT) bounds
 *	the memory used; a file that changes between the passes fails the
 *	second pass's checks just the same.
 *
 *	What it does not do: open, remove or log (pickup.c does), or
 *	address checks (cleanup's).
 *
 * DIAGNOSTICS
 *	None; reasons go to the caller.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "utf8_text.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "maildrop_check.h"
#include "mail_date.h"
#include "cleanup_proto.h"
#include "receive_override.h"
#include "pickup.h"

#define PICKUP_ORCPT_LIMIT 490	/* cleanup takes 500 bytes of o data */

typedef struct PICKUP_CHECK {
    PICKUP_INFO *info;
    VSTRING *why;
    bool    extracted_segment;		/* after X */
} PICKUP_CHECK;

typedef struct PICKUP_COPY {
    VSTREAM *out;
    VSTRING *why;
    const ARGV *received;		/* header lines after M, or NULL */
    char   *envid;			/* dsn_envid, until the first R */
    int     ret;			/* dsn_ret, until the first R */
    int     notify;			/* dsn_notify, before each R */
    bool    dsn_written;		/* E and Y are out */
    bool    extracted_segment;		/* after X */
    bool    write_error;
} PICKUP_COPY;

/* pickup_info_init - empty result */
void    pickup_info_init(PICKUP_INFO *info)
{
    info->sender = vstring_alloc(32);
    info->extract = false;
    info->read_error = false;
}

/* pickup_info_free - release result */
void    pickup_info_free(PICKUP_INFO *info)
{
    vstring_free(info->sender);
}

/* pickup_printable - '?' for ASCII controls and bad UTF-8, in place */
static void pickup_printable(char *str)
{
    size_t  len = strlen(str);
    size_t  i = 0;
    size_t  n;

    /* As Postfix 3.7 logs it (observed): well-formed UTF-8 stays as it
     * is, even U+0085; C0 controls, DEL and malformed bytes become '?'. */
    while (i < len) {
	unsigned char ch = (unsigned char) str[i];

	if (ch < 0x80) {
	    if (ch < 0x20 || ch == 0x7f)
		str[i] = '?';
	    i++;
	} else if ((n = utf8_text_char_len(str + i, len - i)) > 1) {
	    i += n;				/* C1 controls too, as Postfix */
	} else {
	    str[i++] = '?';
	}
    }
}

/* pickup_check_record - per-record checks of the first pass */
static bool pickup_check_record(int type, const char *data, size_t len,
				        off_t offset, void *context)
{
    PICKUP_CHECK *check = context;

    if (!maildrop_check_record(type, data, len, check->why))
	return false;
    if (type == REC_TYPE_FROM) {
	vstring_strncpy(check->info->sender, data,
			len < PICKUP_SENDER_LOG ? len : PICKUP_SENDER_LOG);
	pickup_printable(vstring_str(check->info->sender));
    } else if (type == REC_TYPE_EXTRACT) {
	check->extracted_segment = true;
    } else if (type == REC_TYPE_RCPT && check->extracted_segment) {
	check->info->extract = true;
    }
    return true;
}

/* pickup_check - first pass: is the whole file acceptable */
bool    pickup_check(VSTREAM *fp, PICKUP_INFO *info, VSTRING *why)
{
    PICKUP_CHECK check;
    QUEUE_FILE_INFO qinfo;
    bool    ok;

    check.info = info;
    check.why = why;
    check.extracted_segment = false;
    info->extract = false;
    info->read_error = false;
    queue_file_info_init(&qinfo);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_MAILDROP, QUEUE_FILE_LIMIT,
			 pickup_check_record, &check, &qinfo);
    if (!ok) {
	if (qinfo.error != QUEUE_FILE_ERR_CALLER)
	    vstring_strcpy(why, vstring_str(qinfo.why));
	info->read_error = (qinfo.error == QUEUE_FILE_ERR_READ);
    }
    queue_file_info_free(&qinfo);
    return ok;
}

/* pickup_copy_put - write one record to cleanup */
static bool pickup_copy_put(PICKUP_COPY *copy, int type, const char *data,
			            size_t len)
{
    if (record_put(copy->out, type, data, len) != type) {
	copy->write_error = true;
	vstring_sprintf(copy->why, "error writing to %s",
			vstream_path(copy->out));
	return false;
    }
    return true;
}

/* pickup_copy_dsn - write E and Y once, before the first recipient */
static bool pickup_copy_dsn(PICKUP_COPY *copy)
{
    char    buf[16];

    if (copy->dsn_written)
	return true;
    copy->dsn_written = true;
    if (copy->envid && !pickup_copy_put(copy, REC_TYPE_DSN_ENVID, copy->envid,
					strlen(copy->envid)))
	return false;
    if (copy->ret) {
	snprintf(buf, sizeof(buf), "%d", copy->ret);
	if (!pickup_copy_put(copy, REC_TYPE_DSN_RET, buf, strlen(buf)))
	    return false;
    }
    return true;
}

/* pickup_copy_orcpt - the DSN original recipient of a sendmail recipient */
static bool pickup_copy_orcpt(PICKUP_COPY *copy, const char *data, size_t len)
{
    VSTRING *orcpt;
    const char *type = "rfc822";
    bool    ok;
    size_t  i;

    /* As Postfix: "rfc822;<addr>", "utf-8;<addr>" when not ASCII. */
    if (len > PICKUP_ORCPT_LIMIT)
	return true;
    for (i = 0; i < len; i++)
	if ((unsigned char) data[i] >= 0x80)
	    type = "utf-8";
    orcpt = vstring_alloc(len + 10);
    vstring_sprintf(orcpt, "%s;%.*s", type, (int) len, data);
    ok = pickup_copy_put(copy, REC_TYPE_DSN_ORCPT, vstring_str(orcpt),
			 VSTRING_LEN(orcpt));
    vstring_free(orcpt);
    return ok;
}

/* pickup_copy_record - translate one record for cleanup */
static bool pickup_copy_record(int type, const char *data, size_t len,
			               off_t offset, void *context)
{
    PICKUP_COPY *copy = context;
    char    buf[16];

    /* The file may have changed since the first pass: check again. */
    if (!maildrop_check_record(type, data, len, copy->why))
	return false;
    switch (type) {
    case REC_TYPE_FORMAT:
	return true;				/* cleanup writes Q and S */
    case REC_TYPE_ATTR:
	if (strncmp(data, MAILDROP_ATTR_DSN_ENVID "=",
		    sizeof(MAILDROP_ATTR_DSN_ENVID)) == 0) {
	    if (copy->envid)
		myfree(copy->envid);
	    copy->envid = mystrdup(data + sizeof(MAILDROP_ATTR_DSN_ENVID));
	    return true;
	}
	if (strncmp(data, MAILDROP_ATTR_DSN_RET "=",
		    sizeof(MAILDROP_ATTR_DSN_RET)) == 0) {
	    copy->ret = atoi(data + sizeof(MAILDROP_ATTR_DSN_RET));
	    return true;
	}
	if (strncmp(data, MAILDROP_ATTR_DSN_NOTIFY "=",
		    sizeof(MAILDROP_ATTR_DSN_NOTIFY)) == 0) {
	    copy->notify = atoi(data + sizeof(MAILDROP_ATTR_DSN_NOTIFY));
	    return true;
	}
	return pickup_copy_put(copy, type, data, len);
    case REC_TYPE_RCPT:
	if (copy->extracted_segment)
	    return true;			/* cleanup extracts them */
	if (!pickup_copy_dsn(copy) || !pickup_copy_orcpt(copy, data, len))
	    return false;
	if (copy->notify) {
	    snprintf(buf, sizeof(buf), "%d", copy->notify);
	    if (!pickup_copy_put(copy, REC_TYPE_DSN_NOTIFY, buf, strlen(buf)))
		return false;
	}
	return pickup_copy_put(copy, type, data, len);
    case REC_TYPE_MESSAGE:
	if (!pickup_copy_dsn(copy) || !pickup_copy_put(copy, type, data, len))
	    return false;
	for (size_t i = 0; copy->received && i < copy->received->argc; i++)
	    if (!pickup_copy_put(copy, REC_TYPE_LINE, copy->received->argv[i],
				 strlen(copy->received->argv[i])))
		return false;
	return true;
    case REC_TYPE_EXTRACT:
	copy->extracted_segment = true;
	return pickup_copy_put(copy, type, data, len);
    default:
	return pickup_copy_put(copy, type, data, len);
    }
}

/* pickup_copy - second pass: send the records to cleanup */
bool    pickup_copy(VSTREAM *fp, VSTREAM *out, const ARGV *received,
		            VSTRING *why)
{
    PICKUP_COPY copy;
    QUEUE_FILE_INFO qinfo;
    bool    ok;

    memset(&copy, 0, sizeof(copy));
    copy.out = out;
    copy.why = why;
    copy.received = received;
    queue_file_info_init(&qinfo);
    ok = queue_file_read(fp, QUEUE_FILE_KIND_MAILDROP, QUEUE_FILE_LIMIT,
			 pickup_copy_record, &copy, &qinfo);
    if (!ok && qinfo.error != QUEUE_FILE_ERR_CALLER)
	vstring_strcpy(why, vstring_str(qinfo.why));
    if (ok && vstream_fflush(out) == VSTREAM_EOF) {
	vstring_sprintf(why, "error writing to %s", vstream_path(out));
	ok = false;
    }
    queue_file_info_free(&qinfo);
    if (copy.envid)
	myfree(copy.envid);
    return ok;
}

/* pickup_received - the Received: header of a local submission */
void    pickup_received(ARGV *lines, const char *hostname,
			        const char *mail_name, long uid,
			        const char *queue_id, time_t when)
{
    VSTRING *line = vstring_alloc(100);
    VSTRING *date = vstring_alloc(64);

    argv_truncate(lines, 0);
    vstring_sprintf(line, "Received: by %s (%s, from userid %ld)",
		    hostname, mail_name, uid);
    argv_add(lines, vstring_str(line), (char *) 0);
    vstring_sprintf(line, "\tid %s; %s", queue_id,
		    vstring_str(mail_date(date, when)));
    argv_add(lines, vstring_str(line), (char *) 0);
    vstring_free(date);
    vstring_free(line);
}

/* pickup_cleanup_flags - the request flags for cleanup */
int     pickup_cleanup_flags(const char *override, bool extract,
				         const char *utf8_classes)
{
    int     flags;

    /* no_unknown_recipient_checks, no_milters: not pickup's concern */
    flags = receive_override_flags(override, CLEANUP_FLAG_BOUNCE
				   | CLEANUP_FLAG_MASK_EXTERNAL);
    if (extract)
	flags |= CLEANUP_FLAG_EXTRACT;
    if (receive_override_utf8_detect(utf8_classes, "sendmail"))
	flags |= CLEANUP_FLAG_UTF8_DETECT;
    return flags;
}
