/*
 * master_ent - turn a master.cf entry into a service description
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	MASTER_SERV *master_ent_create(const MASTER_ENTRY *entry,
 *				VSTRING *why);
 *	void	master_ent_free(MASTER_SERV *serv);
 *	bool	master_ent_disabled(const MASTER_ENTRY *entry,
 *				const char *disable_list);
 *	bool	master_ent_inet_port(const char *text, VSTRING *port,
 *				VSTRING *why);
 *	ARGV	*master_ent_exec_args(const MASTER_SERV *serv, bool stress);
 *
 * DESCRIPTION
 *	master_ent_create() interprets one parsed master.cf entry (see
 *	master_conf(3)) with the current master_vars settings: the field
 *	defaults (private y, unprivileged y, chroot n, wakeup 0, process
 *	limit $default_process_limit), the endpoint name, the program
 *	path $daemon_directory/<command>, and for inet services the
 *	addresses to listen on. It returns NULL with a reason in why (the
 *	caller adds the file and line) for an inet service marked private,
 *	a bad host:port, a host that does not resolve, or no address at
 *	all. Nothing is opened: see master_listen(3).
 *
 *	Endpoint names: "private/<name>" or "public/<name>" (relative to
 *	the queue directory) for unix, unix-dgram, fifo and pass
 *	services; for inet services the numeric port ("25") when the
 *	master.cf name has no host, else "[host]:port". An inet service
 *	without a host listens on every address of $inet_interfaces
 *	("all" means the wildcard address of each protocol in
 *	$inet_protocols, "loopback-only" the loopback addresses); with a
 *	host, on that host's addresses.
 *
 *	master_ent_inet_port() converts a port number or name (from
 *	$known_tcp_ports, else services(5)) to the number as text.
 *
 *	master_ent_disabled() tells whether $master_service_disable
 *	turns the entry off: the list holds service types ("inet") and
 *	name/type pairs ("smtp/inet"); a "!" in front makes an exception,
 *	and the first pattern that matches decides.
 *
 *	master_ent_exec_args() builds the command line of a new child:
 *	the command name, then -l (process limit 1) or -z (no limit),
 *	-n <service> when it differs from the command name, -t <type>, -d
 *	when master(8) does not detach, one -v per master -v, -u for
 *	unprivileged and -c for chroot services, "-o stress=yes" (or
 *	"-o stress=") for network services with a process limit above 1,
 *	-s <count> for more than one listener, and then the master.cf
 *	arguments. The result must be freed with argv_free().
 *
 *	master_ent_free() releases a service that has no listeners,
 *	status channel or timers left.
 *
 * DIAGNOSTICS
 *	Errors in why: "inet service cannot be private", "<reason> in
 *	\"<name>\"" (a host_port() reason), "missing port in \"<name>\"",
 *	"unknown service port \"<port>\"", "bad hostname or network
 *	address: <name>", "no valid IP address found: <name>".
 */
#include "sys_defs.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "argv.h"
#include "vstring.h"
#include "host_port.h"
#include "myaddrinfo.h"
#include "inet_proto.h"
#include "inet_addr_list.h"
#include "master_proto.h"
#include "master.h"

/* master_ent_inet_port - port number or name to number text */
bool    master_ent_inet_port(const char *text, VSTRING *port, VSTRING *why)
{
    ARGV   *known;
    size_t  n;
    size_t  last;
    struct servent *se;

    if (alldig(text)) {
	if (strlen(text) > 5 || atoi(text) > 65535) {
	    vstring_sprintf(why, "bad port number \"%s\"", excerpt(text));
	    return false;
	}
	vstring_sprintf(port, "%d", atoi(text));
	return true;
    }
    /* known_tcp_ports: "name=name2=...=number" items. */
    known = argv_split(var_master_known_ports ? var_master_known_ports : "",
		       CHARS_COMMA_SP);
    for (n = 0; n < known->argc; n++) {
	char   *item = known->argv[n];
	ARGV   *names = argv_split(item, "=");

	last = names->argc - 1;
	for (size_t k = 0; names->argc > 1 && k < last; k++) {
	    if (strcmp(names->argv[k], text) == 0 && alldig(names->argv[last])) {
		vstring_strcpy(port, names->argv[last]);
		argv_free(names);
		argv_free(known);
		return true;
	    }
	}
	argv_free(names);
    }
    argv_free(known);
    if ((se = getservbyname(text, "tcp")) != NULL) {
	vstring_sprintf(port, "%d", ntohs((unsigned short) se->s_port));
	return true;
    }
    vstring_sprintf(why, "unknown service port \"%s\"", excerpt(text));
    return false;
}

/* master_ent_add_host - append the addresses of one host */
static bool master_ent_add_host(INET_ADDR_LIST *list, const char *host)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    char   *copy = mystrdup(host);
    char   *name = copy;
    size_t  len = strlen(name);

    if (len >= 2 && name[0] == '[' && name[len - 1] == ']') {
	name[len - 1] = 0;
	name++;
    }
    if (hostname_to_sockaddr(name, NULL, SOCK_STREAM, &res0) != 0) {
	myfree(copy);
	return false;
    }
    for (res = res0; res != NULL; res = res->ai_next)
	if (res->ai_family == AF_INET || res->ai_family == AF_INET6)
	    inet_addr_list_append(list, res->ai_addr);
    freeaddrinfo(res0);
    myfree(copy);
    return true;
}

