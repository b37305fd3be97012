/*
 * tok822 - RFC 5322 address tokenizer, parser and unparser
 *
 * SYNOPSIS
 *	#include "tok822.h"
 *
 *	TOK822	*tok822_scan(const char *str, TOK822 **tailp);
 *	TOK822	*tok822_scan_limit(const char *str, TOK822 **tailp,
 *					int limit);
 *	TOK822	*tok822_scan_addr(const char *addr);
 *	TOK822	*tok822_scan_addr_internal(const char *addr);
 *	TOK822	*tok822_parse(const char *str);
 *	TOK822	*tok822_parse_limit(const char *str, int limit);
 *
 *	VSTRING	*tok822_externalize(VSTRING *vp, const TOK822 *tree,
 *					int flags);
 *	VSTRING	*tok822_internalize(VSTRING *vp, const TOK822 *tree,
 *					int flags);
 *
 *	TOK822	*tok822_alloc(int type, const char *text);
 *	TOK822	*tok822_free(TOK822 *tp);
 *	TOK822	*tok822_free_tree(TOK822 *tp);
 *
 *	TOK822	*tok822_append(TOK822 *t1, TOK822 *t2);
 *	TOK822	*tok822_prepend(TOK822 *t1, TOK822 *t2);
 *	TOK822	*tok822_cut_before(TOK822 *tp);
 *	TOK822	*tok822_cut_after(TOK822 *tp);
 *	TOK822	*tok822_sub_append(TOK822 *owner, TOK822 *list);
 *	TOK822	*tok822_sub_prepend(TOK822 *owner, TOK822 *list);
 *	TOK822	*tok822_sub_keep_before(TOK822 *owner, TOK822 *child);
 *	TOK822	*tok822_sub_keep_after(TOK822 *owner, TOK822 *child);
 *
 *	TOK822	*tok822_find_type(TOK822 *head, int type);
 *	TOK822	*tok822_rfind_type(TOK822 *tail, int type);
 *	TOK822	**tok822_grep(TOK822 *tree, int type);
 *
 * DESCRIPTION
 *	This module turns address text from message headers and SMTP
 *	commands into a token tree, and turns trees back into text, either
 *	in external form (local parts quoted as RFC 5322 requires) or in
 *	internal form (quotes removed). See quote_822_local(3) for the two
 *	forms.
 *
 *	A token has a type and, for text tokens, a VSTRING:
 * .IP TOK822_ATOM
 *	A run of atext bytes. Bytes with the high bit set are atom bytes
 *	(SMTPUTF8). A dot-atom is several atoms with '.' tokens between.
 * .IP TOK822_QSTRING
 *	A quoted string; the text is the content without the quotes, with
 *	backslash escapes resolved.
 * .IP TOK822_COMMENT
 *	A comment, with nested comments inside; the text is the whole
 *	comment as written, outer parentheses included.
 * .IP TOK822_DOMLIT
 *	A domain literal; the text is as written, brackets included.
 * .IP "operators"
 *	Every other byte is a token on its own whose type is the byte value:
 *	< > @ , ; : . and, in garbage, \ ) ] and ASCII control bytes. No
 *	text.
 * .IP TOK822_ADDR
 *	Made by the parser: a node whose children are the tokens of one
 *	address (source route, local part, '@', domain). No text.
 * .IP TOK822_STARTGRP
 *	Made by the parser: the ':' that ends a group name. No text.
 * .PP
 *	Whitespace separates tokens and is not kept, except that each token
 *	remembers whether whitespace came before it (the spaced field), so
 *	that phrases like "John Q. Public" come out as they went in. CR and
 *	LF are removed everywhere, also inside quoted strings, comments and
 *	domain literals (header unfolding), escaped or not. An unterminated
 *	quoted string, comment or domain literal ends at the end of the
 *	input; a missing ')' or ']' is supplied. A backslash at the very end
 *	of the input is dropped.
 *
 *	tok822_scan() returns the flat token list (NULL for empty input) and
 *	stores its last token in *tailp when tailp is not NULL. It stops
 *	after TOK822_DEFAULT_LIMIT tokens; tok822_scan_limit() takes the
 *	bound as an argument (> 0). Text after the last token allowed is
 *	discarded without notice, as Postfix does with
 *	header_address_token_limit. Each token needs at least one input
 *	byte, so time and memory are linear in the input size in any case.
 *
 *	tok822_scan_addr() scans text that holds one address in external
 *	form (no phrase, no angle brackets) and returns a TOK822_ADDR node
 *	with the non-comment tokens as children; comments are dropped. The
 *	node may have no children (empty input). tok822_scan_addr_internal()
 *	does the same for an internal-form address: it quotes the local
 *	part with quote_822_local() first.
 *
 *	tok822_parse() parses a whole header value or SMTP address text and
 *	never fails. It returns the top-level list (NULL for empty input)
 *	in which each address is a TOK822_ADDR node; everything else stays
 *	at the top level: phrases, '<' and '>', comments, group names
 *	followed by a TOK822_STARTGRP, ';', ','. The rules, applied to
 *	comma-separated pieces:
 * .IP \(bu
 *	A ':' outside angle brackets ends a group name: the tokens before
 *	it are left alone and it becomes TOK822_STARTGRP. A ';' ends a
 *	piece like ','.
 * .IP \(bu
 *	In a piece with '<', the tokens up to the first '>' (or to the end
 *	of the piece, in which case a '>' is supplied) form the address.
 *	When the first non-comment token after '<' is '@' and a ':' comes
 *	before any '>', ';' or '<', the commas up to that ':' belong to a
 *	source route and do not end the piece. Tokens before '<' and after
 *	'>' stay at the top level.
 * .IP \(bu
 *	In a piece without '<', all non-comment tokens form the address.
 * .IP \(bu
 *	Comments before the first address token stay in front of the
 *	TOK822_ADDR node; comments between or after address tokens are
 *	moved right behind it. "<>" gives a TOK822_ADDR without children.
 *	A piece with only comments, or nothing, has no TOK822_ADDR.
 * .PP
 *	tok822_parse_limit() takes the token bound as an argument.
 *
 *	tok822_externalize() and tok822_internalize() append the text form
 *	of tree and the nodes after it to vp and return vp (null terminated).
 *	A TOK822_ADDR becomes, in external form: its source route (when it
 *	starts with '@' and has a ':' before any '<'), then the tokens up
 *	to the last '@' token, internalized and then quoted as one local
 *	part (8-bit clean) unless they form a dot-atom, then '@' and the
 *	domain tokens. An empty local part is written as "" when a domain
 *	or route goes with it; an ADDR without children, or with only an
 *	empty local part, writes nothing (the null address). In internal
 *	form an ADDR is its tokens with quoted strings unquoted. Outside an
 *	ADDR, quoted strings are written with quotes in external form and
 *	without in internal form.
 *
 *	Spacing: one space between two word tokens (atom, quoted string,
 *	domain literal), also inside addresses; no other space inside
 *	addresses. Outside addresses: none after '<' or before '>', ',',
 *	';'; one before '<', after '>', ';' and TOK822_STARTGRP, and around
 *	comments and addresses; none before TOK822_STARTGRP otherwise; one
 *	between two word tokens; otherwise one when the token's spaced field
 *	is set. No space is written before the first text written, nor
 *	before a token that writes nothing. Flags:
 * .IP TOK822_STR_WIPE
 *	Reset vp first.
 * .IP TOK822_STR_SPACE
 *	Write a space after each ',' that is not the last thing written.
 * .IP TOK822_STR_LINE
 *	Write a newline and a tab instead (overrides TOK822_STR_SPACE), for
 *	folding long headers.
 * .IP TOK822_STR_NOCOMMENT
 *	Leave out comments.
 * .IP TOK822_STR_NOPHRASE
 *	Write only the addresses, separated by ',' (and the space or
 *	newline above); an ADDR without children is written as "<>" in
 *	external form and as nothing in internal form.
 * .IP TOK822_STR_SINGLE
 *	Write tree only, not the nodes after it.
 * .PP
 *	TOK822_STR_DEFL is TOK822_STR_WIPE | TOK822_STR_SPACE.
 *
 *	tok822_alloc() makes a token; text is used for the text types (NULL
 *	means empty) and must be NULL for the others. tok822_free() frees
 *	one token (not its children) and returns NULL; tok822_free_tree()
 *	frees a token, its children and all tokens after it, and returns
 *	NULL. Both accept NULL.
 *
 *	tok822_append() inserts the list starting at t2 after t1 and
 *	returns the last token of that list; tok822_prepend() inserts it
 *	before t1 and returns the last token of that list. Inserted tokens
 *	get t1's owner. tok822_cut_before() splits a list before tp and
 *	returns tp; tok822_cut_after() splits after tp and returns what
 *	followed tp (or NULL). Neither touches an owner's head or tail
 *	pointers: use the _sub_ functions for children.
 *
 *	tok822_sub_append() and tok822_sub_prepend() add a list at the end
 *	or the start of owner's children; they return the last token added.
 *	tok822_sub_keep_before() detaches child and every later child of
 *	owner and returns them as a list; tok822_sub_keep_after() detaches
 *	child and every earlier child and returns them as a list (headed by
 *	the first of them). The caller frees or reuses the detached list.
 *
 *	tok822_find_type() returns the first token of the given type from
 *	head forward, tok822_rfind_type() the first from tail backward;
 *	both return NULL when there is none and do not look at children.
 *	tok822_grep() returns a null-terminated array (free with myfree())
 *	of the top-level tokens of the given type in tree and after it.
 *
 *	This module does not rewrite addresses (see trivial-rewrite), does
 *	not validate domains and does not fold header lines.
 *
 * DIAGNOSTICS
 *	None for bad input: garbage gives a tree. Panic: a bad limit, text
 *	for a token type without text, or tree operations on tokens that
 *	are not where the caller says they are.
 */
