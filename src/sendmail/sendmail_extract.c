/*
 * sendmail_extract - recipients from message headers (sendmail -t)
 *
 * SYNOPSIS
 *	See sendmail.h.
 *
 * DESCRIPTION
 *	sendmail -t takes the recipients from the To:, Cc: and Bcc:
 *	headers, or, when the message has a Resent-To:, Resent-Cc: or
 *	Resent-Bcc: header, from those only (a resent message goes to its
 *	new recipients). The addresses are parsed with tok822(3) and
 *	written in internal form, as Postfix's sendmail writes them into
 *	the extracted segment of the maildrop file; the headers stay in
 *	the content (cleanup(8) removes Bcc:).
 *
 *	What it does not do: rewriting (cleanup(8) and trivial-rewrite(8)
 *	do that), duplicate removal (cleanup's), or -N/-R per recipient.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "mymalloc.h"
#include "vstring.h"
#include "argv.h"
#include "tok822.h"
#include "rec_type.h"
#include "sendmail.h"

/* sendmail_extract - append the addresses of one header value */
void    sendmail_extract(ARGV *rcpts, const char *value)
{
    TOK822 *tree = tok822_parse(value);
    TOK822 **addrs;
    VSTRING *buf;

    if (tree == 0)
	return;
    buf = vstring_alloc(100);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (TOK822 **tpp = addrs; *tpp; tpp++) {
	tok822_internalize(buf, *tpp, TOK822_STR_WIPE | TOK822_STR_SINGLE);
	if (VSTRING_LEN(buf) > 0)
	    argv_add(rcpts, vstring_str(buf), (char *) 0);
    }
    myfree(addrs);
    vstring_free(buf);
    tok822_free_tree(tree);
}

/* sendmail_extract_header - is this a To/Cc/Bcc or Resent-* header */
bool    sendmail_extract_header(const char *header, int *kind,
				        const char **value)
{
    static const char *const names[] = {"to", "cc", "bcc"};
    const char *colon = strchr(header, ':');
    const char *name = header;
    size_t  len;

    if (colon == 0)
	return false;
    len = (size_t) (colon - header);
    while (len > 0 && (header[len - 1] == ' ' || header[len - 1] == '\t'))
	len--;
    *kind = SENDMAIL_HDR_PLAIN;
    if (len > 7 && strncasecmp(name, "resent-", 7) == 0) {
	*kind = SENDMAIL_HDR_RESENT;
	name += 7;
	len -= 7;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
	if (strlen(names[i]) == len && strncasecmp(name, names[i], len) == 0) {
	    *value = colon + 1;
	    return true;
	}
    }
    return false;
}

/* sendmail_notify_parse - parse a -N value into a DSN NOTIFY mask */
int     sendmail_notify_parse(const char *text)
{
    char   *saved = mystrdup(text);
    char   *cp = saved;
    char   *word;
    int     mask = 0;

    while ((word = strsep(&cp, ", \t")) != 0) {
	if (*word == 0)
	    continue;
	if (strcasecmp(word, "never") == 0)
	    mask |= REC_DSN_NOTIFY_NEVER;
	else if (strcasecmp(word, "success") == 0)
	    mask |= REC_DSN_NOTIFY_SUCCESS;
	else if (strcasecmp(word, "failure") == 0)
	    mask |= REC_DSN_NOTIFY_FAILURE;
	else if (strcasecmp(word, "delay") == 0)
	    mask |= REC_DSN_NOTIFY_DELAY;
	else {
	    mask = -1;
	    break;
	}
    }
    myfree(saved);
    if (mask == 0 || (mask > 0 && (mask & REC_DSN_NOTIFY_NEVER)
		      && mask != REC_DSN_NOTIFY_NEVER))
	return -1;
    return mask;
}
