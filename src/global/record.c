/*
 * record - read and write one queue-file record
 *
 * DESCRIPTION
 *	See record.h and docs/internals/queue-file.md section 1.
 */
#include "sys_defs.h"

#include <stdarg.h>
#include <string.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"

#define RECORD_LEN_DIGITS	10	/* at most 10 length digits */
#define RECORD_CHUNK		65536	/* read data this much at a time */

/*
 * record_head - the type byte, decimal length and space of a record, in
 * head (RECORD_LEN_DIGITS + 2 bytes); returns its length. Written by
 * hand: this runs for every line of every message.
 */
static size_t record_head(char *head, int type, size_t len)
{
    char    digits[RECORD_LEN_DIGITS];
    size_t  n = 0;
    size_t  i = 0;

    do {
	digits[n++] = (char) ('0' + len % 10);
	len /= 10;
    } while (len > 0);
    head[i++] = (char) type;
    while (n > 0)
	head[i++] = digits[--n];
    head[i++] = ' ';
    return i;
}

/* record_put - write one record */
int     record_put(VSTREAM *fp, int type, const void *data, size_t len)
{
    char    head[RECORD_LEN_DIGITS + 2];

    if (!rec_type_valid(type))
	msg_panic("record_put: bad record type %d", type);
    if (len > 9999999999ULL)
	msg_panic("record_put: record length %zu too large", len);
    if (vstream_fwrite(fp, head, record_head(head, type, len))
	== 0
	|| (len > 0 && vstream_fwrite(fp, data, len) != len)
	|| vstream_fwrite(fp, "\n", 1) != 1
	|| vstream_ferror(fp))
	return RECORD_ERROR;
    return type;
}

/* record_puts - write a string as one record */
int     record_puts(VSTREAM *fp, int type, const char *text)
{
    return record_put(fp, type, text, strlen(text));
}

/* record_fprintf - write formatted data as one record */
int     record_fprintf(VSTREAM *fp, int type, const char *fmt,...)
{
    VSTRING *buf = vstring_alloc(100);
    va_list ap;
    int     status;

    va_start(ap, fmt);
    vstring_vsprintf(buf, fmt, ap);
    va_end(ap);
    status = record_put(fp, type, vstring_str(buf), VSTRING_LEN(buf));
    vstring_free(buf);
    return status;
}

/* record_eof - the status of a read that hit the end or an error */
static int record_eof(VSTREAM *fp, int at_end)
{
    return (vstream_ferror(fp) ? RECORD_ERR_READ : at_end);
}

/* record_get - read one record */
int     record_get(VSTREAM *fp, VSTRING *data, size_t limit)
{
    unsigned long long len = 0;
    int     type;
    int     ch;
    int     digits = 0;

    VSTRING_RESET(data);
    if ((type = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	return record_eof(fp, RECORD_EOF);
    if (!rec_type_valid(type))
	return RECORD_ERR_TYPE;

    /* Length: 1-10 digits, no leading zero, then a space. */
    for (;;) {
	if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	    return record_eof(fp, RECORD_ERR_TRUNC);
	if (ch == ' ')
	    break;
	if (ch < '0' || ch > '9' || digits >= RECORD_LEN_DIGITS
	    || (digits == 1 && len == 0))
	    return RECORD_ERR_LENGTH;
	len = len * 10 + (unsigned long long) (ch - '0');
	digits++;
    }
    if (digits == 0)
	return RECORD_ERR_LENGTH;
    if (len > limit)
	return RECORD_ERR_LIMIT;

    /*
     * Data: exactly len bytes, then a newline. Memory grows with the data
     * that actually arrives, so a false length in a short file costs
     * nothing.
     */
    while (len > 0) {
	size_t  chunk = len > RECORD_CHUNK ? RECORD_CHUNK : (size_t) len;

	if (!vstring_space(data, chunk))
	    return RECORD_ERR_LIMIT;
	if (vstream_fread(fp, vstring_end(data), chunk) != chunk) {
	    VSTRING_TERMINATE(data);
	    return record_eof(fp, RECORD_ERR_TRUNC);
	}
	data->len += chunk;
	len -= chunk;
    }
    VSTRING_TERMINATE(data);
    if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	return record_eof(fp, RECORD_ERR_TRUNC);
    if (ch != '\n')
	return RECORD_ERR_END;
    return type;
}

/* record_error - name an error code */
const char *record_error(int status)
{
    switch (status) {
    case RECORD_EOF:
	return "end of file";
    case RECORD_ERR_READ:
	return "read error";
    case RECORD_ERR_TYPE:
	return "bad record type";
    case RECORD_ERR_LENGTH:
	return "bad record length";
    case RECORD_ERR_LIMIT:
	return "record too long";
    case RECORD_ERR_TRUNC:
	return "truncated record";
    case RECORD_ERR_END:
	return "no newline after record data";
    default:
	return status > 0 ? "no error" : "unknown record error";
    }
}
