/*
 * smtpd_peer - who the SMTP client is: address, port and checked name
 *
 * SYNOPSIS
 *	#include "smtpd.h"
 *
 *	void	smtpd_peer_init(SMTPD_STATE *state);
 *	void	smtpd_peer_from_addr(SMTPD_STATE *state, const char *addr,
 *				const char *port, const char *server_addr,
 *				const char *server_port);
 *
 * DESCRIPTION
 *	smtpd_peer_init() sets the client identity of a new session from
 *	its socket: the client's address and port (getpeername), the
 *	server's address and port (getsockname), then the name lookups
 *	of smtpd_peer_from_addr(). An IPv4-mapped IPv6 address
 *	(::ffff:a.b.c.d) becomes the plain IPv4 address.
 *
 *	When the client is not on an internet socket (smtpd -S, as run by
 *	"sendmail -bs", or a UNIX-domain service), the client is the
 *	local host, as in Postfix: name and reverse name "localhost",
 *	address 127.0.0.1, port "unknown"; no lookup is done. When the
 *	socket has no peer address any more (the client went away), the
 *	identity stays "unknown[unknown]".
 *
 *	smtpd_peer_from_addr() (also used after a PROXY header, see
 *	smtpd_haproxy.c) records the server end and looks up the client's
 *	name as Postfix does, when smtpd_peername_lookup = yes:
 *	-  the reverse lookup: the first PTR record of the address. Not
 *	   found: reverse name and name "unknown", both status 5; a
 *	   temporary failure: the same with status 4. A numeric name
 *	   ("warning: numeric hostname: N") or a name that is not a valid
 *	   host name counts as not found.
 *	-  the forward confirmation: the A and/or AAAA records of that
 *	   name (as inet_protocols allows) must include the address.
 *	   Then name = reverse name (status 2). Otherwise the name is
 *	   "unknown" with status 6 (forged) or, after a temporary
 *	   failure, 4, and a warning names the reason.
 *	With smtpd_peername_lookup = no both names are "unknown" with
 *	status 5 and no DNS query is sent.
 *
 *	Where the names come from: with an empty dns_resolver_address,
 *	as in Postfix, from the C library (getnameinfo(3), getaddrinfo(3))
 *	and so through the name service switch: /etc/hosts, then the
 *	system resolver, with its own time limits (resolv.conf). 127.0.0.1
 *	is then "localhost" as /etc/hosts says. With dns_resolver_address
 *	set (ours; the tests' private DNS server) the same order is kept
 *	with the DNS library in the place of the system resolver: the
 *	hosts file first (dns_hosts_name(), dns_hosts_addr()), then
 *	dns_lookup_ptr() and dns_lookup_types(), within
 *	dns_lookup_timeout.
 *
 * DIAGNOSTICS
 *	Warnings, with Postfix's wording: "numeric hostname: N",
 *	"hostname N does not resolve to address A", "hostname N does not
 *	resolve to address A: <reason>" where the reason is the C
 *	library's text for the failure ("Name or service not known", "No
 *	address associated with hostname", "Temporary failure in name
 *	resolution", "Non-recoverable failure in name resolution").
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "myaddrinfo.h"
#include "inet_proto.h"
#include "valid_hostname.h"
#include "mail_params.h"
#include "dns.h"
#include "dns_native.h"
#include "smtpd.h"

/* smtpd_peer_set_server - record the server end of the connection */

static void smtpd_peer_set_server(SMTPD_STATE *state, const char *addr,
				          const char *port)
{
    myfree(state->server_addr);
    state->server_addr = mystrdup(addr);
    myfree(state->server_port);
    state->server_port = mystrdup(port);
}

/* smtpd_peer_gai_text - the C library's words for a lookup status */

static const char *smtpd_peer_gai_text(int status)
{
    switch (status) {
    case DNS_NOTEXIST:
	return ("Name or service not known");
    case DNS_NOTFOUND:
	return ("No address associated with hostname");
    case DNS_RETRY:
	return ("Temporary failure in name resolution");
    default:
	return ("Non-recoverable failure in name resolution");
    }
}

