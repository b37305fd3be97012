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
 *	starts with '[', is a valid IPv4 or IPv6 address (before an
 *	optional "/length"), or has a "/" and no ":" (a bad network, for
 *	the diagnostic); else a pattern with ':' is a table and any other
 *	is a host name pattern.
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
#include "excerpt.h"
#include "cidr_match.h"
#include "pattern_file.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "table_search.h"
#include "host_addr_list.h"

#define HOST_ADDR_LIST_FILE_DEPTH 10	/* nested /file/name patterns */

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
	      || inet_pton(AF_INET6, host, buf) == 1
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

/* host_addr_list_file - add the patterns of a /file/name entry */
static void host_addr_list_add(HOST_ADDR_LIST *, const char *, int);

static void host_addr_list_file(HOST_ADDR_LIST *list, const char *path,
				        bool negate, int depth)
{
    ARGV   *patterns;
    size_t  n;

    if (negate)
	msg_warn("%s: \"!\" before a file name is ignored: %s",
		 list->title, excerpt(path));
    if (depth >= HOST_ADDR_LIST_FILE_DEPTH) {
	msg_warn("%s: pattern files nested too deeply at %s",
		 list->title, excerpt(path));
	(void) host_addr_list_new(list, HOST_ADDR_FAIL, false, path);
	return;
    }
    patterns = argv_alloc(10);
    if (pattern_file_read(path, patterns)) {
	for (n = 0; n < patterns->argc; n++)
	    host_addr_list_add(list, patterns->argv[n], depth + 1);
    } else {
	msg_warn("%s: cannot open %s: %m", list->title, excerpt(path));
	(void) host_addr_list_new(list, HOST_ADDR_FAIL, false, path);
    }
    argv_free(patterns);
}

/* host_addr_list_add - parse and append one pattern */
static void host_addr_list_add(HOST_ADDR_LIST *list, const char *pattern,
			               int depth)
{
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
	host_addr_list_file(list, pattern, negate, depth);
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

/* host_addr_list_is_sub - whether name is a subdomain of parent */
static bool host_addr_list_is_sub(const char *name, const char *parent)
{
    size_t  nlen = strlen(name);
    size_t  plen = strlen(parent);

    return (nlen > plen && name[nlen - plen - 1] == '.'
	    && strcmp(name + nlen - plen, parent) == 0);
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

/* host_addr_list_entry - whether one entry matches: 1, 0 or -1 */
static int host_addr_list_entry(HOST_ADDR_LIST *list, HOST_ADDR_ENTRY *entry,
				        const char *name, const char *addr)
{
    switch (entry->type) {
    case HOST_ADDR_NAME:
	return (name != NULL
		&& (strcmp(name, entry->text) == 0
		    || (list->parent_match
			&& host_addr_list_is_sub(name, entry->text))));
    case HOST_ADDR_SUBDOMAIN:
	return (name != NULL && host_addr_list_is_sub(name, entry->text));
    case HOST_ADDR_NET:
	return (addr != NULL && cidr_match_execute(&entry->net, addr));
    case HOST_ADDR_TABLE:
	return host_addr_list_table(list, entry->maps, name, addr);
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
    char   *lname = NULL;
    const char *use_addr = addr;
    size_t  n;
    int     found;
    int     result = 0;

    if (name != NULL && *name != 0)
	lname = lowercase(mystrdup(name));
    if (addr != NULL && strncasecmp(addr, "::ffff:", 7) == 0
	&& strchr(addr + 7, '.') != NULL)
	use_addr = addr + 7;
    for (n = 0; n < list->count; n++) {
	found = host_addr_list_entry(list, list->entries + n, lname, use_addr);
	if (found < 0) {
	    result = -1;
	    break;
	}
	if (found > 0) {
	    result = list->entries[n].negate ? 0 : 1;
	    break;
	}
    }
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
