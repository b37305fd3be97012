/*
 * smtp_connect - one connection to one server address
 *
 * SYNOPSIS
 *	#include "smtp_addr.h"
 *
 *	struct SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state,
 *				const SMTP_ADDR *addr, DSN_BUF *why);
 *
 * DESCRIPTION
 *	smtp_connect_addr() opens a TCP connection (AF_INET, AF_INET6)
 *	or a UNIX-domain stream connection (LMTP) to addr, and returns a
 *	session from smtp_session_alloc() that owns the connection.
 *
 *	The connect is non-blocking and bounded by smtp_connect_timeout
 *	(lmtp_connect_timeout; 0: the system's limit); the socket is
 *	made blocking again afterwards (the session bounds each read and
 *	write with its own deadlines) and close-on-exec.
 *
 *	Before a TCP connect the socket is bound to smtp_bind_address
 *	(IPv4) or smtp_bind_address6 (IPv6) when set ("[addr]" allowed),
 *	or else to the single non-loopback address of that family that
 *	inet_interfaces names, as Postfix does for virtual hosting. A
 *	bind failure is a warning and the connection goes on unbound,
 *	unless smtp_bind_address_enforce = yes: then it fails with
 *	Postfix's "server configuration error" (4.4.0). A bind address
 *	that is not a numeric address of the right family is such a
 *	failure whatever the enforce setting (Postfix stops with a fatal
 *	error there: "smtp_connect_addr: bad smtp_bind_address parameter:
 *	VALUE: Name or service not known", which we log as a warning).
 *
 * DIAGNOSTICS
 *	Failure returns NULL with why set as Debian's Postfix 3.7 sets
 *	it, and for TCP the same text logged as an info line (Postfix
 *	logs each failed address, also when another one is tried next;
 *	it does not for a unix-domain socket):
 *	"connect to NAME[ADDR]:PORT: Connection refused" (TCP) or
 *	"connect to NAME[/path]: No such file or directory" (unix), all
 *	with status 4.4.1. Warnings as Postfix's: "smtp_connect_addr:
 *	bind 192.0.2.55: Cannot assign requested address".
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdio.h>
#include <strings.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "iostuff.h"
#include "connect.h"
#include "myaddrinfo.h"
#include "valid_hostname.h"
#include "inet_addr_list.h"
#include "own_inet_addr.h"
#include "smtp.h"
#include "smtp_addr.h"
#include "smtp_session.h"

/* smtp_connect_auto_bind - the one non-loopback inet_interfaces address */

static bool smtp_connect_auto_bind(int family, struct sockaddr_storage *ss)
{
    const INET_ADDR_LIST *own = own_inet_addr_list();
    const struct sockaddr_storage *found = NULL;
    size_t  n;

    if (strcasecmp(VAR_STR(inet_interfaces), "all") == 0)
	return (false);
    for (n = 0; n < own->used; n++) {
	if (own->addrs[n].ss_family != family)
	    continue;
	if (found != NULL)
	    return (false);
	found = own->addrs + n;
    }
    if (found == NULL)
	return (false);
    if (family == AF_INET
	&& (ntohl(((const struct sockaddr_in *) found)->sin_addr.s_addr)
	    >> 24) == 127)
	return (false);
    if (family == AF_INET6
	&& IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *) found)
				->sin6_addr))
	return (false);
    memcpy(ss, found, sizeof(*ss));
    return (true);
}

/* smtp_connect_bind_param - the configured source address, or none */

static int smtp_connect_bind_param(int family, struct sockaddr_storage *ss,
				           const char **param)
{
    struct addrinfo *res = NULL;
    VSTRING *text;
    const char *value;
    size_t  len;
    int     err;
    int     ok;

    *param = family == AF_INET6 ? SMTP_PARAM_NAME(bind_address6)
	: SMTP_PARAM_NAME(bind_address);
    value = family == AF_INET6 ? SMTP_STR(bind_address6)
	: SMTP_STR(bind_address);
    if (*value == 0)
	return (smtp_connect_auto_bind(family, ss) ? 1 : 0);
    text = vstring_alloc(100);
    len = strlen(value);
    if (len > 2 && value[0] == '[' && value[len - 1] == ']')
	vstring_strncpy(text, value + 1, len - 2);
    else
	vstring_strcpy(text, value);
    err = hostaddr_to_sockaddr(vstring_str(text), NULL, SOCK_STREAM, &res);
    ok = err == 0 && res->ai_family == family;
    if (ok)
	memcpy(ss, res->ai_addr, res->ai_addrlen);
    if (res)
	freeaddrinfo(res);
    vstring_free(text);
    if (!ok) {
	/* Postfix stops with this as a fatal error; we defer instead. */
	msg_warn("smtp_connect_addr: bad %s parameter: %s: %s", *param,
		 value, err ? MAI_STRERROR(err) : "wrong address family");
	return (-1);
    }
    return (1);
}

