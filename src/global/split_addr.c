/*
 * split_addr - split the address extension off a local part
 *
 * DESCRIPTION
 *	See split_addr.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "split_addr.h"

/* split_addr - split localpart at the first delimiter */
char   *split_addr(char *localpart, const char *delimiters)
{
    size_t  len;
    size_t  total;

    if (*delimiters == 0)
	return NULL;
    if (strcasecmp(localpart, "postmaster") == 0
	|| strcasecmp(localpart, "MAILER-DAEMON") == 0
	|| strcasecmp(localpart, VAR_STR(double_bounce_sender)) == 0)
	return NULL;
    if (VAR_BOOL(owner_request_special) && strchr(delimiters, '-') != NULL) {
	total = strlen(localpart);
	if (strncasecmp(localpart, "owner-", 6) == 0)
	    return NULL;
	if (total > 8 && strcasecmp(localpart + total - 8, "-request") == 0)
	    return NULL;
    }
    len = strcspn(localpart, delimiters);
    if (len == 0 || localpart[len] == 0)
	return NULL;
    localpart[len] = 0;
    return localpart + len + 1;
}

/* strip_addr - the address without its extension, or NULL */
char   *strip_addr(const char *address, const char *delimiters)
{
    char   *copy = mystrdup(address);
    char   *domain = split_at_right(copy, '@');
    char   *result = NULL;

    if (split_addr(copy, delimiters) != NULL)
	result = domain ? concatenate(copy, "@", domain, (char *) 0) :
	    mystrdup(copy);
    myfree(copy);
    return result;
}
