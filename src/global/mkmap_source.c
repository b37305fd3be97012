/*
 * mkmap_source - read the entries of a lookup table or aliases source file
 *
 * DESCRIPTION
 *	See mkmap_source.h.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "stringops.h"
#include "utf8_text.h"
#include "excerpt.h"
#include "tok822.h"
#include "mkmap_source.h"

struct MKMAP_SOURCE {
    VSTREAM *fp;
    int     flags;
    int     lineno;			/* physical lines read */
    int     first_line;			/* of the last logical line */
    VSTRING *line;
    VSTRING *key;			/* aliases: internalized name */
    VSTRING *value;			/* aliases: externalized value */
};

#define IS_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' \
			 || (c) == '\n' || (c) == '\v' || (c) == '\f')

/* mkmap_source_open - start reading a source file */
MKMAP_SOURCE *mkmap_source_open(VSTREAM *fp, int flags)
{
    MKMAP_SOURCE *src = mymalloc(sizeof(*src));

    src->fp = fp;
    src->flags = flags;
    src->lineno = 0;
    src->first_line = 0;
    src->line = vstring_alloc(100);
    src->key = vstring_alloc(100);
    src->value = vstring_alloc(100);
    return src;
}

/* mkmap_source_close - stop reading (the stream stays open) */
void    mkmap_source_close(MKMAP_SOURCE *src)
{
    vstring_free(src->line);
    vstring_free(src->key);
    vstring_free(src->value);
    myfree(src);
}

/* mkmap_source_lineno - first line of the last entry */
int     mkmap_source_lineno(const MKMAP_SOURCE *src)
{
    return src->first_line;
}

/* mkmap_source_path - name of the input for diagnostics */
const char *mkmap_source_path(const MKMAP_SOURCE *src)
{
    return vstream_path(src->fp);
}

/* mkmap_source_split - postmap(1) format: "key whitespace value" */
static bool mkmap_source_split(MKMAP_SOURCE *src, const char **key,
			               const char **value)
{
    char   *line = vstring_str(src->line);
    char   *cp;
    char   *end;
    bool    in_quotes = false;

    for (cp = line; *cp; cp++) {
	if (*cp == '\\') {
	    if (cp[1] == 0)
		break;
	    cp++;
	} else if (IS_SPACE(*cp)) {
	    if (!in_quotes)
		break;
	} else if (*cp == '"') {
	    in_quotes = !in_quotes;
	}
    }
    if (in_quotes) {
	msg_warn("%s, line %d: unbalanced '\"' in '%s' -- ignoring this line",
		 mkmap_source_path(src), src->first_line, excerpt(line));
	return false;
    }
    if (*cp)
	*cp++ = 0;
    while (IS_SPACE(*cp))
	cp++;
    for (end = cp + strlen(cp); end > cp && IS_SPACE(end[-1]); end--)
	 /* void */ ;
    *end = 0;
    if (*line == 0 || *cp == 0) {
	msg_warn("%s, line %d: expected format: key whitespace value",
		 mkmap_source_path(src), src->first_line);
	return false;
    }
    if (line[strlen(line) - 1] == ':')
	msg_warn("%s, line %d: record is in \"key: value\" format; "
		 "is this an alias file?", mkmap_source_path(src),
		 src->first_line);
    *key = line;
    *value = cp;
    return true;
}

/* mkmap_source_word - a token that is text, not an operator */
static bool mkmap_source_word(const TOK822 *tp)
{
    return tp->type == TOK822_ATOM || tp->type == TOK822_QSTRING
	|| tp->type == TOK822_COMMENT || tp->type == TOK822_DOMLIT;
}

/* mkmap_source_pipe_edge - does an atom end (start) with '|'? */
static bool mkmap_source_pipe_edge(const TOK822 *tp, bool at_end)
{
    const char *text;
    size_t  len;

    if (tp->type != TOK822_ATOM)
	return false;
    text = vstring_str(tp->vstr);
    len = VSTRING_LEN(tp->vstr);
    return len > 0 && text[at_end ? len - 1 : 0] == '|';
}

/*
 * mkmap_source_externalize - write an alias value the way Postfix stores
 * it: tokens as written (quoted strings re-quoted), one space after each
 * comma, before '<', and between two words; '|' sticks to its neighbours
 * as the operator that Postfix takes it for ("|"command arg"").
 */
