/*
 * queue_content - read the message content records of a queue file
 *
 * SYNOPSIS
 *	See queue_content.h.
 *
 * DESCRIPTION
 *	The reader keeps no state: a caller that needs whole lines joins
 *	P records with the L record that follows, and treats a P record
 *	right before the end (0) as damage (mail_copy(3) does so).
 *
 * DIAGNOSTICS
 *	None; see queue_content.h.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "queue_content.h"

/* queue_content_start - seek to the M record and read it */
bool    queue_content_start(VSTREAM *fp, long data_offset, VSTRING *buf,
			            VSTRING *why)
{
    int     type;

    if (data_offset <= 0
	|| vstream_fseek(fp, (off_t) data_offset, SEEK_SET) < 0) {
	vstring_sprintf(why, "seek to offset %ld: %m", data_offset);
	return false;
    }
    type = record_get(fp, buf, QUEUE_FILE_LIMIT);
    if (type != REC_TYPE_MESSAGE) {
	vstring_sprintf(why, "no message content at offset %ld: %s",
			data_offset, type < 0 ? record_error(type) :
			"unexpected record type");
	return false;
    }
    return true;
}

/* queue_content_get - the next L or P record; 0 at X; -1 on damage */
int     queue_content_get(VSTREAM *fp, VSTRING *buf, VSTRING *why)
{
    int     type = record_get(fp, buf, QUEUE_FILE_LIMIT);

    if (type == REC_TYPE_LINE || type == REC_TYPE_PART)
	return type;
    if (type == REC_TYPE_EXTRACT)
	return 0;
    vstring_sprintf(why, "%s in message content",
		    type == RECORD_EOF ? "premature end of file" :
		    type < 0 ? record_error(type) : "unexpected record type");
    return -1;
}
