/*
 * mac_expand - expand $name references, conditionals and comparisons
 *
 * DESCRIPTION
 *	See mac_expand.h. The expander walks the pattern once; a braced
 *	reference is first delimited by brace matching (so "${" without its
 *	"}" is reported as truncated) and then parsed as a name reference,
 *	a conditional or a comparison. Syntax errors are reported with a
 *	short context: the two bytes before the problem, ">>>", and the text
 *	from the problem on.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "mac_expand.h"

typedef struct MAC_EXP {
    VSTRING *result;
    int     flags;
    const char *filter;
    MAC_EXP_LOOKUP_FN lookup;
    void   *context;
    int     status;
} MAC_EXP;

#define MAC_EXP_WHITESPACE	" \t\r\n"

static void mac_exp_text(MAC_EXP *mc, const char *text, int depth);

/* mac_exp_is_name_char - character allowed in a parameter name */
static bool mac_exp_is_name_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	|| (ch >= '0' && ch <= '9') || ch == '_';
}

/* mac_exp_skip_space - skip whitespace */
static const char *mac_exp_skip_space(const char *cp)
{
    return cp + strspn(cp, MAC_EXP_WHITESPACE);
}

/* mac_exp_syntax - report a syntax error with context */
static void mac_exp_syntax(MAC_EXP *mc, const char *what, const char *start,
			           const char *before, const char *after)
{
    const char *ctx = before - start > 2 ? before - 2 : start;

    msg_warn("%s at: \"...%.*s>>>%s\"", what, (int) (before - ctx), ctx,
	     excerpt(after));
    mc->status |= MAC_PARSE_ERROR;
}

/* mac_exp_emit - append literal text unless scanning */
static void mac_exp_emit(MAC_EXP *mc, const char *text, size_t len)
{
    if (!(mc->flags & MAC_EXP_FLAG_SCAN))
	vstring_memcat(mc->result, text, len);
}

/* mac_exp_emit_value - append a lookup result, filtered */
static void mac_exp_emit_value(MAC_EXP *mc, const char *value)
{
    const unsigned char *cp;
    int     ch;

    if (mc->flags & MAC_EXP_FLAG_SCAN)
	return;
    for (cp = (const unsigned char *) value; (ch = *cp) != 0; cp++) {
	if (mc->filter && strchr(mc->filter, ch) == NULL)
	    ch = '_';
	else if ((mc->flags & MAC_EXP_FLAG_PRINTABLE) && (ch < 0x20 || ch == 0x7f))
	    ch = '?';
	VSTRING_ADDCH(mc->result, ch);
    }
    VSTRING_TERMINATE(mc->result);
}

/* mac_exp_lookup - look up a name, noting undefined ones */
static const char *mac_exp_lookup(MAC_EXP *mc, const char *name, int mode)
{
    const char *value = mc->lookup(name, mode, mc->context);

    if (value == NULL)
	mc->status |= MAC_PARSE_UNDEF;
    return value;
}

/* mac_exp_use_name - expand a plain name reference */
static void mac_exp_use_name(MAC_EXP *mc, const char *name, int depth)
{
    const char *value = mac_exp_lookup(mc, name, MAC_EXP_MODE_USE);

    if (value == NULL || *value == 0)
	return;
    if (mc->flags & MAC_EXP_FLAG_RECURSE) {
	if (depth >= MAC_EXP_MAX_DEPTH) {
	    msg_warn("unreasonable macro call nesting: \"%s\"", excerpt(name));
	    mc->status |= MAC_PARSE_ERROR;
	    return;
	}
	/* The value may live in storage that the lookup reuses. */
	char   *copy = mystrdup(value);

	mac_exp_text(mc, copy, depth + 1);
	myfree(copy);
    } else {
	mac_exp_emit_value(mc, value);
    }
}

/* mac_exp_non_empty - does name have a non-empty (expanded) value? */
static bool mac_exp_non_empty(MAC_EXP *mc, const char *name, int depth)
{
    const char *value = mac_exp_lookup(mc, name, MAC_EXP_MODE_TEST);
    MAC_EXP sub;
    bool    non_empty;

    if (value == NULL || *value == 0)
	return false;
    if (!(mc->flags & MAC_EXP_FLAG_RECURSE) || strchr(value, '$') == NULL)
	return true;
    if (depth >= MAC_EXP_MAX_DEPTH) {
	msg_warn("unreasonable macro call nesting: \"%s\"", excerpt(name));
	mc->status |= MAC_PARSE_ERROR;
	return false;
    }
    sub = *mc;
    sub.result = vstring_alloc(100);
    sub.flags &= ~(MAC_EXP_FLAG_SCAN | MAC_EXP_FLAG_APPEND);
    sub.status = 0;
    {
	char   *copy = mystrdup(value);

	mac_exp_text(&sub, copy, depth + 1);
	myfree(copy);
    }
    non_empty = VSTRING_LEN(sub.result) > 0;
    mc->status |= sub.status;
    vstring_free(sub.result);
    return non_empty;
}

