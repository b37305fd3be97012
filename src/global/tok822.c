/*
 * tok822 - RFC 5322 address tokenizer, parser and unparser
 *
 * DESCRIPTION
 *	See tok822.h. The file has four parts: tokens and trees, the
 *	scanner, the parser, and the unparser (externalize/internalize).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "quote_822_local.h"
#include "tok822.h"

 /*
  * Bytes that end an atom. Everything else that is not whitespace or an
  * ASCII control byte belongs to an atom, 8-bit bytes included.
  */
#define TOK822_SPECIALS	"()<>@,;:\\\".[]"

 /*
  * A list under construction: the parser moves tokens from the scanner's
  * list into these.
  */
typedef struct TOK822_LIST {
    TOK822 *head;
    TOK822 *tail;
} TOK822_LIST;

/* tok822_has_text - does this token type carry text */
static bool tok822_has_text(int type)
{
    return type == TOK822_ATOM || type == TOK822_QSTRING
	|| type == TOK822_COMMENT || type == TOK822_DOMLIT;
}

/* tok822_is_word - atom, quoted string or domain literal */
static bool tok822_is_word(const TOK822 *tp)
{
    return tp->type == TOK822_ATOM || tp->type == TOK822_QSTRING
	|| tp->type == TOK822_DOMLIT;
}

/* tok822_alloc - make one token */
TOK822 *tok822_alloc(int type, const char *text)
{
    TOK822 *tp;

    if (type <= 0 || type > TOK822_STARTGRP
	|| (type > UCHAR_MAX && type < TOK822_ATOM))
	msg_panic("tok822_alloc: bad token type %d", type);
    if (text != NULL && !tok822_has_text(type))
	msg_panic("tok822_alloc: text for token type %d", type);
    tp = mymalloc(sizeof(*tp));
    tp->type = type;
    tp->spaced = false;
    tp->vstr = NULL;
    if (tok822_has_text(type)) {
	tp->vstr = vstring_alloc(text != NULL ? strlen(text) + 1 : 16);
	vstring_strcpy(tp->vstr, text != NULL ? text : "");
    }
    tp->prev = tp->next = tp->head = tp->tail = tp->owner = NULL;
    return tp;
}

/* tok822_free - free one token, not its children */
TOK822 *tok822_free(TOK822 *tp)
{
    if (tp == NULL)
	return NULL;
    if (tp->vstr != NULL)
	vstring_free(tp->vstr);
    myfree(tp);
    return NULL;
}

/* tok822_free_tree - free a token, its children and its successors */
TOK822 *tok822_free_tree(TOK822 *tp)
{
    TOK822 *next;

    for (; tp != NULL; tp = next) {
	next = tp->next;
	if (tp->head != NULL)
	    tok822_free_tree(tp->head);
	tok822_free(tp);
    }
    return NULL;
}

/* tok822_list_end - set owners of a list and return its last token */
static TOK822 *tok822_list_end(TOK822 *list, TOK822 *owner)
{
    TOK822 *tp;

    for (tp = list; /* void */ ; tp = tp->next) {
	tp->owner = owner;
	if (tp->next == NULL)
	    return tp;
    }
}

/* tok822_append - insert a list after t1 */
TOK822 *tok822_append(TOK822 *t1, TOK822 *t2)
{
    TOK822 *next = t1->next;
    TOK822 *last;

    if (t2->prev != NULL)
	msg_panic("tok822_append: token is not at the start of its list");
    last = tok822_list_end(t2, t1->owner);
    t1->next = t2;
    t2->prev = t1;
    last->next = next;
    if (next != NULL)
	next->prev = last;
    else if (t1->owner != NULL)
	t1->owner->tail = last;
    return last;
}

