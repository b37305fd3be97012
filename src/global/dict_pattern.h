/*
 * dict_pattern - rule lists shared by the regexp:, pcre: and cidr: tables
 *
 * SYNOPSIS
 *	#include "dict_pattern.h"
 *
 *	typedef struct DICT_PATTERN_ENGINE { ... } DICT_PATTERN_ENGINE;
 *
 *	DICT	*dict_pattern_regex_open(const DICT_PATTERN_ENGINE *engine,
 *					 const char *name, int open_flags,
 *					 int dict_flags);
 *
 *	Lower level, for tables with their own rule syntax (cidr:):
 *	DICT_PATTERN *dict_pattern_create(const DICT_PATTERN_ENGINE *engine,
 *					  const char *name, int open_flags,
 *					  int dict_flags);
 *	void	dict_pattern_add_match(DICT_PATTERN *dp, int lineno,
 *				void *expr, bool match, void *expr2,
 *				bool match2, DICT_REGSUB *result,
 *				size_t max_sub);
 *	void	dict_pattern_add_if(DICT_PATTERN *dp, int lineno,
 *				void *expr, bool match);
 *	bool	dict_pattern_add_endif(DICT_PATTERN *dp, int lineno);
 *	void	dict_pattern_finish(DICT_PATTERN *dp, VSTREAM *fp);
 *
 * DESCRIPTION
 *	A pattern table is a list of rules tried in order: match rules
 *	("pattern result", optionally negated) and IF/ENDIF blocks that
 *	are skipped when their condition fails. This module keeps the rule
 *	list, pairs each IF with its ENDIF, runs lookups, and parses the
 *	"/pattern/flags result" syntax that regexp: and pcre: share. The
 *	matching itself is done by an engine:
 *
 *	typedef struct DICT_PATTERN_ENGINE {
 *	    const char *type;		"regexp", "pcre", "cidr"
 *	    int	    default_options;	options before flag letters
 *	    int	    (*option)(int *options, int letter);
 *	    const char *no_delimiter;	"skipping" or "ignoring" (wording)
 *	    int	    regsub_flags;	DICT_REGSUB_FLAG_*
 *	    bool    second_pattern;	allow "/p1/!/p2/ result"
 *	    void   *(*compile)(const char *pattern, int options,
 *				size_t max_sub, const char *mapname,
 *				int lineno);
 *	    size_t  (*capture_count)(void *expr);
 *	    int	    (*exec)(void *expr, const char *key, size_t max_sub,
 *				size_t *ovector, const char *mapname,
 *				int lineno);
 *	    void    (*free)(void *expr);
 *	} DICT_PATTERN_ENGINE;
 *
 *	option() applies one flag letter to *options and returns
 *	DICT_PATTERN_OPT_OK, DICT_PATTERN_OPT_OBSOLETE (ignored with a
 *	warning) or DICT_PATTERN_OPT_BAD. compile() logs its own errors and
 *	returns NULL on failure; max_sub is the largest $n the result uses
 *	(0: no substrings needed). exec() returns 1 (match), 0 (no match)
 *	or -1 (error, logged); when max_sub > 0 it stores pairs 0..max_sub
 *	of byte offsets in ovector (DICT_REGSUB_UNSET for a group that did
 *	not match). A rule whose exec() fails counts as not applying, and
 *	an IF whose exec() fails skips its block, as in Postfix.
 *
 *	dict_pattern_regex_open() opens a regexp: or pcre: table: it reads
 *	the file or inline text (dict_stream(3)), parses every logical line
 *	and returns the table, or a surrogate when the text cannot be
 *	opened. Bad rules are skipped with a warning; the table still opens.
 *	The file is read once; dict_watch_file() records it.
 *
 *	The lower-level functions build a table rule by rule.
 *	dict_pattern_create() allocates an empty table (flags get
 *	DICT_FLAG_PATTERN). dict_pattern_add_match() appends a match rule
 *	(result and engine expressions then belong to the table).
 *	dict_pattern_add_if() opens an IF block. IF blocks nest at most
 *	DICT_PATTERN_MAX_DEPTH deep: a deeper IF is refused with a warning,
 *	and the rules up to its ENDIF are then dropped (their expressions
 *	freed) instead of being added without their condition.
 *	dict_pattern_add_endif() closes the innermost IF and returns false
 *	when there is none (the caller warns in its own words); the
 *	caller may test dp->if_depth + dp->skip_depth (zero: no open IF)
 *	before it. dict_pattern_finish() warns about
 *	IFs without ENDIF, records the file for change detection, and
 *	closes fp.
 *
 *	Lookups fold the key with DICT_FLAG_FOLD_MUL (see dict(3)), skip IF
 *	blocks whose condition does not hold (an IF without ENDIF extends
 *	to the end), and return the expanded result of the first match
 *	rule that applies.
 *
 * DIAGNOSTICS
 *	Warnings, all starting with "<type> map <name>, line <n>: ":
 *	no regexp: skipping this rule; no closing regexp delimiter "<c>":
 *	skipping this rule (pcre: "ignoring this rule"); unknown regexp
 *	option "<c>": skipping this rule; ignoring obsolete regexp option
 *	"<c>"; no replacement text: using empty string; bad replacement
 *	syntax: skipping this rule; $number found in negative match
 *	replacement text: skipping this rule; regular expression
 *	substitution is not allowed: skipping this rule (with
 *	DICT_FLAG_NO_REGSUB); out of range replacement index "<n>":
 *	skipping this rule; ignoring extra text after IF statement:
 *	"<text>" (followed by: do not prepend whitespace to statements
 *	between IF and ENDIF); ignoring ENDIF without matching IF; ignoring
 *	extra text after ENDIF; ignoring unrecognized request; IF has no
 *	matching ENDIF; IF nesting is deeper than <n> levels: skipping
 *	this rule and the rules up to its ENDIF.
 */
