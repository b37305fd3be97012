/*
 * netstring - parse and write netstrings ("length:data,")
 *
 * DESCRIPTION
 *	See netstring.h. The buffer parser and the stream reader share the
 *	length header parser, so the fuzz target and the unit tests of
 *	the one exercise the bounds of the other.
 */
#include "sys_defs.h"
#include <string.h>

#include "vstream.h"
#include "vstring.h"
#include "netstring.h"

#define NETSTRING_CHUNK	8192		/* bytes read per step */

/* netstring_len_init - start parsing a length header */
void    netstring_len_init(NETSTRING_LEN *state)
{
    state->value = 0;
    state->digits = 0;
}

/* netstring_len_feed - one byte of a length header */
int     netstring_len_feed(NETSTRING_LEN *state, int ch, size_t limit)
{
    size_t  digit;

    if (ch == ':')
	return state->digits > 0 ? NETSTRING_OK : NETSTRING_ERR_FORMAT;
    if (ch < '0' || ch > '9' || ++state->digits > NETSTRING_DIGIT_LIMIT)
	return NETSTRING_ERR_FORMAT;
    digit = (size_t) (ch - '0');
    if (digit > limit || state->value > (limit - digit) / 10)
	return NETSTRING_ERR_SIZE;
    state->value = state->value * 10 + digit;
    return NETSTRING_MORE;
}

/* netstring_parse - one netstring at the start of a buffer */
int     netstring_parse(const char *buf, size_t len, size_t limit,
			        size_t *data_offset, size_t *data_len,
			        size_t *used)
{
    NETSTRING_LEN state;
    size_t  pos;
    int     status = NETSTRING_MORE;

    netstring_len_init(&state);
    for (pos = 0; pos < len; pos++)
	if ((status = netstring_len_feed(&state, (unsigned char) buf[pos],
					 limit)) != NETSTRING_MORE)
	    break;
    if (status != NETSTRING_OK)
	return status;
    pos += 1;					/* the colon */
    if (len - pos <= state.value)		/* data and comma */
	return NETSTRING_MORE;
    if (buf[pos + state.value] != ',')
	return NETSTRING_ERR_FORMAT;
    *data_offset = pos;
    *data_len = state.value;
    *used = pos + state.value + 1;
    return NETSTRING_OK;
}

/* netstring_stream_error - the error of a stream that gave no byte */
static int netstring_stream_error(VSTREAM *fp)
{
    return vstream_ftimeout(fp) ? NETSTRING_ERR_TIME : NETSTRING_ERR_EOF;
}

/* netstring_get_len - read a length header from a stream */
int     netstring_get_len(VSTREAM *fp, size_t limit, size_t *len)
{
    NETSTRING_LEN state;
    int     status;
    int     ch;

    netstring_len_init(&state);
    do {
	if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	    return netstring_stream_error(fp);
    } while ((status = netstring_len_feed(&state, ch, limit)) == NETSTRING_MORE);
    if (status == NETSTRING_OK)
	*len = state.value;
    return status;
}

/* netstring_get_data - read the data and comma of a netstring */
int     netstring_get_data(VSTREAM *fp, VSTRING *buf, size_t len)
{
    size_t  want;
    size_t  got;
    int     ch;

    VSTRING_RESET(buf);
    while (VSTRING_LEN(buf) < len) {
	want = len - VSTRING_LEN(buf);
	if (want > NETSTRING_CHUNK)
	    want = NETSTRING_CHUNK;
	(void) vstring_space(buf, want);
	got = vstream_fread(fp, vstring_end(buf), want);
	buf->len += got;
	VSTRING_TERMINATE(buf);
	if (got < want)
	    return netstring_stream_error(fp);
    }
    if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	return netstring_stream_error(fp);
    return ch == ',' ? NETSTRING_OK : NETSTRING_ERR_FORMAT;
}

/* netstring_get - read a whole netstring from a stream */
int     netstring_get(VSTREAM *fp, VSTRING *buf, size_t limit)
{
    size_t  len;
    int     status;

    if ((status = netstring_get_len(fp, limit, &len)) != NETSTRING_OK)
	return status;
    return netstring_get_data(fp, buf, len);
}

/* netstring_put - write data as a netstring */
void    netstring_put(VSTREAM *fp, const char *data, size_t len)
{
    vstream_fprintf(fp, "%zu:", len);
    vstream_fwrite(fp, data, len);
    vstream_fwrite(fp, ",", 1);
}

/* netstring_strerror - Postfix's text of an error */
const char *netstring_strerror(int status)
{
    switch (status) {
    case NETSTRING_ERR_FORMAT:
	return "netstring format error";
    case NETSTRING_ERR_SIZE:
	return "netstring length exceeds storage limit";
    case NETSTRING_ERR_EOF:
	return "lost connection";
    case NETSTRING_ERR_TIME:
	return "timeout";
    case NETSTRING_MORE:
	return "incomplete netstring";
    default:
	return "no error";
    }
}