/* smtpd_peer_nss_name - the C library's name of an address */

static int smtpd_peer_nss_name(const char *addr, VSTRING *name)
{
    struct sockaddr_storage ss;
    struct sockaddr_in *sin = (struct sockaddr_in *) &ss;
    struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;
    MAI_HOSTNAME_STR host;
    socklen_t len;
    int     err;

    memset(&ss, 0, sizeof(ss));
    if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
	sin->sin_family = AF_INET;
	len = sizeof(*sin);
    } else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
	sin6->sin6_family = AF_INET6;
	len = sizeof(*sin6);
    } else {
	return (DNS_INVAL);
    }
    if ((err = sockaddr_to_hostname((struct sockaddr *) &ss, len, &host,
				    (MAI_SERVNAME_STR *) 0, 0)) != 0) {
	if (msg_verbose)
	    msg_info("getnameinfo %s: %s", addr, MAI_STRERROR(err));
	return (err == EAI_AGAIN ? DNS_RETRY : DNS_NOTEXIST);
    }
    vstring_strcpy(name, host.buf);
    return (DNS_OK);
}

/* smtpd_peer_dns_name - the hosts file's or else the PTR name */

static int smtpd_peer_dns_name(const char *addr, VSTRING *name)
{
    DNS_RR *list = 0;
    int     status;

    if (dns_hosts_name(addr, name))
	return (DNS_OK);
    status = dns_lookup_ptr(addr, &list, (VSTRING *) 0);
    if (status == DNS_OK && list != 0)
	vstring_strcpy(name, list->data);
    else if (status == DNS_OK)
	status = DNS_NOTFOUND;
    dns_rr_free(list);
    return (status);
}

/* smtpd_peer_reverse - the name of an address, or a status */

static int smtpd_peer_reverse(const char *addr, VSTRING *name)
{
    int     status;

    status = (*VAR_STR(dns_resolver_address) == 0 ?
	      smtpd_peer_nss_name(addr, name) :
	      smtpd_peer_dns_name(addr, name));
    if (status == DNS_RETRY)
	return (SMTPD_PEER_CODE_TEMP);
    if (status != DNS_OK)
	return (SMTPD_PEER_CODE_PERM);
    if (valid_hostaddr(vstring_str(name), DONT_GRIPE)) {
	msg_warn("numeric hostname: %s", vstring_str(name));
	return (SMTPD_PEER_CODE_PERM);
    }
    if (!valid_hostname(vstring_str(name), DONT_GRIPE))
	return (SMTPD_PEER_CODE_PERM);
    return (SMTPD_PEER_CODE_OK);
}

/* smtpd_peer_forward - does name resolve to addr? */

static int smtpd_peer_forward(const char *name, const char *addr)
{
    static const INET_PROTO_INFO *proto;
    int     types[3];
    DNS_RR *list = 0;
    DNS_RR *rr;
    VSTRING *text = vstring_alloc(50);
    int     status;
    int     n;
    int     found = 0;

    /* inet_protocols decides which address records count. */
    if (proto == 0)
	proto = inet_proto_init(PARAM_NAME(inet_protocols),
				VAR_STR(inet_protocols));
    for (n = 0; n < 2 && proto->dns_atype_list[n] != 0; n++)
	types[n] = (int) proto->dns_atype_list[n];
    types[n] = 0;
    if (n == 0)
	status = DNS_NOTFOUND;
    else if (*VAR_STR(dns_resolver_address) == 0)
	status = dns_native_lookup(name, &list, (VSTRING *) 0);
    else if (dns_hosts_addr(name, types, &list))
	status = (list != 0 ? DNS_OK : DNS_NOTFOUND);
    else
	status = dns_lookup_types(name, types, 0, &list, (VSTRING *) 0,
				  (VSTRING *) 0);
    if (status != DNS_OK) {
	msg_warn("hostname %s does not resolve to address %s: %s",
		 name, addr, smtpd_peer_gai_text(status));
	vstring_free(text);
	return (status == DNS_RETRY ? SMTPD_PEER_CODE_TEMP :
		SMTPD_PEER_CODE_FORGED);
    }
    for (rr = list; rr != 0 && !found; rr = rr->next)
	if (dns_rr_to_pa(rr, text) != 0 && strcmp(vstring_str(text), addr) == 0)
	    found = 1;
    dns_rr_free(list);
    vstring_free(text);
    if (!found) {
	msg_warn("hostname %s does not resolve to address %s", name, addr);
	return (SMTPD_PEER_CODE_FORGED);
    }
    return (SMTPD_PEER_CODE_OK);
}

