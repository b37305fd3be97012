/*
 * attr_list_io - typed attribute lists: the wire format
 *
 * SYNOPSIS
 *	See attr_list.h (attr_list_write(), attr_list_read(),
 *	attr_default_limits).
 *
 * DESCRIPTION
 *	The format is in docs/internals/protocols.md ("Attribute lists"):
 *	a type byte, a name and a null byte, the value, for each attribute,
 *	then ".". The writer writes what the list holds; it does not apply
 *	the reader's limits (a protocol that carries big values says so and
 *	its readers raise the value limit).
 *
 *	The reader takes one byte of the stream at a time, or one buffer
 *	at a time for string and data values, and never reads past the
 *	final "." of the message: what follows belongs to the next reader
 *	(the cleanup stream's records, say). It keeps at most one value
 *	(value_limit bytes) in a work buffer besides the list that it
 *	builds, whose size the value and count limits bound; a data
 *	length is checked against the limit before any of its bytes is
 *	read. Nesting is handled by recursion, whose depth is the depth
 *	limit.
 *
 *	Time limits are the stream's: the caller sets them with
 *	vstream_set_timeout() and vstream_start_deadline(); this module
 *	does not change them.
 *
 * DIAGNOSTICS
 *	Nothing is logged. attr_list_read() returns one of these reasons
 *	in why (N: the limit or bound in question):
 *	"timeout", "end of input", "read error",
 *	"bad type byte 0xHH",
 *	"more than N attributes",
 *	"lists nested deeper than N",
 *	"empty attribute name",
 *	"attribute name longer than 64 bytes",
 *	"bad byte 0xHH in attribute name",
 *	"attribute NAME: bad byte 0xHH in number",
 *	"attribute NAME: number without digits",
 *	"attribute NAME: number with more than N digits",
 *	"attribute NAME: number out of range",
 *	"attribute NAME: bad byte 0xHH in data length",
 *	"attribute NAME: data length without digits",
 *	"attribute NAME: data length with more than 10 digits",
 *	"attribute NAME: value longer than N bytes".
 */
#include "sys_defs.h"

#include <limits.h>
#include <string.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "attr_list.h"
#include "attr_list_private.h"

const ATTR_LIMITS attr_default_limits = {
    .value_limit = 65536,
    .count_limit = 1024,
    .depth_limit = 4,
};

#define ATTR_INT_DIGITS		10	/* 2147483648 */
#define ATTR_LONG_DIGITS	19	/* 9223372036854775808 */
#define ATTR_DATA_LEN_DIGITS	10

/* attr_write_list - one list and its final "." */
static void attr_write_list(VSTREAM *fp, const ATTR_LIST *list)
{
    const ATTR *attr;
    size_t  n;

    for (n = 0; n < list->count; n++) {
	attr = list->attrs + n;
	vstream_fprintf(fp, "%c%s", (char) attr->type, attr->name);
	vstream_fwrite(fp, "", 1);
	switch (attr->type) {
	case ATTR_TYPE_INT:
	    vstream_fprintf(fp, "%d", attr->u.int_value);
	    vstream_fwrite(fp, "", 1);
	    break;
	case ATTR_TYPE_LONG:
	    vstream_fprintf(fp, "%ld", attr->u.long_value);
	    vstream_fwrite(fp, "", 1);
	    break;
	case ATTR_TYPE_STR:
	    vstream_fwrite(fp, attr->u.buf.bytes, attr->u.buf.len + 1);
	    break;
	case ATTR_TYPE_DATA:
	    vstream_fprintf(fp, "%zu:", attr->u.buf.len);
	    if (attr->u.buf.len > 0)
		vstream_fwrite(fp, attr->u.buf.bytes, attr->u.buf.len);
	    break;
	case ATTR_TYPE_LIST:
	    attr_write_list(fp, attr->u.list);
	    break;
	default:
	    msg_panic("attr_list_write: bad type %d", (int) attr->type);
	}
    }
    vstream_fwrite(fp, ".", 1);
}

/* attr_list_write - write a list in the wire format, without flushing */
bool    attr_list_write(VSTREAM *fp, const ATTR_LIST *list)
{
    if (vstream_ferror(fp))
	return false;
    attr_write_list(fp, list);
    return !vstream_ferror(fp);
}

 /*
  * The state of one attr_list_read() call.
  */
