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

#endif