/* tok822_prepend - insert a list before t1 */
TOK822 *tok822_prepend(TOK822 *t1, TOK822 *t2)
{
    TOK822 *prev = t1->prev;
    TOK822 *last;

    if (t2->prev != NULL)
	msg_panic("tok822_prepend: token is not at the start of its list");
    last = tok822_list_end(t2, t1->owner);
    last->next = t1;
    t1->prev = last;
    t2->prev = prev;
    if (prev != NULL)
	prev->next = t2;
    else if (t1->owner != NULL)
	t1->owner->head = t2;
    return last;
}

/* tok822_disown - clear the owner of every token in a list */
static void tok822_disown(TOK822 *tp)
{
    for (; tp != NULL; tp = tp->next)
	tp->owner = NULL;
}

/* tok822_cut_before - split a list before tp */
TOK822 *tok822_cut_before(TOK822 *tp)
{
    TOK822 *prev = tp->prev;
    TOK822 *owner = tp->owner;

    if (prev != NULL) {
	prev->next = NULL;
	tp->prev = NULL;
    }
    if (owner != NULL) {
	owner->tail = prev;
	if (prev == NULL)
	    owner->head = NULL;
	tok822_disown(tp);
    }
    return tp;
}

/* tok822_cut_after - split a list after tp */
TOK822 *tok822_cut_after(TOK822 *tp)
{
    TOK822 *next = tp->next;

    if (next == NULL)
	return NULL;
    tp->next = NULL;
    next->prev = NULL;
    if (tp->owner != NULL) {
	tp->owner->tail = tp;
	tok822_disown(next);
    }
    return next;
}

/* tok822_sub_append - add a list at the end of owner's children */
TOK822 *tok822_sub_append(TOK822 *owner, TOK822 *list)
{
    if (owner->tail != NULL)
	return tok822_append(owner->tail, list);
    if (list->prev != NULL)
	msg_panic("tok822_sub_append: token is not at the start of its list");
    owner->head = list;
    return owner->tail = tok822_list_end(list, owner);
}

/* tok822_sub_prepend - add a list at the start of owner's children */
TOK822 *tok822_sub_prepend(TOK822 *owner, TOK822 *list)
{
    if (owner->head != NULL)
	return tok822_prepend(owner->head, list);
    return tok822_sub_append(owner, list);
}

/* tok822_sub_keep_before - detach child and the children after it */
TOK822 *tok822_sub_keep_before(TOK822 *owner, TOK822 *child)
{
    if (child->owner != owner)
	msg_panic("tok822_sub_keep_before: token is not a child");
    return tok822_cut_before(child);
}

/* tok822_sub_keep_after - detach child and the children before it */
TOK822 *tok822_sub_keep_after(TOK822 *owner, TOK822 *child)
{
    TOK822 *head = owner->head;
    TOK822 *rest = child->next;

    if (child->owner != owner)
	msg_panic("tok822_sub_keep_after: token is not a child");
    child->next = NULL;
    if (rest != NULL)
	rest->prev = NULL;
    owner->head = rest;
    if (rest == NULL)
	owner->tail = NULL;
    tok822_disown(head);
    return head;
}

/* tok822_find_type - first token of a type, searching forward */
TOK822 *tok822_find_type(TOK822 *head, int type)
{
    for (; head != NULL; head = head->next)
	if (head->type == type)
	    return head;
    return NULL;
}

/* tok822_rfind_type - first token of a type, searching backward */
TOK822 *tok822_rfind_type(TOK822 *tail, int type)
{
    for (; tail != NULL; tail = tail->prev)
	if (tail->type == type)
	    return tail;
    return NULL;
}

/* tok822_grep - array of the top-level tokens of a type */
TOK822 **tok822_grep(TOK822 *tree, int type)
{
    TOK822 *tp;
    TOK822 **list;
    size_t  count = 0;

    for (tp = tree; tp != NULL; tp = tp->next)
	if (tp->type == type)
	    count++;
    list = mymalloc((count + 1) * sizeof(*list));
    count = 0;
    for (tp = tree; tp != NULL; tp = tp->next)
	if (tp->type == type)
	    list[count++] = tp;
    list[count] = NULL;
    return list;
}

