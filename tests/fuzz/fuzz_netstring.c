/*
 * fuzz_netstring - feed arbitrary bytes to the netstring parsers
 *
 * DESCRIPTION
 *	The first input byte picks the mode, the rest is what a QMQP client
 *	sends. Even: the QMQP request reader of qmqpd(8) (qmqpd_packet.c)
 *	on a memory file, with small limits so that short inputs reach
 *	them, the message written as content records, and the sender
 *	through qmqpd_verp() (ezmlm's VERP request: a changed sender is
 *	one byte and the "-@[]" suffix shorter). Odd: the buffer
 *	parser, netstring after netstring. Checked: results within the
 *	limits, the buffer parser's data and length within the input, and
 *	each netstring it accepts parsed the same by the stream reader.
 */
#include "sys_defs.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "netstring.h"
#include "qmqpd.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CONTENT_LIMIT	64
#define FUZZ_ADDR_LIMIT		16
#define FUZZ_LINE_LIMIT		8

/* fuzz_request - the QMQP request reader */
static void fuzz_request(int fd, int sink, const uint8_t *data, size_t size)
{
    static VSTRING *content;
    static VSTRING *sender;
    static VSTRING *rcpt;
    VSTREAM *fp = fuzz_memfile(fd, data, size, "fuzz");
    VSTREAM *out;
    const char *where;
    bool    done = false;
    int     status;

    if (content == NULL) {
	content = vstring_alloc(10);
	sender = vstring_alloc(10);
	rcpt = vstring_alloc(10);
    }
    status = qmqpd_packet_head(fp, content, sender, FUZZ_CONTENT_LIMIT,
			       FUZZ_ADDR_LIMIT, &where);
    if (status == NETSTRING_OK
	&& (VSTRING_LEN(content) > FUZZ_CONTENT_LIMIT
	    || VSTRING_LEN(sender) > FUZZ_ADDR_LIMIT))
	abort();
    while (status == NETSTRING_OK && !done) {
	status = qmqpd_packet_rcpt(fp, rcpt, FUZZ_ADDR_LIMIT, &done);
	if (status == NETSTRING_OK && !done && VSTRING_LEN(rcpt) > FUZZ_ADDR_LIMIT)
	    abort();
    }
    if (status == NETSTRING_OK) {
	size_t  before = VSTRING_LEN(sender);
	char    delims[3];
	int     verp = qmqpd_verp(sender, delims);

	if ((verp == QMQPD_VERP_OK && VSTRING_LEN(sender) != before - 5)
	    || (verp != QMQPD_VERP_OK && VSTRING_LEN(sender) != before)
	    || (verp != QMQPD_VERP_NONE && delims[1] != '='))
	    abort();
    }
    if (status == NETSTRING_MORE || status > NETSTRING_MORE
	|| status < NETSTRING_ERR_TIME)
	abort();
    if (status == NETSTRING_OK) {
	if (ftruncate(sink, 0) < 0 || lseek(sink, 0, SEEK_SET) < 0)
	    abort();
	out = vstream_fdopen(sink, O_RDWR);
	if (!qmqpd_packet_content(out, vstring_str(content),
				  VSTRING_LEN(content), FUZZ_LINE_LIMIT)
	    || vstream_fflush(out) != 0)
	    abort();
	vstream_fdclose(out);
    }
    vstream_fdclose(fp);
}

/* fuzz_buffer - the buffer parser, checked against the stream reader */
static void fuzz_buffer(int fd, const uint8_t *data, size_t size)
{
    static VSTRING *copy;
    const char *buf = (const char *) data;
    size_t  offset;
    size_t  len;
    size_t  used;
    VSTREAM *fp;
    int     status;

    if (copy == NULL)
	copy = vstring_alloc(10);
    while (size > 0) {
	status = netstring_parse(buf, size, FUZZ_CONTENT_LIMIT, &offset, &len,
				 &used);
	if (status != NETSTRING_OK)
	    break;
	if (len > FUZZ_CONTENT_LIMIT || used > size || offset + len >= used)
	    abort();
	fp = fuzz_memfile(fd, buf, used, "fuzz");
	if (netstring_get(fp, copy, FUZZ_CONTENT_LIMIT) != NETSTRING_OK
	    || VSTRING_LEN(copy) != len
	    || memcmp(vstring_str(copy), buf + offset, len) != 0
	    || VSTREAM_GETC(fp) != VSTREAM_EOF)
	    abort();
	vstream_fdclose(fp);
	buf += used;
	size -= used;
    }
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static int sink = -1;

    fuzz_quiet_init();
    if (fd < 0 && ((fd = memfd_create("fuzz_netstring", 0)) < 0
		   || (sink = memfd_create("fuzz_netstring_out", 0)) < 0))
	abort();
    if (size == 0)
	return 0;
    if (data[0] & 1)
	fuzz_buffer(fd, data + 1, size - 1);
    else
	fuzz_request(fd, sink, data + 1, size - 1);
    return 0;
}