/* smtpd_peer_from_addr - identity from an address: lookups, then set */

void    smtpd_peer_from_addr(SMTPD_STATE *state, const char *addr,
			             const char *port, const char *server_addr,
			             const char *server_port)
{
    VSTRING *reverse = vstring_alloc(100);
    const char *name = "unknown";
    const char *reverse_name = "unknown";
    int     name_status = SMTPD_PEER_CODE_PERM;
    int     reverse_status = SMTPD_PEER_CODE_PERM;

    smtpd_peer_set_server(state, server_addr, server_port);
    if (VAR_BOOL(smtpd_peername_lookup)) {
	reverse_status = smtpd_peer_reverse(addr, reverse);
	name_status = reverse_status;
	if (reverse_status == SMTPD_PEER_CODE_OK) {
	    reverse_name = vstring_str(reverse);
	    name_status = smtpd_peer_forward(reverse_name, addr);
	    if (name_status == SMTPD_PEER_CODE_OK)
		name = reverse_name;
	}
    }
    smtpd_state_set_peer(state, name, reverse_name, addr, port,
			 name_status, reverse_status);
    vstring_free(reverse);
}

/* smtpd_peer_sockaddr - printable address and port, IPv4 unmapped */

static int smtpd_peer_sockaddr(struct sockaddr_storage *ss, socklen_t len,
			               MAI_HOSTADDR_STR *addr,
			               MAI_SERVPORT_STR *port)
{
    struct sockaddr_in sin;

    if (ss->ss_family != AF_INET && ss->ss_family != AF_INET6)
	return (-1);
    if (sockaddr_unmap_v4((struct sockaddr *) ss, &sin)) {
	memcpy(ss, &sin, sizeof(sin));
	len = sizeof(sin);
    }
    return (sockaddr_to_hostaddr((struct sockaddr *) ss, len, addr, port, 0)
	    == 0 ? 0 : -1);
}

/* smtpd_peer_init - identity of the client on the session's socket */

void    smtpd_peer_init(SMTPD_STATE *state)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;
    MAI_HOSTADDR_STR server_addr;
    MAI_SERVPORT_STR server_port;
    int     fd = vstream_fileno(state->client);

    memset(&ss, 0, sizeof(ss));
    errno = 0;
    if ((state->flags & SMTPD_FLAG_STANDALONE)
	|| getpeername(fd, (struct sockaddr *) &ss, &len) < 0
	|| (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
	if ((state->flags & SMTPD_FLAG_STANDALONE) || errno == ENOTSOCK
	    || ss.ss_family == AF_UNIX) {
	    smtpd_peer_set_server(state, "127.0.0.1", "unknown");
	    smtpd_state_set_peer(state, "localhost", "localhost", "127.0.0.1",
				 "unknown", SMTPD_PEER_CODE_OK,
				 SMTPD_PEER_CODE_OK);
	}
	/* Else the client left already: stay unknown[unknown]. */
	return;
    }
    if (smtpd_peer_sockaddr(&ss, len, &addr, &port) < 0)
	return;
    len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *) &ss, &len) < 0
	|| smtpd_peer_sockaddr(&ss, len, &server_addr, &server_port) < 0) {
	smtpd_peer_from_addr(state, addr.buf, port.buf, "unknown", "unknown");
	return;
    }
    smtpd_peer_from_addr(state, addr.buf, port.buf, server_addr.buf,
			 server_port.buf);
}