/* tok822_list_add - move one token to the end of a list under construction */
static void tok822_list_add(TOK822_LIST *list, TOK822 *tp)
{
    tp->owner = NULL;
    tp->next = NULL;
    tp->prev = list->tail;
    if (list->tail != NULL)
	list->tail->next = tp;
    else
	list->head = tp;
    list->tail = tp;
}

/* tok822_sub_add_one - move one token to the end of owner's children */
static void tok822_sub_add_one(TOK822 *owner, TOK822 *tp)
{
    tp->prev = tp->next = NULL;
    tok822_sub_append(owner, tp);
}

/*
 * Scanner.
 */

/* tok822_is_space - whitespace between tokens */
static bool tok822_is_space(int ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'
	|| ch == '\v' || ch == '\f';
}

/* tok822_is_atom - a byte that belongs to an atom */
static bool tok822_is_atom(int ch)
{
    if (ch >= 0x80)
	return true;
    return ch > ' ' && ch < 0x7f && strchr(TOK822_SPECIALS, ch) == NULL;
}

/* tok822_scan_raw - copy a comment or domain literal as written */
static const char *tok822_scan_raw(VSTRING *vp, const char *cp,
				           int open, int close)
{
    size_t  depth = 0;
    int     ch;

    /*
     * Escapes are kept as written so that the text scans the same way
     * again; CR and LF are dropped, with a backslash before them. Only
     * comments nest: a domain literal ends at the first ']'.
     */
    for (/* void */ ; (ch = *cp) != 0; cp++) {
	if (ch == '\\') {
	    if (*++cp == 0)
		break;
	    ch = *cp;
	    if (ch != '\r' && ch != '\n') {
		VSTRING_ADDCH(vp, '\\');
		VSTRING_ADDCH(vp, ch);
	    }
	    continue;
	}
	if (ch == '\r' || ch == '\n')
	    continue;
	VSTRING_ADDCH(vp, ch);
	if (ch == open && (depth == 0 || open == '(')) {
	    depth++;
	} else if (ch == close && --depth == 0) {
	    cp++;
	    break;
	}
    }
    for (/* void */ ; depth > 0; depth--)
	VSTRING_ADDCH(vp, close);
    VSTRING_TERMINATE(vp);
    return cp;
}

/* tok822_scan_qstring - copy a quoted string's content, unescaped */
static const char *tok822_scan_qstring(VSTRING *vp, const char *cp)
{
    int     ch;

    for (cp++; (ch = *cp) != 0; cp++) {
	if (ch == '"') {
	    cp++;
	    break;
	}
	if (ch == '\\') {
	    if (*++cp == 0)
		break;
	    ch = *cp;
	}
	if (ch != '\r' && ch != '\n')
	    VSTRING_ADDCH(vp, ch);
    }
    VSTRING_TERMINATE(vp);
    return cp;
}

/* tok822_scan_limit - text to a flat token list, at most limit tokens */
TOK822 *tok822_scan_limit(const char *str, TOK822 **tailp, int limit)
{
    TOK822_LIST list = {NULL, NULL};
    const char *cp = str;
    const char *start;
    TOK822 *tp;
    bool    spaced = false;
    int     count = 0;
    int     ch;

    if (limit <= 0)
	msg_panic("tok822_scan_limit: bad token limit %d", limit);
    for (;;) {
	while (tok822_is_space((unsigned char) *cp)) {
	    spaced = true;
	    cp++;
	}
	if ((ch = (unsigned char) *cp) == 0 || count >= limit)
	    break;
	count++;
	if (ch == '(') {
	    tp = tok822_alloc(TOK822_COMMENT, NULL);
	    cp = tok822_scan_raw(tp->vstr, cp, '(', ')');
	} else if (ch == '[') {
	    tp = tok822_alloc(TOK822_DOMLIT, NULL);
	    cp = tok822_scan_raw(tp->vstr, cp, '[', ']');
	} else if (ch == '"') {
	    tp = tok822_alloc(TOK822_QSTRING, NULL);
	    cp = tok822_scan_qstring(tp->vstr, cp);
	} else if (tok822_is_atom(ch)) {
	    tp = tok822_alloc(TOK822_ATOM, NULL);
	    for (start = cp; tok822_is_atom((unsigned char) *cp); cp++)
		 /* void */ ;
	    vstring_strncpy(tp->vstr, start, (size_t) (cp - start));
	} else {
	    tp = tok822_alloc(ch, NULL);
	    cp++;
	}
	tp->spaced = spaced;
	spaced = false;
	tok822_list_add(&list, tp);
    }
    if (tailp != NULL)
	*tailp = list.tail;
    return list.head;
}

