/*
 * cleanup_maps - address mapping and content check tables of cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_maps.h.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <netdb.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "name_mask.h"
#include "pattern_file.h"
#include "vstream.h"
#include "inet_addr_list.h"
#include "inet_addr_local.h"
#include "myaddrinfo.h"
#include "dict.h"
#include "maps.h"
#include "mail_params.h"
#include "split_addr.h"
#include "table_search.h"
#include "cleanup_maps.h"

 /*
  * What cleanup_maps_local_domain() needs, computed on first use.
  */
typedef struct CLEANUP_MAPS_LOCAL {
    ARGV   *names;			/* mydestination names, lower case */
    MAPS   *tables;			/* mydestination type:table entries */
    ARGV   *literals;			/* inet/proxy_interfaces addresses */
    bool    all_interfaces;		/* inet_interfaces = all */
    INET_ADDR_LIST local_addrs;		/* when all_interfaces */
    bool    local_addrs_done;
} CLEANUP_MAPS_LOCAL;

static const NAME_MASK cleanup_class_table[] = {
    {"envelope_sender", CLEANUP_CLASS_ENV_SENDER},
    {"envelope_recipient", CLEANUP_CLASS_ENV_RCPT},
    {"header_sender", CLEANUP_CLASS_HDR_SENDER},
    {"header_recipient", CLEANUP_CLASS_HDR_RCPT},
    {0, 0},
};

static const NAME_MASK cleanup_propagate_table[] = {
    {"canonical", CLEANUP_PROPAGATE_CANONICAL},
    {"virtual", CLEANUP_PROPAGATE_VIRTUAL},
    {"alias", 0},			/* local(8)'s business */
    {"forward", 0},
    {"include", 0},
    {"generic", 0},			/* smtp(8)'s business */
    {0, 0},
};

/* cleanup_maps_open - open a table list, NULL for an empty value */
static MAPS *cleanup_maps_open(const char *title, const char *value, int flags)
{
    if (value == 0 || value[strspn(value, CHARS_COMMA_SP)] == 0)
	return (0);
    return (maps_create(title, value, flags));
}

/* cleanup_maps_class_mask - parse a list of address class names */
int     cleanup_maps_class_mask(const char *param_name, const char *value)
{
    return ((int) name_mask(param_name, cleanup_class_table, value));
}

/* cleanup_maps_alloc - no tables yet, the lookup machinery ready */
CLEANUP_MAPS *cleanup_maps_alloc(void)
{
    CLEANUP_MAPS *cm = mymalloc(sizeof(*cm));

    memset(cm, 0, sizeof(*cm));
    cm->recipient_delimiter = mystrdup(VAR_STR(recipient_delimiter));
    cm->local_domain = cleanup_maps_local_domain;
    cm->local_context = cm;
    cm->search = table_search_create();
    cm->match.local = vstring_alloc(100);
    cm->match.bare = vstring_alloc(100);
    cm->match.extension = vstring_alloc(100);
    cm->scratch = vstring_alloc(100);
    cm->qid_buf = vstring_alloc(30);
    return (cm);
}

