/*
 * domain_list - match a domain name against a list of domain patterns
 *
 * DESCRIPTION
 *	See domain_list.h. The list is parsed once into an array of
 *	entries; /file/name patterns are expanded into the array when
 *	the list is created, so a match never reads a file.
 */
#include "sys_defs.h"

#include <string.h>
#include <errno.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstring.h"
#include "pattern_file.h"
#include "excerpt.h"
#include "dict.h"
#include "maps.h"
#include "domain_list.h"

typedef enum DOMAIN_PATTERN_TYPE {
    DOMAIN_PATTERN_NAME,		/* name (and maybe subdomains) */
    DOMAIN_PATTERN_SUBDOMAIN,		/* .name */
    DOMAIN_PATTERN_TABLE,		/* type:table */
    DOMAIN_PATTERN_FAIL,		/* unreadable file: always fails */
} DOMAIN_PATTERN_TYPE;

typedef struct DOMAIN_PATTERN {
    DOMAIN_PATTERN_TYPE type;
    bool    negate;
    char   *text;			/* lowercase name, no leading dot */
    MAPS   *maps;			/* TABLE only */
} DOMAIN_PATTERN;

struct DOMAIN_LIST {
    char   *title;
    bool    parent_match;
    DOMAIN_PATTERN *patterns;
    size_t  count;
    size_t  cap;
};

/* domain_list_file - add the patterns of a /file/name entry */
bool    domain_list_file(const char *title, const char *path, bool negate,
			         int depth, DOMAIN_LIST_ADD_FN add, void *context)
{
    ARGV   *patterns;
    size_t  n;
    bool    ok;

    if (negate)
	msg_warn("%s: \"!\" before a file name is ignored: %s",
		 title, excerpt(path));
    if (depth >= DOMAIN_LIST_FILE_DEPTH) {
	msg_warn("%s: pattern files nested too deeply at %s",
		 title, excerpt(path));
	return false;
    }
    patterns = argv_alloc(10);
    if ((ok = pattern_file_read(path, patterns)) != 0) {
	for (n = 0; n < patterns->argc; n++)
	    add(context, patterns->argv[n], depth + 1);
    } else {
	msg_warn("%s: cannot open %s: %m", title, excerpt(path));
    }
    argv_free(patterns);
    return ok;
}

