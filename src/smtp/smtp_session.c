/*
 * smtp_session - one connection to an SMTP or LMTP server
 *
 * SYNOPSIS
 *	#include "smtp_session.h"
 *
 *	SMTP_SESSION *smtp_session_alloc(VSTREAM *stream,
 *				const SMTP_ADDR *addr);
 *	void	smtp_session_free(SMTP_SESSION *session);
 *	int	smtp_session_passivate(SMTP_SESSION *session, VSTRING *prop);
 *	SMTP_SESSION *smtp_session_activate(int fd, const char *prop,
 *				VSTRING *why);
 *	void	smtp_session_deadline(SMTP_SESSION *session, int seconds);
 *
 *	MAPS	*smtp_maps_get(SMTP_MAPS *lazy, int smtp_idx, int lmtp_idx);
 *	void	smtp_maps_reset(SMTP_MAPS *lazy);
 *
 * DESCRIPTION
 *	smtp_session_alloc() makes a session for a connected stream and
 *	the server it reaches: the log forms "host[addr]" and
 *	"host[addr]:port" (just the name for a server without an
 *	address, a unix-domain LMTP socket), the connect time, and
 *	whether debug_peer_list names the server: then msg_verbose is
 *	raised by debug_peer_level until the session is freed or
 *	passivated, and the conversation is logged. The session owns the
 *	stream.
 *
 *	smtp_session_free() closes the stream and frees the session.
 *
 *	smtp_session_passivate() writes the properties a cached session
 *	needs into prop (one line of tab-separated fields: host, addr,
 *	port, features, size limit, reuse count, connect time, the
 *	server's greeting name, the PIX workarounds), detaches the socket from the stream,
 *	frees the session and returns the socket. The TLS state of the
 *	next issue will be saved here too.
 *
 *	smtp_session_activate() makes a session from a cached socket
 *	and its properties (the reuse count is the number of
 *	transactions already done; smtp_xfer() adds one when a
 *	transaction ends, so conn_use = reuse_count + 1). It returns
 *	NULL with why set when prop is malformed (the caller closes fd).
 *
 *	smtp_session_deadline() bounds every read and write of the
 *	session from now on by seconds (one per protocol stage, as the
 *	smtp_*_timeout parameters say; 0: no limit).
 *
 *	smtp_maps_get() opens the tables of a client parameter (the
 *	smtp_ or lmtp_ one by mode: STR_PARAM indexes) on first use and
 *	returns them, NULL when the parameter is empty. smtp_maps_reset()
 *	closes them, so that the next use reads the parameter again.
 *
 * DIAGNOSTICS
 *	Panic: a session without a stream.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "host_addr_list.h"
#include "maps.h"
#include "mail_params.h"
#include "smtp_session.h"
#include "smtp_proto.h"

/* Number of fields in the cached properties. */
#define SMTP_PROP_FIELDS	9

/* session_debug_peer - does debug_peer_list name this server? */

static int session_debug_peer(const char *host, const char *addr)
{
    static HOST_ADDR_LIST *list;
    static int done;
    const char *patterns = VAR_STR(debug_peer_list);

    if (!done) {
	done = 1;
	if (*patterns)
	    list = host_addr_list_create(PARAM_NAME(debug_peer_list),
					 patterns, 0);
    }
    if (list == 0)
	return (0);
    return (host_addr_list_match(list, host, *addr ? addr : 0) > 0);
}

/* session_make - the common part of alloc and activate */

static SMTP_SESSION *session_make(VSTREAM *stream, const char *host,
				          const char *addr, unsigned port)
{
    SMTP_SESSION *session = (SMTP_SESSION *) mymalloc(sizeof(*session));

    memset(session, 0, sizeof(*session));
    session->stream = stream;
    session->host = mystrdup(host);
    session->addr = mystrdup(addr);
    session->port = port;
    if (*addr) {
	session->namaddr = concatenate(host, "[", addr, "]", (char *) 0);
	session->namaddrport = mymalloc(strlen(session->namaddr) + 12);
	sprintf(session->namaddrport, "%s:%u", session->namaddr, port);
    } else {
	session->namaddr = mystrdup(host);
	session->namaddrport = mystrdup(host);
    }
    session->helo = mystrdup("");
    session->features = 0;
    session->size_limit = 0;
    session->reuse_count = 0;
    session->connect_time = time((time_t *) 0);
    session->reused = 0;
    session->tls_context = 0;
    session->buffer = vstring_alloc(100);
    session->scratch = vstring_alloc(100);
    /* As Postfix: debug_peer_level more verbose while this peer talks. */
    if (session_debug_peer(host, addr) && VAR_INT(debug_peer_level) > 0) {
	session->debug = (int) VAR_INT(debug_peer_level);
	msg_verbose += session->debug;
    }
    vstream_set_path(stream, session->namaddrport);
    return (session);
}

/* smtp_session_alloc - a session for a new connection */

SMTP_SESSION *smtp_session_alloc(VSTREAM *stream, const SMTP_ADDR *addr)
{
    if (stream == 0)
	msg_panic("%s: no stream", __func__);
    return (session_make(stream, addr->name, addr->addr, addr->port));
}

