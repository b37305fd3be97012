/*
 * dict_cidr - lookup table of network address patterns
 *
 * DESCRIPTION
 *	See dict_cidr.h. The rule list, IF/ENDIF pairing and lookup loop
 *	are those of dict_pattern(3); this file parses the cidr rule
 *	syntax and matches with cidr_match(3). Negation is kept inside the
 *	CIDR_MATCH (not in the generic rule) so that cidr_match(3) can
 *	refuse addresses of the other family even for negated patterns.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "cidr_match.h"
#include "dict.h"
#include "dict_regsub.h"
#include "dict_stream.h"
#include "dict_pattern.h"
#include "dict_cidr.h"

/* dict_cidr_exec - does the rule apply to the key? */
static int dict_cidr_exec(void *expr, const char *key, size_t max_sub,
			          size_t *ovector, const char *mapname,
			          int lineno)
{
    (void) max_sub;
    (void) ovector;
    (void) mapname;
    (void) lineno;
    return cidr_match_execute((const CIDR_MATCH *) expr, key) ? 1 : 0;
}

static const DICT_PATTERN_ENGINE dict_cidr_engine = {
    .type = DICT_TYPE_CIDR,
    .exec = dict_cidr_exec,
    .free = myfree,
};

/* dict_cidr_negation - skip "!" and whitespace; false if negated */
static bool dict_cidr_negation(char **cpp)
{
    char   *cp = *cpp;
    bool    match = true;

    for (; *cp == '!' || isspace((unsigned char) *cp); cp++)
	if (*cp == '!')
	    match = !match;
    *cpp = cp;
    return match;
}

/* dict_cidr_pattern - parse an address pattern; NULL with why set */
static CIDR_MATCH *dict_cidr_pattern(const char *pattern, bool match,
				             VSTRING *why)
{
    CIDR_MATCH *info;

    if (*pattern == 0) {
	vstring_strcpy(why, "no address pattern");
	return NULL;
    }
    info = mymalloc(sizeof(*info));
    if (!cidr_match_parse(info, pattern, match, why)) {
	myfree(info);
	return NULL;
    }
    return info;
}

/* dict_cidr_keyword - is this the keyword, not followed by alnum? */
static bool dict_cidr_keyword(const char *cp, const char *word)
{
    size_t  len = strlen(word);

    return strncasecmp(cp, word, len) == 0
	&& !isalnum((unsigned char) cp[len]);
}

/* dict_cidr_parse_line - one logical line; false with why set */
static bool dict_cidr_parse_line(DICT_PATTERN *dp, int lineno, char *cp,
				         VSTRING *why)
{
    CIDR_MATCH *info;
    char   *pattern;
    char   *value;
    bool    match;

    if (dict_cidr_keyword(cp, "if")) {
	cp += 2;
	match = dict_cidr_negation(&cp);
	if ((info = dict_cidr_pattern(cp, match, why)) == NULL)
	    return false;
	dict_pattern_add_if(dp, lineno, info, true);
	return true;
    }
    if (dict_cidr_keyword(cp, "endif")) {
	cp += 5;
	while (isspace((unsigned char) *cp))
	    cp++;
	if (*cp != 0) {
	    vstring_strcpy(why, "garbage after ENDIF");
	    return false;
	}
	if (!dict_pattern_add_endif(dp, lineno)) {
	    vstring_strcpy(why, "ENDIF without IF");
	    return false;
	}
	return true;
    }
    match = dict_cidr_negation(&cp);
    pattern = cp;
    while (*cp && !isspace((unsigned char) *cp))
	cp++;
    if (*cp)
	*cp++ = 0;
    while (isspace((unsigned char) *cp))
	cp++;
    value = cp;
    if (*pattern == 0) {
	vstring_strcpy(why, "no address pattern");
	return false;
    }
    if ((info = dict_cidr_pattern(pattern, match, why)) == NULL)
	return false;
    if (*value == 0) {
	myfree(info);
	vstring_strcpy(why, "no lookup result");
	return false;
    }
    dict_pattern_add_match(dp, lineno, info, true, NULL, true,
			   dict_regsub_literal(value), 0);
    return true;
}

/* dict_cidr_open - open a cidr table */
DICT   *dict_cidr_open(const char *name, int open_flags, int dict_flags)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *line;
    VSTREAM *fp;
    DICT_PATTERN *dp;
    DICT   *dict;
    int     lineno = 0;
    int     first;
    int     status;
    char   *cp;
    char   *end;

    if ((fp = dict_stream_open(DICT_TYPE_CIDR, name, why)) == NULL) {
	dict = dict_surrogate(DICT_TYPE_CIDR, name, open_flags, dict_flags,
			      "%s", vstring_str(why));
	vstring_free(why);
	return dict;
    }
    dp = dict_pattern_create(&dict_cidr_engine, name, open_flags, dict_flags);
    line = vstring_alloc(100);
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       DICT_PATTERN_LINE_LIMIT)) != READLLINE_EOF) {
	if (status != READLLINE_OK)
	    continue;
	cp = vstring_str(line);
	end = cp + strlen(cp);
	while (end > cp && isspace((unsigned char) end[-1]))
	    *--end = 0;
	if (*cp != 0 && !dict_cidr_parse_line(dp, first, cp, why))
	    msg_warn("%s map %s, line %d: %s: skipping this rule",
		     DICT_TYPE_CIDR, name, first, vstring_str(why));
    }
    vstring_free(line);
    vstring_free(why);
    dict_pattern_finish(dp, fp);
    return &dp->dict;
}
