/*
 * split_qnameval - split "key = value" and "key value" with quoted keys
 *
 * DESCRIPTION
 *	See split_qnameval.h.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>

#include "stringops.h"
#include "split_qnameval.h"

#define SPLIT_QNAMEVAL_UNBALANCED	"unbalanced '\"'"

/* split_qnameval_key_end - end of a key that may contain quoted text */
static char *split_qnameval_key_end(char *cp, int stop_char)
{
    bool    in_quotes = false;

    for (; *cp != 0; cp++) {
	if (*cp == '\\') {
	    if (cp[1] == 0)
		break;
	    cp++;
	} else if (*cp == '"') {
	    in_quotes = !in_quotes;
	} else if (!in_quotes && (isspace((unsigned char) *cp) || *cp == stop_char)) {
	    return cp;
	}
    }
    return in_quotes ? NULL : cp;
}

/* split_qnameval_trim_end - remove trailing whitespace in place */
static void split_qnameval_trim_end(char *cp)
{
    char   *end = cp + strlen(cp);

    while (end > cp && isspace((unsigned char) end[-1]))
	end--;
    *end = 0;
}

/* split_qnameval - split "key = value" */
const char *split_qnameval(char *buf, char **key, char **value)
{
    char   *cp = buf + strspn(buf, CHARS_SPACE);
    char   *end;

    if (*cp == 0)
	return "no key found; expected format: key = value";
    if ((end = split_qnameval_key_end(cp, '=')) == NULL)
	return SPLIT_QNAMEVAL_UNBALANCED;
    *key = cp;
    cp = end + strspn(end, CHARS_SPACE);
    if (*cp != '=')
	return "missing '=' after attribute name";
    *end = 0;
    cp += 1;
    cp += strspn(cp, CHARS_SPACE);
    split_qnameval_trim_end(cp);
    *value = cp;
    return NULL;
}

/* split_qnameval_space - split "key whitespace value" */
const char *split_qnameval_space(char *buf, char **key, char **value)
{
    char   *end;
    char   *cp;

    if ((end = split_qnameval_key_end(buf, 0)) == NULL)
	return SPLIT_QNAMEVAL_UNBALANCED;
    cp = end + strspn(end, CHARS_SPACE);
    *end = 0;
    split_qnameval_trim_end(cp);
    if (*buf == 0 || *cp == 0)
	return "expected format: key whitespace value";
    *key = buf;
    *value = cp;
    return NULL;
}
