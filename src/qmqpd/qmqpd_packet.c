/*
 * qmqpd_packet - read a QMQP request, write its message as records
 *
 * DESCRIPTION
 *	See qmqpd.h. Every netstring is bounded before its data is read:
 *	the message by the caller's content limit ($message_size_limit),
 *	addresses by the address limit ($line_length_limit), so that a
 *	client cannot make the server allocate more than that.
 */
#include "sys_defs.h"
#include <string.h>

#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "netstring.h"
#include "qmqpd.h"

/* The outer length is not used; any length that fits is accepted. */
#define QMQPD_OUTER_LIMIT	((size_t) SSIZE_MAX)

/* qmqpd_packet_head - the outer header, message and sender */
int     qmqpd_packet_head(VSTREAM *fp, VSTRING *content, VSTRING *sender,
			          size_t content_limit, size_t addr_limit,
			          const char **where)
{
    size_t  outer;
    int     status;

    *where = QMQPD_WHERE_HEADER;
    if ((status = netstring_get_len(fp, QMQPD_OUTER_LIMIT, &outer)) != NETSTRING_OK)
	return status;
    *where = QMQPD_WHERE_CONTENT;
    if ((status = netstring_get(fp, content, content_limit > 0 ?
				content_limit : QMQPD_OUTER_LIMIT)) != NETSTRING_OK)
	return status;
    *where = QMQPD_WHERE_SENDER;
    return netstring_get(fp, sender, addr_limit);
}

/* qmqpd_packet_rcpt - the next recipient, or the end of the request */
int     qmqpd_packet_rcpt(VSTREAM *fp, VSTRING *rcpt, size_t addr_limit,
			          bool *done)
{
    int     ch;

    *done = false;
    if ((ch = VSTREAM_GETC(fp)) == VSTREAM_EOF)
	return vstream_ftimeout(fp) ? NETSTRING_ERR_TIME : NETSTRING_ERR_EOF;
    if (ch == ',') {
	*done = true;
	return NETSTRING_OK;
    }
    (void) vstream_ungetc(fp, ch);
    return netstring_get(fp, rcpt, addr_limit);
}

/* qmqpd_packet_line - one line as L, or P records and an L */
static void qmqpd_packet_line(VSTREAM *cleanup, VSTRING *line,
			              const char *data, size_t len,
			              size_t line_limit, bool terminated)
{
    char   *cp;
    char   *end;

    /* A CR anywhere in the message becomes a space, as Postfix does. */
    vstring_memcpy(line, data, len);
    for (cp = vstring_str(line), end = cp + len; cp < end; cp++)
	if (*cp == '\r')
	    *cp = ' ';
    data = vstring_str(line);
    while (line_limit > 0 && len > line_limit) {
	(void) record_put(cleanup, REC_TYPE_PART, data, line_limit);
	data += line_limit;
	len -= line_limit;
    }
    /* A last line without its newline: a P record and an empty L. */
    if (!terminated) {
	(void) record_put(cleanup, REC_TYPE_PART, data, len);
	len = 0;
	data = "";
    }
    (void) record_put(cleanup, REC_TYPE_LINE, data, len);
}

/* qmqpd_packet_content - the message as content records */
bool    qmqpd_packet_content(VSTREAM *cleanup, const char *data, size_t len,
			             size_t line_limit)
{
    const char *end = data + len;
    const char *nl;
    VSTRING *line = vstring_alloc(100);

    while (data < end) {
	if ((nl = memchr(data, '\n', (size_t) (end - data))) == NULL)
	    nl = end;
	qmqpd_packet_line(cleanup, line, data, (size_t) (nl - data),
			  line_limit, nl < end);
	data = nl < end ? nl + 1 : end;
    }
    vstring_free(line);
    return !vstream_ferror(cleanup);
}