/* tok822_scan_addr - one external-form address to a TOK822_ADDR node */
TOK822 *tok822_scan_addr(const char *addr)
{
    TOK822 *tree = tok822_alloc(TOK822_ADDR, NULL);
    TOK822 *tp;
    TOK822 *next;

    for (tp = tok822_scan(addr, NULL); tp != NULL; tp = next) {
	next = tp->next;
	if (tp->type == TOK822_COMMENT)
	    tok822_free(tp);
	else
	    tok822_sub_add_one(tree, tp);
    }
    return tree;
}

/* tok822_scan_addr_internal - one internal-form address to a node */
TOK822 *tok822_scan_addr_internal(const char *addr)
{
    VSTRING *ext = vstring_alloc(100);
    TOK822 *tree;

    quote_822_local(ext, addr);
    tree = tok822_scan_addr(vstring_str(ext));
    vstring_free(ext);
    return tree;
}

/*
 * Parser.
 */

/* tok822_parse_route_ahead - does a source route start at this token */
static bool tok822_parse_route_ahead(const TOK822 *tp)
{
    while (tp != NULL && tp->type == TOK822_COMMENT)
	tp = tp->next;
    if (tp == NULL || tp->type != '@')
	return false;

    /*
     * A route (RFC 5322 obs-route) holds only domains, '@', ',' and
     * comments before its ':'. Any other token ends the look-ahead: a
     * quoted string, for example, can only be a local part, and an
     * address after a ',' may be written with quotes in external form
     * and without them in the input, so that a looser look-ahead could
     * decide differently on the externalized text. Stopping at '<' as
     * well keeps the look-ahead linear: the next look-ahead can only
     * start at a later '<'.
     */
    for (/* void */ ; tp != NULL; tp = tp->next) {
	switch (tp->type) {
	case ':':
	    return true;
	case '@':
	case ',':
	case '.':
	case TOK822_ATOM:
	case TOK822_DOMLIT:
	case TOK822_COMMENT:
	    break;
	default:
	    return false;
	}
    }
    return false;
}

/* tok822_parse_piece - group the tokens of one list element */
static void tok822_parse_piece(TOK822_LIST *out, TOK822_LIST *piece)
{
    TOK822_LIST comments = {NULL, NULL};
    TOK822 *tp = piece->head;
    TOK822 *next;
    TOK822 *angle;
    TOK822 *addr;
    TOK822 *comment;

    piece->head = piece->tail = NULL;
    angle = tok822_find_type(tp, '<');

    /* Phrase and '<' stay at the top level. */
    if (angle != NULL) {
	do {
	    next = tp->next;
	    tok822_list_add(out, tp);
	} while (tp != angle && (tp = next) != NULL);
	tp = next;
    }
    for (/* void */ ; tp != NULL && tp->type == TOK822_COMMENT; tp = next) {
	next = tp->next;
	tok822_list_add(out, tp);
    }
    if (tp == NULL && angle == NULL)
	return;

    /* The address, with inner and trailing comments moved behind it. */
    addr = tok822_alloc(TOK822_ADDR, NULL);
    for (/* void */ ; tp != NULL; tp = next) {
	next = tp->next;
	if (angle != NULL && tp->type == '>')
	    break;
	if (tp->type == TOK822_COMMENT)
	    tok822_list_add(&comments, tp);
	else
	    tok822_sub_add_one(addr, tp);
    }
    tok822_list_add(out, addr);
    while ((comment = comments.head) != NULL) {
	comments.head = comment->next;
	tok822_list_add(out, comment);
    }

    /* The '>' (supplied when missing) and whatever follows it. */
    if (angle != NULL) {
	if (tp == NULL)
	    tok822_list_add(out, tok822_alloc('>', NULL));
	for (/* void */ ; tp != NULL; tp = next) {
	    next = tp->next;
	    tok822_list_add(out, tp);
	}
    }
}

