/*
 * qmqpd_peer - who the QMQP client is
 *
 * DESCRIPTION
 *	See qmqpd.h. The forward check of the reverse name keeps a client
 *	that controls its own PTR record from claiming a name that is not
 *	its own (the name that qmqpd_authorized_clients and the Received:
 *	header use).
 */
#include "sys_defs.h"
#include <string.h>
#include <sys/socket.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "myaddrinfo.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "qmqpd.h"

/* qmqpd_peer_confirmed - does a forward lookup of name give addr back */
static bool qmqpd_peer_confirmed(const char *name, const char *addr)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    MAI_HOSTADDR_STR found;
    bool    ok = false;

    if (hostname_to_sockaddr_pf(name, AF_UNSPEC, NULL, SOCK_STREAM, &res0) != 0)
	return false;
    for (res = res0; res != NULL && !ok; res = res->ai_next)
	if (sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, &found,
				 NULL, 0) == 0 && strcmp(found.buf, addr) == 0)
	    ok = true;
    freeaddrinfo(res0);
    return ok;
}

/* qmqpd_peer_set - fill in a peer */
static void qmqpd_peer_set(QMQPD_PEER *peer, const char *name,
			           const char *reverse_name, const char *addr,
			           const char *port)
{
    peer->name = mystrdup(name);
    peer->reverse_name = mystrdup(reverse_name);
    peer->addr = mystrdup(addr);
    peer->port = mystrdup(port);
    if (VAR_BOOL(qmqpd_client_port_logging))
	peer->namaddr = concatenate(name, "[", addr, "]:", port, (char *) 0);
    else
	peer->namaddr = concatenate(name, "[", addr, "]", (char *) 0);
}

/* qmqpd_peer_lookup - the client's address and names */
void    qmqpd_peer_lookup(VSTREAM *client, QMQPD_PEER *peer)
{
    struct sockaddr_storage ss;
    struct sockaddr_in sin;
    struct sockaddr *sa = (struct sockaddr *) &ss;
    socklen_t len = sizeof(ss);
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;
    MAI_HOSTNAME_STR name;
    const char *reverse = "unknown";
    const char *verified = "unknown";

    if (getpeername(vstream_fileno(client), sa, &len) < 0
	|| (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)) {
	qmqpd_peer_set(peer, "localhost", "localhost", "127.0.0.1", "0");
	return;
    }
    if (sockaddr_unmap_v4(sa, &sin)) {
	memcpy(&ss, &sin, sizeof(sin));
	len = sizeof(sin);
    }
    if (sockaddr_to_hostaddr(sa, len, &addr, &port, 0) != 0) {
	qmqpd_peer_set(peer, "unknown", "unknown", "unknown", "unknown");
	return;
    }
    if (sockaddr_to_hostname(sa, len, &name, NULL, 0) == 0
	&& valid_hostname(name.buf, DONT_GRIPE)) {
	reverse = name.buf;
	if (qmqpd_peer_confirmed(name.buf, addr.buf))
	    verified = name.buf;
	else
	    msg_warn("hostname %s does not resolve to address %s",
		     name.buf, addr.buf);
    }
    qmqpd_peer_set(peer, verified, reverse, addr.buf, port.buf);
}

/* qmqpd_peer_free - release a peer's strings */
void    qmqpd_peer_free(QMQPD_PEER *peer)
{
    myfree(peer->name);
    myfree(peer->reverse_name);
    myfree(peer->addr);
    myfree(peer->port);
    myfree(peer->namaddr);
}
