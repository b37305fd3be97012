/*
 * host_addr_list - match a client's host name and address against a list
 *
 * DESCRIPTION
 *	See host_addr_list.h. The list is parsed once into an array of
 *	entries (files expanded in place, tables opened, networks parsed
 *	with cidr_match(3)), so that a match reads no file.
 *
 *	Each pattern is tried against the host name and then the
 *	address before the next pattern is tried: the first pattern that
 *	matches either of them decides. An address pattern is one that
 *	starts with '[', is a valid IPv4 address (before an optional
 *	"/length"), or has a "/" and no ":" (a bad network, for the
 *	diagnostic); else a pattern with ':' is a table and any other
 *	is a host name pattern. As in Postfix, an IPv6 address must be
 *	in []: "::1" or "::1/128" is a table name without a type, which
 *	is fatal ("open dictionary: expecting "type:name" form instead
 *	of "::1/128""), and "2001:db8::1" is a table of type "2001".
 *	Addresses are compared as addresses (inet_pton), so "::1" and
 *	"0::1" are the same, and an IPv4-mapped client address
 *	"::ffff:1.2.3.4" is matched as "1.2.3.4".
 *
 * DIAGNOSTICS
 *	With HOST_ADDR_LIST_FLAG_FATAL a bad network pattern is fatal
 *	when the list is created; else, as in Postfix, a match that
 *	reaches it logs "<title>: <reason>" (e.g. "mynetworks: bad mask
 *	length in "127.0.0.1/33"") and fails (-1).
 *	Unreadable pattern files: "<title>: cannot open <file>: <error>"
 *	(the entry then makes every match fail). Table lookup errors
 *	come from maps(3).
 */
#include "sys_defs.h"

#include <string.h>
#include <errno.h>
#include <arpa/inet.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "cidr_match.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "table_search.h"
#include "domain_list.h"
#include "host_addr_list.h"

typedef enum HOST_ADDR_TYPE {
    HOST_ADDR_NAME,			/* host name (maybe subdomains) */
    HOST_ADDR_SUBDOMAIN,		/* .domain */
    HOST_ADDR_NET,			/* address or network */
    HOST_ADDR_TABLE,			/* type:table */
    HOST_ADDR_BAD,			/* bad network: fails at match */
    HOST_ADDR_FAIL,			/* unreadable file: always fails */
} HOST_ADDR_TYPE;

typedef struct HOST_ADDR_ENTRY {
    HOST_ADDR_TYPE type;
    bool    negate;
    char   *text;			/* lowercase name or pattern */
    CIDR_MATCH net;			/* NET only */
    MAPS   *maps;			/* TABLE only */
} HOST_ADDR_ENTRY;

struct HOST_ADDR_LIST {
    char   *title;
    bool    parent_match;
    int     flags;
    HOST_ADDR_ENTRY *entries;
    size_t  count;
    size_t  cap;
};

/* host_addr_list_is_addr - whether a pattern is an address or network */
static bool host_addr_list_is_addr(const char *pattern)
{
    unsigned char buf[16];
    char   *host;
    const char *slash;
    bool    result;

    if (*pattern == '[')
	return true;
    if ((slash = strchr(pattern, '/')) == NULL)
	slash = pattern + strlen(pattern);
    host = mystrndup(pattern, (size_t) (slash - pattern));
    result = (inet_pton(AF_INET, host, buf) == 1
	      || (*slash == '/' && strchr(host, ':') == NULL));
    myfree(host);
    return result;
}

/* host_addr_list_new - append an empty entry */
static HOST_ADDR_ENTRY *host_addr_list_new(HOST_ADDR_LIST *list,
					           HOST_ADDR_TYPE type,
					           bool negate,
					           const char *text)
{
    HOST_ADDR_ENTRY *entry;

    if (list->count == list->cap) {
	list->cap = list->cap ? 2 * list->cap : 8;
	list->entries = myrealloc(list->entries,
				  list->cap * sizeof(*list->entries));
    }
    entry = list->entries + list->count++;
    memset(entry, 0, sizeof(*entry));
    entry->type = type;
    entry->negate = negate;
    entry->text = mystrdup(text);
    return entry;
}