/* master_ent_add_family_addr - a fixed address for each protocol */
static void master_ent_add_family_addr(INET_ADDR_LIST *list,
				               const char *v4, const char *v6)
{
    const INET_PROTO_INFO *proto = inet_proto_info();
    struct addrinfo *res;
    const int *fp;

    for (fp = proto->family_list; *fp; fp++) {
	if (hostaddr_to_sockaddr(*fp == AF_INET ? v4 : v6, NULL, SOCK_STREAM,
				 &res) == 0) {
	    inet_addr_list_append(list, res->ai_addr);
	    freeaddrinfo(res);
	}
    }
}

/* master_ent_interfaces - addresses of $inet_interfaces */
static bool master_ent_interfaces(INET_ADDR_LIST *list, VSTRING *why)
{
    const char *value = var_master_inet_interfaces;
    ARGV   *items = argv_split(value, CHARS_COMMA_SP);
    size_t  n;
    bool    ok = true;

    for (n = 0; ok && n < items->argc; n++) {
	if (strcasecmp(items->argv[n], "all") == 0)
	    master_ent_add_family_addr(list, "0.0.0.0", "::");
	else if (strcasecmp(items->argv[n], "loopback-only") == 0)
	    master_ent_add_family_addr(list, "127.0.0.1", "::1");
	else if (!master_ent_add_host(list, items->argv[n])) {
	    vstring_sprintf(why, "inet_interfaces: bad hostname or network "
			    "address: %s", excerpt(items->argv[n]));
	    ok = false;
	}
    }
    argv_free(items);
    return ok;
}

/* master_ent_loopback - is this a loopback address? */
static bool master_ent_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
	return (ntohl(((const struct sockaddr_in *) sa)->sin_addr.s_addr)
		>> 24) == 127;
    if (sa->sa_family == AF_INET6)
	return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *) sa)->sin6_addr);
    return false;
}

/* master_ent_inet - name and listen addresses of an inet service */
static bool master_ent_inet(MASTER_SERV *serv, VSTRING *why)
{
    char   *buf = mystrdup(serv->service);
    const char *host;
    const char *port;
    const char *err;
    VSTRING *port_num = vstring_alloc(10);
    VSTRING *text = vstring_alloc(100);
    INET_ADDR_LIST list;
    MAI_HOSTADDR_STR addr;
    bool    ok = false;
    bool    local_only = true;
    size_t  n;

    inet_addr_list_init(&list);

    /*
     * Without ':' or brackets, the whole name is the port ("smtp",
     * "10025"): master.cf lets the host part go, not the port.
     */
    if (strchr(buf, ':') == NULL && buf[0] != '[') {
	host = "";
	port = buf;
	err = NULL;
    } else {
	err = host_port(buf, &host, "", &port, NULL);
    }
    if (err != NULL) {
	vstring_sprintf(why, "%s in \"%s\"", err, excerpt(serv->service));
    } else if (port == NULL || *port == 0) {
	vstring_sprintf(why, "missing port in \"%s\"", excerpt(serv->service));
    } else if (!master_ent_inet_port(port, port_num, why)) {
	 /* why is set */ ;
    } else if (*host != 0 && !master_ent_add_host(&list, host)) {
	vstring_sprintf(why, "bad hostname or network address: %s",
			excerpt(serv->service));
    } else if (*host == 0 && !master_ent_interfaces(&list, why)) {
	 /* why is set */ ;
    } else if (inet_addr_list_uniq(&list), list.used == 0) {
	vstring_sprintf(why, "no valid IP address found: %s",
			excerpt(serv->service));
    } else {
	if (*host != 0) {
	    serv->endpoint = concatenate("[", host, "]:", vstring_str(port_num),
					 (char *) 0);
	    lowercase(serv->endpoint);
	} else {
	    serv->endpoint = mystrdup(vstring_str(port_num));
	}
	serv->listeners.inet_addrs = argv_alloc(list.used);
	for (n = 0; n < list.used; n++) {
	    const struct sockaddr *sa = (const struct sockaddr *) (list.addrs + n);

	    if (!master_ent_loopback(sa))
		local_only = false;
	    if (sockaddr_to_hostaddr(sa, sockaddr_len(sa), &addr, NULL, 0) != 0)
		msg_panic("master_ent_inet: cannot format a socket address");
	    host_port_format(text, addr.buf, vstring_str(port_num));
	    argv_add(serv->listeners.inet_addrs, vstring_str(text), (char *) 0);
	}
	serv->listeners.count = (int) list.used;
	serv->listeners.local_only = local_only;
	ok = true;
    }
    inet_addr_list_free(&list);
    vstring_free(port_num);
    vstring_free(text);
    myfree(buf);
    return ok;
}

