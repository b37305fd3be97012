/*
 * dict_pattern - rule lists shared by the regexp:, pcre: and cidr: tables
 *
 * DESCRIPTION
 *	See dict_pattern.h. Rules live in one array; an IF rule stores the
 *	index of its ENDIF, so a failed condition skips its whole block in
 *	one step and lookups need neither recursion nor a stack. The IF
 *	stack exists only while the table is parsed.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "dict.h"
#include "dict_regsub.h"
#include "dict_stream.h"
#include "dict_pattern.h"

#define DICT_PATTERN_OP_MATCH	1
#define DICT_PATTERN_OP_IF	2
#define DICT_PATTERN_OP_ENDIF	3

#define DICT_PATTERN_NO_ENDIF	SIZE_MAX

struct DICT_PATTERN_RULE {
    int     op;				/* DICT_PATTERN_OP_* */
    int     lineno;			/* for messages */
    void   *expr;			/* engine expression */
    bool    match;			/* false: negated */
    void   *expr2;			/* optional second expression */
    bool    match2;
    DICT_REGSUB *result;		/* match rules */
    size_t  max_sub;			/* largest $n in result */
    size_t  endif;			/* IF rules: index of ENDIF */
};

/* One "/pattern/flags" with its negation, while parsing. */
typedef struct DICT_PATTERN_REGEX {
    char   *pattern;			/* null-terminated, in the line */
    int     options;			/* engine options */
    bool    match;			/* false: negated */
} DICT_PATTERN_REGEX;

/* dict_pattern_warn_prefix - "<type> map <name>, line <n>" */
#define DICT_PATTERN_WHERE(dp, lineno) \
    (dp)->engine->type, (dp)->dict.name, (lineno)

/* dict_pattern_append - add a rule, return it */
static DICT_PATTERN_RULE *dict_pattern_append(DICT_PATTERN *dp, int op,
					              int lineno)
{
    DICT_PATTERN_RULE *rule;

    if (dp->rule_count == dp->rule_cap) {
	dp->rule_cap = dp->rule_cap ? 2 * dp->rule_cap : 16;
	dp->rules = myrealloc(dp->rules, dp->rule_cap * sizeof(*dp->rules));
    }
    rule = dp->rules + dp->rule_count++;
    memset(rule, 0, sizeof(*rule));
    rule->op = op;
    rule->lineno = lineno;
    rule->endif = DICT_PATTERN_NO_ENDIF;
    return rule;
}

/* dict_pattern_free_expr - release an engine expression, if any */
static void dict_pattern_free_expr(DICT_PATTERN *dp, void *expr)
{
    if (expr != NULL)
	dp->engine->free(expr);
}

/* dict_pattern_add_match - append a match rule */
void    dict_pattern_add_match(DICT_PATTERN *dp, int lineno, void *expr,
			               bool match, void *expr2, bool match2,
			               DICT_REGSUB *result, size_t max_sub)
{
    DICT_PATTERN_RULE *rule;

    if (dp->skip_depth > 0) {
	dict_pattern_free_expr(dp, expr);
	dict_pattern_free_expr(dp, expr2);
	dict_regsub_free(result);
	return;
    }
    rule = dict_pattern_append(dp, DICT_PATTERN_OP_MATCH, lineno);
    rule->expr = expr;
    rule->match = match;
    rule->expr2 = expr2;
    rule->match2 = match2;
    rule->result = result;
    rule->max_sub = max_sub;
    if (max_sub > dp->max_sub)
	dp->max_sub = max_sub;
}

/* dict_pattern_add_if - open an IF block */
void    dict_pattern_add_if(DICT_PATTERN *dp, int lineno, void *expr,
			            bool match)
{
    DICT_PATTERN_RULE *rule;

    if (dp->skip_depth > 0 || dp->if_depth >= DICT_PATTERN_MAX_DEPTH) {
	if (dp->skip_depth++ == 0)
	    msg_warn("%s map %s, line %d: IF nesting is deeper than %d levels:"
		     " skipping this rule and the rules up to its ENDIF",
		     DICT_PATTERN_WHERE(dp, lineno), DICT_PATTERN_MAX_DEPTH);
	dict_pattern_free_expr(dp, expr);
	return;
    }
    rule = dict_pattern_append(dp, DICT_PATTERN_OP_IF, lineno);
    rule->expr = expr;
    rule->match = match;
    if (dp->if_stack == NULL)
	dp->if_stack = mymalloc(DICT_PATTERN_MAX_DEPTH * sizeof(*dp->if_stack));
    dp->if_stack[dp->if_depth++] = dp->rule_count - 1;
}