#ifndef DICT_PATTERN_H
#define DICT_PATTERN_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"
#include "dict.h"
#include "dict_regsub.h"

#define DICT_PATTERN_OPT_OK		0
#define DICT_PATTERN_OPT_OBSOLETE	1
#define DICT_PATTERN_OPT_BAD		2

#define DICT_PATTERN_MAX_DEPTH		1000
#define DICT_PATTERN_LINE_LIMIT		(1024 * 1024)

typedef struct DICT_PATTERN_ENGINE {
    const char *type;			/* "regexp", "pcre", "cidr" */
    int     default_options;		/* before flag letters */
    int     (*option) (int *options, int letter);
    const char *no_delimiter;		/* "skipping" or "ignoring" */
    int     regsub_flags;		/* DICT_REGSUB_FLAG_* */
    bool    second_pattern;		/* allow "/p1/!/p2/ result" */
    void   *(*compile) (const char *pattern, int options, size_t max_sub,
			            const char *mapname, int lineno);
    size_t  (*capture_count) (void *expr);
    int     (*exec) (void *expr, const char *key, size_t max_sub,
		             size_t *ovector, const char *mapname, int lineno);
    void    (*free) (void *expr);
} DICT_PATTERN_ENGINE;

typedef struct DICT_PATTERN_RULE DICT_PATTERN_RULE;

typedef struct DICT_PATTERN {
    DICT    dict;			/* generic members */
    const DICT_PATTERN_ENGINE *engine;
    DICT_PATTERN_RULE *rules;		/* in table order */
    size_t  rule_count;
    size_t  rule_cap;
    size_t *if_stack;			/* open IF rules, while parsing */
    size_t  if_depth;
    size_t  skip_depth;			/* levels of refused IF blocks */
    size_t  max_sub;			/* largest $n of any rule */
    size_t *ovector;			/* 2 * (max_sub + 1) offsets */
    VSTRING *expansion;			/* lookup result */
} DICT_PATTERN;

extern DICT *dict_pattern_regex_open(const DICT_PATTERN_ENGINE *engine,
				             const char *name, int open_flags,
				             int dict_flags);
extern DICT_PATTERN *dict_pattern_create(const DICT_PATTERN_ENGINE *engine,
					         const char *name,
					         int open_flags, int dict_flags);
extern void dict_pattern_add_match(DICT_PATTERN *dp, int lineno, void *expr,
				           bool match, void *expr2, bool match2,
				           DICT_REGSUB *result, size_t max_sub);
extern void dict_pattern_add_if(DICT_PATTERN *dp, int lineno, void *expr,
				        bool match);
extern bool dict_pattern_add_endif(DICT_PATTERN *dp, int lineno);
extern void dict_pattern_finish(DICT_PATTERN *dp, VSTREAM *fp);

#endif
