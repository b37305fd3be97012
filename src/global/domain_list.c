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

#define DOMAIN_LIST_FILE_DEPTH	10	/* nested /file/name patterns */

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

/* domain_list_add - append one pattern */
static void domain_list_add(DOMAIN_LIST *list, const char *pattern, int depth)
{
    DOMAIN_PATTERN *entry;
    bool    negate = false;

    while (*pattern == '!') {
	negate = !negate;
	pattern++;
    }
    if (*pattern == 0)
	return;
    if (*pattern == '/') {
	ARGV   *patterns;
	size_t  n;

	if (negate)
	    msg_warn("%s: \"!\" before a file name is ignored: %s",
		     list->title, excerpt(pattern));
	if (depth >= DOMAIN_LIST_FILE_DEPTH) {
	    msg_warn("%s: pattern files nested too deeply at %s",
		     list->title, excerpt(pattern));
	} else {
	    patterns = argv_alloc(10);
	    if (pattern_file_read(pattern, patterns)) {
		for (n = 0; n < patterns->argc; n++)
		    domain_list_add(list, patterns->argv[n], depth + 1);
		argv_free(patterns);
		return;
	    }
	    msg_warn("%s: cannot open %s: %m", list->title, excerpt(pattern));
	    argv_free(patterns);
	}
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
static bool domain_list_is_sub(const char *domain, const char *parent)
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

/* domain_list_match - first pattern that matches decides */
int     domain_list_match(DOMAIN_LIST *list, const char *domain)
{
    DOMAIN_PATTERN *entry;
    char   *name;
    size_t  n;
    int     found;
    int     result = DOMAIN_LIST_NOMATCH;

    if (*domain == 0)
	return DOMAIN_LIST_NOMATCH;
    name = lowercase(mystrdup(domain));
    for (n = 0; n < list->count; n++) {
	entry = list->patterns + n;
	switch (entry->type) {
	case DOMAIN_PATTERN_NAME:
	    found = (strcmp(name, entry->text) == 0
		     || (list->parent_match && domain_list_is_sub(name, entry->text)))
		? DOMAIN_LIST_MATCH : DOMAIN_LIST_NOMATCH;
	    break;
	case DOMAIN_PATTERN_SUBDOMAIN:
	    found = domain_list_is_sub(name, entry->text)
		? DOMAIN_LIST_MATCH : DOMAIN_LIST_NOMATCH;
	    break;
	case DOMAIN_PATTERN_TABLE:
	    found = domain_list_table(list, entry->maps, name);
	    break;
	default:
	    found = DOMAIN_LIST_ERROR;
	    break;
	}
	if (found == DOMAIN_LIST_ERROR) {
	    result = DOMAIN_LIST_ERROR;
	    break;
	}
	if (found == DOMAIN_LIST_MATCH) {
	    result = entry->negate ? DOMAIN_LIST_NOMATCH : DOMAIN_LIST_MATCH;
	    break;
	}
    }
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
