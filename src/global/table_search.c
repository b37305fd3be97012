/*
 * table_search - lookup key sequences of the table search orders
 *
 * DESCRIPTION
 *	See table_search.h. Parent domains are suffixes of the domain:
 *	each one starts at the next '.' (kept for the ".domain" style,
 *	skipped for the "domain" style), until there is no further dot.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "dict.h"
#include "maps.h"
#include "split_addr.h"
#include "table_search.h"

/* table_search_add - append one key (not the empty one) */
static void table_search_add(TABLE_SEARCH *ts, const char *key, size_t len,
			             int flags)
{
    if (len == 0)
	return;
    if (ts->count == ts->cap) {
	ts->cap = ts->cap ? 2 * ts->cap : 8;
	ts->keys = myrealloc(ts->keys, ts->cap * sizeof(*ts->keys));
    }
    ts->keys[ts->count].key = mystrndup(key, len);
    ts->keys[ts->count].flags = flags;
    ts->count++;
}

/* table_search_add_str - append a null-terminated key */
static void table_search_add_str(TABLE_SEARCH *ts, const char *key, int flags)
{
    table_search_add(ts, key, strlen(key), flags);
}

/* table_search_create - an empty sequence */
TABLE_SEARCH *table_search_create(void)
{
    TABLE_SEARCH *ts = mymalloc(sizeof(*ts));

    ts->keys = NULL;
    ts->count = ts->cap = 0;
    return ts;
}

/* table_search_reset - forget the keys */
void    table_search_reset(TABLE_SEARCH *ts)
{
    size_t  n;

    for (n = 0; n < ts->count; n++)
	myfree(ts->keys[n].key);
    ts->count = 0;
}

/* table_search_free - destroy */
void    table_search_free(TABLE_SEARCH *ts)
{
    table_search_reset(ts);
    myfree(ts->keys);
    myfree(ts);
}

/* table_search_parent_match - is feature listed in list? */
bool    table_search_parent_match(const char *list, const char *feature)
{
    ARGV   *argv = argv_split(list, CHARS_COMMA_SP);
    bool    found = false;
    size_t  n;

    for (n = 0; n < argv->argc && !found; n++)
	found = strcasecmp(argv->argv[n], feature) == 0;
    argv_free(argv);
    return found;
}

/* table_search_domain - a domain and its parent domains */
static void table_search_domain(TABLE_SEARCH *ts, const char *domain,
				        bool parent_match, int first_flags)
{
    const char *name;
    const char *next;
    int     flags = first_flags;

    if (*domain == '[') {
	table_search_add_str(ts, domain, flags);
	return;
    }
    for (name = domain; *name != 0; name = next) {
	table_search_add_str(ts, name, flags);
	if ((next = strchr(name + 1, '.')) == NULL)
	    break;
	if (parent_match)
	    next += 1;
	flags = TABLE_SEARCH_PARTIAL;
    }
}

/* table_search_split - local part, extension and domain of an address */
static char *table_search_split(const char *address, const char *delimiters,
				        const char **domain, bool *has_ext)
{
    char   *localpart = mystrdup(address);
    char   *at = strrchr(localpart, '@');

    if (at != NULL) {
	*at = 0;
	*domain = address + (at - localpart) + 1;
    } else {
	*domain = NULL;
    }
    *has_ext = split_addr(localpart, delimiters) != NULL;
    return localpart;
}

/* table_search_start_address - the full address, then without extension */
static void table_search_start_address(TABLE_SEARCH *ts, const char *address,
				               const char *bare, const char *domain,
				               bool has_ext)
{
    char   *key;

    table_search_reset(ts);
    table_search_add_str(ts, address, TABLE_SEARCH_FULL);
    if (has_ext) {
	key = domain ? concatenate(bare, "@", domain, (char *) 0) : mystrdup(bare);
	table_search_add_str(ts, key, TABLE_SEARCH_PARTIAL);
	myfree(key);
    }
}

/* table_search_access_address - access(5) e-mail address order */
void    table_search_access_address(TABLE_SEARCH *ts, const char *address,
				            const char *delimiters,
				            bool parent_match)
{
    const char *domain;
    bool    has_ext;
    char   *bare = table_search_split(address, delimiters, &domain, &has_ext);
    char   *key;

    table_search_start_address(ts, address, bare, domain, has_ext);
    if (domain != NULL) {
	table_search_domain(ts, domain, parent_match, TABLE_SEARCH_PARTIAL);
	table_search_add(ts, address, (size_t) (domain - address),
			 TABLE_SEARCH_PARTIAL);
	if (has_ext) {
	    key = concatenate(bare, "@", (char *) 0);
	    table_search_add_str(ts, key, TABLE_SEARCH_PARTIAL);
	    myfree(key);
	}
    }
    myfree(bare);
}

/* table_search_access_host - access(5) host name order */
void    table_search_access_host(TABLE_SEARCH *ts, const char *name,
				         bool parent_match)
{
    table_search_reset(ts);
    table_search_domain(ts, name, parent_match, TABLE_SEARCH_FULL);
}

/* table_search_access_ip - access(5) network address order */
void    table_search_access_ip(TABLE_SEARCH *ts, const char *addr)
{
    int     delim = strchr(addr, ':') ? ':' : '.';
    size_t  len = strlen(addr);
    int     flags = TABLE_SEARCH_FULL;

    table_search_reset(ts);
    for (;;) {
	table_search_add(ts, addr, len, flags);
	flags = TABLE_SEARCH_PARTIAL;
	while (len > 0 && addr[len - 1] != delim)
	    len--;
	if (len == 0)
	    break;
	len--;					/* drop the delimiter */
    }
}

/* table_search_rewrite_address - canonical(5)/virtual(5) order */
void    table_search_rewrite_address(TABLE_SEARCH *ts, const char *address,
				             const char *delimiters,
				             bool local_domain)
{
    const char *domain;
    bool    has_ext;
    char   *bare = table_search_split(address, delimiters, &domain, &has_ext);

    table_search_start_address(ts, address, bare, domain, has_ext);
    if (domain != NULL) {
	if (local_domain) {
	    table_search_add(ts, address, (size_t) (domain - address - 1),
			     TABLE_SEARCH_PARTIAL);
	    if (has_ext)
		table_search_add_str(ts, bare, TABLE_SEARCH_PARTIAL);
	}
	table_search_add(ts, domain - 1, strlen(domain - 1), TABLE_SEARCH_PARTIAL);
    }
    myfree(bare);
}

/* table_search_transport - transport(5) order */
void    table_search_transport(TABLE_SEARCH *ts, const char *address,
			               const char *delimiters, bool parent_match)
{
    const char *domain;
    bool    has_ext;
    char   *bare = table_search_split(address, delimiters, &domain, &has_ext);

    table_search_start_address(ts, address, bare, domain, has_ext);
    if (domain != NULL)
	table_search_domain(ts, domain, parent_match, TABLE_SEARCH_PARTIAL);
    table_search_add_str(ts, "*", TABLE_SEARCH_FULL);
    myfree(bare);
}

/* table_search_find - query the maps with each key in turn */
const char *table_search_find(const TABLE_SEARCH *ts, MAPS *maps,
			              size_t *which)
{
    const char *result;
    size_t  n;

    maps->error = DICT_ERR_NONE;
    for (n = 0; n < ts->count; n++) {
	if ((result = maps_find(maps, ts->keys[n].key, ts->keys[n].flags)) != NULL) {
	    if (which)
		*which = n;
	    return result;
	}
	if (maps->error != DICT_ERR_NONE)
	    return NULL;
    }
    return NULL;
}