/* dict_pattern_add_endif - close the innermost IF block */
bool    dict_pattern_add_endif(DICT_PATTERN *dp, int lineno)
{
    if (dp->skip_depth > 0) {
	dp->skip_depth--;
	return true;
    }
    if (dp->if_depth == 0)
	return false;
    (void) dict_pattern_append(dp, DICT_PATTERN_OP_ENDIF, lineno);
    dp->rules[dp->if_stack[--dp->if_depth]].endif = dp->rule_count - 1;
    return true;
}

/* dict_pattern_finish - report open IFs, watch the file, close it */
void    dict_pattern_finish(DICT_PATTERN *dp, VSTREAM *fp)
{
    while (dp->if_depth > 0)
	msg_warn("%s map %s, line %d: IF has no matching ENDIF",
		 DICT_PATTERN_WHERE(dp, dp->rules[dp->if_stack[--dp->if_depth]].lineno));
    myfree(dp->if_stack);
    dp->if_stack = NULL;
    dp->skip_depth = 0;
    dp->ovector = mymalloc(2 * (dp->max_sub + 1) * sizeof(*dp->ovector));
    if (*dp->dict.name != CHARS_BRACE[0])
	dict_watch_file(&dp->dict, dp->dict.name, vstream_fileno(fp));
    (void) vstream_fclose(fp);
}

/* dict_pattern_exec - does a (possibly negated) expression apply? */
static bool dict_pattern_exec(DICT_PATTERN *dp, const DICT_PATTERN_RULE *rule,
			              void *expr, bool match, const char *key,
			              size_t max_sub)
{
    int     status;

    status = dp->engine->exec(expr, key, max_sub, dp->ovector, dp->dict.name,
			      rule->lineno);
    if (status < 0)
	return false;
    return (status > 0) == match;
}

/* dict_pattern_lookup - find the first rule that applies */
static const char *dict_pattern_lookup(DICT *dict, const char *key)
{
    DICT_PATTERN *dp = (DICT_PATTERN *) dict;
    DICT_PATTERN_RULE *rule;
    size_t  n;

    for (n = 0; n < dp->rule_count; n++) {
	rule = dp->rules + n;
	switch (rule->op) {
	case DICT_PATTERN_OP_MATCH:
	    if (!dict_pattern_exec(dp, rule, rule->expr, rule->match, key,
				   rule->max_sub))
		continue;
	    if (rule->expr2 != NULL
		&& !dict_pattern_exec(dp, rule, rule->expr2, rule->match2,
				      key, 0))
		continue;
	    return dict_regsub_expand(rule->result, dp->expansion, key,
				      dp->ovector, rule->max_sub + 1);
	case DICT_PATTERN_OP_IF:
	    if (dict_pattern_exec(dp, rule, rule->expr, rule->match, key, 0))
		continue;
	    if (rule->endif == DICT_PATTERN_NO_ENDIF)
		return NULL;
	    n = rule->endif;
	    continue;
	case DICT_PATTERN_OP_ENDIF:
	    continue;
	default:
	    msg_panic("dict_pattern_lookup: bad rule type %d", rule->op);
	}
    }
    return NULL;
}

/* dict_pattern_close - destroy the table */
static void dict_pattern_close(DICT *dict)
{
    DICT_PATTERN *dp = (DICT_PATTERN *) dict;
    DICT_PATTERN_RULE *rule;
    size_t  n;

    for (n = 0; n < dp->rule_count; n++) {
	rule = dp->rules + n;
	dict_pattern_free_expr(dp, rule->expr);
	dict_pattern_free_expr(dp, rule->expr2);
	if (rule->result)
	    dict_regsub_free(rule->result);
    }
    myfree(dp->rules);
    myfree(dp->if_stack);
    myfree(dp->ovector);
    vstring_free(dp->expansion);
    dict_free(dict);
}

/* dict_pattern_create - an empty rule list */
DICT_PATTERN *dict_pattern_create(const DICT_PATTERN_ENGINE *engine,
				          const char *name, int open_flags,
				          int dict_flags)
{
    DICT_PATTERN *dp;

    dp = (DICT_PATTERN *) dict_alloc(engine->type, name, sizeof(*dp));
    dp->dict.open_flags = open_flags;
    dp->dict.flags = dict_flags | DICT_FLAG_PATTERN;
    dp->dict.lookup = dict_pattern_lookup;
    dp->dict.close = dict_pattern_close;
    dp->engine = engine;
    dp->rules = NULL;
    dp->rule_count = dp->rule_cap = 0;
    dp->if_stack = NULL;
    dp->if_depth = dp->skip_depth = 0;
    dp->max_sub = 0;
    dp->ovector = NULL;
    dp->expansion = vstring_alloc(100);
    return dp;
}