/* mac_exp_group - delimit a "{...}" group; returns its content or NULL */
static char *mac_exp_group(const char *cp, const char **end)
{
    ssize_t len = balpar(cp, "{}");

    if (len == 0)
	return NULL;
    *end = cp + len;
    return mystrndup(cp + 1, len - 2);
}

/* mac_exp_branch_text - text after '?' or ':' ({group} or the rest) */
static char *mac_exp_branch_text(MAC_EXP *mc, const char *start, const char *cp,
				         const char **end, bool *braced)
{
    char   *text;

    cp = mac_exp_skip_space(cp);
    if (*cp == '{') {
	if ((text = mac_exp_group(cp, end)) == NULL) {
	    mac_exp_syntax(mc, "missing '}'", start, cp, cp);
	    return NULL;
	}
	*braced = true;
	return text;
    }
    *braced = false;
    *end = cp + strlen(cp);
    return mystrdup(cp);
}

/* mac_exp_branches - parse "? t [: f]" or ": f" after a condition */
static bool mac_exp_branches(MAC_EXP *mc, const char *start, const char *cp,
			             char **if_true, char **if_false)
{
    const char *pre;
    const char *end;
    bool    braced;

    *if_true = *if_false = NULL;
    if (*cp == '?') {
	if ((*if_true = mac_exp_branch_text(mc, start, cp + 1, &end, &braced)) == NULL)
	    return false;
	if (!braced)
	    return true;
	pre = end;
	cp = mac_exp_skip_space(end);
	if (*cp == 0)
	    return true;
	if (*cp != ':') {
	    mac_exp_syntax(mc, "\":\" expected", start, pre, cp);
	    return false;
	}
    }
    if (*cp == ':') {
	if ((*if_false = mac_exp_branch_text(mc, start, cp + 1, &end, &braced)) == NULL)
	    return false;
	pre = end;
	cp = mac_exp_skip_space(end);
	if (braced && *cp != 0) {
	    mac_exp_syntax(mc, "unexpected input", start, pre, cp);
	    return false;
	}
    }
    return true;
}

/* mac_exp_choose - expand the branch selected by a condition */
static void mac_exp_choose(MAC_EXP *mc, bool condition, const char *if_true,
			           const char *if_false, int depth)
{
    if (mc->flags & MAC_EXP_FLAG_SCAN) {
	if (if_true)
	    mac_exp_text(mc, if_true, depth + 1);
	if (if_false)
	    mac_exp_text(mc, if_false, depth + 1);
    } else if (condition && if_true) {
	mac_exp_text(mc, if_true, depth + 1);
    } else if (!condition && if_false) {
	mac_exp_text(mc, if_false, depth + 1);
    }
}

/* mac_exp_level - parse a compatibility level into three numbers */
static bool mac_exp_level(const char *text, unsigned long level[3])
{
    const char *cp = text;
    char   *end;
    int     n;

    for (n = 0; n < 3; n++)
	level[n] = 0;
    for (n = 0; n < 3; n++) {
	if (!isdigit((unsigned char) *cp))
	    return false;
	errno = 0;
	level[n] = strtoul(cp, &end, 10);
	if (errno != 0)
	    return false;
	cp = end;
	if (*cp == 0)
	    return true;
	if (*cp != '.')
	    return false;
	cp++;
    }
    return false;
}

