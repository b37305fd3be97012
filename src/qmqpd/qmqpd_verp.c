/*
 * qmqpd_verp - the ezmlm VERP request in a QMQP sender address
 *
 * SYNOPSIS
 *	#include "qmqpd.h"
 *
 *	int	qmqpd_verp(VSTRING *sender, char *delims);
 *
 * DESCRIPTION
 *	ezmlm asks for VERP delivery with a sender "prefix<x>@origin-@[]"
 *	(VERP_README, "VERP support in the Postfix QMQP server"). As
 *	Postfix 3.7 does (observed), qmqpd_verp() looks for the "-@[]"
 *	suffix; before it, the first "@" must have at least one character
 *	on each side. The character x before that "@" is the first VERP
 *	delimiter, "=" the second; the sender becomes "prefix@origin"
 *	(x and the suffix removed): "list-@example.org-@[]" is
 *	"list@example.org" with the delimiters "-=".
 *
 *	delims receives the two delimiters and a null byte (3 bytes)
 *	whenever there is a request. The result is QMQPD_VERP_NONE
 *	(sender left alone: "list-@-@[]", "@x-@[]", "list--@[]"),
 *	QMQPD_VERP_OK (sender changed) or QMQPD_VERP_BAD (sender left
 *	alone; the delimiters are not two characters of
 *	$verp_delimiter_filter, and qmqpd refuses the request).
 *
 *	What it does not do: logging or replies (qmqpd.c).
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring.h"
#include "verp_delims.h"
#include "qmqpd.h"

#define QMQPD_VERP_SUFFIX	"-@[]"

/* qmqpd_verp - find, check and strip an ezmlm VERP request */
int     qmqpd_verp(VSTRING *sender, char *delims)
{
    size_t  suffix_len = sizeof(QMQPD_VERP_SUFFIX) - 1;
    size_t  len = VSTRING_LEN(sender);
    char   *text = vstring_str(sender);
    char   *at;
    size_t  at_pos;

    if (len < suffix_len
	|| memcmp(text + len - suffix_len, QMQPD_VERP_SUFFIX, suffix_len) != 0)
	return (QMQPD_VERP_NONE);
    len -= suffix_len;
    if ((at = memchr(text, '@', len)) == 0 || at == text
	|| at == text + len - 1)
	return (QMQPD_VERP_NONE);
    at_pos = (size_t) (at - text);
    delims[0] = at[-1];
    delims[1] = '=';
    delims[2] = 0;
    if (verp_delims_check(delims, 2) != 0)
	return (QMQPD_VERP_BAD);
    /* Drop the delimiter before "@", then the suffix. */
    memmove(at - 1, at, len - at_pos);
    vstring_truncate(sender, len - 1);
    VSTRING_TERMINATE(sender);
    return (QMQPD_VERP_OK);
}