/* tok822_parse_limit - header value or SMTP address text to a tree */
TOK822 *tok822_parse_limit(const char *str, int limit)
{
    TOK822_LIST out = {NULL, NULL};
    TOK822_LIST piece = {NULL, NULL};
    TOK822 *tp;
    TOK822 *next;
    bool    in_angle = false;
    bool    in_route = false;

    for (tp = tok822_scan_limit(str, NULL, limit); tp != NULL; tp = next) {
	next = tp->next;
	switch (tp->type) {
	case '<':
	    if (!in_angle) {
		in_angle = true;
		in_route = tok822_parse_route_ahead(next);
	    }
	    tok822_list_add(&piece, tp);
	    break;
	case '>':
	    in_angle = in_route = false;
	    tok822_list_add(&piece, tp);
	    break;
	case ',':
	    if (in_route) {
		tok822_list_add(&piece, tp);
		break;
	    }
	    /* FALLTHROUGH */
	case ';':
	    tok822_parse_piece(&out, &piece);
	    tok822_list_add(&out, tp);
	    in_angle = in_route = false;
	    break;
	case ':':
	    if (in_angle) {
		in_route = false;
		tok822_list_add(&piece, tp);
		break;
	    }
	    /* A group name: leave it alone. */
	    while (piece.head != NULL) {
		TOK822 *name = piece.head;

		piece.head = name->next;
		tok822_list_add(&out, name);
	    }
	    piece.tail = NULL;
	    tp->type = TOK822_STARTGRP;
	    tok822_list_add(&out, tp);
	    break;
	default:
	    tok822_list_add(&piece, tp);
	    break;
	}
    }
    tok822_parse_piece(&out, &piece);
    return out.head;
}

/*
 * Unparser.
 */

static void tok822_unparse_addr(VSTRING *, const TOK822 *, bool);

/* tok822_unparse_qstring - a quoted string in external form */
static void tok822_unparse_qstring(VSTRING *vp, const char *cp)
{
    VSTRING_ADDCH(vp, '"');
    for (/* void */ ; *cp != 0; cp++) {
	if (*cp == '"' || *cp == '\\' || *cp == '\r' || *cp == '\n')
	    VSTRING_ADDCH(vp, '\\');
	VSTRING_ADDCH(vp, *cp);
    }
    VSTRING_ADDCH(vp, '"');
}

/* tok822_unparse_token - one token that is not an address */
static void tok822_unparse_token(VSTRING *vp, const TOK822 *tp,
				         bool external)
{
    switch (tp->type) {
    case TOK822_ATOM:
    case TOK822_COMMENT:
    case TOK822_DOMLIT:
	vstring_memcat(vp, vstring_str(tp->vstr), VSTRING_LEN(tp->vstr));
	break;
    case TOK822_QSTRING:
	if (external)
	    tok822_unparse_qstring(vp, vstring_str(tp->vstr));
	else
	    vstring_memcat(vp, vstring_str(tp->vstr), VSTRING_LEN(tp->vstr));
	break;
    case TOK822_STARTGRP:
	VSTRING_ADDCH(vp, ':');
	break;
    default:
	if (tp->type <= 0 || tp->type > UCHAR_MAX)
	    msg_panic("tok822_unparse_token: bad token type %d", tp->type);
	VSTRING_ADDCH(vp, tp->type);
	break;
    }
}