/* mac_exp_compare - three-way comparison of two expanded operands */
static bool mac_exp_compare(MAC_EXP *mc, const char *left, const char *right,
			            bool by_level, int *result)
{
    if (by_level) {
	unsigned long l[3], r[3];
	int     n;

	if (!mac_exp_level(left, l) || !mac_exp_level(right, r)) {
	    msg_warn("bad compatibility level syntax: \"%s\" or \"%s\"",
		     excerpt(left), excerpt(right));
	    mc->status |= MAC_PARSE_ERROR;
	    return false;
	}
	*result = 0;
	for (n = 0; n < 3 && *result == 0; n++)
	    *result = l[n] < r[n] ? -1 : l[n] > r[n] ? 1 : 0;
	return true;
    }
    if (alldig(left) && alldig(right)) {
	/* Compare numbers of any length: skip leading zeros, then length. */
	size_t  ll, rl;

	left += strspn(left, "0");
	right += strspn(right, "0");
	ll = strlen(left);
	rl = strlen(right);
	*result = ll != rl ? (ll < rl ? -1 : 1) : strcmp(left, right);
	if (*result > 0)
	    *result = 1;
	else if (*result < 0)
	    *result = -1;
	return true;
    }
    *result = strcmp(left, right);
    *result = *result < 0 ? -1 : *result > 0 ? 1 : 0;
    return true;
}

/* mac_exp_expand_operand - expand a comparison operand into a string */
static char *mac_exp_expand_operand(MAC_EXP *mc, const char *text, int depth)
{
    MAC_EXP sub = *mc;

    sub.result = vstring_alloc(100);
    sub.flags &= ~MAC_EXP_FLAG_APPEND;
    sub.status = 0;
    mac_exp_text(&sub, text, depth + 1);
    mc->status |= sub.status;
    return vstring_export(sub.result);
}

static const struct {
    const char *text;
    int     code;
} mac_exp_operators[] = {
    /* Longer operators first, so that "<=" is not read as "<". */
    {"==", 0}, {"!=", 1}, {"<=", 2}, {">=", 3}, {"<", 4}, {">", 5},
};

/* mac_exp_relation - ${{a} op {b} ...} */
static void mac_exp_relation(MAC_EXP *mc, const char *start, int depth)
{
    const char *cp = start;
    const char *pre;
    const char *end;
    char   *left = NULL;
    char   *right = NULL;
    char   *left_val = NULL;
    char   *right_val = NULL;
    char   *if_true = NULL;
    char   *if_false = NULL;
    int     op = -1;
    bool    by_level = false;
    int     cmp = 0;
    bool    condition = false;
    size_t  n;

    if ((left = mac_exp_group(cp, &end)) == NULL) {
	mac_exp_syntax(mc, "missing '}'", start, cp, cp);
	goto done;
    }
    pre = end;
    cp = mac_exp_skip_space(end);
    for (n = 0; n < ARRAY_LEN(mac_exp_operators); n++) {
	size_t  len = strlen(mac_exp_operators[n].text);

	if (strncmp(cp, mac_exp_operators[n].text, len) == 0) {
	    op = mac_exp_operators[n].code;
	    cp += len;
	    if (strncmp(cp, "level", 5) == 0) {
		by_level = true;
		cp += 5;
	    }
	    break;
	}
    }
    if (op < 0) {
	mac_exp_syntax(mc, "\"==\" or \"!=\" or \"<\" or \"<=\" or \">=\" or \">\" expected",
		       start, pre, cp);
	goto done;
    }
    pre = cp;
    cp = mac_exp_skip_space(cp);
    if (*cp != '{' || (right = mac_exp_group(cp, &end)) == NULL) {
	mac_exp_syntax(mc, "\"{expression}\" expected", start, pre, cp);
	goto done;
    }
    pre = end;
    cp = mac_exp_skip_space(end);
    if (*cp != 0 && *cp != '?' && *cp != ':') {
	mac_exp_syntax(mc, "unexpected input", start, pre, cp);
	goto done;
    }
    if (*cp != 0 && !mac_exp_branches(mc, start, cp, &if_true, &if_false))
	goto done;
    if (mc->flags & MAC_EXP_FLAG_SCAN) {
	mac_exp_text(mc, left, depth + 1);
	mac_exp_text(mc, right, depth + 1);
	mac_exp_choose(mc, true, if_true, if_false, depth);
	goto done;
    }
    left_val = mac_exp_expand_operand(mc, left, depth);
    right_val = mac_exp_expand_operand(mc, right, depth);
    if (!mac_exp_compare(mc, left_val, right_val, by_level, &cmp))
	goto done;
    switch (op) {
    case 0:
	condition = (cmp == 0);
	break;
    case 1:
	condition = (cmp != 0);
	break;
    case 2:
	condition = (cmp <= 0);
	break;
    case 3:
	condition = (cmp >= 0);
	break;
    case 4:
	condition = (cmp < 0);
	break;
    case 5:
	condition = (cmp > 0);
	break;
    }
    if (*cp == 0) {
	if (condition)
	    mac_exp_emit(mc, "true", 4);
    } else {
	mac_exp_choose(mc, condition, if_true, if_false, depth);
    }

done:
    myfree(left);
    myfree(right);
    myfree(left_val);
    myfree(right_val);
    myfree(if_true);
    myfree(if_false);
}

