/*
 * cleanup_client - submit one message to the cleanup(8) service
 *
 * SYNOPSIS
 *	#include "cleanup_client.h"
 *
 *	CLEANUP_CLIENT *cleanup_client_open(const char *endpoint, int flags,
 *				VSTRING *why);
 *	const char *cleanup_client_queue_id(const CLEANUP_CLIENT *client);
 *	VSTREAM	*cleanup_client_stream(CLEANUP_CLIENT *client);
 *	int	cleanup_client_close(CLEANUP_CLIENT *client, VSTRING *reason);
 *	void	cleanup_client_abort(CLEANUP_CLIENT *client);
 *
 *	CLEANUP_CLIENT *cleanup_client_open_postdrop(VSTRING *why);
 *
 * DESCRIPTION
 *	cleanup_client_open() connects to the cleanup service at endpoint
 *	(a path such as "public/cleanup", relative to the queue directory,
 *	or absolute), checks its greeting, and sends the request with the
 *	CLEANUP_FLAG_* bits of cleanup_proto.h. It returns NULL with the
 *	reason in why when the service cannot be reached or does not
 *	answer as cleanup within $ipc_timeout.
 *
 *	cleanup_client_queue_id() is the queue ID that the service
 *	announced. cleanup_client_stream() is the stream on which the
 *	caller writes the message as records (record.h), from the
 *	envelope to the X and Z records (docs/internals/protocols.md).
 *
 *	cleanup_client_close() flushes the stream, reads the service's
 *	reply, closes the connection and frees the client. It returns the
 *	CLEANUP_STAT_* status (0: the message is safely queued) and the
 *	service's reason in reason (when not NULL); when the service could
 *	not be read (lost connection, timeout, malformed reply) the status
 *	is CLEANUP_STAT_WRITE and the reason says what happened.
 *
 *	cleanup_client_abort() gives up the message: it tells the service
 *	to drop the queue file without a word in the log (a Z record whose
 *	payload is "abort", docs/internals/protocols.md), closes the
 *	connection and frees the client. Use it for a transaction that
 *	the client's peer ended (RSET, QUIT, a rejection, a lost peer).
 *
 *	cleanup_client_open_postdrop() is cleanup_client_open() for those
 *	who cannot reach public/cleanup (smtpd -S run by sendmail -bs for
 *	an ordinary user): it runs $command_directory/postdrop -r -c
 *	<config dir> on a socket pair and reads its greeting {
 *	protocol=postdrop, queue_id=<maildrop file ID> }. The caller writes
 *	the records of a maildrop file (queue-file.md section 6);
 *	cleanup_client_close() reads postdrop's reply { status, reason }
 *	and reaps it; cleanup_client_abort() ends the input between two
 *	records, which makes postdrop drop its file silently.
 */
#ifndef CLEANUP_CLIENT_H
#define CLEANUP_CLIENT_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "cleanup_proto.h"

typedef struct CLEANUP_CLIENT CLEANUP_CLIENT;

extern CLEANUP_CLIENT *cleanup_client_open(const char *endpoint, int flags,
					           VSTRING *why);
extern const char *cleanup_client_queue_id(const CLEANUP_CLIENT *client);
extern VSTREAM *cleanup_client_stream(CLEANUP_CLIENT *client);
extern int cleanup_client_close(CLEANUP_CLIENT *client, VSTRING *reason);
extern void cleanup_client_abort(CLEANUP_CLIENT *client);
extern CLEANUP_CLIENT *cleanup_client_open_postdrop(VSTRING *why);

#endif