/* dict_pattern_skip_space - skip whitespace */
static char *dict_pattern_skip_space(char *cp)
{
    while (*cp && isspace((unsigned char) *cp))
	cp++;
    return cp;
}

/* dict_pattern_get_regex - parse [!]/pattern/flags; false after warning */
static bool dict_pattern_get_regex(DICT_PATTERN *dp, int lineno, char **bufp,
				           DICT_PATTERN_REGEX *rx)
{
    const DICT_PATTERN_ENGINE *engine = dp->engine;
    char   *cp = *bufp;
    char    delim;

    /* Any mix of "!" and whitespace; each "!" inverts the match. */
    for (rx->match = true; *cp == '!' || isspace((unsigned char) *cp); cp++)
	if (*cp == '!')
	    rx->match = !rx->match;
    if (*cp == 0) {
	msg_warn("%s map %s, line %d: no regexp: skipping this rule",
		 DICT_PATTERN_WHERE(dp, lineno));
	return false;
    }
    delim = *cp++;
    rx->pattern = cp;
    for (; *cp != 0 && *cp != delim; cp++)
	if (*cp == '\\' && cp[1] != 0)
	    cp++;
    if (*cp == 0) {
	msg_warn("%s map %s, line %d: no closing regexp delimiter \"%c\": "
		 "%s this rule", DICT_PATTERN_WHERE(dp, lineno), delim,
		 engine->no_delimiter);
	return false;
    }
    *cp++ = 0;
    for (rx->options = engine->default_options;
	 *cp != 0 && !isspace((unsigned char) *cp)
	 && !(engine->second_pattern && *cp == '!'); cp++) {
	switch (engine->option(&rx->options, (unsigned char) *cp)) {
	case DICT_PATTERN_OPT_OK:
	    break;
	case DICT_PATTERN_OPT_OBSOLETE:
	    msg_warn("%s map %s, line %d: ignoring obsolete regexp option"
		     " \"%c\"", DICT_PATTERN_WHERE(dp, lineno), *cp);
	    break;
	default:
	    msg_warn("%s map %s, line %d: unknown regexp option \"%c\": "
		     "skipping this rule", DICT_PATTERN_WHERE(dp, lineno), *cp);
	    return false;
	}
    }
    *bufp = cp;
    return true;
}

/* dict_pattern_parse_match - "[!]/pattern/flags[!/pattern2/flags] result" */
static void dict_pattern_parse_match(DICT_PATTERN *dp, int lineno, char *cp)
{
    const DICT_PATTERN_ENGINE *engine = dp->engine;
    DICT_PATTERN_REGEX rx;
    DICT_PATTERN_REGEX rx2;
    bool    have_second = false;
    DICT_REGSUB *result;
    size_t  max_sub;
    void   *expr;
    void   *expr2 = NULL;

    if (!dict_pattern_get_regex(dp, lineno, &cp, &rx))
	return;
    if (engine->second_pattern && *cp == '!') {
	if (!dict_pattern_get_regex(dp, lineno, &cp, &rx2))
	    return;
	have_second = true;
    }
    cp = dict_pattern_skip_space(cp);
    if (*cp == 0)
	msg_warn("%s map %s, line %d: no replacement text: using empty string",
		 DICT_PATTERN_WHERE(dp, lineno));
    if ((result = dict_regsub_parse(cp, engine->regsub_flags, engine->type,
				    dp->dict.name, lineno, &max_sub)) == NULL) {
	msg_warn("%s map %s, line %d: bad replacement syntax: "
		 "skipping this rule", DICT_PATTERN_WHERE(dp, lineno));
	return;
    }
    if (max_sub > 0 && !rx.match) {
	msg_warn("%s map %s, line %d: $number found in negative match "
		 "replacement text: skipping this rule",
		 DICT_PATTERN_WHERE(dp, lineno));
	dict_regsub_free(result);
	return;
    }
    if (max_sub > 0 && (dp->dict.flags & DICT_FLAG_NO_REGSUB)) {
	msg_warn("%s map %s, line %d: regular expression substitution is not"
		 " allowed: skipping this rule", DICT_PATTERN_WHERE(dp, lineno));
	dict_regsub_free(result);
	return;
    }
    if ((expr = engine->compile(rx.pattern, rx.options, max_sub,
				dp->dict.name, lineno)) == NULL) {
	dict_regsub_free(result);
	return;
    }
    if (max_sub > engine->capture_count(expr)) {
	msg_warn("%s map %s, line %d: out of range replacement index \"%zu\": "
		 "skipping this rule", DICT_PATTERN_WHERE(dp, lineno), max_sub);
	engine->free(expr);
	dict_regsub_free(result);
	return;
    }
    if (have_second
	&& (expr2 = engine->compile(rx2.pattern, rx2.options, 0,
				    dp->dict.name, lineno)) == NULL) {
	engine->free(expr);
	dict_regsub_free(result);
	return;
    }
    dict_pattern_add_match(dp, lineno, expr, rx.match, expr2,
			   have_second ? rx2.match : true, result, max_sub);
}