/* mac_exp_braced - the content of ${...} */
static void mac_exp_braced(MAC_EXP *mc, const char *inner, const char *pattern,
			           int depth)
{
    const char *cp = mac_exp_skip_space(inner);
    const char *name_end;
    const char *pre;
    char   *name;
    char   *if_true;
    char   *if_false;
    bool    condition;

    if (*cp == '{') {
	mac_exp_relation(mc, cp, depth);
	return;
    }
    for (name_end = cp; mac_exp_is_name_char(*name_end); name_end++)
	 /* void */ ;
    if (name_end == cp) {
	msg_warn("empty macro name: \"%s\"", excerpt(pattern));
	mc->status |= MAC_PARSE_ERROR;
	return;
    }
    name = mystrndup(cp, name_end - cp);
    pre = name_end;
    cp = mac_exp_skip_space(name_end);
    if (*cp == 0) {
	mac_exp_use_name(mc, name, depth);
    } else if (*cp == '?' || *cp == ':') {
	if (mac_exp_branches(mc, inner, cp, &if_true, &if_false)) {
	    condition = (mc->flags & MAC_EXP_FLAG_SCAN) ?
		(mac_exp_lookup(mc, name, MAC_EXP_MODE_TEST), true) :
		mac_exp_non_empty(mc, name, depth);
	    mac_exp_choose(mc, condition, if_true, if_false, depth);
	}
	/* mac_exp_branches() may fail after it allocated a branch. */
	myfree(if_true);
	myfree(if_false);
    } else {
	mac_exp_syntax(mc, "attribute name syntax error", inner, pre, cp);
    }
    myfree(name);
}

/* mac_exp_text - expand one pattern */
static void mac_exp_text(MAC_EXP *mc, const char *text, int depth)
{
    const char *cp = text;
    const char *dollar;
    const char *end;
    ssize_t len;
    char   *inner;

    while (*cp != 0 && !(mc->status & MAC_PARSE_ERROR)) {
	if ((dollar = strchr(cp, '$')) == NULL) {
	    mac_exp_emit(mc, cp, strlen(cp));
	    break;
	}
	mac_exp_emit(mc, cp, dollar - cp);
	cp = dollar + 1;
	if (*cp == '$') {
	    mac_exp_emit(mc, "$", 1);
	    cp++;
	} else if (*cp == '{' || *cp == '(') {
	    len = balpar(cp, *cp == '{' ? "{}" : "()");
	    if (len == 0) {
		msg_warn("truncated macro reference: \"%s\"", excerpt(text));
		mc->status |= MAC_PARSE_ERROR;
		return;
	    }
	    inner = mystrndup(cp + 1, len - 2);
	    mac_exp_braced(mc, inner, text, depth);
	    myfree(inner);
	    cp += len;
	} else if (mac_exp_is_name_char(*cp)) {
	    for (end = cp; mac_exp_is_name_char(*end); end++)
		 /* void */ ;
	    inner = mystrndup(cp, end - cp);
	    mac_exp_use_name(mc, inner, depth);
	    myfree(inner);
	    cp = end;
	} else {
	    msg_warn("empty macro name: \"%s\"", excerpt(text));
	    mc->status |= MAC_PARSE_ERROR;
	    return;
	}
    }
}

/* mac_expand - expand a pattern into result */
int     mac_expand(VSTRING *result, const char *pattern, int flags,
		           const char *filter, MAC_EXP_LOOKUP_FN lookup,
		           void *context)
{
    MAC_EXP mc;

    mc.result = result;
    mc.flags = flags;
    mc.filter = filter;
    mc.lookup = lookup;
    mc.context = context;
    mc.status = 0;
    if (!(flags & (MAC_EXP_FLAG_APPEND | MAC_EXP_FLAG_SCAN)))
	VSTRING_RESET(result);
    mac_exp_text(&mc, pattern, 0);
    if (!(flags & MAC_EXP_FLAG_SCAN))
	VSTRING_TERMINATE(result);
    return mc.status;
}