typedef struct ATTR_READER {
    VSTREAM *fp;
    const ATTR_LIMITS *limits;
    VSTRING *why;
    VSTRING *value;			/* string or data being read */
    size_t  count;			/* attributes so far, nested too */
    char    name[ATTR_NAME_LIMIT + 1];	/* current attribute */
} ATTR_READER;

/* attr_read_io_error - why the stream gave no byte; always false */
static bool attr_read_io_error(ATTR_READER *rd)
{
    if (vstream_ftimeout(rd->fp))
	vstring_strcpy(rd->why, "timeout");
    else if (vstream_ferror(rd->fp))
	vstring_strcpy(rd->why, "read error");
    else
	vstring_strcpy(rd->why, "end of input");
    return false;
}

/* attr_read_name - name and its null byte */
static bool attr_read_name(ATTR_READER *rd)
{
    size_t  len = 0;
    int     ch;

    while ((ch = VSTREAM_GETC(rd->fp)) != 0) {
	if (ch == VSTREAM_EOF)
	    return attr_read_io_error(rd);
	if (len == ATTR_NAME_LIMIT) {
	    vstring_sprintf(rd->why, "attribute name longer than %d bytes",
			    ATTR_NAME_LIMIT);
	    return false;
	}
	rd->name[len] = (char) ch;
	if (!attr_list_name_ok(rd->name + len, 1)) {
	    vstring_sprintf(rd->why, "bad byte 0x%02x in attribute name", ch);
	    return false;
	}
	len++;
    }
    if (len == 0) {
	vstring_strcpy(rd->why, "empty attribute name");
	return false;
    }
    rd->name[len] = 0;
    return true;
}

/* attr_read_digits - [-]digits up to end; magnitude and sign */
static bool attr_read_digits(ATTR_READER *rd, int end, int max_digits,
			             bool sign_ok, const char *what,
			             unsigned long long *magnitude,
			             bool *negative)
{
    int     digits = 0;
    int     ch;

    *magnitude = 0;
    *negative = false;
    while ((ch = VSTREAM_GETC(rd->fp)) != end) {
	if (ch == VSTREAM_EOF)
	    return attr_read_io_error(rd);
	if (ch == '-' && sign_ok && digits == 0 && !*negative) {
	    *negative = true;
	    continue;
	}
	if (ch < '0' || ch > '9') {
	    vstring_sprintf(rd->why, "attribute %s: bad byte 0x%02x in %s",
			    rd->name, ch, what);
	    return false;
	}
	if (++digits > max_digits) {
	    vstring_sprintf(rd->why, "attribute %s: %s with more than %d digits",
			    rd->name, what, max_digits);
	    return false;
	}
	/* At most 19 digits: no overflow of 64 bits. */
	*magnitude = *magnitude * 10 + (unsigned long long) (ch - '0');
    }
    if (digits == 0) {
	vstring_sprintf(rd->why, "attribute %s: %s without digits",
			rd->name, what);
	return false;
    }
    return true;
}

/* attr_read_number - a signed decimal value within -max-1..max */
static bool attr_read_number(ATTR_READER *rd, int max_digits, long long max,
			             long long *value)
{
    unsigned long long magnitude;
    bool    negative;

    if (!attr_read_digits(rd, 0, max_digits, true, "number", &magnitude,
			  &negative))
	return false;
    if (magnitude > (unsigned long long) max + (negative ? 1 : 0)) {
	vstring_sprintf(rd->why, "attribute %s: number out of range", rd->name);
	return false;
    }
    if (negative && magnitude > 0)
	*value = -(long long) (magnitude - 1) - 1;
    else
	*value = (long long) magnitude;
    return true;
}

/* attr_read_too_long - the value limit was exceeded; always false */
static bool attr_read_too_long(ATTR_READER *rd)
{
    vstring_sprintf(rd->why, "attribute %s: value longer than %zu bytes",
		    rd->name, rd->limits->value_limit);
    return false;
}

