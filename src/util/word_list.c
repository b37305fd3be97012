/*
 * word_list - is a word in a comma/space separated list
 *
 * DESCRIPTION
 *	See word_list.h. The list is scanned in place, field by field,
 *	without a copy.
 */
#include "sys_defs.h"
#include <string.h>
#include <strings.h>

#include "stringops.h"
#include "word_list.h"

/* word_list_has - is word one of the fields of list */
bool    word_list_has(const char *list, const char *word)
{
    size_t  want = strlen(word);
    const char *cp = list;
    size_t  len;

    while (*cp) {
	cp += strspn(cp, CHARS_COMMA_SP);
	len = strcspn(cp, CHARS_COMMA_SP);
	if (len > 0 && len == want && strncasecmp(cp, word, len) == 0)
	    return (true);
	cp += len;
    }
    return (false);
}
