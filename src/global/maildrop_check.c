/*
 * maildrop_check - what a maildrop file may say, record by record
 *
 * SYNOPSIS
 *	See maildrop_check.h.
 *
 * DESCRIPTION
 *	Per-record data checks for maildrop files; the structure (record
 *	syntax and order) is queue_file_read(3)'s business. Every check
 *	looks at a bounded record and allocates nothing.
 *
 *	What it does not do: address syntax (cleanup(8) and
 *	trivial-rewrite(8) parse and rewrite addresses), and anything
 *	about the content.
 *
 * DIAGNOSTICS
 *	None; the reason goes to the caller.
 */
#include "sys_defs.h"

#include <string.h>

#include "rec_type.h"
#include "maildrop_check.h"

static const char *const maildrop_attr_names[] = {
    MAILDROP_ATTR_REWRITE_CONTEXT,
    MAILDROP_ATTR_ENCODING,
    MAILDROP_ATTR_FULL_NAME,
    MAILDROP_ATTR_DSN_RET,
    MAILDROP_ATTR_DSN_ENVID,
    MAILDROP_ATTR_DSN_NOTIFY,
    MAILDROP_ATTR_TRACE_FLAGS,
};

/* maildrop_attr_known - is this an attribute name a maildrop file may use */
bool    maildrop_attr_known(const char *name)
{
    for (size_t i = 0; i < sizeof(maildrop_attr_names) / sizeof(*maildrop_attr_names); i++)
	if (strcmp(name, maildrop_attr_names[i]) == 0)
	    return true;
    return false;
}

/* maildrop_text_ok - no null byte, CR or LF */
static bool maildrop_text_ok(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
	if (data[i] == 0 || data[i] == '\r' || data[i] == '\n')
	    return false;
    return true;
}

/* maildrop_number - decimal digits only, at most 10, value below 2^31 */
static bool maildrop_number(const char *text, long *value)
{
    size_t  len = strlen(text);
    long    result = 0;

    if (len == 0 || len > 10)
	return false;
    for (size_t i = 0; i < len; i++) {
	if (text[i] < '0' || text[i] > '9')
	    return false;
	result = result * 10 + (text[i] - '0');
    }
    if (result > 0x7fffffffL)
	return false;
    *value = result;
    return true;
}

/* maildrop_check_attr - check one name=value attribute */
static bool maildrop_check_attr(const char *data, size_t len, VSTRING *why)
{
    const char *eq = memchr(data, '=', len);
    const char *value;
    char    name[32];
    size_t  name_len;
    long    number;

    if (eq == 0) {
	vstring_strcpy(why, "record A: no '=' in attribute");
	return false;
    }
    name_len = (size_t) (eq - data);
    if (name_len == 0 || name_len >= sizeof(name)) {
	vstring_strcpy(why, "record A: bad attribute name length");
	return false;
    }
    memcpy(name, data, name_len);
    name[name_len] = 0;
    value = eq + 1;
    if (!maildrop_attr_known(name)) {
	vstring_sprintf(why, "record A: unknown attribute name \"%s\"", name);
	for (char *cp = vstring_str(why); *cp; cp++)
	    if ((unsigned char) *cp < ' ' || (unsigned char) *cp > '~')
		*cp = '?';
	return false;
    }
    if (strcmp(name, MAILDROP_ATTR_REWRITE_CONTEXT) == 0) {
	if (strcmp(value, "local") != 0 && strcmp(value, "remote") != 0)
	    goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_ENCODING) == 0) {
	if (strcmp(value, "7bit") != 0 && strcmp(value, "8bit") != 0
	    && strcmp(value, "8bitmime") != 0)
	    goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_FULL_NAME) == 0) {
	if (strlen(value) > MAILDROP_NAME_LIMIT)
	    goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_DSN_RET) == 0) {
	if (!maildrop_number(value, &number)
	    || (number != REC_DSN_RET_FULL && number != REC_DSN_RET_HDRS))
	    goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_DSN_ENVID) == 0) {
	size_t  vlen = strlen(value);

	if (vlen == 0 || vlen > MAILDROP_ENVID_LIMIT)
	    goto bad_value;
	for (const char *cp = value; *cp; cp++)
	    if (*cp <= ' ' || *cp > '~')
		goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_DSN_NOTIFY) == 0) {
	if (!maildrop_number(value, &number) || number < 1 || number > 15
	    || ((number & REC_DSN_NOTIFY_NEVER) && number != REC_DSN_NOTIFY_NEVER))
	    goto bad_value;
    } else if (strcmp(name, MAILDROP_ATTR_TRACE_FLAGS) == 0) {
	if (!maildrop_number(value, &number))
	    goto bad_value;
    }
    return true;

bad_value:
    vstring_sprintf(why, "record A: bad %s value", name);
    return false;
}

/* maildrop_check_record - check the data of one maildrop record */
bool    maildrop_check_record(int type, const char *data, size_t len,
			              VSTRING *why)
{
    switch (type) {
    case REC_TYPE_LINE:
    case REC_TYPE_PART:
	return true;
    case REC_TYPE_FORMAT:
    case REC_TYPE_MESSAGE:
    case REC_TYPE_EXTRACT:
    case REC_TYPE_END:
	return true;				/* queue_file_read() checks */
    case REC_TYPE_TIME:
    case REC_TYPE_FROM:
    case REC_TYPE_ATTR:
    case REC_TYPE_RCPT:
    case REC_TYPE_VERP:
	if (!maildrop_text_ok(data, len)) {
	    vstring_sprintf(why, "record %c: null byte or line break in data",
			    type);
	    return false;
	}
	break;
    default:
	vstring_sprintf(why, "record type 0x%02x not allowed in a maildrop file",
			(unsigned) type & 0xff);
	return false;
    }
    if (type == REC_TYPE_FROM && len > MAILDROP_ADDR_LIMIT) {
	vstring_sprintf(why, "record F: sender longer than %d bytes",
			MAILDROP_ADDR_LIMIT);
	return false;
    }
    if (type == REC_TYPE_VERP && len > MAILDROP_VERP_LIMIT) {
	vstring_sprintf(why, "record V: longer than %d bytes",
			MAILDROP_VERP_LIMIT);
	return false;
    }
    if (type == REC_TYPE_RCPT) {
	if (len == 0) {
	    vstring_strcpy(why, "record R: empty recipient");
	    return false;
	}
	if (len > MAILDROP_ADDR_LIMIT) {
	    vstring_sprintf(why, "record R: recipient longer than %d bytes",
			    MAILDROP_ADDR_LIMIT);
	    return false;
	}
    }
    if (type == REC_TYPE_ATTR)
	return maildrop_check_attr(data, len, why);
    return true;
}
