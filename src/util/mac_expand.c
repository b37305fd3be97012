/*
 * mac_expand - expand $name references, conditionals and comparisons
 *
 * DESCRIPTION
 *	See mac_expand.h. A pattern is split into elements: literal text
 *	(where "$$" stands for "$"), a $name, or a ${...} / $(...) group.
 *	The expander never copies or rescans the text of a group: before
 *	the first group of a pattern is parsed, one pass over the pattern
 *	records where each "{" and "(" is closed (counting only brackets of
 *	the same kind, as balpar(3) does), and every branch, operand and
 *	group is then handled as a span of the pattern. Expansion time is
 *	therefore linear in the size of the pattern (plus the values that
 *	$name brings in).
 *
 *	Nesting: the elements of the pattern are at depth 0; the text of a
 *	conditional branch, of a comparison operand that contains "$" and
 *	(with MAC_EXP_FLAG_RECURSE) the value of a $name are one level
 *	deeper than the element that contains them. An element deeper than
 *	MAC_EXP_MAX_DEPTH is not expanded: the expander logs Postfix's
 *	warning 'unreasonable macro call nesting: "text"', where text is
 *	the literal text, the name, or the content of the group, and
 *	returns MAC_PARSE_ERROR. This bounds the recursion (and the stack)
 *	on every path: parameters that refer to themselves, chains of
 *	parameters, and nested conditionals or comparisons. (Postfix 3.7
 *	has no limit for comparison operands; we apply the same limit to
 *	those that need expanding, so that a constant operand is accepted
 *	at the same depth as with Postfix.)
 *
 *	Syntax errors are reported with a short context: the two bytes
 *	before the problem, ">>>", and the text from the problem on. Text
 *	that a message echoes goes through excerpt(3).
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "excerpt.h"
#include "mac_expand.h"

typedef struct MAC_EXP {
    VSTRING *result;
    int     flags;
    const char *filter;
    MAC_EXP_LOOKUP_FN lookup;
    void   *context;
    int     status;
} MAC_EXP;

 /*
  * One pattern, and where its brackets close (computed on first use).
  */
typedef struct MAC_EXP_PATTERN {
    const char *text;
    size_t  len;
    size_t *close;			/* close[i]: offset of the closer */
} MAC_EXP_PATTERN;

#define MAC_EXP_UNMATCHED	((size_t) -1)

 /*
  * A part of a pattern: start up to (not including) end. A branch that
  * is absent has start == NULL.
  */
typedef struct MAC_EXP_SPAN {
    const char *start;
    const char *end;
} MAC_EXP_SPAN;

#define MAC_EXP_WHITESPACE	" \t\r\n"

static void mac_exp_text(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
			         const char *cp, const char *end, int depth);

/* mac_exp_is_name_char - character allowed in a parameter name */
static bool mac_exp_is_name_char(int ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z')
	|| (ch >= '0' && ch <= '9') || ch == '_';
}

/* mac_exp_skip_space - skip whitespace, not past end */
static const char *mac_exp_skip_space(const char *cp, const char *end)
{
    while (cp < end && strchr(MAC_EXP_WHITESPACE, *cp) != NULL && *cp != 0)
	cp++;
    return cp;
}

/* mac_exp_skip_name - skip name characters, not past end */
static const char *mac_exp_skip_name(const char *cp, const char *end)
{
    while (cp < end && mac_exp_is_name_char(*cp))
	cp++;
    return cp;
}

/* mac_exp_starts - does the span at cp begin with word? */
static bool mac_exp_starts(const char *cp, const char *end, const char *word)
{
    size_t  len = strlen(word);

    return (size_t) (end - cp) >= len && strncmp(cp, word, len) == 0;
}

/* mac_exp_fail - log a problem with one echoed text, and fail */
static void mac_exp_fail(MAC_EXP *mc, const char *what, const char *text,
			         size_t len)
{
    msg_warn("%s: \"%s\"", what, excerpt_len(text, len));
    mc->status |= MAC_PARSE_ERROR;
}

/* mac_exp_syntax - report a syntax error with context */
static void mac_exp_syntax(MAC_EXP *mc, const char *what, const char *start,
			           const char *before, const char *after,
			           const char *end)
{
    const char *ctx = before - start > 2 ? before - 2 : start;
    size_t  rest = end - after;

    msg_warn("%s at: \"...%.*s>>>%s\"", what, (int) (before - ctx), ctx,
	     excerpt_len(after, rest));
    mc->status |= MAC_PARSE_ERROR;
}