/* domain_list_add - append one pattern */
static void domain_list_add(void *context, const char *pattern, int depth)
{
    DOMAIN_LIST *list = context;
    DOMAIN_PATTERN *entry;
    bool    negate = false;

    while (*pattern == '!') {
	negate = !negate;
	pattern++;
    }
    if (*pattern == 0)
	return;
    if (*pattern == '/') {
	if (domain_list_file(list->title, pattern, negate, depth,
			     domain_list_add, list))
	    return;
	negate = false;
    }
    if (list->count == list->cap) {
	list->cap = list->cap ? 2 * list->cap : 8;
	list->patterns = myrealloc(list->patterns,
				   list->cap * sizeof(*list->patterns));
    }
    entry = list->patterns + list->count++;
    entry->negate = negate;
    entry->maps = NULL;
    if (*pattern == '/') {
	entry->type = DOMAIN_PATTERN_FAIL;
	entry->text = mystrdup(pattern);
    } else if (strchr(pattern, ':') != NULL && *pattern != '[') {
	entry->type = DOMAIN_PATTERN_TABLE;
	entry->text = mystrdup(pattern);
	entry->maps = maps_create(list->title, pattern,
				  DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    } else if (*pattern == '.' && pattern[1] != 0) {
	entry->type = DOMAIN_PATTERN_SUBDOMAIN;
	entry->text = lowercase(mystrdup(pattern + 1));
    } else {
	entry->type = DOMAIN_PATTERN_NAME;
	entry->text = lowercase(mystrdup(pattern));
    }
}

/* domain_list_parse - split a pattern list and add each element */
static void domain_list_parse(DOMAIN_LIST *list, const char *text)
{
    ARGV   *items = argv_split_quoted(text, CHARS_COMMA_SP, CHARS_BRACE);
    size_t  n;

    for (n = 0; n < items->argc; n++)
	domain_list_add(list, items->argv[n], 0);
    argv_free(items);
}

/* domain_list_create - parse a pattern list */
DOMAIN_LIST *domain_list_create(const char *title, const char *patterns,
				        bool parent_match)
{
    DOMAIN_LIST *list = mymalloc(sizeof(*list));

    list->title = mystrdup(title);
    list->parent_match = parent_match;
    list->patterns = NULL;
    list->count = list->cap = 0;
    domain_list_parse(list, patterns);
    return list;
}

/* domain_list_is_sub - whether domain is a subdomain of parent */
bool    domain_list_is_sub(const char *domain, const char *parent)
{
    size_t  dlen = strlen(domain);
    size_t  plen = strlen(parent);

    return (dlen > plen && domain[dlen - plen - 1] == '.'
	    && strcmp(domain + dlen - plen, parent) == 0);
}

/* domain_list_table - look a domain and its parents up in tables */
static int domain_list_table(DOMAIN_LIST *list, MAPS *maps, const char *domain)
{
    const char *name;
    VSTRING *key;
    int     result = DOMAIN_LIST_NOMATCH;

    if (maps_find(maps, domain, 0) != NULL)
	return DOMAIN_LIST_MATCH;
    if (maps->error != DICT_ERR_NONE)
	return DOMAIN_LIST_ERROR;
    if (*domain == '[')
	return DOMAIN_LIST_NOMATCH;
    key = vstring_alloc(100);
    for (name = strchr(domain, '.'); name != NULL; name = strchr(name + 1, '.')) {
	if (list->parent_match)
	    vstring_strcpy(key, name + 1);
	else
	    vstring_strcpy(key, name);
	if (VSTRING_LEN(key) == 0 || strcmp(vstring_str(key), ".") == 0)
	    continue;
	if (maps_find(maps, vstring_str(key), DICT_FLAG_FIXED) != NULL) {
	    result = DOMAIN_LIST_MATCH;
	    break;
	}
	if (maps->error != DICT_ERR_NONE) {
	    result = DOMAIN_LIST_ERROR;
	    break;
	}
    }
    vstring_free(key);
    return result;
}

/* domain_list_first - the first entry that matches decides */
int     domain_list_first(size_t count, DOMAIN_LIST_TRY_FN try_fn,
			          void *context)
{
    size_t  n;
    bool    negate;
    int     found;

    for (n = 0; n < count; n++) {
	negate = false;
	if ((found = try_fn(context, n, &negate)) == DOMAIN_LIST_ERROR)
	    return DOMAIN_LIST_ERROR;
	if (found == DOMAIN_LIST_MATCH)
	    return negate ? DOMAIN_LIST_NOMATCH : DOMAIN_LIST_MATCH;
    }
    return DOMAIN_LIST_NOMATCH;
}

/* domain_list_name_match - a name against "name" or ".name" */
bool    domain_list_name_match(const char *name, const char *text,
			               bool subdomain, bool parent_match)
{
    return ((!subdomain && strcmp(name, text) == 0)
	    || ((subdomain || parent_match) && domain_list_is_sub(name, text)));
}

/* A match in progress. */
typedef struct DOMAIN_LIST_TRY {
    DOMAIN_LIST *list;
    const char *name;
} DOMAIN_LIST_TRY;

/* domain_list_try - whether one pattern matches */
static int domain_list_try(void *context, size_t n, bool *negate)
{
    DOMAIN_LIST_TRY *try = context;
    DOMAIN_PATTERN *entry = try->list->patterns + n;

    *negate = entry->negate;
    switch (entry->type) {
    case DOMAIN_PATTERN_NAME:
    case DOMAIN_PATTERN_SUBDOMAIN:
	return domain_list_name_match(try->name, entry->text,
				      entry->type == DOMAIN_PATTERN_SUBDOMAIN,
				      try->list->parent_match);
    case DOMAIN_PATTERN_TABLE:
	return domain_list_table(try->list, entry->maps, try->name);
    default:
	return DOMAIN_LIST_ERROR;
    }
}

/* domain_list_match - first pattern that matches decides */
int     domain_list_match(DOMAIN_LIST *list, const char *domain)
{
    DOMAIN_LIST_TRY try;
    char   *name;
    int     result;

    if (*domain == 0)
	return DOMAIN_LIST_NOMATCH;
    name = lowercase(mystrdup(domain));
    try.list = list;
    try.name = name;
    result = domain_list_first(list->count, domain_list_try, &try);
    myfree(name);
    return result;
}

/* domain_list_free - release a list */
void    domain_list_free(DOMAIN_LIST *list)
{
    size_t  n;

    for (n = 0; n < list->count; n++) {
	myfree(list->patterns[n].text);
	if (list->patterns[n].maps)
	    maps_free(list->patterns[n].maps);
    }
    if (list->patterns)
	myfree(list->patterns);
    myfree(list->title);
    myfree(list);
}
