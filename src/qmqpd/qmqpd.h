/*
 * qmqpd - private interfaces of the QMQP server
 *
 * SYNOPSIS
 *	#include "qmqpd.h"
 *
 *	(qmqpd_packet.c)
 *	int	qmqpd_packet_head(VSTREAM *fp, VSTRING *content,
 *				VSTRING *sender, size_t content_limit,
 *				size_t addr_limit, const char **where);
 *	int	qmqpd_packet_rcpt(VSTREAM *fp, VSTRING *rcpt,
 *				size_t addr_limit, bool *done);
 *	bool	qmqpd_packet_content(VSTREAM *cleanup, const char *data,
 *				size_t len, size_t line_limit);
 *
 *	(qmqpd_verp.c)
 *	int	qmqpd_verp(VSTRING *sender, char *delims);
 *
 *	(qmqpd_peer.c)
 *	void	qmqpd_peer_lookup(VSTREAM *client, QMQPD_PEER *peer);
 *	void	qmqpd_peer_free(QMQPD_PEER *peer);
 *
 * DESCRIPTION
 *	A QMQP request (http://cr.yp.to/proto/qmqp.html) is one netstring
 *	that holds netstrings: the message, the envelope sender, and one
 *	or more recipients. As Postfix's qmqpd(8), the reader takes the
 *	outer length as a header only: the inner netstrings are read one
 *	at a time, and the comma that follows the last recipient ends the
 *	request.
 *
 *	qmqpd_packet_head() reads the outer length header, the message
 *	(at most content_limit bytes; 0 means no limit) and the sender (at
 *	most addr_limit bytes). It returns a NETSTRING_* status; after an
 *	error, where says what was being read ("QMQP packet header",
 *	"message content", "sender address"). qmqpd_packet_rcpt() reads
 *	the next recipient, or sets done at the final comma; its errors
 *	are "while receiving recipient address". Both leave data with
 *	null bytes in the buffers; the caller decides.
 *
 *	qmqpd_packet_content() writes the message as queue file content
 *	records: one L record per line (the newline removed), lines longer
 *	than line_limit split into P records, and a last line without a
 *	newline written as a P record and an empty L record; every CR in
 *	the message becomes a space (all as Postfix's qmqpd(8) writes
 *	them). The result is false after a write error.
 *
 *	qmqpd_verp() recognizes ezmlm's VERP request in a sender
 *	("list-@example.org-@[]"): see qmqpd_verp.c.
 *
 *	qmqpd_peer_lookup() finds the client's address, port and names: the
 *	reverse name (or "unknown"), and the verified name, which is the
 *	reverse name when a forward lookup of it gives the address back
 *	(else "unknown"); namaddr is "name[addr]" (":port" added with
 *	qmqpd_client_port_logging). A client that is not on a socket
 *	(stand-alone mode) is "localhost[127.0.0.1]".
 */
#ifndef QMQPD_H
#define QMQPD_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

typedef struct QMQPD_PEER {
    char   *name;			/* verified name or "unknown" */
    char   *reverse_name;		/* PTR name or "unknown" */
    char   *addr;			/* printable address */
    char   *port;			/* printable port */
    char   *namaddr;			/* name[addr] for logging */
} QMQPD_PEER;

extern int qmqpd_packet_head(VSTREAM *fp, VSTRING *content, VSTRING *sender,
			             size_t content_limit, size_t addr_limit,
			             const char **where);
extern int qmqpd_packet_rcpt(VSTREAM *fp, VSTRING *rcpt, size_t addr_limit,
			             bool *done);
extern bool qmqpd_packet_content(VSTREAM *cleanup, const char *data,
				         size_t len, size_t line_limit);
extern int qmqpd_verp(VSTRING *sender, char *delims);

#define QMQPD_VERP_NONE		0	/* no VERP request */
#define QMQPD_VERP_OK		1	/* sender stripped, delims set */
#define QMQPD_VERP_BAD		(-1)	/* delims not allowed */

extern void qmqpd_peer_lookup(VSTREAM *client, QMQPD_PEER *peer);
extern void qmqpd_peer_free(QMQPD_PEER *peer);

#define QMQPD_WHERE_HEADER	"QMQP packet header"
#define QMQPD_WHERE_CONTENT	"message content"
#define QMQPD_WHERE_SENDER	"sender address"
#define QMQPD_WHERE_RCPT	"recipient address"

#endif