#ifndef TOK822_H
#define TOK822_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct TOK822 {
    int     type;			/* operator byte or TOK822_xxx */
    bool    spaced;			/* whitespace came before it */
    VSTRING *vstr;			/* text, or NULL */
    struct TOK822 *prev;		/* sibling before */
    struct TOK822 *next;		/* sibling after */
    struct TOK822 *head;		/* first child */
    struct TOK822 *tail;		/* last child */
    struct TOK822 *owner;		/* parent, or NULL */
} TOK822;

#define TOK822_ATOM	256
#define TOK822_QSTRING	257
#define TOK822_COMMENT	258
#define TOK822_DOMLIT	259
#define TOK822_ADDR	260
#define TOK822_STARTGRP	261

/*
 * The default token bound, equal to Postfix's header_address_token_limit
 * default. Each token costs at most a few dozen bytes plus its text.
 */
#define TOK822_DEFAULT_LIMIT	10240

#define TOK822_STR_NONE		0
#define TOK822_STR_WIPE		(1<<0)
#define TOK822_STR_SPACE	(1<<1)
#define TOK822_STR_LINE		(1<<2)
#define TOK822_STR_NOCOMMENT	(1<<3)
#define TOK822_STR_NOPHRASE	(1<<4)
#define TOK822_STR_SINGLE	(1<<5)
#define TOK822_STR_DEFL		(TOK822_STR_WIPE | TOK822_STR_SPACE)

