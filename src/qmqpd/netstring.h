/*
 * netstring - parse and write netstrings ("length:data,")
 *
 * SYNOPSIS
 *	#include "netstring.h"
 *
 *	void	netstring_len_init(NETSTRING_LEN *state);
 *	int	netstring_len_feed(NETSTRING_LEN *state, int ch, size_t limit);
 *
 *	int	netstring_parse(const char *buf, size_t len, size_t limit,
 *				size_t *data_offset, size_t *data_len,
 *				size_t *used);
 *
 *	int	netstring_get_len(VSTREAM *fp, size_t limit, size_t *len);
 *	int	netstring_get_data(VSTREAM *fp, VSTRING *buf, size_t len);
 *	int	netstring_get(VSTREAM *fp, VSTRING *buf, size_t limit);
 *	void	netstring_put(VSTREAM *fp, const char *data, size_t len);
 *	const char *netstring_strerror(int status);
 *
 * DESCRIPTION
 *	A netstring (D. J. Bernstein) is the decimal length of its data,
 *	a colon, the data (any bytes), and a comma: "5:hello,". The parser
 *	is strict: only decimal digits before the colon (leading zeros are
 *	accepted, as Postfix's qmqpd(8) does, but at most
 *	NETSTRING_DIGIT_LIMIT digits), a length of at most limit bytes,
 *	and exactly one comma after the data.
 *
 *	netstring_len_init() and netstring_len_feed() are the length
 *	header parser, one byte at a time: feed returns NETSTRING_MORE
 *	after a digit, NETSTRING_OK at the colon after at least one digit
 *	(state->value is the length), or an error: NETSTRING_ERR_FORMAT
 *	(not a digit, no digit, too many digits) or NETSTRING_ERR_SIZE
 *	(the length exceeds limit; said as soon as the digits do).
 *
 *	netstring_parse() parses one netstring at the start of a buffer:
 *	NETSTRING_OK with the position and length of the data and the
 *	number of bytes used (header, data and comma), NETSTRING_MORE when
 *	the buffer ends before the netstring does, or an error as above
 *	(a byte other than the comma after the data is a format error).
 *
 *	netstring_get_len(), netstring_get_data() and netstring_get() read
 *	the same from a stream: the header, the data and its comma, or
 *	both; the data replaces buf's content (null-terminated; the data
 *	may contain null bytes). Besides the errors above they return
 *	NETSTRING_ERR_EOF (the end of input came first) and
 *	NETSTRING_ERR_TIME (the stream timed out). They never read past
 *	the comma.
 *
 *	netstring_put() writes data as a netstring (not flushed).
 *	netstring_strerror() gives Postfix's text of an error:
 *	"netstring format error", "netstring length exceeds storage
 *	limit", "lost connection", "timeout".
 *
 * DIAGNOSTICS
 *	None; errors are results.
 */
#ifndef NETSTRING_H
#define NETSTRING_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

#define NETSTRING_OK		0
#define NETSTRING_MORE		1	/* incomplete input */
#define NETSTRING_ERR_FORMAT	(-1)
#define NETSTRING_ERR_SIZE	(-2)
#define NETSTRING_ERR_EOF	(-3)
#define NETSTRING_ERR_TIME	(-4)

#define NETSTRING_DIGIT_LIMIT	40	/* digits, leading zeros included */

typedef struct NETSTRING_LEN {
    size_t  value;			/* the length so far */
    size_t  digits;			/* digits seen */
} NETSTRING_LEN;

extern void netstring_len_init(NETSTRING_LEN *state);
extern int netstring_len_feed(NETSTRING_LEN *state, int ch, size_t limit);
extern int netstring_parse(const char *buf, size_t len, size_t limit,
			           size_t *data_offset, size_t *data_len,
			           size_t *used);
extern int netstring_get_len(VSTREAM *fp, size_t limit, size_t *len);
extern int netstring_get_data(VSTREAM *fp, VSTRING *buf, size_t len);
extern int netstring_get(VSTREAM *fp, VSTRING *buf, size_t limit);
extern void netstring_put(VSTREAM *fp, const char *data, size_t len);
extern const char *netstring_strerror(int status);

#endif