/* master_ent_create - a service description from a master.cf entry */
MASTER_SERV *master_ent_create(const MASTER_ENTRY *entry, VSTRING *why)
{
    MASTER_SERV *serv = mycalloc(1, sizeof(*serv));
    bool    private_endpoint;
    size_t  n;

    serv->service = mystrdup(entry->service);
    serv->conf_line = entry->line;
    serv->status.master_end = serv->status.child_end = -1;
    serv->throttle.delay = var_master_throttle_time;
    if ((serv->transport = master_xport_code(entry->type)) < 0) {
	vstring_sprintf(why, "bad transport type: %s", excerpt(entry->type));
	master_ent_free(serv);
	return NULL;
    }
    if (serv->transport == MASTER_XPORT_INET) {
	if (strcmp(entry->private_field, "y") == 0) {
	    vstring_strcpy(why, "inet service cannot be private");
	    master_ent_free(serv);
	    return NULL;
	}
	if (!master_ent_inet(serv, why)) {
	    master_ent_free(serv);
	    return NULL;
	}
    } else {
	private_endpoint = master_entry_flag(entry->private_field, true);
	serv->endpoint = concatenate(private_endpoint ? "private/" : "public/",
				     entry->service, (char *) 0);
	serv->listeners.count = 1;
	serv->listeners.local_only = true;
    }
    serv->unprivileged = master_entry_flag(entry->unpriv_field, true);
    serv->chroot = master_entry_flag(entry->chroot_field, false);
    serv->wakeup.interval = master_entry_wakeup(entry,
						&serv->wakeup.wait_for_child);
    if (serv->wakeup.interval <= 0)
	serv->wakeup.wait_for_child = false;
    serv->pool.limit = master_entry_maxproc(entry, var_master_proc_limit);
    serv->program = concatenate(var_master_daemon_dir, "/",
				entry->args->argv[0], (char *) 0);
    serv->command = argv_alloc(entry->args->argc);
    for (n = 0; n < entry->args->argc; n++)
	argv_add(serv->command, entry->args->argv[n], (char *) 0);
    serv->listeners.fds = mymalloc(sizeof(int) * (size_t) serv->listeners.count);
    for (n = 0; n < (size_t) serv->listeners.count; n++)
	serv->listeners.fds[n] = -1;
    return serv;
}

/* master_ent_free - release a service description */
void    master_ent_free(MASTER_SERV *serv)
{
    myfree(serv->service);
    myfree(serv->endpoint);
    myfree(serv->program);
    if (serv->command)
	argv_free(serv->command);
    if (serv->listeners.inet_addrs)
	argv_free(serv->listeners.inet_addrs);
    myfree(serv->listeners.fds);
    myfree(serv);
}

/* master_ent_disabled - does master_service_disable turn this off? */
bool    master_ent_disabled(const MASTER_ENTRY *entry, const char *disable_list)
{
    ARGV   *patterns = argv_split(disable_list, CHARS_COMMA_SP);
    char   *name_type = concatenate(entry->service, "/", entry->type, (char *) 0);
    const char *pattern;
    bool    negate;
    bool    result = false;
    size_t  n;

    for (n = 0; n < patterns->argc; n++) {
	pattern = patterns->argv[n];
	if ((negate = (*pattern == '!')) != 0)
	    pattern++;
	if (strcmp(pattern, entry->type) == 0 || strcmp(pattern, name_type) == 0) {
	    result = !negate;
	    break;
	}
    }
    argv_free(patterns);
    myfree(name_type);
    return result;
}

/* master_ent_exec_args - the command line of a new child */
ARGV   *master_ent_exec_args(const MASTER_SERV *serv, bool stress)
{
    ARGV   *args = argv_alloc(serv->command->argc + 16);
    char    count[20];
    size_t  n;
    int     v;

    argv_add(args, serv->command->argv[0], (char *) 0);
    if (serv->pool.limit == 1)
	argv_add(args, "-l", (char *) 0);
    if (serv->pool.limit == 0)
	argv_add(args, "-z", (char *) 0);
    if (strcmp(base_name(serv->command->argv[0]), serv->service) != 0)
	argv_add(args, "-n", serv->service, (char *) 0);
    argv_add(args, "-t", master_xport_name(serv->transport), (char *) 0);
    if (!master_detach)
	argv_add(args, "-d", (char *) 0);
    for (v = 0; v < msg_verbose; v++)
	argv_add(args, "-v", (char *) 0);
    if (serv->unprivileged)
	argv_add(args, "-u", (char *) 0);
    if (serv->chroot)
	argv_add(args, "-c", (char *) 0);
    if (!serv->listeners.local_only && serv->pool.limit > 1)
	argv_add(args, "-o", stress ? "stress=yes" : "stress=", (char *) 0);
    if (serv->listeners.count > 1) {
	snprintf(count, sizeof(count), "%d", serv->listeners.count);
	argv_add(args, "-s", count, (char *) 0);
    }
    for (n = 1; n < serv->command->argc; n++)
	argv_add(args, serv->command->argv[n], (char *) 0);
    return args;
}