/* tok822_unparse_words - address tokens from..to (exclusive), packed */
static void tok822_unparse_words(VSTRING *vp, const TOK822 *from,
				         const TOK822 *to, bool external)
{
    const TOK822 *prev = NULL;
    const TOK822 *tp;

    for (tp = from; tp != NULL && tp != to; tp = tp->next) {
	if (tp->type == TOK822_COMMENT)
	    continue;
	if (prev != NULL && tok822_is_word(prev) && tok822_is_word(tp))
	    VSTRING_ADDCH(vp, ' ');
	if (tp->type == TOK822_ADDR)
	    tok822_unparse_addr(vp, tp, external);
	else
	    tok822_unparse_token(vp, tp, external);
	prev = tp;
    }
}

/* tok822_in_angles - is an address enclosed in "<" and ">" */
static bool tok822_in_angles(const TOK822 *addr)
{
    const TOK822 *tp;

    for (tp = addr->prev; tp != NULL && tp->type == TOK822_COMMENT; tp = tp->prev)
	 /* void */ ;
    return tp != NULL && tp->type == '<';
}

/* tok822_unparse_addr - one address in external or internal form */
static void tok822_unparse_addr(VSTRING *vp, const TOK822 *addr,
				        bool external)
{
    const TOK822 *first;
    const TOK822 *route_end = NULL;
    const TOK822 *local;
    const TOK822 *at = NULL;
    const TOK822 *tp;
    VSTRING *tmp;

    if (!external) {
	tok822_unparse_words(vp, addr->head, NULL, false);
	return;
    }
    for (first = addr->head; first != NULL; first = first->next)
	if (first->type != TOK822_COMMENT)
	    break;
    if (first == NULL)
	return;

    /* A source route (@a,@b:) is written as is. */
    if (first->type == '@') {
	for (tp = first; tp != NULL && tp->type != '<'; tp = tp->next) {
	    if (tp->type == ':') {
		route_end = tp;
		break;
	    }
	}
    }
    local = route_end != NULL ? route_end->next : first;
    for (tp = addr->tail; tp != NULL && tp != route_end; tp = tp->prev) {
	if (tp->type == '@') {
	    at = tp;
	    break;
	}
    }
    if (route_end != NULL)
	tok822_unparse_words(vp, first, local, true);

    /*
     * The local part: unquote all of it, then quote it as a whole. An
     * empty one is written as "" even without a domain, unless "<>"
     * encloses it: an address that vanished from the external form
     * would let the next parse group the tokens around it differently
     * (as the start of a source route, say).
     */
    tmp = vstring_alloc(100);
    tok822_unparse_words(tmp, local, at, false);
    VSTRING_TERMINATE(tmp);
    if (VSTRING_LEN(tmp) > 0 || at != NULL || route_end != NULL
	|| !tok822_in_angles(addr))
	quote_822_local_flags(vp, vstring_str(tmp), QUOTE_FLAG_8BITCLEAN
			      | QUOTE_FLAG_APPEND | QUOTE_FLAG_BARE_LOCALPART);
    vstring_free(tmp);

    if (at != NULL) {
	VSTRING_ADDCH(vp, '@');
	tok822_unparse_words(vp, at->next, NULL, true);
    }
}

/* tok822_unparse_comma_space - what follows a comma, per the flags */
static void tok822_unparse_comma_space(VSTRING *vp, int flags)
{
    if (flags & TOK822_STR_LINE)
	vstring_strcat(vp, "\n\t");
    else if (flags & TOK822_STR_SPACE)
	VSTRING_ADDCH(vp, ' ');
}