/* cleanup_maps_create - open the tables named in main.cf */
CLEANUP_MAPS *cleanup_maps_create(void)
{
    CLEANUP_MAPS *cm = cleanup_maps_alloc();
    int     flags = DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX;
    const char *bcc;

    if (VAR_BOOL(smtputf8_enable))
	flags |= DICT_FLAG_UTF8_REQUEST;

    cm->canonical = cleanup_maps_open(PARAM_NAME(canonical_maps),
				      VAR_STR(canonical_maps), flags);
    cm->sender_canonical = cleanup_maps_open(PARAM_NAME(sender_canonical_maps),
					 VAR_STR(sender_canonical_maps), flags);
    cm->recipient_canonical =
	cleanup_maps_open(PARAM_NAME(recipient_canonical_maps),
			  VAR_STR(recipient_canonical_maps), flags);
    cm->canonical_classes =
	cleanup_maps_class_mask(PARAM_NAME(canonical_classes),
				VAR_STR(canonical_classes));
    cm->sender_canonical_classes =
	cleanup_maps_class_mask(PARAM_NAME(sender_canonical_classes),
				VAR_STR(sender_canonical_classes));
    cm->recipient_canonical_classes =
	cleanup_maps_class_mask(PARAM_NAME(recipient_canonical_classes),
				VAR_STR(recipient_canonical_classes));

    cm->virtual_alias = cleanup_maps_open(PARAM_NAME(virtual_alias_maps),
					  VAR_STR(virtual_alias_maps), flags);
    cm->virtual_recursion_limit = VAR_INT(virtual_alias_recursion_limit);
    cm->virtual_expansion_limit = VAR_INT(virtual_alias_expansion_limit);
    cm->virtual_length_limit = VAR_INT(virtual_alias_address_length_limit);

    cm->masq_domains = cleanup_masq_domains_create(VAR_STR(masquerade_domains));
    cm->masq_exceptions =
	cleanup_masq_except_create(VAR_STR(masquerade_exceptions), flags);
    cm->masq_classes = cleanup_maps_class_mask(PARAM_NAME(masquerade_classes),
					       VAR_STR(masquerade_classes));

    bcc = VAR_STR(always_bcc);
    cm->always_bcc = *bcc ? mystrdup(bcc) : 0;
    cm->sender_bcc = cleanup_maps_open(PARAM_NAME(sender_bcc_maps),
				       VAR_STR(sender_bcc_maps), flags);
    cm->recipient_bcc = cleanup_maps_open(PARAM_NAME(recipient_bcc_maps),
					  VAR_STR(recipient_bcc_maps), flags);

    /*
     * Content checks see message text as it came, UTF-8 or not: Postfix
     * 3.7 matches and logs headers with malformed UTF-8 with
     * smtputf8_enable on, so these tables are opened without the UTF-8
     * key check.
     */
    flags &= ~DICT_FLAG_UTF8_REQUEST;
    cm->header_checks = cleanup_maps_open(PARAM_NAME(header_checks),
					  VAR_STR(header_checks), flags);
    cm->mime_header_checks = cleanup_maps_open(PARAM_NAME(mime_header_checks),
					   VAR_STR(mime_header_checks), flags);
    cm->nested_header_checks =
	cleanup_maps_open(PARAM_NAME(nested_header_checks),
			  VAR_STR(nested_header_checks), flags);
    cm->body_checks = cleanup_maps_open(PARAM_NAME(body_checks),
					VAR_STR(body_checks), flags);
    cm->body_checks_size_limit = VAR_INT(body_checks_size_limit);
    cm->checks_utf8 = VAR_BOOL(smtputf8_enable);

    cm->propagate = (int) name_mask(PARAM_NAME(propagate_unmatched_extensions),
				    cleanup_propagate_table,
				    VAR_STR(propagate_unmatched_extensions));
    return (cm);
}

/* cleanup_maps_free - close everything */
CLEANUP_MAPS *cleanup_maps_free(CLEANUP_MAPS *cm)
{
    MAPS  **list[] = {
	&cm->canonical, &cm->sender_canonical, &cm->recipient_canonical,
	&cm->virtual_alias, &cm->sender_bcc, &cm->recipient_bcc,
	&cm->header_checks, &cm->mime_header_checks,
	&cm->nested_header_checks, &cm->body_checks,
    };
    size_t  n;

    for (n = 0; n < sizeof(list) / sizeof(list[0]); n++)
	if (*list[n])
	    *list[n] = maps_free(*list[n]);
    if (cm->masq_domains)
	argv_free(cm->masq_domains);
    cleanup_masq_except_free(cm->masq_exceptions);
    if (cm->always_bcc)
	myfree(cm->always_bcc);
    myfree(cm->recipient_delimiter);
    table_search_free(cm->search);
    vstring_free(cm->match.local);
    vstring_free(cm->match.bare);
    vstring_free(cm->match.extension);
    vstring_free(cm->scratch);
    vstring_free(cm->qid_buf);
    if (cm->local) {
	argv_free(cm->local->names);
	if (cm->local->tables)
	    maps_free(cm->local->tables);
	argv_free(cm->local->literals);
	inet_addr_list_free(&cm->local->local_addrs);
	myfree(cm->local);
    }
    myfree(cm);
    return (0);
}

