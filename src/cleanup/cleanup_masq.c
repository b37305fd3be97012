/*
 * cleanup_masq - address masquerading for cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_masq.h. Behaviour observed with Postfix 3.7 (see
 *	docs/internals/cleanup-maps.md): an entry equal to the domain
 *	stops the search without a change; entries with a leading dot
 *	never match; exceptions compare the whole local part (extension
 *	included) without regard to case; a failing exceptions table logs
 *	"warning: masquerade_exceptions: <type>:<name>: table lookup
 *	problem" and then (info level, as Postfix does) "<qid>:
 *	masquerade_exceptions map lookup problem -- message not accepted,
 *	try again later".
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "vstream.h"
#include "pattern_file.h"
#include "stringops.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "tok822.h"
#include "cleanup_maps.h"

 /*
  * A masquerade_exceptions entry: a name or a table, maybe negated.
  */
typedef struct CLEANUP_MASQ_ITEM {
    bool    negate;
    char   *name;			/* lower case, or NULL for a table */
    DICT   *dict;			/* or NULL */
} CLEANUP_MASQ_ITEM;

struct CLEANUP_MASQ_EXCEPT {
    CLEANUP_MASQ_ITEM *items;
    size_t  count;
    size_t  size;
};

/* cleanup_masq_domains_create - split masquerade_domains */
ARGV   *cleanup_masq_domains_create(const char *masquerade_domains)
{
    ARGV   *list = argv_split(masquerade_domains, CHARS_COMMA_SP);
    size_t  n;

    if (list->argc == 0)
	return (argv_free(list));
    for (n = 0; n < list->argc; n++)
	lowercase(list->argv[n]);
    return (list);
}

/* cleanup_masq_except_add - append one exceptions entry */
static void cleanup_masq_except_add(CLEANUP_MASQ_EXCEPT *except, bool negate,
				            const char *name, DICT *dict)
{
    CLEANUP_MASQ_ITEM *item;

    if (except->count == except->size) {
	except->size = except->size ? 2 * except->size : 8;
	except->items = myrealloc(except->items,
				  except->size * sizeof(*except->items));
    }
    item = except->items + except->count++;
    item->negate = negate;
    item->name = name ? lowercase(mystrdup(name)) : 0;
    item->dict = dict;
}

/* cleanup_masq_except_file - add the words of a /file/name entry */
static void cleanup_masq_except_file(CLEANUP_MASQ_EXCEPT *except, bool negate,
				             const char *path)
{
    ARGV   *words = argv_alloc(10);
    size_t  n;

    if (!pattern_file_read(path, words))
	msg_warn("%s: open %s: %m", PARAM_NAME(masquerade_exceptions), path);
    for (n = 0; n < words->argc; n++)
	cleanup_masq_except_add(except, negate, words->argv[n], 0);
    argv_free(words);
}

/* cleanup_masq_except_create - compile masquerade_exceptions */
CLEANUP_MASQ_EXCEPT *cleanup_masq_except_create(const char *list,
					                int dict_flags)
{
    CLEANUP_MASQ_EXCEPT *except;
    ARGV   *words = argv_split_quoted(list, CHARS_COMMA_SP, CHARS_BRACE);
    const char *word;
    bool    negate;
    size_t  n;

    if (words->argc == 0) {
	argv_free(words);
	return (0);
    }
    except = mymalloc(sizeof(*except));
    except->items = 0;
    except->count = except->size = 0;
    for (n = 0; n < words->argc; n++) {
	word = words->argv[n];
	negate = false;
	while (*word == '!') {
	    negate = !negate;
	    word++;
	}
	if (*word == 0)
	    continue;
	if (*word == '/')
	    cleanup_masq_except_file(except, negate, word);
	else if (strchr(word, ':') != 0)
	    cleanup_masq_except_add(except, negate, 0,
			       dict_shared_open(word, O_RDONLY, dict_flags));
	else
	    cleanup_masq_except_add(except, negate, word, 0);
    }
    argv_free(words);
    return (except);
}

/* cleanup_masq_except_free - release masquerade_exceptions */
void    cleanup_masq_except_free(CLEANUP_MASQ_EXCEPT *except)
{
    size_t  n;

    if (except == 0)
	return;
    for (n = 0; n < except->count; n++) {
	if (except->items[n].name)
	    myfree(except->items[n].name);
	if (except->items[n].dict)
	    dict_shared_close(except->items[n].dict);
    }
    if (except->items)
	myfree(except->items);
    myfree(except);
}

