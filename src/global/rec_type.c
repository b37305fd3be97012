/*
 * rec_type - the record types of queue files and maildrop files
 *
 * DESCRIPTION
 *	See rec_type.h and docs/internals/queue-file.md section 3. The
 *	names are the labels that postcat(1) prints, Postfix's where
 *	Postfix has the same kind of record.
 */
#include "sys_defs.h"

#include <limits.h>

#include "rec_type.h"

typedef struct REC_TYPE_INFO {
    int     type;
    const char *name;
} REC_TYPE_INFO;

static const REC_TYPE_INFO rec_type_info[] = {
    {REC_TYPE_FORMAT, "queue_file_format"},
    {REC_TYPE_SIZE, "message_size"},
    {REC_TYPE_TIME, "message_arrival_time"},
    {REC_TYPE_FROM, "sender"},
    {REC_TYPE_ATTR, "named_attribute"},
    {REC_TYPE_DSN_ENVID, "envelope_id"},
    {REC_TYPE_DSN_RET, "ret_flags"},
    {REC_TYPE_WARN, "warning_message_time"},
    {REC_TYPE_FILTER, "content_filter"},
    {REC_TYPE_REDIRECT, "redirect_to"},
    {REC_TYPE_VERP, "verp_delimiters"},
    {REC_TYPE_ORCP, "original_recipient"},
    {REC_TYPE_DSN_ORCPT, "dsn_orig_rcpt"},
    {REC_TYPE_DSN_NOTIFY, "notify_flags"},
    {REC_TYPE_RCPT, "recipient"},
    {REC_TYPE_DONE, "done_recipient"},
    {REC_TYPE_MESSAGE, "message_content"},
    {REC_TYPE_LINE, "regular_text"},
    {REC_TYPE_PART, "unterminated_text"},
    {REC_TYPE_EXTRACT, "extracted_info"},
    {REC_TYPE_END, "message_end"},
    {REC_TYPE_FLGS, "cleanup_flags"},
};

/* rec_type_name - the name of a record type */
const char *rec_type_name(int type)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(rec_type_info); n++)
	if (rec_type_info[n].type == type)
	    return rec_type_info[n].name;
    return "unknown";
}

/* rec_type_valid - is this byte a record type */
bool    rec_type_valid(int type)
{
    static bool valid[UCHAR_MAX + 1];
    static bool ready;
    size_t  n;

    /* A table by byte value, made from rec_type_info on first use. */
    if (!ready) {
	for (n = 0; n < ARRAY_LEN(rec_type_info); n++)
	    valid[(unsigned char) rec_type_info[n].type] = true;
	ready = true;
    }
    return type >= 0 && type <= UCHAR_MAX && valid[type];
}
