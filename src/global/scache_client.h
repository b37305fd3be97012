/*
 * scache_client - talk to the connection cache, scache(8)
 *
 * SYNOPSIS
 *	#include "scache_client.h"
 *
 *	SCACHE_CLIENT *scache_client_open(const char *service);
 *	void	scache_client_close(SCACHE_CLIENT *sc);
 *	bool	scache_client_failed(const SCACHE_CLIENT *sc);
 *	int	scache_save_endp(SCACHE_CLIENT *sc, int ttl,
 *				const char *endp_label, const char *endp_prop,
 *				int fd);
 *	int	scache_find_endp(SCACHE_CLIENT *sc, const char *endp_label,
 *				VSTRING *endp_prop);
 *	int	scache_save_dest(SCACHE_CLIENT *sc, int ttl,
 *				const char *dest_label, const char *dest_prop,
 *				const char *endp_label);
 *	int	scache_find_dest(SCACHE_CLIENT *sc, const char *dest_label,
 *				VSTRING *dest_prop, VSTRING *endp_prop);
 *
 *	Framing (shared with scache(8)):
 *	int	scache_carrier_send(int sock, int fd, int timeout,
 *				VSTRING *why);
 *	int	scache_carrier_recv(int sock, int timeout, VSTRING *why);
 *
 * DESCRIPTION
 *	The wire format is docs/internals/smtp-client.md, section 4
 *	(attribute lists; the socket travels with SCM_RIGHTS). service
 *	is $connection_cache_service_name ("scache"), reached as
 *	private/<service> under the queue directory. The client
 *	connects lazily, reconnects
 *	once after a broken connection, and gives up on a request after
 *	$connection_cache_protocol_timeout.
 *	scache_save_endp() hands fd (which the caller then closes) to
 *	the cache for at most ttl seconds under endp_label (e.g.
 *	"smtp:127.0.0.1:25"), with endp_prop the session's properties.
 *	scache_find_endp() returns a cached socket for endp_label (the
 *	caller owns it) and its properties, or -1.
 *	scache_save_dest() records that dest_label (the logical
 *	destination, e.g. "smtp:example.com:25") was served by the
 *	endpoint endp_label, so that a later find_dest for that
 *	destination gets one of the endpoint's cached sockets.
 *	scache_find_dest() returns a socket cached for a destination
 *	(the caller owns it) with both property strings, or -1.
 *	The save functions return 0, or -1 when the cache is not
 *	reachable (the caller closes the socket; nothing else happens).
 *	scache_client_failed() tells whether the last request failed
 *	to reach the service (twice, one second apart), as opposed to a
 *	plain miss; Postfix's smtp(8) then disables caching.
 *
 *	Every request and every reply after the greeting is one carrier
 *	byte, sent with sendmsg() and carrying a descriptor as
 *	SCM_RIGHTS when there is one, then the attribute list. The
 *	carrier goes first because the reader of the list reads ahead
 *	into its stream buffer: a descriptor that came after the list
 *	could be swallowed (and closed by the kernel) by that read.
 *	scache_carrier_send() sends the byte, with fd when fd >= 0;
 *	scache_carrier_recv() waits at most timeout seconds for it and
 *	reads exactly that byte. They return 0 (send), the descriptor
 *	or -1 when the byte came without one (recv), or -2 with why set
 *	(errno is ECONNRESET at the end of input).
 */
#ifndef SCACHE_CLIENT_H
#define SCACHE_CLIENT_H

#include "sys_defs.h"
#include "vstring.h"

#define SCACHE_PROTOCOL		"scache"

/* Requests and attributes (docs/internals/smtp-client.md, section 4). */
#define SCACHE_REQ_SAVE_ENDP	"save_endp"
#define SCACHE_REQ_FIND_ENDP	"find_endp"
#define SCACHE_REQ_SAVE_DEST	"save_dest"
#define SCACHE_REQ_FIND_DEST	"find_dest"
#define SCACHE_ATTR_TTL		"ttl"
#define SCACHE_ATTR_LABEL	"label"
#define SCACHE_ATTR_PROP	"prop"
#define SCACHE_ATTR_ENDP_LABEL	"endp_label"
#define SCACHE_ATTR_DEST_PROP	"dest_prop"
#define SCACHE_ATTR_ENDP_PROP	"endp_prop"
#define SCACHE_VALUE_LIMIT	4096	/* bytes in a label or properties */

typedef struct SCACHE_CLIENT SCACHE_CLIENT;

extern SCACHE_CLIENT *scache_client_open(const char *service);
extern void scache_client_close(SCACHE_CLIENT *sc);
extern bool scache_client_failed(const SCACHE_CLIENT *sc);
extern int scache_save_endp(SCACHE_CLIENT *sc, int ttl, const char *endp_label,
			            const char *endp_prop, int fd);
extern int scache_find_endp(SCACHE_CLIENT *sc, const char *endp_label,
			            VSTRING *endp_prop);
extern int scache_save_dest(SCACHE_CLIENT *sc, int ttl, const char *dest_label,
			            const char *dest_prop, const char *endp_label);
extern int scache_find_dest(SCACHE_CLIENT *sc, const char *dest_label,
			            VSTRING *dest_prop, VSTRING *endp_prop);
extern int scache_carrier_send(int sock, int fd, int timeout, VSTRING *why);
extern int scache_carrier_recv(int sock, int timeout, VSTRING *why);

#endif
