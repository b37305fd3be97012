/*
 * dict_regexp - lookup table of POSIX regular expressions
 *
 * DESCRIPTION
 *	See dict_regexp.h. This file is only the regcomp(3)/regexec(3)
 *	engine for dict_pattern(3), plus the size estimate that protects
 *	regcomp() from patterns such as "((a{999}){999}){999}".
 */
#include "sys_defs.h"

#include <ctype.h>
#include <regex.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "dict.h"
#include "dict_regsub.h"
#include "dict_pattern.h"
#include "dict_regexp.h"

typedef struct DICT_REGEXP_EXPR {
    regex_t regex;			/* compiled pattern */
    regmatch_t *pmatch;			/* max_sub + 1 entries, or NULL */
    size_t  nmatch;
} DICT_REGEXP_EXPR;

/* dict_regexp_option - apply one flag letter */
static int dict_regexp_option(int *options, int letter)
{
    switch (letter) {
    case 'i':
	*options ^= REG_ICASE;
	return DICT_PATTERN_OPT_OK;
    case 'm':
	*options ^= REG_NEWLINE;
	return DICT_PATTERN_OPT_OK;
    case 'x':
	*options ^= REG_EXTENDED;
	return DICT_PATTERN_OPT_OK;
    default:
	return DICT_PATTERN_OPT_BAD;
    }
}

/* dict_regexp_add - saturating addition */
static size_t dict_regexp_add(size_t a, size_t b)
{
    return (a > SIZE_MAX / 4 - b) ? SIZE_MAX / 4 : a + b;
}

/* dict_regexp_mul - saturating multiplication */
static size_t dict_regexp_mul(size_t a, size_t b)
{
    return (b != 0 && a > (SIZE_MAX / 4) / b) ? SIZE_MAX / 4 : a * b;
}

/* dict_regexp_interval - parse "m}", "m,}" or "m,n}"; repeat count or 0 */
static size_t dict_regexp_interval(const char **cpp, bool extended)
{
    const char *cp = *cpp;
    size_t  low = 0;
    size_t  high = 0;
    bool    comma = false;
    bool    have_high = false;

    if (!isdigit((unsigned char) *cp))
	return 0;
    while (isdigit((unsigned char) *cp))
	low = dict_regexp_add(dict_regexp_mul(low, 10), (size_t) (*cp++ - '0'));
    if (*cp == ',') {
	comma = true;
	cp++;
	while (isdigit((unsigned char) *cp)) {
	    high = dict_regexp_add(dict_regexp_mul(high, 10),
				   (size_t) (*cp++ - '0'));
	    have_high = true;
	}
    }
    if (!extended) {
	if (*cp != '\\')
	    return 0;
	cp++;
    }
    if (*cp != '}')
	return 0;
    *cpp = cp + 1;
    if (have_high && high > low)
	low = high;
    else if (comma && !have_high)
	low += 1;
    return low > 0 ? low : 1;
}

/* dict_regexp_bracket - skip a bracket expression after its "[" */
static const char *dict_regexp_bracket(const char *cp)
{
    if (*cp == '^')
	cp++;
    if (*cp == ']')
	cp++;
    while (*cp && *cp != ']') {
	if (*cp == '[' && (cp[1] == ':' || cp[1] == '.' || cp[1] == '=')) {
	    char    kind = cp[1];

	    for (cp += 2; *cp && !(cp[0] == kind && cp[1] == ']'); cp++)
		 /* void */ ;
	    if (*cp)
		cp += 2;
	} else {
	    cp++;
	}
    }
    return *cp ? cp + 1 : cp;
}

/* dict_regexp_too_complex - estimate the work regcomp() would do */
static bool dict_regexp_too_complex(const char *pattern, int options)
{
    bool    extended = (options & REG_EXTENDED) != 0;
    size_t  sum[DICT_REGEXP_MAX_NESTING + 1];
    size_t  depth = 0;
    size_t  last = 0;			/* cost of the previous atom */
    size_t  count;
    const char *cp = pattern;

    sum[0] = 0;
    while (*cp) {
	bool    open = false;
	bool    close = false;
	bool    interval = false;

	if (extended) {
	    open = (*cp == '(');
	    close = (*cp == ')' && depth > 0);
	    interval = (*cp == '{');
	} else if (*cp == '\\') {
	    open = (cp[1] == '(');
	    close = (cp[1] == ')' && depth > 0);
	    interval = (cp[1] == '{');
	}
	if (open) {
	    if (++depth > DICT_REGEXP_MAX_NESTING)
		return true;
	    sum[depth] = 0;
	    cp += extended ? 1 : 2;
	    last = 0;
	} else if (close) {
	    last = dict_regexp_add(sum[depth--], 1);
	    sum[depth] = dict_regexp_add(sum[depth], last);
	    cp += extended ? 1 : 2;
	} else if (interval) {
	    cp += extended ? 1 : 2;
	    if ((count = dict_regexp_interval(&cp, extended)) > 1) {
		sum[depth] = dict_regexp_add(sum[depth],
					  dict_regexp_mul(last, count - 1));
		last = dict_regexp_mul(last, count);
	    }
	} else {
	    if (*cp == '[')
		cp = dict_regexp_bracket(cp + 1);
	    else if (*cp == '\\' && cp[1] != 0)
		cp += 2;
	    else
		cp += 1;
	    last = 1;
	    sum[depth] = dict_regexp_add(sum[depth], 1);
	}
	if (sum[depth] > DICT_REGEXP_MAX_COST)
	    return true;
    }
    while (depth > 0) {
	sum[depth - 1] = dict_regexp_add(sum[depth - 1], sum[depth]);
	depth--;
    }
    return sum[0] > DICT_REGEXP_MAX_COST;
}