static void mkmap_source_externalize(VSTRING *out, const TOK822 *list)
{
    const TOK822 *tp;
    const TOK822 *next;
    const char *cp;

    VSTRING_RESET(out);
    for (tp = list; tp != NULL; tp = tp->next) {
	switch (tp->type) {
	case TOK822_ATOM:
	case TOK822_COMMENT:
	case TOK822_DOMLIT:
	    vstring_strcat(out, vstring_str(tp->vstr));
	    break;
	case TOK822_QSTRING:
	    VSTRING_ADDCH(out, '"');
	    for (cp = vstring_str(tp->vstr); *cp; cp++) {
		if (*cp == '"' || *cp == '\\')
		    VSTRING_ADDCH(out, '\\');
		VSTRING_ADDCH(out, *cp);
	    }
	    VSTRING_ADDCH(out, '"');
	    break;
	default:
	    VSTRING_ADDCH(out, tp->type);
	    break;
	}
	next = tp->next;
	if (tp->type == ','
	    || (next != NULL
		&& (next->type == '<'
		    || (mkmap_source_word(tp) && mkmap_source_word(next)
			&& !mkmap_source_pipe_edge(tp, true)
			&& !mkmap_source_pipe_edge(next, false)))))
	    VSTRING_ADDCH(out, ' ');
    }
    VSTRING_TERMINATE(out);
}

/* mkmap_source_nonlocal - does a name contain '@' or '%'? */
static bool mkmap_source_nonlocal(const TOK822 *list, const TOK822 *end)
{
    const TOK822 *tp;

    for (tp = list; tp != NULL && tp != end; tp = tp->next) {
	if (tp->type == '@' || tp->type == '%'
	    || (tp->type == TOK822_ATOM
		&& strchr(vstring_str(tp->vstr), '%') != NULL))
	    return true;
    }
    return false;
}

/* mkmap_source_alias - aliases(5) format: "name: value, ..." */
static bool mkmap_source_alias(MKMAP_SOURCE *src, const char **key,
			               const char **value)
{
    TOK822 *tokens;
    TOK822 *colon;
    TOK822 *value_list;

    /* Every token takes at least one byte: this limit never cuts text. */
    tokens = tok822_scan_limit(vstring_str(src->line), (TOK822 **) 0,
			       (int) VSTRING_LEN(src->line) + 1);
    if (tokens == NULL)
	return false;

    /* A name, a colon, and something after it; no list of names. */
    if ((colon = tok822_find_type(tokens, ':')) == NULL
	|| colon->prev == NULL || colon->next == NULL
	|| tok822_rfind_type(colon, ',') != NULL) {
	msg_warn("%s, line %d: need name:value pair",
		 mkmap_source_path(src), src->first_line);
	tok822_free_tree(tokens);
	return false;
    }
    if (mkmap_source_nonlocal(tokens, colon)) {
	msg_warn("%s, line %d: name must be local",
		 mkmap_source_path(src), src->first_line);
	tok822_free_tree(tokens);
	return false;
    }
    value_list = tok822_cut_after(colon);
    (void) tok822_cut_before(colon);
    tok822_free(colon);
    tok822_internalize(src->key, tokens, TOK822_STR_DEFL);
    mkmap_source_externalize(src->value, value_list);
    tok822_free_tree(tokens);
    tok822_free_tree(value_list);
    *key = vstring_str(src->key);
    *value = vstring_str(src->value);
    return true;
}

/* mkmap_source_next - the next valid entry */
bool    mkmap_source_next(MKMAP_SOURCE *src, const char **key,
			          const char **value)
{
    int     status;
    int     last_line;

    while ((status = readlline(src->line, src->fp, &src->lineno,
			       &src->first_line, &last_line,
			       MKMAP_SOURCE_LINE_LIMIT)) != READLLINE_EOF) {
	if (status != READLLINE_OK)
	    continue;				/* too long, warning logged */
	if ((src->flags & MKMAP_SOURCE_FLAG_UTF8)
	    && !allascii(vstring_str(src->line))
	    && !utf8_text_valid(vstring_str(src->line),
				VSTRING_LEN(src->line))) {
	    msg_warn("%s, line %d: non-UTF-8 input \"%s\" -- ignoring this line",
		     mkmap_source_path(src), src->first_line,
		     excerpt(vstring_str(src->line)));
	    continue;
	}
	if ((src->flags & MKMAP_SOURCE_FLAG_ALIAS) ?
	    mkmap_source_alias(src, key, value) :
	    mkmap_source_split(src, key, value))
	    return true;
    }
    return false;
}