/* attr_read_string - bytes up to a null byte, into rd->value */
static bool attr_read_string(ATTR_READER *rd)
{
    const unsigned char *data;
    const unsigned char *nul;
    size_t  avail;
    size_t  take;

    VSTRING_RESET(rd->value);
    for (;;) {
	if ((avail = vstream_peek_data(rd->fp, &data)) == 0)
	    return attr_read_io_error(rd);
	nul = memchr(data, 0, avail);
	take = nul ? (size_t) (nul - data) : avail;
	if (take > rd->limits->value_limit - VSTRING_LEN(rd->value))
	    return attr_read_too_long(rd);
	vstring_memcat(rd->value, data, take);
	vstream_skip(rd->fp, nul ? take + 1 : take);
	if (nul)
	    return true;
    }
}

/* attr_read_data - length, ":", and that many bytes, into rd->value */
static bool attr_read_data(ATTR_READER *rd)
{
    const unsigned char *data;
    unsigned long long len;
    bool    negative;
    size_t  avail;
    size_t  take;

    if (!attr_read_digits(rd, ':', ATTR_DATA_LEN_DIGITS, false,
			  "data length", &len, &negative))
	return false;
    if (len > rd->limits->value_limit)
	return attr_read_too_long(rd);
    VSTRING_RESET(rd->value);
    while (VSTRING_LEN(rd->value) < len) {
	if ((avail = vstream_peek_data(rd->fp, &data)) == 0)
	    return attr_read_io_error(rd);
	take = len - VSTRING_LEN(rd->value);
	if (take > avail)
	    take = avail;
	vstring_memcat(rd->value, data, take);
	vstream_skip(rd->fp, take);
    }
    return true;
}

/* attr_read_list - attributes up to ".", into list */
static bool attr_read_list(ATTR_READER *rd, ATTR_LIST *list, int depth)
{
    long long number;
    int     type;

    for (;;) {
	if ((type = VSTREAM_GETC(rd->fp)) == VSTREAM_EOF)
	    return attr_read_io_error(rd);
	if (type == '.')
	    return true;
	if (type != ATTR_TYPE_INT && type != ATTR_TYPE_LONG
	    && type != ATTR_TYPE_STR && type != ATTR_TYPE_DATA
	    && type != ATTR_TYPE_LIST) {
	    vstring_sprintf(rd->why, "bad type byte 0x%02x", type);
	    return false;
	}
	if (++rd->count > rd->limits->count_limit) {
	    vstring_sprintf(rd->why, "more than %zu attributes",
			    rd->limits->count_limit);
	    return false;
	}
	if (!attr_read_name(rd))
	    return false;
	switch (type) {
	case ATTR_TYPE_INT:
	    if (!attr_read_number(rd, ATTR_INT_DIGITS, INT_MAX, &number))
		return false;
	    attr_list_add_int(list, rd->name, (int) number);
	    break;
	case ATTR_TYPE_LONG:
	    if (!attr_read_number(rd, ATTR_LONG_DIGITS, LONG_MAX, &number))
		return false;
	    attr_list_add_long(list, rd->name, (long) number);
	    break;
	case ATTR_TYPE_STR:
	    if (!attr_read_string(rd))
		return false;
	    attr_list_add_str(list, rd->name, vstring_str(rd->value));
	    break;
	case ATTR_TYPE_DATA:
	    if (!attr_read_data(rd))
		return false;
	    attr_list_add_data(list, rd->name, vstring_str(rd->value),
			       VSTRING_LEN(rd->value));
	    break;
	case ATTR_TYPE_LIST:
	    if (depth >= rd->limits->depth_limit) {
		vstring_sprintf(rd->why, "lists nested deeper than %d",
				rd->limits->depth_limit);
		return false;
	    }
	    if (!attr_read_list(rd, attr_list_add_list(list, rd->name),
				depth + 1))
		return false;
	    break;
	}
    }
}

/* attr_list_read - one message into list, under limits */
bool    attr_list_read(VSTREAM *fp, ATTR_LIST *list, const ATTR_LIMITS *limits,
		               VSTRING *why)
{
    ATTR_READER rd;
    bool    ok;

    rd.fp = fp;
    rd.limits = limits ? limits : &attr_default_limits;
    rd.why = why ? why : vstring_alloc(50);
    rd.value = vstring_alloc(100);
    rd.count = 0;
    rd.name[0] = 0;
    attr_list_clear(list);
    if ((ok = attr_read_list(&rd, list, 0)) == false)
	attr_list_clear(list);
    vstring_free(rd.value);
    if (why == NULL)
	vstring_free(rd.why);
    return ok;
}
