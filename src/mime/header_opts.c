/*
 * header_opts - the message headers that the mail system knows by name
 *
 * DESCRIPTION
 *	See header_opts.h. The table is sorted by lower-case name so
 *	that a lookup is a binary search; test_header_opts checks the
 *	order.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "is_header.h"
#include "header_opts.h"

#define SEND	(HDR_OPT_SENDER | HDR_OPT_ADDRESS)
#define RCPT	(HDR_OPT_RECIP | HDR_OPT_ADDRESS)
#define MIME	HDR_OPT_MIME
#define RSNT	HDR_OPT_RESENT

/* Sorted by strcasecmp() of the name. */
static const HEADER_OPTS header_opts_table[] = {
    {"Apparently-To", HDR_APPARENTLY_TO, RCPT},
    {"Auto-Submitted", HDR_AUTO_SUBMITTED, 0},
    {"Bcc", HDR_BCC, RCPT | HDR_OPT_EXTRACT | HDR_OPT_DROP},
    {"Cc", HDR_CC, RCPT | HDR_OPT_EXTRACT},
    {"Content-Description", HDR_CONTENT_DESCRIPTION, MIME},
    {"Content-Disposition", HDR_CONTENT_DISPOSITION, MIME},
    {"Content-ID", HDR_CONTENT_ID, MIME},
    {"Content-Length", HDR_CONTENT_LENGTH, MIME | HDR_OPT_DROP},
    {"Content-Transfer-Encoding", HDR_CONTENT_TRANSFER_ENCODING, MIME},
    {"Content-Type", HDR_CONTENT_TYPE, MIME},
    {"Date", HDR_DATE, 0},
    {"Delivered-To", HDR_DELIVERED_TO, HDR_OPT_ADDRESS},
    {"Disposition-Notification-To", HDR_DISPOSITION_NOTIFICATION_TO,
    HDR_OPT_ADDRESS},
    {"Errors-To", HDR_ERRORS_TO, SEND},
    {"From", HDR_FROM, SEND},
    {"In-Reply-To", HDR_IN_REPLY_TO, 0},
    {"List-ID", HDR_LIST_ID, 0},
    {"Message-ID", HDR_MESSAGE_ID, 0},
    {"MIME-Version", HDR_MIME_VERSION, MIME},
    {"Precedence", HDR_PRECEDENCE, 0},
    {"Received", HDR_RECEIVED, 0},
    {"References", HDR_REFERENCES, 0},
    {"Reply-To", HDR_REPLY_TO, SEND},
    {"Resent-Bcc", HDR_RESENT_BCC, RCPT | RSNT | HDR_OPT_EXTRACT | HDR_OPT_DROP},
    {"Resent-Cc", HDR_RESENT_CC, RCPT | RSNT | HDR_OPT_EXTRACT},
    {"Resent-Date", HDR_RESENT_DATE, RSNT},
    {"Resent-From", HDR_RESENT_FROM, SEND | RSNT},
    {"Resent-Message-ID", HDR_RESENT_MESSAGE_ID, RSNT},
    {"Resent-Reply-To", HDR_RESENT_REPLY_TO, SEND | RSNT},
    {"Resent-Sender", HDR_RESENT_SENDER, SEND | RSNT},
    {"Resent-To", HDR_RESENT_TO, RCPT | RSNT | HDR_OPT_EXTRACT},
    {"Return-Path", HDR_RETURN_PATH, HDR_OPT_ADDRESS | HDR_OPT_DROP},
    {"Return-Receipt-To", HDR_RETURN_RECEIPT_TO, SEND},
    {"Sender", HDR_SENDER, SEND},
    {"Subject", HDR_SUBJECT, 0},
    {"To", HDR_TO, RCPT | HDR_OPT_EXTRACT},
    {"X-Original-To", HDR_X_ORIGINAL_TO, HDR_OPT_ADDRESS},
};

/* header_opts_compare - strcasecmp() of a counted name and a table name */
static int header_opts_compare(const char *name, size_t len, const char *entry)
{
    int     diff = strncasecmp(name, entry, len);

    if (diff != 0)
	return diff;
    return entry[len] == 0 ? 0 : -1;
}

/* header_opts_find - table entry of a field name, or NULL */
const HEADER_OPTS *header_opts_find(const char *name, size_t len)
{
    size_t  lo = 0;
    size_t  hi = ARRAY_LEN(header_opts_table);
    size_t  mid;
    int     diff;

    if (len == 0 || memchr(name, 0, len) != 0)
	return 0;
    while (lo < hi) {
	mid = lo + (hi - lo) / 2;
	diff = header_opts_compare(name, len, header_opts_table[mid].name);
	if (diff == 0)
	    return header_opts_table + mid;
	if (diff < 0)
	    hi = mid;
	else
	    lo = mid + 1;
    }
    return 0;
}

/* header_opts_find_line - table entry of a header line's name, or NULL */
const HEADER_OPTS *header_opts_find_line(const char *line, size_t len)
{
    size_t  name_len = is_header_buf(line, len);

    return name_len ? header_opts_find(line, name_len) : 0;
}

/* header_opts_by_id - table entry of an id, or NULL */
const HEADER_OPTS *header_opts_by_id(int id)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(header_opts_table); n++)
	if (header_opts_table[n].id == id)
	    return header_opts_table + n;
    return 0;
}

/* header_opts_is_mime - MIME-Version or Content-* */
bool    header_opts_is_mime(const char *name, size_t len)
{
    static const char prefix[] = "Content-";
    static const char version[] = "MIME-Version";

    if (len > sizeof(prefix) - 1
	&& strncasecmp(name, prefix, sizeof(prefix) - 1) == 0)
	return true;
    return (len == sizeof(version) - 1
	    && strncasecmp(name, version, len) == 0);
}
