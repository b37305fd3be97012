/*
 * get_hostname - the name of this machine, validated
 *
 * DESCRIPTION
 *	See get_hostname.h.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "get_hostname.h"

/* get_hostname_valid - host name syntax check */
bool    get_hostname_valid(const char *name)
{
    const unsigned char *cp;
    size_t  label_len = 0;
    int     prev = 0;

    if (*name == 0 || strlen(name) > GET_HOSTNAME_MAXLEN)
	return false;
    for (cp = (const unsigned char *) name; *cp; prev = *cp++) {
	if (*cp == '.') {
	    if (label_len == 0 || prev == '-')
		return false;
	    label_len = 0;
	} else if (isascii(*cp) && (isalnum(*cp) || *cp == '-' || *cp == '_')) {
	    if (*cp == '-' && label_len == 0)
		return false;
	    if (++label_len > GET_HOSTNAME_LABEL_MAX)
		return false;
	} else {
	    return false;
	}
    }
    return label_len > 0 && prev != '-';
}

/* get_hostname_domain - the text after the first dot, or NULL */
const char *get_hostname_domain(const char *name)
{
    const char *dot = strchr(name, '.');

    return (dot != NULL && dot[1] != 0) ? dot + 1 : NULL;
}

/* get_hostname_try - ask the system, validate */
bool    get_hostname_try(VSTRING *result, VSTRING *why)
{
    char    buf[GET_HOSTNAME_MAXLEN + 2];
    char   *copy;

    if (why == NULL)
	msg_panic("get_hostname_try: null error buffer");
    memset(buf, 0, sizeof(buf));
    if (gethostname(buf, sizeof(buf) - 1) < 0) {
	if (errno == ENAMETOOLONG)
	    vstring_strcpy(why, "host name is too long");
	else
	    vstring_sprintf(why, "gethostname: %m");
	return false;
    }
    if (strlen(buf) > GET_HOSTNAME_MAXLEN) {
	vstring_strcpy(why, "host name is too long");
	return false;
    }
    if (buf[0] == 0) {
	vstring_strcpy(why, "empty host name");
	return false;
    }
    if (!get_hostname_valid(buf)) {
	copy = mystrdup(buf);
	vstring_sprintf(why, "bad host name syntax: %s", printable(copy, '?'));
	myfree(copy);
	return false;
    }
    vstring_strcpy(result, buf);
    return true;
}

/* get_hostname - cached, validated host name or fatal */
const char *get_hostname(void)
{
    static char *cached;
    VSTRING *name;
    VSTRING *why;

    if (cached == NULL) {
	name = vstring_alloc(64);
	why = vstring_alloc(64);
	if (!get_hostname_try(name, why))
	    msg_fatal("unable to get my own host name: %s", vstring_str(why));
	cached = vstring_export(name);
	vstring_free(why);
    }
    return cached;
}