/* cleanup_maps_changed - a table file changed on disk */
const char *cleanup_maps_changed(void)
{
    return (dict_changed_name());
}

/* cleanup_maps_add_words - add the words of a /file/name entry */
static void cleanup_maps_add_words(ARGV *names, const char *path)
{
    ARGV   *words = argv_alloc(10);
    size_t  n;

    if (!pattern_file_read(path, words))
	msg_warn("open %s: %m", path);
    for (n = 0; n < words->argc; n++)
	argv_add(names, lowercase(words->argv[n]), (char *) 0);
    argv_free(words);
}

/* cleanup_maps_local_init - parse mydestination and the interfaces */
static CLEANUP_MAPS_LOCAL *cleanup_maps_local_init(void)
{
    CLEANUP_MAPS_LOCAL *local = mymalloc(sizeof(*local));
    ARGV   *list;
    VSTRING *tables = vstring_alloc(100);
    const char *params[2];
    size_t  n;
    size_t  p;

    local->names = argv_alloc(10);
    local->literals = argv_alloc(10);
    local->all_interfaces = false;
    local->local_addrs_done = false;
    inet_addr_list_init(&local->local_addrs);

    list = argv_split_quoted(VAR_STR(mydestination), CHARS_COMMA_SP,
			     CHARS_BRACE);
    for (n = 0; n < list->argc; n++) {
	const char *item = list->argv[n];

	if (*item == '/')
	    cleanup_maps_add_words(local->names, item);
	else if (strchr(item, ':') != 0)
	    vstring_sprintf_append(tables, "%s%s", VSTRING_LEN(tables) ?
				   ", " : "", item);
	else
	    argv_add(local->names, lowercase(list->argv[n]), (char *) 0);
    }
    argv_free(list);
    local->tables = VSTRING_LEN(tables) == 0 ? 0 :
	maps_create(PARAM_NAME(mydestination), vstring_str(tables),
		    DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    vstring_free(tables);

    params[0] = VAR_STR(inet_interfaces);
    params[1] = VAR_STR(proxy_interfaces);
    for (p = 0; p < 2; p++) {
	list = argv_split(params[p], CHARS_COMMA_SP);
	for (n = 0; n < list->argc; n++) {
	    char   *item = list->argv[n];

	    if (p == 0 && strcasecmp(item, "all") == 0)
		local->all_interfaces = true;
	    else if (p == 0 && strcasecmp(item, "loopback-only") == 0)
		argv_add(local->literals, "127.0.0.1", "::1", (char *) 0);
	    else {
		if (*item == '[' && item[strlen(item) - 1] == ']') {
		    item[strlen(item) - 1] = 0;
		    item++;
		}
		argv_add(local->literals, lowercase(item), (char *) 0);
	    }
	}
	argv_free(list);
    }
    return (local);
}

/* cleanup_maps_local_literal - an address literal of this machine */
static bool cleanup_maps_local_literal(CLEANUP_MAPS_LOCAL *local,
				               const char *domain)
{
    static const int families[] = {AF_INET, AF_INET6, 0};
    struct addrinfo *res;
    VSTRING *addr = vstring_alloc(50);
    const char *text;
    bool    found = false;
    size_t  n;

    vstring_strncpy(addr, domain + 1, strlen(domain) - 2);
    text = lowercase(vstring_str(addr));
    if (strncmp(text, "ipv6:", 5) == 0)
	text += 5;
    for (n = 0; n < local->literals->argc && !found; n++)
	if (strcmp(local->literals->argv[n], text) == 0)
	    found = true;
    if (!found && local->all_interfaces
	&& hostaddr_to_sockaddr(text, (char *) 0, 0, &res) == 0) {
	if (!local->local_addrs_done) {
	    (void) inet_addr_local(&local->local_addrs, 0, families);
	    local->local_addrs_done = true;
	}
	found = inet_addr_list_contains(&local->local_addrs, res->ai_addr);
	freeaddrinfo(res);
    }
    vstring_free(addr);
    return (found);
}

/* cleanup_maps_local_domain - the domain is this machine's */
bool    cleanup_maps_local_domain(const char *domain, void *context)
{
    CLEANUP_MAPS *cm = context;
    CLEANUP_MAPS_LOCAL *local;
    const char *value;
    bool    found = false;
    size_t  n;

    if (strcasecmp(domain, VAR_STR(myorigin)) == 0)
	return (true);
    if (cm->local == 0)
	cm->local = cleanup_maps_local_init();
    local = cm->local;
    if (*domain == '[' && domain[strlen(domain) - 1] == ']')
	return (cleanup_maps_local_literal(local, domain));
    for (n = 0; n < local->names->argc && !found; n++)
	if (strcasecmp(local->names->argv[n], domain) == 0)
	    found = true;
    if (!found && local->tables) {
	value = maps_find(local->tables, domain, 0);
	found = (value != 0);
    }
    return (found);
}

/* cleanup_maps_find - canonical(5)/virtual(5) search order lookup */
const char *cleanup_maps_find(CLEANUP_MAPS *cm, MAPS *maps, const char *addr,
			              CLEANUP_MAPS_MATCH *match)
{
    const char *at = strrchr(addr, '@');
    const char *domain = at ? at + 1 : 0;
    bool    local = (domain == 0 || *domain == 0
		     || cm->local_domain(domain, cm->local_context));
    const char *value;
    const char *key;
    char   *ext;
    size_t  which;

    /* Local part, with and without its extension. */
    if (at)
	vstring_strncpy(match->local, addr, (size_t) (at - addr));
    else
	vstring_strcpy(match->local, addr);
    vstring_strcpy(match->bare, vstring_str(match->local));
    VSTRING_RESET(match->extension);
    VSTRING_TERMINATE(match->extension);
    match->delimiter = 0;
    if (*cm->recipient_delimiter
	&& (ext = split_addr(vstring_str(match->bare),
			     cm->recipient_delimiter)) != 0) {
	vstring_strcpy(match->extension, ext);
	vstring_truncate(match->bare, strlen(vstring_str(match->bare)));
	/* split_addr() put a null byte where the delimiter was. */
	match->delimiter =
	    (unsigned char) vstring_str(match->local)[VSTRING_LEN(match->bare)];
    }
    match->form = 0;

    table_search_rewrite_address(cm->search, addr, cm->recipient_delimiter,
				 local);
    if ((value = table_search_find(cm->search, maps, &which)) == 0)
	return (0);
    key = cm->search->keys[which].key;
    if (*key == '@')
	match->form = CLEANUP_MATCH_DOMAIN;
    else if (match->delimiter == 0
	     || strcasecmp(key, addr) == 0
	     || strcasecmp(key, vstring_str(match->local)) == 0)
	match->form = CLEANUP_MATCH_FULL;
    else
	match->form = CLEANUP_MATCH_BARE;
    return (value);
}

/* cleanup_maps_result - one result address from a lookup value */
void    cleanup_maps_result(CLEANUP_MAPS *cm, VSTRING *result,
			            const CLEANUP_MAPS_MATCH *match,
			            const char *value, bool propagate)
{
    const char *at;
    size_t  pos;

    if (*value == '@') {
	vstring_strcpy(result, match->form == CLEANUP_MATCH_BARE ?
		       vstring_str(match->bare) : vstring_str(match->local));
	vstring_strcat(result, value);
    } else {
	vstring_strcpy(result, value);
    }
    if (propagate && match->form == CLEANUP_MATCH_BARE
	&& match->delimiter != 0) {
	at = strrchr(vstring_str(result), '@');
	pos = at ? (size_t) (at - vstring_str(result)) : VSTRING_LEN(result);
	vstring_sprintf(cm->scratch, "%c%s", match->delimiter,
			vstring_str(match->extension));
	vstring_insert(result, pos, vstring_str(cm->scratch),
		       VSTRING_LEN(cm->scratch));
    }
    /* "fred" becomes "fred@$myorigin" before it is looked up again. */
    if (cm->rewrite)
	cm->rewrite(result, cm->rewrite_context);
}

/* cleanup_maps_tree_get - internal form of an address node */
void    cleanup_maps_tree_get(TOK822 *addr, VSTRING *result)
{
    tok822_internalize(result, addr, TOK822_STR_WIPE | TOK822_STR_SINGLE);
}

/* cleanup_maps_tree_set - replace an address node's tokens */
void    cleanup_maps_tree_set(TOK822 *addr, const char *internal)
{
    TOK822 *fresh = tok822_scan_addr_internal(internal);
    TOK822 *list;

    if (addr->head) {
	list = tok822_sub_keep_before(addr, addr->head);
	tok822_free_tree(list);
    }
    if (fresh->head) {
	list = tok822_sub_keep_before(fresh, fresh->head);
	tok822_sub_append(addr, list);
    }
    tok822_free(fresh);
}

/* cleanup_maps_qid - queue ID prefix for warnings */
const char *cleanup_maps_qid(CLEANUP_MAPS *cm)
{
    if (cm->queue_id == 0 || *cm->queue_id == 0)
	return ("");
    vstring_sprintf(cm->qid_buf, "%s: ", cm->queue_id);
    return (vstring_str(cm->qid_buf));
}

/* cleanup_maps_addr_split - internal forms of the addresses in a value */
ARGV   *cleanup_maps_addr_split(const char *value)
{
    ARGV   *result = argv_alloc(2);
    VSTRING *buf = vstring_alloc(100);
    TOK822 *tree = tok822_parse(value);
    TOK822 **addrs = tok822_grep(tree, TOK822_ADDR);
    TOK822 *node;
    TOK822 *tp;
    TOK822 *piece;
    size_t  n;
    size_t  first;
    size_t  lo;
    size_t  hi;
    char   *tmp;

    for (n = 0; addrs[n]; n++) {
	node = addrs[n];
	first = result->argc;

	/*
	 * Outside angle brackets, whitespace separates addresses as a
	 * comma does ("a@x b@y"), as Postfix reads these values. Split
	 * from the end, then restore the order.
	 */
	if (node->prev == 0 || node->prev->type != '<') {
	    for (;;) {
		for (tp = node->tail; tp && tp != node->head && !tp->spaced;
		     tp = tp->prev)
		     /* void */ ;
		if (tp == 0 || tp == node->head)
		    break;
		piece = tok822_alloc(TOK822_ADDR, (char *) 0);
		tok822_sub_append(piece, tok822_sub_keep_before(node, tp));
		cleanup_maps_tree_get(piece, buf);
		argv_add(result, vstring_str(buf), (char *) 0);
		tok822_free_tree(piece);
	    }
	}
	cleanup_maps_tree_get(node, buf);
	argv_add(result, vstring_str(buf), (char *) 0);
	for (lo = first, hi = result->argc - 1; lo < hi; lo++, hi--) {
	    tmp = result->argv[lo];
	    result->argv[lo] = result->argv[hi];
	    result->argv[hi] = tmp;
	}
    }
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(buf);
    return (result);
}