/* session_release - free everything but the stream */

static void session_release(SMTP_SESSION *session)
{
    msg_verbose -= session->debug;
    myfree(session->host);
    myfree(session->addr);
    myfree(session->namaddr);
    myfree(session->namaddrport);
    myfree(session->helo);
    vstring_free(session->buffer);
    vstring_free(session->scratch);
    myfree(session);
}

/* smtp_session_free - close the connection and free the session */

void    smtp_session_free(SMTP_SESSION *session)
{
    if (session->stream)
	(void) vstream_fclose(session->stream);
    session_release(session);
}

/* prop_clean - a property field without tabs or line ends */

static char *prop_clean(VSTRING *buf, const char *str)
{
    const char *cp;

    VSTRING_RESET(buf);
    for (cp = str; *cp; cp++)
	VSTRING_ADDCH(buf, (*cp == '\t' || *cp == '\n' || *cp == '\r') ?
		      '?' : *cp);
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

/* smtp_session_passivate - properties for the cache, and the socket */

int     smtp_session_passivate(SMTP_SESSION *session, VSTRING *prop)
{
    VSTRING *h = vstring_alloc(50);
    VSTRING *a = vstring_alloc(50);
    VSTRING *g = vstring_alloc(50);
    int     fd;

    vstring_sprintf(prop, "%s\t%s\t%u\t%d\t%lld\t%d\t%lld\t%s\t%d",
		    prop_clean(h, session->host), prop_clean(a, session->addr),
		    session->port, session->features,
		    (long long) session->size_limit, session->reuse_count,
		    (long long) session->connect_time,
		    prop_clean(g, session->helo), session->pix_flags);
    vstring_free(h);
    vstring_free(a);
    vstring_free(g);
    fd = vstream_fileno(session->stream);
    (void) vstream_fdclose(session->stream);
    session->stream = 0;
    session_release(session);
    return (fd);
}

/* prop_number - a non-negative decimal field, or -1 */

static long long prop_number(const char *str)
{
    char   *end;
    long long val;

    if (!alldig(str) || *str == 0 || strlen(str) > 18)
	return (-1);
    val = strtoll(str, &end, 10);
    return (*end ? -1 : val);
}

/* smtp_session_activate - a session from a cached socket */

SMTP_SESSION *smtp_session_activate(int fd, const char *prop, VSTRING *why)
{
    ARGV   *fields;
    SMTP_SESSION *session;
    long long port, features, size, reuse, when, pix;
    char   *copy;
    char   *cp;
    char   *next;

    /* argv_split() would merge empty fields; split by hand. */
    fields = argv_alloc(SMTP_PROP_FIELDS);
    copy = mystrdup(prop);
    for (cp = copy; cp != 0; cp = next) {
	if ((next = strchr(cp, '\t')) != 0)
	    *next++ = 0;
	argv_add(fields, cp, (char *) 0);
    }
    myfree(copy);
    if (fields->argc != SMTP_PROP_FIELDS
	|| (port = prop_number(fields->argv[2])) < 0 || port > 65535
	|| (features = prop_number(fields->argv[3])) < 0
	|| features > 0x7fffffff
	|| (size = prop_number(fields->argv[4])) < 0
	|| (reuse = prop_number(fields->argv[5])) < 0 || reuse > 0x7ffffff0
	|| (when = prop_number(fields->argv[6])) < 0
	|| (pix = prop_number(fields->argv[8])) < 0 || pix > 0xffff
	|| *fields->argv[0] == 0) {
	vstring_sprintf(why, "malformed cached session properties: \"%.100s\"",
			prop);
	argv_free(fields);
	return (0);
    }
    session = session_make(vstream_fdopen(fd, O_RDWR), fields->argv[0],
			   fields->argv[1], (unsigned) port);
    session->features = (int) features;
    session->size_limit = (off_t) size;
    session->reuse_count = (int) reuse;
    session->connect_time = (time_t) when;
    session->reused = 1;
    session->pix_flags = (int) pix;
    myfree(session->helo);
    session->helo = mystrdup(fields->argv[7]);
    argv_free(fields);
    return (session);
}

/* smtp_maps_get - a client table parameter, opened on first use */

MAPS   *smtp_maps_get(SMTP_MAPS *lazy, int smtp_idx, int lmtp_idx)
{
    const char *names;

    if (!lazy->done) {
	lazy->done = 1;
	names = smtp_param_str(smtp_idx, lmtp_idx);
	if (*names)
	    lazy->maps = maps_create(mail_param_table[smtp_mode ? smtp_idx :
						      lmtp_idx].name, names,
				     DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    }
    return (lazy->maps);
}

/* smtp_maps_reset - close a table opened by smtp_maps_get() */

void    smtp_maps_reset(SMTP_MAPS *lazy)
{
    if (lazy->maps)
	lazy->maps = maps_free(lazy->maps);
    lazy->done = 0;
}

/* smtp_session_deadline - bound each read and write from now on */

void    smtp_session_deadline(SMTP_SESSION *session, int seconds)
{
    vstream_set_timeout(session->stream, seconds);
}