/* tok822_need_space - write a space between two top-level tokens */
static bool tok822_need_space(const TOK822 *prev, const TOK822 *next)
{
    if (prev == NULL || prev->type == ',' || prev->type == '<')
	return false;
    switch (next->type) {
    case ',':
    case ';':
    case '>':
	return false;
    case '<':
	return true;
    }
    switch (prev->type) {
    case '>':
    case ';':
    case TOK822_STARTGRP:
	return true;
    }
    if (prev->type == TOK822_COMMENT || next->type == TOK822_COMMENT
	|| prev->type == TOK822_ADDR || next->type == TOK822_ADDR)
	return true;
    if (next->type == TOK822_STARTGRP)
	return false;
    if (tok822_is_word(prev) && tok822_is_word(next))
	return true;
    return next->spaced;
}

/* tok822_unparse_nophrase - addresses only, separated by commas */
static void tok822_unparse_nophrase(VSTRING *vp, const TOK822 *tree,
				            bool external, int flags)
{
    const TOK822 *tp;
    size_t  mark;
    bool    first = true;

    for (tp = tree; tp != NULL; tp = (flags & TOK822_STR_SINGLE) ? NULL : tp->next) {
	if (tp->type != TOK822_ADDR)
	    continue;
	if (!first) {
	    VSTRING_ADDCH(vp, ',');
	    tok822_unparse_comma_space(vp, flags);
	}
	first = false;
	mark = VSTRING_LEN(vp);
	tok822_unparse_addr(vp, tp, external);
	if (external && VSTRING_LEN(vp) == mark)
	    vstring_strcat(vp, "<>");
    }
}

/* tok822_unparse - the common part of externalize and internalize */
static VSTRING *tok822_unparse(VSTRING *vp, const TOK822 *tree,
			               bool external, int flags)
{
    const TOK822 *prev = NULL;
    const TOK822 *tp;
    bool    written = false;
    size_t  mark;
    size_t  start;

    if (flags & TOK822_STR_WIPE)
	VSTRING_RESET(vp);
    if (flags & TOK822_STR_NOPHRASE) {
	tok822_unparse_nophrase(vp, tree, external, flags);
	VSTRING_TERMINATE(vp);
	return vp;
    }
    for (tp = tree; tp != NULL; tp = (flags & TOK822_STR_SINGLE) ? NULL : tp->next) {
	if (tp->type == TOK822_COMMENT && (flags & TOK822_STR_NOCOMMENT))
	    continue;
	mark = VSTRING_LEN(vp);
	if (!written)
	     /* void */ ;
	else if (prev != NULL && prev->type == ',')
	    tok822_unparse_comma_space(vp, flags);
	else if (tok822_need_space(prev, tp))
	    VSTRING_ADDCH(vp, ' ');
	start = VSTRING_LEN(vp);
	if (tp->type == TOK822_ADDR)
	    tok822_unparse_addr(vp, tp, external);
	else
	    tok822_unparse_token(vp, tp, external);

	/*
	 * A token that writes nothing gets no space. An empty address is
	 * treated as absent; an empty string (internal form of "") still
	 * decides the space before the next token, as its quotes do in
	 * external form, so that both forms stay stable when parsed again.
	 */
	if (VSTRING_LEN(vp) == start) {
	    vstring_truncate(vp, mark);
	    if (tp->type == TOK822_ADDR)
		continue;
	} else {
	    written = true;
	}
	prev = tp;
    }
    VSTRING_TERMINATE(vp);
    return vp;
}

/* tok822_externalize - tree to external (quoted) text */
VSTRING *tok822_externalize(VSTRING *vp, const TOK822 *tree, int flags)
{
    return tok822_unparse(vp, tree, true, flags);
}

/* tok822_internalize - tree to internal (unquoted) text */
VSTRING *tok822_internalize(VSTRING *vp, const TOK822 *tree, int flags)
{
    return tok822_unparse(vp, tree, false, flags);
}
