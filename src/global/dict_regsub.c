/*
 * dict_regsub - result templates with $number substitution
 *
 * DESCRIPTION
 *	See dict_regsub.h. A template is the literal text (with "$$"
 *	already reduced to "$") plus a list of (offset, index) pairs that
 *	say where in that text each matched substring goes.
 *
 *	Syntax handling follows Postfix's macro parser: "$" followed by
 *	"{" or "(" takes everything up to the balancing "}" or ")" as the
 *	name, otherwise the name is the run of letters, digits and
 *	underscores after the "$". An unterminated or empty name ends the
 *	parse; a bad index is reported and the parse goes on, so that one
 *	pass reports every bad index.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "dict_regsub.h"

typedef struct DICT_REGSUB_REF {
    size_t  offset;			/* position in text */
    size_t  index;			/* group number */
} DICT_REGSUB_REF;

struct DICT_REGSUB {
    char   *text;			/* literal text */
    size_t  text_len;
    DICT_REGSUB_REF *refs;		/* substitutions, by offset */
    size_t  ref_count;
};

/* dict_regsub_index - check one name; its index or 0 after a warning */
static size_t dict_regsub_index(const char *name, int flags, const char *type,
				        const char *mapname, int lineno)
{
    size_t  index = 0;
    const char *cp;

    if (!alldig(name)) {
	msg_warn("%s map %s, line %d: non-numeric replacement index \"%s\"",
		 type, mapname, lineno, excerpt(name));
	return 0;
    }
    for (cp = name; *cp; cp++) {
	index = index * 10 + (size_t) (*cp - '0');
	if (index > INT_MAX)
	    index = INT_MAX;			/* saturate, not wrap */
    }
    if (index == 0)
	msg_warn("%s map %s, line %d: %s replacement index \"%s\"",
		 type, mapname, lineno, (flags & DICT_REGSUB_FLAG_HYPHEN) ?
		 "out-of-range" : "out of range", excerpt(name));
    return index;
}

/* dict_regsub_parse - parse a result template */
DICT_REGSUB *dict_regsub_parse(const char *text, int flags, const char *type,
			               const char *mapname, int lineno,
			               size_t *max_index)
{
    VSTRING *literal = vstring_alloc(100);
    VSTRING *name = vstring_alloc(10);
    DICT_REGSUB_REF *refs = NULL;
    size_t  ref_count = 0;
    size_t  ref_cap = 0;
    const char *cp = text;
    const char *start;
    size_t  index;
    int     level;
    char    open;
    char    close;
    bool    error = false;
    DICT_REGSUB *regsub;

    *max_index = 0;
    while (*cp) {
	if (*cp != '$') {
	    VSTRING_ADDCH(literal, *cp++);
	    continue;
	}
	cp++;
	if (*cp == '$') {
	    VSTRING_ADDCH(literal, *cp++);
	    continue;
	}
	if (*cp == '{' || *cp == '(') {
	    open = *cp;
	    close = (open == '{') ? '}' : ')';
	    start = ++cp;
	    for (level = 1; *cp != 0; cp++) {
		if (*cp == open)
		    level++;
		else if (*cp == close && --level == 0)
		    break;
	    }
	    if (*cp == 0) {
		msg_warn("truncated macro reference: \"%s\"", excerpt(text));
		error = true;
		break;
	    }
	    vstring_strncpy(name, start, (size_t) (cp - start));
	    cp++;
	} else {
	    start = cp;
	    while (isalnum((unsigned char) *cp) || *cp == '_')
		cp++;
	    vstring_strncpy(name, start, (size_t) (cp - start));
	}
	if (VSTRING_LEN(name) == 0) {
	    msg_warn("empty macro name: \"%s\"", excerpt(text));
	    error = true;
	    break;
	}
	if ((index = dict_regsub_index(vstring_str(name), flags, type,
				       mapname, lineno)) == 0) {
	    error = true;
	    continue;
	}
	if (index > *max_index)
	    *max_index = index;
	if (ref_count == ref_cap) {
	    ref_cap = ref_cap ? 2 * ref_cap : 4;
	    refs = myrealloc(refs, ref_cap * sizeof(*refs));
	}
	refs[ref_count].offset = VSTRING_LEN(literal);
	refs[ref_count].index = index;
	ref_count++;
    }
    vstring_free(name);
    if (error) {
	vstring_free(literal);
	myfree(refs);
	*max_index = 0;
	return NULL;
    }
    regsub = mymalloc(sizeof(*regsub));
    VSTRING_TERMINATE(literal);
    regsub->text_len = VSTRING_LEN(literal);
    regsub->text = vstring_export(literal);
    regsub->refs = refs;
    regsub->ref_count = ref_count;
    return regsub;
}

/* dict_regsub_literal - a template without substitutions */
DICT_REGSUB *dict_regsub_literal(const char *text)
{
    DICT_REGSUB *regsub = mymalloc(sizeof(*regsub));

    regsub->text = mystrdup(text);
    regsub->text_len = strlen(text);
    regsub->refs = NULL;
    regsub->ref_count = 0;
    return regsub;
}

/* dict_regsub_expand - substitute matched text */
const char *dict_regsub_expand(const DICT_REGSUB *regsub, VSTRING *buf,
			               const char *subject,
			               const size_t *ovector, size_t pairs)
{
    size_t  done = 0;
    size_t  n;
    size_t  start;
    size_t  end;
    const DICT_REGSUB_REF *ref;

    if (regsub->ref_count == 0)
	return regsub->text;
    VSTRING_RESET(buf);
    for (n = 0; n < regsub->ref_count; n++) {
	ref = regsub->refs + n;
	vstring_memcat(buf, regsub->text + done, ref->offset - done);
	done = ref->offset;
	if (ref->index >= pairs)
	    continue;
	start = ovector[2 * ref->index];
	end = ovector[2 * ref->index + 1];
	if (start == DICT_REGSUB_UNSET || end == DICT_REGSUB_UNSET || end <= start)
	    continue;
	vstring_memcat(buf, subject + start, end - start);
    }
    vstring_memcat(buf, regsub->text + done, regsub->text_len - done);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* dict_regsub_free - destroy a template */
void    dict_regsub_free(DICT_REGSUB *regsub)
{
    myfree(regsub->text);
    myfree(regsub->refs);
    myfree(regsub);
}
