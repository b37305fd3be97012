/*
 * scache_client - talk to the connection cache, scache(8)
 *
 * SYNOPSIS
 *	#include "scache_client.h"
 *
 *	SCACHE_CLIENT *scache_client_open(const char *service);
 *	void	scache_client_close(SCACHE_CLIENT *sc);
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
 */
#ifndef SCACHE_CLIENT_H
#define SCACHE_CLIENT_H

#include "sys_defs.h"
#include "vstring.h"

#define SCACHE_PROTOCOL		"scache"

typedef struct SCACHE_CLIENT SCACHE_CLIENT;

extern SCACHE_CLIENT *scache_client_open(const char *service);
extern void scache_client_close(SCACHE_CLIENT *sc);
extern int scache_save_endp(SCACHE_CLIENT *sc, int ttl, const char *endp_label,
			            const char *endp_prop, int fd);
extern int scache_find_endp(SCACHE_CLIENT *sc, const char *endp_label,
			            VSTRING *endp_prop);
extern int scache_save_dest(SCACHE_CLIENT *sc, int ttl, const char *dest_label,
			            const char *dest_prop, const char *endp_label);
extern int scache_find_dest(SCACHE_CLIENT *sc, const char *dest_label,
			            VSTRING *dest_prop, VSTRING *endp_prop);

#endif