/* cleanup_masq_except_match - the name is an exception */
int     cleanup_masq_except_match(CLEANUP_MASQ_EXCEPT *except, const char *name)
{
    CLEANUP_MASQ_ITEM *item;
    size_t  n;

    if (except == 0)
	return (0);
    for (n = 0; n < except->count; n++) {
	item = except->items + n;
	if (item->name) {
	    if (strcasecmp(item->name, name) == 0)
		return (item->negate ? 0 : 1);
	} else {
	    if (dict_get(item->dict, name) != 0)
		return (item->negate ? 0 : 1);
	    if (item->dict->error != DICT_ERR_NONE) {
		msg_warn("%s: %s:%s: table lookup problem",
			 PARAM_NAME(masquerade_exceptions),
			 item->dict->type, item->dict->name);
		return (-1);
	    }
	}
    }
    return (0);
}

/* cleanup_masq_domain - strip a domain's subdomain structure */
int     cleanup_masq_domain(const ARGV *masq_domains, VSTRING *domain)
{
    const char *name;
    const char *text = vstring_str(domain);
    size_t  len = VSTRING_LEN(domain);
    size_t  name_len;
    bool    negate;
    size_t  n;

    if (masq_domains == 0)
	return (CLEANUP_MAP_NONE);
    for (n = 0; n < masq_domains->argc; n++) {
	name = masq_domains->argv[n];
	negate = (*name == '!');
	if (negate)
	    name++;
	name_len = strlen(name);
	if (name_len == 0 || name_len > len)
	    continue;
	if (strcasecmp(text + len - name_len, name) != 0)
	    continue;
	if (len == name_len)			/* the domain itself */
	    return (CLEANUP_MAP_NONE);
	if (text[len - name_len - 1] != '.')	/* not a subdomain */
	    continue;
	if (negate)
	    return (CLEANUP_MAP_NONE);
	vstring_strcpy(domain, name);
	return (CLEANUP_MAP_FOUND);
    }
    return (CLEANUP_MAP_NONE);
}

/* cleanup_masq_addr - masquerade one address */
int     cleanup_masq_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
			          VSTRING *why)
{
    const char *at;
    VSTRING *local;
    VSTRING *domain;
    int     status = CLEANUP_MAP_NONE;
    int     except;

    if ((class & cm->masq_classes) == 0 || cm->masq_domains == 0)
	return (CLEANUP_MAP_NONE);
    if ((at = strrchr(vstring_str(addr), '@')) == 0 || at[1] == 0)
	return (CLEANUP_MAP_NONE);
    local = vstring_alloc(100);
    domain = vstring_alloc(100);
    vstring_strncpy(local, vstring_str(addr), (size_t) (at - vstring_str(addr)));
    vstring_strcpy(domain, at + 1);
    if ((except = cleanup_masq_except_match(cm->masq_exceptions,
					    vstring_str(local))) < 0) {
	msg_info("%s%s map lookup problem"
		 " -- message not accepted, try again later",
		 cleanup_maps_qid(cm), PARAM_NAME(masquerade_exceptions));
	if (why)
	    vstring_strcpy(why, "4.3.0 queue file write error");
	status = CLEANUP_MAP_RETRY;
    } else if (except == 0
	       && cleanup_masq_domain(cm->masq_domains, domain)
	       == CLEANUP_MAP_FOUND) {
	vstring_sprintf(addr, "%s@%s", vstring_str(local), vstring_str(domain));
	status = CLEANUP_MAP_FOUND;
    }
    vstring_free(local);
    vstring_free(domain);
    return (status);
}

/* cleanup_masq_tree - masquerade one header address */
int     cleanup_masq_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
			          VSTRING *why)
{
    VSTRING *text;
    int     status;

    if ((class & cm->masq_classes) == 0 || cm->masq_domains == 0)
	return (CLEANUP_MAP_NONE);
    text = vstring_alloc(100);
    cleanup_maps_tree_get(addr, text);
    status = cleanup_masq_addr(cm, class, text, why);
    if (status == CLEANUP_MAP_FOUND)
	cleanup_maps_tree_set(addr, vstring_str(text));
    vstring_free(text);
    return (status);
}