/* dict_pattern_parse_if - "if [!]/pattern/flags" */
static void dict_pattern_parse_if(DICT_PATTERN *dp, int lineno, char *cp)
{
    DICT_PATTERN_REGEX rx;
    void   *expr;

    cp = dict_pattern_skip_space(cp);
    if (!dict_pattern_get_regex(dp, lineno, &cp, &rx))
	return;
    cp = dict_pattern_skip_space(cp);
    if (*cp != 0) {
	msg_warn("%s map %s, line %d: ignoring extra text after IF statement:"
		 " \"%s\"", DICT_PATTERN_WHERE(dp, lineno), excerpt(cp));
	msg_warn("%s map %s, line %d: do not prepend whitespace to statements"
		 " between IF and ENDIF", DICT_PATTERN_WHERE(dp, lineno));
    }
    if ((expr = dp->engine->compile(rx.pattern, rx.options, 0, dp->dict.name,
				    lineno)) == NULL)
	return;
    dict_pattern_add_if(dp, lineno, expr, rx.match);
}

/* dict_pattern_parse_endif - "endif" */
static void dict_pattern_parse_endif(DICT_PATTERN *dp, int lineno, char *cp)
{
    if (dp->if_depth + dp->skip_depth == 0) {
	msg_warn("%s map %s, line %d: ignoring ENDIF without matching IF",
		 DICT_PATTERN_WHERE(dp, lineno));
	return;
    }
    if (*dict_pattern_skip_space(cp) != 0)
	msg_warn("%s map %s, line %d: ignoring extra text after ENDIF",
		 DICT_PATTERN_WHERE(dp, lineno));
    (void) dict_pattern_add_endif(dp, lineno);
}

/* dict_pattern_keyword - is this the keyword, not followed by alnum? */
static bool dict_pattern_keyword(const char *cp, const char *word)
{
    size_t  len = strlen(word);

    return strncasecmp(cp, word, len) == 0
	&& !isalnum((unsigned char) cp[len]);
}

/* dict_pattern_parse_line - one logical line of a regexp: or pcre: table */
static void dict_pattern_parse_line(DICT_PATTERN *dp, int lineno, char *line)
{
    char   *end = line + strlen(line);

    while (end > line && isspace((unsigned char) end[-1]))
	*--end = 0;
    if (*line == 0)
	return;
    if (!isalnum((unsigned char) *line))
	dict_pattern_parse_match(dp, lineno, line);
    else if (dict_pattern_keyword(line, "if"))
	dict_pattern_parse_if(dp, lineno, line + 2);
    else if (dict_pattern_keyword(line, "endif"))
	dict_pattern_parse_endif(dp, lineno, line + 5);
    else
	msg_warn("%s map %s, line %d: ignoring unrecognized request",
		 DICT_PATTERN_WHERE(dp, lineno));
}

/* dict_pattern_regex_open - open a regexp: or pcre: table */
DICT   *dict_pattern_regex_open(const DICT_PATTERN_ENGINE *engine,
				        const char *name, int open_flags,
				        int dict_flags)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *line;
    VSTREAM *fp;
    DICT_PATTERN *dp;
    DICT   *dict;
    int     lineno = 0;
    int     first;
    int     status;

    if ((fp = dict_stream_open(engine->type, name, why)) == NULL) {
	dict = dict_surrogate(engine->type, name, open_flags, dict_flags,
			      "%s", vstring_str(why));
	vstring_free(why);
	return dict;
    }
    vstring_free(why);
    dp = dict_pattern_create(engine, name, open_flags, dict_flags);
    line = vstring_alloc(100);
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       DICT_PATTERN_LINE_LIMIT)) != READLLINE_EOF)
	if (status == READLLINE_OK)
	    dict_pattern_parse_line(dp, first, vstring_str(line));
    vstring_free(line);
    dict_pattern_finish(dp, fp);
    return &dp->dict;
}