/* mac_exp_pattern_init - a pattern whose brackets are not yet matched */
static void mac_exp_pattern_init(MAC_EXP_PATTERN *pat, const char *text)
{
    pat->text = text;
    pat->len = strlen(text);
    pat->close = NULL;
}

/* mac_exp_pattern_free - release the bracket table */
static void mac_exp_pattern_free(MAC_EXP_PATTERN *pat)
{
    if (pat->close)
	myfree(pat->close);
}

/* mac_exp_pop - close the innermost open bracket of one kind */
static void mac_exp_pop(size_t *close, size_t *top, size_t pos)
{
    size_t  outer;

    if (*top == MAC_EXP_UNMATCHED)
	return;
    outer = close[*top];
    close[*top] = pos;
    *top = outer;
}

/* mac_exp_unwind - mark the brackets that stay open as unmatched */
static void mac_exp_unwind(size_t *close, size_t top)
{
    size_t  outer;

    while (top != MAC_EXP_UNMATCHED) {
	outer = close[top];
	close[top] = MAC_EXP_UNMATCHED;
	top = outer;
    }
}

/* mac_exp_pattern_match - one pass: where each "{" and "(" closes */
static void mac_exp_pattern_match(MAC_EXP_PATTERN *pat)
{
    size_t  brace = MAC_EXP_UNMATCHED;	/* innermost open "{" */
    size_t  paren = MAC_EXP_UNMATCHED;	/* innermost open "(" */
    size_t  i;

    /*
     * While a bracket is open, its slot links to the next outer open
     * bracket of the same kind, so the table doubles as both stacks.
     */
    pat->close = mymalloc((pat->len ? pat->len : 1) * sizeof(*pat->close));
    for (i = 0; i < pat->len; i++) {
	switch (pat->text[i]) {
	case '{':
	    pat->close[i] = brace;
	    brace = i;
	    break;
	case '(':
	    pat->close[i] = paren;
	    paren = i;
	    break;
	case '}':
	    mac_exp_pop(pat->close, &brace, i);
	    break;
	case ')':
	    mac_exp_pop(pat->close, &paren, i);
	    break;
	}
    }
    mac_exp_unwind(pat->close, brace);
    mac_exp_unwind(pat->close, paren);
}

/* mac_exp_closer - the bracket that closes the one at cp, before end */
static const char *mac_exp_closer(MAC_EXP_PATTERN *pat, const char *cp,
				          const char *end)
{
    size_t  pos;

    if (pat->close == NULL)
	mac_exp_pattern_match(pat);
    pos = pat->close[cp - pat->text];
    if (pos == MAC_EXP_UNMATCHED || pat->text + pos >= end)
	return NULL;
    return pat->text + pos;
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
    MAC_EXP_PATTERN pat;
    char   *copy;

    if (value == NULL || *value == 0)
	return;
    if (mc->flags & MAC_EXP_FLAG_RECURSE) {
	/* The value may live in storage that the lookup reuses. */
	copy = mystrdup(value);
	mac_exp_pattern_init(&pat, copy);
	mac_exp_text(mc, &pat, copy, copy + pat.len, depth + 1);
	mac_exp_pattern_free(&pat);
	myfree(copy);
    } else {
	mac_exp_emit_value(mc, value);
    }
}

/* mac_exp_group - delimit a "{...}" group that starts at cp */
static bool mac_exp_group(MAC_EXP_PATTERN *pat, const char *cp,
			          const char *end, MAC_EXP_SPAN *content)
{
    const char *closer;

    if (cp >= end || *cp != '{'
	|| (closer = mac_exp_closer(pat, cp, end)) == NULL)
	return false;
    content->start = cp + 1;
    content->end = closer;
    return true;
}

/* mac_exp_branch_text - text after '?' or ':' ({group} or the rest) */
static bool mac_exp_branch_text(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
				        const char *start, const char *cp,
				        const char *end, MAC_EXP_SPAN *text,
				        bool *braced)
{
    cp = mac_exp_skip_space(cp, end);
    if (cp < end && *cp == '{') {
	if (!mac_exp_group(pat, cp, end, text)) {
	    mac_exp_syntax(mc, "missing '}'", start, cp, cp, end);
	    return false;
	}
	*braced = true;
	return true;
    }
    *braced = false;
    text->start = cp;
    text->end = end;
    return true;
}

