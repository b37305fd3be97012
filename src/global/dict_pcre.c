/*
 * dict_pcre - lookup table of Perl-compatible regular expressions
 *
 * DESCRIPTION
 *	See dict_pcre.h. This file is only the PCRE2 engine for
 *	dict_pattern(3). Each compiled pattern keeps its own match data,
 *	sized for its groups, so matching allocates nothing.
 */
#include "sys_defs.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "dict.h"
#include "dict_regsub.h"
#include "dict_pattern.h"
#include "dict_pcre.h"

typedef struct DICT_PCRE_EXPR {
    pcre2_code *code;			/* compiled pattern */
    pcre2_match_data *match_data;	/* result space */
} DICT_PCRE_EXPR;

/* dict_pcre_option - apply one flag letter */
static int dict_pcre_option(int *options, int letter)
{
    switch (letter) {
    case 'i':
	*options ^= PCRE2_CASELESS;
	return DICT_PATTERN_OPT_OK;
    case 'm':
	*options ^= PCRE2_MULTILINE;
	return DICT_PATTERN_OPT_OK;
    case 's':
	*options ^= PCRE2_DOTALL;
	return DICT_PATTERN_OPT_OK;
    case 'x':
	*options ^= PCRE2_EXTENDED;
	return DICT_PATTERN_OPT_OK;
    case 'A':
	*options ^= PCRE2_ANCHORED;
	return DICT_PATTERN_OPT_OK;
    case 'E':
	*options ^= PCRE2_DOLLAR_ENDONLY;
	return DICT_PATTERN_OPT_OK;
    case 'U':
	*options ^= PCRE2_UNGREEDY;
	return DICT_PATTERN_OPT_OK;
    case 'X':
	return DICT_PATTERN_OPT_OBSOLETE;
    default:
	return DICT_PATTERN_OPT_BAD;
    }
}

/* dict_pcre_message - text of a PCRE2 error code */
static const char *dict_pcre_message(int code, char *buf, size_t len)
{
    if (pcre2_get_error_message(code, (PCRE2_UCHAR *) buf, len) < 0)
	(void) snprintf(buf, len, "unexpected pcre2 error code %d", code);
    return buf;
}

/* dict_pcre_compile - compile one pattern */
static void *dict_pcre_compile(const char *pattern, int options,
			               size_t max_sub, const char *mapname,
			               int lineno)
{
    DICT_PCRE_EXPR *expr;
    pcre2_code *code;
    int     error;
    PCRE2_SIZE offset;
    char    buf[256];

    (void) max_sub;
    code = pcre2_compile((PCRE2_SPTR) pattern, PCRE2_ZERO_TERMINATED,
			 (uint32_t) options, &error, &offset, NULL);
    if (code == NULL) {
	msg_warn("%s map %s, line %d: error in regex at offset %lu: %s",
		 DICT_TYPE_PCRE, mapname, lineno, (unsigned long) offset,
		 dict_pcre_message(error, buf, sizeof(buf)));
	return NULL;
    }
    expr = mymalloc(sizeof(*expr));
    expr->code = code;
    if ((expr->match_data = pcre2_match_data_create_from_pattern(code, NULL)) == NULL)
	msg_fatal("out of memory in pcre2_match_data_create_from_pattern()");
    return expr;
}

/* dict_pcre_capture_count - number of groups */
static size_t dict_pcre_capture_count(void *ptr)
{
    uint32_t count = 0;

    if (pcre2_pattern_info(((DICT_PCRE_EXPR *) ptr)->code,
			   PCRE2_INFO_CAPTURECOUNT, &count) != 0)
	msg_panic("dict_pcre_capture_count: pcre2_pattern_info failed");
    return count;
}

/* dict_pcre_exec - match a key */
static int dict_pcre_exec(void *ptr, const char *key, size_t max_sub,
			          size_t *ovector, const char *mapname,
			          int lineno)
{
    DICT_PCRE_EXPR *expr = (DICT_PCRE_EXPR *) ptr;
    PCRE2_SIZE *ov;
    uint32_t pairs;
    size_t  n;
    int     rc;
    char    buf[256];

    rc = pcre2_match(expr->code, (PCRE2_SPTR) key, strlen(key), 0, 0,
		     expr->match_data, NULL);
    if (rc == PCRE2_ERROR_NOMATCH)
	return 0;
    if (rc < 0) {
	msg_warn("%s map %s, line %d: %s", DICT_TYPE_PCRE, mapname, lineno,
		 dict_pcre_message(rc, buf, sizeof(buf)));
	return -1;
    }
    if (max_sub > 0) {
	ov = pcre2_get_ovector_pointer(expr->match_data);
	pairs = pcre2_get_ovector_count(expr->match_data);
	for (n = 0; n <= max_sub; n++) {
	    if (n < pairs && (rc == 0 || n < (size_t) rc)) {
		ovector[2 * n] = ov[2 * n];
		ovector[2 * n + 1] = ov[2 * n + 1];
	    } else {
		ovector[2 * n] = ovector[2 * n + 1] = DICT_REGSUB_UNSET;
	    }
	}
    }
    return 1;
}

/* dict_pcre_free - destroy a compiled pattern */
static void dict_pcre_free(void *ptr)
{
    DICT_PCRE_EXPR *expr = (DICT_PCRE_EXPR *) ptr;

    pcre2_match_data_free(expr->match_data);
    pcre2_code_free(expr->code);
    myfree(expr);
}

static const DICT_PATTERN_ENGINE dict_pcre_engine = {
    .type = DICT_TYPE_PCRE,
    .default_options = PCRE2_CASELESS | PCRE2_DOTALL,
    .option = dict_pcre_option,
    .no_delimiter = "ignoring",
    .regsub_flags = DICT_REGSUB_FLAG_NONE,
    .second_pattern = false,
    .compile = dict_pcre_compile,
    .capture_count = dict_pcre_capture_count,
    .exec = dict_pcre_exec,
    .free = dict_pcre_free,
};

/* dict_pcre_open - open a pcre table */
DICT   *dict_pcre_open(const char *name, int open_flags, int dict_flags)
{
    return dict_pattern_regex_open(&dict_pcre_engine, name, open_flags,
				   dict_flags);
}
