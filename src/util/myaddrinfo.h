/*
 * myaddrinfo - getaddrinfo(3) and getnameinfo(3) made convenient
 *
 * SYNOPSIS
 *	#include "myaddrinfo.h"
 *
 *	typedef struct { char buf[...]; } MAI_HOSTADDR_STR;
 *	typedef struct { char buf[...]; } MAI_SERVPORT_STR;
 *	typedef struct { char buf[...]; } MAI_HOSTNAME_STR;
 *	typedef struct { char buf[...]; } MAI_SERVNAME_STR;
 *
 *	int	hostname_to_sockaddr(const char *host, const char *service,
 *				int socktype, struct addrinfo **res);
 *	int	hostname_to_sockaddr_pf(const char *host, int pf,
 *				const char *service, int socktype,
 *				struct addrinfo **res);
 *	int	hostaddr_to_sockaddr(const char *hostaddr, const char *service,
 *				int socktype, struct addrinfo **res);
 *	int	sockaddr_to_hostaddr(const struct sockaddr *sa, socklen_t salen,
 *				MAI_HOSTADDR_STR *hostaddr,
 *				MAI_SERVPORT_STR *portnum, int socktype);
 *	int	sockaddr_to_hostname(const struct sockaddr *sa, socklen_t salen,
 *				MAI_HOSTNAME_STR *hostname,
 *				MAI_SERVNAME_STR *service, int socktype);
 *	bool	sockaddr_unmap_v4(const struct sockaddr *sa,
 *				struct sockaddr_in *sin);
 *	socklen_t sockaddr_len(const struct sockaddr *sa);
 *	const char *MAI_STRERROR(int status);
 *
 * DESCRIPTION
 *	hostname_to_sockaddr() looks up a host name or numeric address
 *	and a service (port number or name) for the given socket type
 *	(SOCK_STREAM, SOCK_DGRAM, or 0 for any), restricted to the
 *	address families of inet_proto_info(). A null host asks for the
 *	wildcard addresses to bind to (AI_PASSIVE); a null service gives
 *	port 0. The result list must be freed with freeaddrinfo(3).
 *	hostname_to_sockaddr_pf() is the same with an explicit family
 *	(AF_UNSPEC, AF_INET or AF_INET6) instead of inet_proto_info().
 *
 *	hostaddr_to_sockaddr() accepts only numeric addresses (checked
 *	with valid_hostaddr() first, so that inet_aton() oddities such as
 *	"1.2.3" or "010.1.1.1" are refused) and numeric services, and
 *	never touches the network. A null hostaddr means the wildcard.
 *
 *	sockaddr_to_hostaddr() formats the address and port of an
 *	AF_INET or AF_INET6 socket address as numeric text, without an
 *	IPv6 zone suffix. Either result pointer may be null. The text is
 *	produced by this module (inet_ntop() and decimal digits), so the
 *	fixed-size buffers always suffice. socktype is ignored and kept
 *	for symmetry.
 *
 *	sockaddr_to_hostname() does a reverse (PTR) lookup with
 *	NI_NAMEREQD and, when service is not null, a service name lookup
 *	(numeric when no name is known).
 *
 *	sockaddr_unmap_v4() converts an IPv4-mapped IPv6 address
 *	(::ffff:a.b.c.d) into a plain IPv4 socket address with the same
 *	port, and returns true; other addresses return false.
 *
 *	sockaddr_len() returns the length of an AF_INET, AF_INET6 or
 *	AF_UNIX (whole structure) socket address, 0 for other families.
 *
 *	MAI_STRERROR() turns a result code into text (strerror(errno)
 *	for EAI_SYSTEM, gai_strerror() otherwise).
 *
 * DIAGNOSTICS
 *	The lookup functions return 0 or an EAI_* code like getaddrinfo().
 *	sockaddr_to_hostaddr() returns EAI_FAMILY for an unsupported
 *	family and EAI_FAIL when salen is too short for it.
 */
#ifndef MYADDRINFO_H
#define MYADDRINFO_H

#include "sys_defs.h"
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>

typedef struct MAI_HOSTADDR_STR {
    char    buf[INET6_ADDRSTRLEN];
} MAI_HOSTADDR_STR;

typedef struct MAI_SERVPORT_STR {
    char    buf[sizeof("65535")];
} MAI_SERVPORT_STR;

typedef struct MAI_HOSTNAME_STR {
    char    buf[NI_MAXHOST];
} MAI_HOSTNAME_STR;

typedef struct MAI_SERVNAME_STR {
    char    buf[NI_MAXSERV];
} MAI_SERVNAME_STR;

#define MAI_V4ADDR_BYTES	4
#define MAI_V6ADDR_BYTES	16
#define MAI_V4ADDR_BITS		32
#define MAI_V6ADDR_BITS		128

#define MAI_STRERROR(e) \
	((e) == EAI_SYSTEM ? strerror(errno) : gai_strerror(e))

extern int hostname_to_sockaddr(const char *host, const char *service,
				        int socktype, struct addrinfo **res);
extern int hostname_to_sockaddr_pf(const char *host, int pf,
				           const char *service, int socktype,
				           struct addrinfo **res);
extern int hostaddr_to_sockaddr(const char *hostaddr, const char *service,
				        int socktype, struct addrinfo **res);
extern int sockaddr_to_hostaddr(const struct sockaddr *sa, socklen_t salen,
				        MAI_HOSTADDR_STR *hostaddr,
				        MAI_SERVPORT_STR *portnum, int socktype);
extern int sockaddr_to_hostname(const struct sockaddr *sa, socklen_t salen,
				        MAI_HOSTNAME_STR *hostname,
				        MAI_SERVNAME_STR *service, int socktype);
extern bool sockaddr_unmap_v4(const struct sockaddr *sa,
			              struct sockaddr_in *sin);
extern socklen_t sockaddr_len(const struct sockaddr *sa);

#endif