/* dict_regexp_error - log a regcomp() or regexec() error */
static void dict_regexp_error(const char *mapname, int lineno, int error,
			              const regex_t *regex)
{
    char    buf[256];

    (void) regerror(error, regex, buf, sizeof(buf));
    msg_warn("%s map %s, line %d: %s", DICT_TYPE_REGEXP, mapname, lineno, buf);
}

/* dict_regexp_compile - compile one pattern */
static void *dict_regexp_compile(const char *pattern, int options,
				         size_t max_sub, const char *mapname,
				         int lineno)
{
    DICT_REGEXP_EXPR *expr;
    int     error;

    if (dict_regexp_too_complex(pattern, options)) {
	msg_warn("%s map %s, line %d: regular expression is too complex: "
		 "skipping this rule", DICT_TYPE_REGEXP, mapname, lineno);
	return NULL;
    }
    expr = mymalloc(sizeof(*expr));
    if (max_sub == 0)
	options |= REG_NOSUB;
    if ((error = regcomp(&expr->regex, pattern, options)) != 0) {
	dict_regexp_error(mapname, lineno, error, &expr->regex);
	myfree(expr);
	return NULL;
    }
    /* A larger max_sub is refused by the caller; allocate no more. */
    if (max_sub > expr->regex.re_nsub)
	max_sub = expr->regex.re_nsub;
    expr->nmatch = max_sub ? max_sub + 1 : 0;
    expr->pmatch = max_sub ? mymalloc(expr->nmatch * sizeof(regmatch_t)) : NULL;
    return expr;
}

/* dict_regexp_capture_count - number of groups */
static size_t dict_regexp_capture_count(void *ptr)
{
    return ((DICT_REGEXP_EXPR *) ptr)->regex.re_nsub;
}

/* dict_regexp_exec - match a key */
static int dict_regexp_exec(void *ptr, const char *key, size_t max_sub,
			            size_t *ovector, const char *mapname,
			            int lineno)
{
    DICT_REGEXP_EXPR *expr = (DICT_REGEXP_EXPR *) ptr;
    size_t  nmatch = max_sub ? expr->nmatch : 0;
    size_t  n;
    int     error;

    error = regexec(&expr->regex, key, nmatch, nmatch ? expr->pmatch : NULL, 0);
    if (error == REG_NOMATCH)
	return 0;
    if (error != 0) {
	dict_regexp_error(mapname, lineno, error, &expr->regex);
	return -1;
    }
    for (n = 0; n < nmatch; n++) {
	if (expr->pmatch[n].rm_so < 0 || expr->pmatch[n].rm_eo < 0) {
	    ovector[2 * n] = ovector[2 * n + 1] = DICT_REGSUB_UNSET;
	} else {
	    ovector[2 * n] = (size_t) expr->pmatch[n].rm_so;
	    ovector[2 * n + 1] = (size_t) expr->pmatch[n].rm_eo;
	}
    }
    return 1;
}

/* dict_regexp_free - destroy a compiled pattern */
static void dict_regexp_free(void *ptr)
{
    DICT_REGEXP_EXPR *expr = (DICT_REGEXP_EXPR *) ptr;

    regfree(&expr->regex);
    myfree(expr->pmatch);
    myfree(expr);
}

static const DICT_PATTERN_ENGINE dict_regexp_engine = {
    .type = DICT_TYPE_REGEXP,
    .default_options = REG_EXTENDED | REG_ICASE,
    .option = dict_regexp_option,
    .no_delimiter = "skipping",
    .regsub_flags = DICT_REGSUB_FLAG_HYPHEN,
    .second_pattern = true,
    .compile = dict_regexp_compile,
    .capture_count = dict_regexp_capture_count,
    .exec = dict_regexp_exec,
    .free = dict_regexp_free,
};

/* dict_regexp_open - open a regexp table */
DICT   *dict_regexp_open(const char *name, int open_flags, int dict_flags)
{
    return dict_pattern_regex_open(&dict_regexp_engine, name, open_flags,
				   dict_flags);
}