/* mac_exp_branches - parse "? t [: f]" or ": f" after a condition */
static bool mac_exp_branches(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
			             const char *start, const char *cp,
			             const char *end, MAC_EXP_SPAN *if_true,
			             MAC_EXP_SPAN *if_false)
{
    const char *pre;
    bool    braced;

    if_true->start = if_false->start = NULL;
    if (*cp == '?') {
	if (!mac_exp_branch_text(mc, pat, start, cp + 1, end, if_true, &braced))
	    return false;
	if (!braced)
	    return true;
	pre = if_true->end + 1;
	cp = mac_exp_skip_space(pre, end);
	if (cp == end)
	    return true;
	if (*cp != ':') {
	    mac_exp_syntax(mc, "\":\" expected", start, pre, cp, end);
	    return false;
	}
    }
    if (*cp == ':') {
	if (!mac_exp_branch_text(mc, pat, start, cp + 1, end, if_false, &braced))
	    return false;
	pre = braced ? if_false->end + 1 : end;
	cp = mac_exp_skip_space(pre, end);
	if (braced && cp < end) {
	    mac_exp_syntax(mc, "unexpected input", start, pre, cp, end);
	    return false;
	}
    }
    return true;
}

/* mac_exp_expand_span - expand a branch, if present */
static void mac_exp_expand_span(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
				        const MAC_EXP_SPAN *span, int depth)
{
    if (span->start != NULL)
	mac_exp_text(mc, pat, span->start, span->end, depth);
}