/* smtp_connect_bind - bind the socket to the source address, if any */

static int smtp_connect_bind(int sock, int family)
{
    struct sockaddr_storage ss;
    const char *param;
    int     status;
    MAI_HOSTADDR_STR text;

    memset(&ss, 0, sizeof(ss));
    status = smtp_connect_bind_param(family, &ss, &param);
    if (status <= 0)
	return (status);
    if (bind(sock, (struct sockaddr *) &ss,
	     sockaddr_len((struct sockaddr *) &ss)) == 0)
	return (0);
    if (sockaddr_to_hostaddr((struct sockaddr *) &ss,
			     sockaddr_len((struct sockaddr *) &ss), &text,
			     NULL, 0) != 0)
	strcpy(text.buf, "?");
    msg_warn("smtp_connect_addr: bind %s: %m", text.buf);
    return (SMTP_BOOL(bind_address_enforce) ? -1 : 0);
}

/* smtp_connect_unix - connect to a UNIX-domain socket */

static int smtp_connect_unix(const SMTP_ADDR *addr, int timeout)
{
    int     sock;

    /* unix_connect() sets close-on-exec and the blocking mode. */
    sock = unix_connect(addr->addr, BLOCKING, timeout);
    return (sock);
}

/* smtp_connect_inet - bind and connect a TCP socket */

static int smtp_connect_inet(const SMTP_ADDR *addr, int timeout,
			             bool *bind_failed)
{
    struct addrinfo *res = NULL;
    MAI_SERVPORT_STR port;
    int     sock;
    int     saved;

    *bind_failed = false;
    snprintf(port.buf, sizeof(port.buf), "%u", addr->port);
    if (hostaddr_to_sockaddr(addr->addr, port.buf, SOCK_STREAM, &res) != 0) {
	errno = EADDRNOTAVAIL;
	return (-1);
    }
    if ((sock = socket(res->ai_family, SOCK_STREAM, 0)) < 0) {
	saved = errno;
	freeaddrinfo(res);
	errno = saved;
	return (-1);
    }
    close_on_exec(sock, 1);
    if (smtp_connect_bind(sock, res->ai_family) < 0) {
	*bind_failed = true;
	(void) close(sock);
	freeaddrinfo(res);
	return (-1);
    }
    if (timed_connect(sock, res->ai_addr, res->ai_addrlen, timeout) < 0) {
	saved = errno;
	(void) close(sock);
	freeaddrinfo(res);
	errno = saved;
	return (-1);
    }
    freeaddrinfo(res);
    non_blocking(sock, BLOCKING);
    return (sock);
}

/* smtp_connect_addr - one connection, as a session */

SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state, const SMTP_ADDR *addr,
				        DSN_BUF *why)
{
    int     timeout = SMTP_TIME(connect_timeout);
    bool    bind_failed = false;
    int     sock;

    (void) state;
    if (addr->family == AF_UNIX)
	sock = smtp_connect_unix(addr, timeout);
    else
	sock = smtp_connect_inet(addr, timeout, &bind_failed);
    if (sock < 0) {
	if (bind_failed)
	    dsb_simple(why, "4.4.0", "server configuration error");
	else if (addr->family == AF_UNIX)
	    dsb_simple(why, "4.4.1", "connect to %s[%s]: %m",
		       addr->name, addr->addr);
	else
	    dsb_simple(why, "4.4.1", "connect to %s[%s]:%u: %m",
		       addr->name, addr->addr, addr->port);
	/* Debian's Postfix logs TCP failures only. */
	if (addr->family != AF_UNIX)
	    msg_info("%s", vstring_str(why->reason));
	return (NULL);
    }
    return (smtp_session_alloc(vstream_fdopen(sock, O_RDWR), addr));
}