extern TOK822 *tok822_scan_limit(const char *str, TOK822 **tailp, int limit);
extern TOK822 *tok822_scan_addr(const char *addr);
extern TOK822 *tok822_scan_addr_internal(const char *addr);
extern TOK822 *tok822_parse_limit(const char *str, int limit);

#define tok822_scan(str, tailp) \
	tok822_scan_limit((str), (tailp), TOK822_DEFAULT_LIMIT)
#define tok822_parse(str) \
	tok822_parse_limit((str), TOK822_DEFAULT_LIMIT)

extern VSTRING *tok822_externalize(VSTRING *vp, const TOK822 *tree, int flags);
extern VSTRING *tok822_internalize(VSTRING *vp, const TOK822 *tree, int flags);

extern TOK822 *tok822_alloc(int type, const char *text);
extern TOK822 *tok822_free(TOK822 *tp);
extern TOK822 *tok822_free_tree(TOK822 *tp);

extern TOK822 *tok822_append(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_prepend(TOK822 *t1, TOK822 *t2);
extern TOK822 *tok822_cut_before(TOK822 *tp);
extern TOK822 *tok822_cut_after(TOK822 *tp);
extern TOK822 *tok822_sub_append(TOK822 *owner, TOK822 *list);
extern TOK822 *tok822_sub_prepend(TOK822 *owner, TOK822 *list);
extern TOK822 *tok822_sub_keep_before(TOK822 *owner, TOK822 *child);
extern TOK822 *tok822_sub_keep_after(TOK822 *owner, TOK822 *child);

extern TOK822 *tok822_find_type(TOK822 *head, int type);
extern TOK822 *tok822_rfind_type(TOK822 *tail, int type);
extern TOK822 **tok822_grep(TOK822 *tree, int type);

#endif