/* host_addr_list_add - parse and append one pattern */
static void host_addr_list_add(void *context, const char *pattern, int depth)
{
    HOST_ADDR_LIST *list = context;
    HOST_ADDR_ENTRY *entry;
    bool    negate = false;
    VSTRING *why;

    while (*pattern == '!') {
	negate = !negate;
	pattern++;
    }
    if (*pattern == 0)
	return;
    if (*pattern == '/') {
	if (!domain_list_file(list->title, pattern, negate, depth,
			      host_addr_list_add, list))
	    (void) host_addr_list_new(list, HOST_ADDR_FAIL, false, pattern);
    } else if (*pattern == ':') {
	/* Postfix: an IPv6 address needs [], else it is a table name. */
	msg_fatal("open dictionary: expecting \"type:name\" form instead "
		  "of \"%s\"", pattern);
    } else if (host_addr_list_is_addr(pattern)) {
	why = vstring_alloc(100);
	entry = host_addr_list_new(list, HOST_ADDR_NET, negate, pattern);
	if (!cidr_match_parse(&entry->net, pattern, true, why)) {
	    if (list->flags & HOST_ADDR_LIST_FLAG_FATAL)
		msg_fatal("%s: %s", list->title, vstring_str(why));
	    entry->type = HOST_ADDR_BAD;
	    myfree(entry->text);
	    entry->text = vstring_export(why);
	    why = NULL;
	}
	if (why)
	    vstring_free(why);
    } else if (strchr(pattern, ':') != NULL) {
	entry = host_addr_list_new(list, HOST_ADDR_TABLE, negate, pattern);
	entry->maps = maps_create(list->title, pattern,
				  DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    } else if (*pattern == '.' && pattern[1] != 0) {
	entry = host_addr_list_new(list, HOST_ADDR_SUBDOMAIN, negate,
				   pattern + 1);
	lowercase(entry->text);
    } else {
	entry = host_addr_list_new(list, HOST_ADDR_NAME, negate, pattern);
	lowercase(entry->text);
    }
}

/* host_addr_list_create - parse a pattern list */
HOST_ADDR_LIST *host_addr_list_create(const char *title, const char *patterns,
				              int flags)
{
    HOST_ADDR_LIST *list = mymalloc(sizeof(*list));
    ARGV   *items = argv_split_quoted(patterns, CHARS_COMMA_SP, CHARS_BRACE);
    size_t  n;

    list->title = mystrdup(title);
    list->flags = flags;
    list->parent_match =
	table_search_parent_match(VAR_STR(parent_domain_matches_subdomains),
				  title);
    list->entries = NULL;
    list->count = list->cap = 0;
    for (n = 0; n < items->argc; n++)
	host_addr_list_add(list, items->argv[n], 0);
    argv_free(items);
    return list;
}

/* host_addr_list_table - look the name, its parents, the address up */
static int host_addr_list_table(HOST_ADDR_LIST *list, MAPS *maps,
				        const char *name, const char *addr)
{
    TABLE_SEARCH *ts;
    const char *found = NULL;

    if (name != NULL && *name != 0) {
	ts = table_search_create();
	table_search_access_host(ts, name, list->parent_match);
	found = table_search_find(ts, maps, NULL);
	table_search_free(ts);
	if (found != NULL)
	    return 1;
	if (maps->error != DICT_ERR_NONE)
	    return -1;
    }
    if (addr != NULL && *addr != 0) {
	if (maps_find(maps, addr, 0) != NULL)
	    return 1;
	if (maps->error != DICT_ERR_NONE)
	    return -1;
    }
    return 0;
}

/* A match in progress. */
typedef struct HOST_ADDR_TRY {
    HOST_ADDR_LIST *list;
    const char *name;			/* lowercase, or NULL */
    const char *addr;			/* or NULL */
} HOST_ADDR_TRY;

/* host_addr_list_try - whether one entry matches: 1, 0 or -1 */
static int host_addr_list_try(void *context, size_t n, bool *negate)
{
    HOST_ADDR_TRY *try = context;
    HOST_ADDR_LIST *list = try->list;
    HOST_ADDR_ENTRY *entry = list->entries + n;

    *negate = entry->negate;
    switch (entry->type) {
    case HOST_ADDR_NAME:
    case HOST_ADDR_SUBDOMAIN:
	return (try->name != NULL
		&& domain_list_name_match(try->name, entry->text,
					  entry->type == HOST_ADDR_SUBDOMAIN,
					  list->parent_match));
    case HOST_ADDR_NET:
	return (try->addr != NULL
		&& cidr_match_execute(&entry->net, try->addr));
    case HOST_ADDR_TABLE:
	return host_addr_list_table(list, entry->maps, try->name, try->addr);
    case HOST_ADDR_BAD:
	msg_warn("%s: %s", list->title, entry->text);
	return -1;
    default:
	return -1;
    }
}

/* host_addr_list_match - first pattern that matches decides */
int     host_addr_list_match(HOST_ADDR_LIST *list, const char *name,
			             const char *addr)
{
    HOST_ADDR_TRY try;
    char   *lname = NULL;
    int     result;

    if (name != NULL && *name != 0)
	lname = lowercase(mystrdup(name));
    if (addr != NULL && strncasecmp(addr, "::ffff:", 7) == 0
	&& strchr(addr + 7, '.') != NULL)
	addr += 7;
    try.list = list;
    try.name = lname;
    try.addr = addr;
    result = domain_list_first(list->count, host_addr_list_try, &try);
    if (lname)
	myfree(lname);
    return result;
}

/* host_addr_list_free - release a list */
void    host_addr_list_free(HOST_ADDR_LIST *list)
{
    size_t  n;

    for (n = 0; n < list->count; n++) {
	myfree(list->entries[n].text);
	if (list->entries[n].maps)
	    maps_free(list->entries[n].maps);
    }
    if (list->entries)
	myfree(list->entries);
    myfree(list->title);
    myfree(list);
}
