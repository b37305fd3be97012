/*
 * dns_hosts - the hosts file part of the system's name service
 *
 * SYNOPSIS
 *	#include "dns_native.h"
 *
 *	int	dns_hosts_name(const char *addr, VSTRING *name);
 *	int	dns_hosts_addr(const char *name, const int *types,
 *				DNS_RR **rrlist);
 *	void	dns_hosts_file(const char *path);
 *
 * DESCRIPTION
 *	These functions read the hosts file (/etc/hosts) as the C
 *	library's "files" name service does, for the callers that take
 *	the system's order "files, then DNS" while DNS itself is the
 *	library's resolver (dns_resolver_address, in the tests): the
 *	client name lookups of smtpd.
 *
 *	dns_hosts_name() looks for the printable IPv4 or IPv6 address
 *	addr: on the first line that has it, the first name is copied to
 *	name and the result is 1; else the result is 0.
 *
 *	dns_hosts_addr() collects the addresses of every line that lists
 *	name (as first name or alias, case-insensitively, a trailing dot
 *	ignored), of the record types in the list ending with 0 (DNS_T_A,
 *	DNS_T_AAAA), each address once, in file order, as records with
 *	TTL 0. The result is 1 when the file names the host (even with
 *	no address of those types: *rrlist is then NULL, as the C library
 *	then answers "No address associated with hostname" without
 *	asking DNS), else 0. The caller frees *rrlist with dns_rr_free().
 *
 *	dns_hosts_file() sets the file to read (for tests; the default is
 *	/etc/hosts). A file that cannot be read has no entries.
 *
 * DIAGNOSTICS
 *	None; the hosts file is local configuration.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "stringops.h"
#include "dns.h"
#include "dns_native.h"

static const char *dns_hosts_path = "/etc/hosts";

/* At most this many records from the file, as for DNS answers. */
#define DNS_HOSTS_MAX	DNS_MAX_RR

typedef struct DNS_HOSTS_ADDR {
    int     type;			/* DNS_T_A or DNS_T_AAAA */
    unsigned char bytes[16];		/* network order */
} DNS_HOSTS_ADDR;

/* dns_hosts_file - the file to read */

void    dns_hosts_file(const char *path)
{
    dns_hosts_path = path;
}

/* dns_hosts_parse_addr - binary form of a printable address */

static int dns_hosts_parse_addr(const char *text, DNS_HOSTS_ADDR *addr)
{
    memset(addr, 0, sizeof(*addr));
    if (inet_pton(AF_INET, text, addr->bytes) == 1) {
	addr->type = DNS_T_A;
	return (1);
    }
    if (inet_pton(AF_INET6, text, addr->bytes) == 1) {
	addr->type = DNS_T_AAAA;
	return (1);
    }
    return (0);
}

/* dns_hosts_same_name - host names equal, case and final dot aside */

static int dns_hosts_same_name(const char *a, const char *b)
{
    size_t  alen = strlen(a);
    size_t  blen = strlen(b);

    if (alen > 0 && a[alen - 1] == '.')
	alen--;
    if (blen > 0 && b[blen - 1] == '.')
	blen--;
    return (alen == blen && strncasecmp(a, b, alen) == 0);
}

/*
 * dns_hosts_scan - call a function for each line of the file: its
 * address and its names. The function returns non-zero to stop.
 */
typedef int (*DNS_HOSTS_FN) (const DNS_HOSTS_ADDR *, char **, int, void *);

static void dns_hosts_scan(DNS_HOSTS_FN fn, void *context)
{
    VSTREAM *fp;
    VSTRING *line = vstring_alloc(100);
    char   *names[64];
    char   *cp;
    char   *tok;
    char   *rest;
    int     count;
    DNS_HOSTS_ADDR addr;

    if ((fp = vstream_fopen(dns_hosts_path, O_RDONLY, 0)) == 0) {
	vstring_free(line);
	return;
    }
    while (vstring_get_nonl(line, fp) != VSTREAM_EOF) {
	cp = vstring_str(line);
	cp[strcspn(cp, "#")] = 0;
	rest = cp;
	if ((tok = mystrtok(&rest, " \t\r")) == 0
	    || !dns_hosts_parse_addr(tok, &addr))
	    continue;
	for (count = 0; count < 64 && (tok = mystrtok(&rest, " \t\r")) != 0;)
	    names[count++] = tok;
	if (count > 0 && fn(&addr, names, count, context))
	    break;
    }
    (void) vstream_fclose(fp);
    vstring_free(line);
}

typedef struct DNS_HOSTS_NAME_CTX {
    DNS_HOSTS_ADDR want;
    VSTRING *name;
    int     found;
} DNS_HOSTS_NAME_CTX;

/* dns_hosts_name_line - the first name of a line with the address */

static int dns_hosts_name_line(const DNS_HOSTS_ADDR *addr, char **names,
			               int count, void *context)
{
    DNS_HOSTS_NAME_CTX *ctx = (DNS_HOSTS_NAME_CTX *) context;

    (void) count;
    if (addr->type != ctx->want.type
	|| memcmp(addr->bytes, ctx->want.bytes, sizeof(addr->bytes)) != 0)
	return (0);
    vstring_strcpy(ctx->name, names[0]);
    ctx->found = 1;
    return (1);
}

/* dns_hosts_name - the hosts file's name of an address */

int     dns_hosts_name(const char *addr, VSTRING *name)
{
    DNS_HOSTS_NAME_CTX ctx;

    if (!dns_hosts_parse_addr(addr, &ctx.want))
	return (0);
    ctx.name = name;
    ctx.found = 0;
    dns_hosts_scan(dns_hosts_name_line, &ctx);
    return (ctx.found);
}

typedef struct DNS_HOSTS_ADDR_CTX {
    const char *name;
    const int *types;
    DNS_RR *list;
    int     found;
} DNS_HOSTS_ADDR_CTX;

/* dns_hosts_addr_line - the address of a line that names the host */

static int dns_hosts_addr_line(const DNS_HOSTS_ADDR *addr, char **names,
			               int count, void *context)
{
    DNS_HOSTS_ADDR_CTX *ctx = (DNS_HOSTS_ADDR_CTX *) context;
    const DNS_RR *rr;
    size_t  len = (addr->type == DNS_T_A ? 4 : 16);
    const int *tp;
    int     n;

    for (n = 0; n < count; n++)
	if (dns_hosts_same_name(names[n], ctx->name))
	    break;
    if (n == count)
	return (0);
    ctx->found = 1;
    for (tp = ctx->types; *tp != 0 && *tp != addr->type; tp++)
	 /* void */ ;
    if (*tp == 0)
	return (0);
    for (rr = ctx->list; rr != 0; rr = rr->next)
	if (rr->type == addr->type && memcmp(rr->data, addr->bytes, len) == 0)
	    return (0);
    ctx->list = dns_rr_append(ctx->list,
			      dns_rr_create(ctx->name, ctx->name, addr->type,
					    0, addr->bytes, len));
    return (dns_rr_count(ctx->list) >= DNS_HOSTS_MAX);
}

/* dns_hosts_addr - the hosts file's addresses of a name */

int     dns_hosts_addr(const char *name, const int *types, DNS_RR **rrlist)
{
    DNS_HOSTS_ADDR_CTX ctx;

    ctx.name = name;
    ctx.types = types;
    ctx.list = 0;
    ctx.found = 0;
    dns_hosts_scan(dns_hosts_addr_line, &ctx);
    *rrlist = ctx.list;
    return (ctx.found);
}
