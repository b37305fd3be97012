/*
 * record_text - write message text as content records
 *
 * SYNOPSIS
 *	See record_text.h.
 *
 * DESCRIPTION
 *	Splits text at "\n" into L records, overlong lines into P
 *	records plus an L record.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>

#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "record_text.h"

/* record_text_put - text as L records (P for overlong lines) */
void    record_text_put(VSTREAM *fp, const char *text, size_t len)
{
    const char *cp = text;
    const char *end = text + len;

    while (cp < end) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	size_t  line = nl ? (size_t) (nl - cp) : (size_t) (end - cp);

	while (line > QUEUE_FILE_LIMIT) {
	    record_put(fp, REC_TYPE_PART, cp, QUEUE_FILE_LIMIT);
	    cp += QUEUE_FILE_LIMIT;
	    line -= QUEUE_FILE_LIMIT;
	}
	record_put(fp, REC_TYPE_LINE, cp, line);
	cp += line + 1;
    }
}