/* mac_exp_choose - expand the branch selected by a condition */
static void mac_exp_choose(MAC_EXP *mc, MAC_EXP_PATTERN *pat, bool condition,
			           const MAC_EXP_SPAN *if_true,
			           const MAC_EXP_SPAN *if_false, int depth)
{
    if (mc->flags & MAC_EXP_FLAG_SCAN) {
	mac_exp_expand_span(mc, pat, if_true, depth + 1);
	mac_exp_expand_span(mc, pat, if_false, depth + 1);
    } else {
	mac_exp_expand_span(mc, pat, condition ? if_true : if_false, depth + 1);
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

/* mac_exp_has_reference - does a span contain "$"? */
static bool mac_exp_has_reference(const MAC_EXP_SPAN *text)
{
    return memchr(text->start, '$', text->end - text->start) != NULL;
}

/* mac_exp_scan_operand - scan a comparison operand for names */
static void mac_exp_scan_operand(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
				         const MAC_EXP_SPAN *text, int depth)
{
    if (mac_exp_has_reference(text))
	mac_exp_text(mc, pat, text->start, text->end, depth + 1);
}

/* mac_exp_expand_operand - expand a comparison operand into a string */
static char *mac_exp_expand_operand(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
				            const MAC_EXP_SPAN *text, int depth)
{
    MAC_EXP sub = *mc;

    /* Text without $ needs no expansion, and is not a level deeper. */
    if (!mac_exp_has_reference(text))
	return mystrndup(text->start, text->end - text->start);
    sub.result = vstring_alloc(100);
    sub.flags &= ~MAC_EXP_FLAG_APPEND;
    sub.status = 0;
    mac_exp_text(&sub, pat, text->start, text->end, depth + 1);
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

/* mac_exp_condition - apply a comparison operator to a three-way result */
static bool mac_exp_condition(int op, int cmp)
{
    switch (op) {
    case 0:
	return cmp == 0;
    case 1:
	return cmp != 0;
    case 2:
	return cmp <= 0;
    case 3:
	return cmp >= 0;
    case 4:
	return cmp < 0;
    default:
	return cmp > 0;
    }
}

/* mac_exp_relation - ${{a} op {b} ...}, from start up to end */
static void mac_exp_relation(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
			             const char *start, const char *end,
			             int depth)
{
    const char *cp = start;
    const char *pre;
    MAC_EXP_SPAN left;
    MAC_EXP_SPAN right;
    MAC_EXP_SPAN if_true;
    MAC_EXP_SPAN if_false;
    char   *left_val;
    char   *right_val;
    int     op = -1;
    bool    by_level = false;
    int     cmp = 0;
    size_t  n;

    if (!mac_exp_group(pat, cp, end, &left)) {
	mac_exp_syntax(mc, "missing '}'", start, cp, cp, end);
	return;
    }
    pre = left.end + 1;
    cp = mac_exp_skip_space(pre, end);
    for (n = 0; n < ARRAY_LEN(mac_exp_operators); n++) {
	if (mac_exp_starts(cp, end, mac_exp_operators[n].text)) {
	    op = mac_exp_operators[n].code;
	    cp += strlen(mac_exp_operators[n].text);
	    if (mac_exp_starts(cp, end, "level")) {
		by_level = true;
		cp += 5;
	    }
	    break;
	}
    }
    if (op < 0) {
	mac_exp_syntax(mc, "\"==\" or \"!=\" or \"<\" or \"<=\" or \">=\" or \">\" expected",
		       start, pre, cp, end);
	return;
    }
    pre = cp;
    cp = mac_exp_skip_space(cp, end);
    if (!mac_exp_group(pat, cp, end, &right)) {
	mac_exp_syntax(mc, "\"{expression}\" expected", start, pre, cp, end);
	return;
    }
    pre = right.end + 1;
    cp = mac_exp_skip_space(pre, end);
    if (cp < end && *cp != '?' && *cp != ':') {
	mac_exp_syntax(mc, "unexpected input", start, pre, cp, end);
	return;
    }
    if_true.start = if_false.start = NULL;
    if (cp < end
	&& !mac_exp_branches(mc, pat, start, cp, end, &if_true, &if_false))
	return;
    if (mc->flags & MAC_EXP_FLAG_SCAN) {
	mac_exp_scan_operand(mc, pat, &left, depth);
	mac_exp_scan_operand(mc, pat, &right, depth);
	mac_exp_choose(mc, pat, true, &if_true, &if_false, depth);
	return;
    }
    left_val = mac_exp_expand_operand(mc, pat, &left, depth);
    right_val = (mc->status & MAC_PARSE_ERROR) ? NULL :
	mac_exp_expand_operand(mc, pat, &right, depth);
    if (right_val != NULL && !(mc->status & MAC_PARSE_ERROR)
	&& mac_exp_compare(mc, left_val, right_val, by_level, &cmp)) {
	if (cp == end) {
	    if (mac_exp_condition(op, cmp))
		mac_exp_emit(mc, "true", 4);
	} else {
	    mac_exp_choose(mc, pat, mac_exp_condition(op, cmp), &if_true,
			   &if_false, depth);
	}
    }
    myfree(left_val);
    if (right_val)
	myfree(right_val);
}

/* mac_exp_braced - the content of ${...}, from inner up to end */
static void mac_exp_braced(MAC_EXP *mc, MAC_EXP_PATTERN *pat,
			           const char *inner, const char *end,
			           const char *text, const char *text_end,
			           int depth)
{
    const char *cp = mac_exp_skip_space(inner, end);
    const char *name_end;
    const char *value;
    char   *name;
    MAC_EXP_SPAN if_true;
    MAC_EXP_SPAN if_false;
    bool    condition;

    if (cp < end && *cp == '{') {
	mac_exp_relation(mc, pat, cp, end, depth);
	return;
    }
    if ((name_end = mac_exp_skip_name(cp, end)) == cp) {
	mac_exp_fail(mc, "empty macro name", text, text_end - text);
	return;
    }
    name = mystrndup(cp, name_end - cp);
    cp = mac_exp_skip_space(name_end, end);
    if (cp == end) {
	mac_exp_use_name(mc, name, depth);
    } else if (*cp == '?' || *cp == ':') {
	if (mac_exp_branches(mc, pat, inner, cp, end, &if_true, &if_false)) {
	    /* Postfix tests the value as it is, without expanding it. */
	    condition = (mc->flags & MAC_EXP_FLAG_SCAN) ?
		(mac_exp_lookup(mc, name, MAC_EXP_MODE_TEST), true) :
		((value = mac_exp_lookup(mc, name, MAC_EXP_MODE_TEST)) != NULL
		 && *value != 0);
	    mac_exp_choose(mc, pat, condition, &if_true, &if_false, depth);
	}
    } else {
	mac_exp_syntax(mc, "attribute name syntax error", inner, name_end, cp,
		       end);
    }
    myfree(name);
}

/* mac_exp_literal_end - end of the literal text at cp ("$$" included) */
static const char *mac_exp_literal_end(const char *cp, const char *end)
{
    const char *dollar;

    while ((dollar = memchr(cp, '$', end - cp)) != NULL
	   && dollar + 1 < end && dollar[1] == '$')
	cp = dollar + 2;
    return dollar ? dollar : end;
}

/* mac_exp_literal - emit literal text, "$$" as "$" */
static void mac_exp_literal(MAC_EXP *mc, const char *cp, const char *end)
{
    const char *dollar;

    while ((dollar = memchr(cp, '$', end - cp)) != NULL) {
	mac_exp_emit(mc, cp, dollar + 1 - cp);
	cp = dollar + 2;
    }
    mac_exp_emit(mc, cp, end - cp);
}

/* mac_exp_too_deep - refuse the literal text from cp up to end */
static void mac_exp_too_deep(MAC_EXP *mc, const char *cp, const char *end)
{
    MAC_EXP sub = *mc;

    sub.result = vstring_alloc(100);
    sub.flags &= ~MAC_EXP_FLAG_SCAN;
    mac_exp_literal(&sub, cp, end);
    mac_exp_fail(mc, "unreasonable macro call nesting", vstring_str(sub.result),
		 VSTRING_LEN(sub.result));
    vstring_free(sub.result);
}

/* mac_exp_text - expand the elements from cp up to end */
static void mac_exp_text(MAC_EXP *mc, MAC_EXP_PATTERN *pat, const char *cp,
			         const char *end, int depth)
{
    const char *text = cp;
    const char *next;
    const char *closer;
    char   *name;
    int     outer_status = mc->status;

    /*
     * An error ends this text, but not a sibling that the caller handles
     * next: a scan reports problems in both branches, as Postfix does.
     */
    mc->status &= ~MAC_PARSE_ERROR;
    while (cp < end && !(mc->status & MAC_PARSE_ERROR)) {
	if (*cp != '$' || (cp + 1 < end && cp[1] == '$')) {
	    next = mac_exp_literal_end(cp, end);
	    if (depth > MAC_EXP_MAX_DEPTH)
		mac_exp_too_deep(mc, cp, next);
	    else
		mac_exp_literal(mc, cp, next);
	    cp = next;
	} else if (cp + 1 < end && (cp[1] == '{' || cp[1] == '(')) {
	    if ((closer = mac_exp_closer(pat, cp + 1, end)) == NULL) {
		mac_exp_fail(mc, "truncated macro reference", text, end - text);
		break;
	    }
	    if (depth > MAC_EXP_MAX_DEPTH) {
		mac_exp_fail(mc, "unreasonable macro call nesting", cp + 2,
			     closer - cp - 2);
	    } else {
		mac_exp_braced(mc, pat, cp + 2, closer, text, end, depth);
	    }
	    cp = closer + 1;
	} else if ((next = mac_exp_skip_name(cp + 1, end)) > cp + 1) {
	    if (depth > MAC_EXP_MAX_DEPTH) {
		mac_exp_fail(mc, "unreasonable macro call nesting", cp + 1,
			     next - cp - 1);
	    } else {
		name = mystrndup(cp + 1, next - cp - 1);
		mac_exp_use_name(mc, name, depth);
		myfree(name);
	    }
	    cp = next;
	} else {
	    mac_exp_fail(mc, "empty macro name", text, end - text);
	}
    }
    mc->status |= outer_status;
}

/* mac_expand - expand a pattern into result */
int     mac_expand(VSTRING *result, const char *pattern, int flags,
		           const char *filter, MAC_EXP_LOOKUP_FN lookup,
		           void *context)
{
    MAC_EXP mc;
    MAC_EXP_PATTERN pat;

    mc.result = result;
    mc.flags = flags;
    mc.filter = filter;
    mc.lookup = lookup;
    mc.context = context;
    mc.status = 0;
    if (!(flags & (MAC_EXP_FLAG_APPEND | MAC_EXP_FLAG_SCAN)))
	VSTRING_RESET(result);
    mac_exp_pattern_init(&pat, pattern);
    mac_exp_text(&mc, &pat, pattern, pattern + pat.len, 0);
    mac_exp_pattern_free(&pat);
    if (!(flags & MAC_EXP_FLAG_SCAN))
	VSTRING_TERMINATE(result);
    return mc.status;
}
