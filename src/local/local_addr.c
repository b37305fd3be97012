/*
 * local_addr - address splitting, $name expansion and maildir names
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	void	local_addr_split(LOCAL_ADDR *addr, const char *address,
 *				const char *delimiters);
 *	void	local_addr_free(LOCAL_ADDR *addr);
 *
 *	int	local_expand(VSTRING *result, const char *pattern,
 *				const LOCAL_EXPAND_ATTR *attr,
 *				const char *filter);
 *
 *	int	local_context_mask(const char *param, const char *value);
 *	int	local_deliver_hdr_mask(const char *value);
 *	int	local_propagate_mask(const char *value);
 *	int	local_token_kind(const char *token);
 *	char	*local_list_next(char **bufp);
 *
 *	const char *local_maildir_name(VSTRING *buf, long sec, long usec,
 *				long pid, long count, unsigned long dev,
 *				unsigned long ino, const char *hostname);
 *	const char *local_maildir_hostname(VSTRING *buf, const char *name);
 *
 * DESCRIPTION
 *	These are the parts of local(8) that touch no file, process or
 *	service, so that a unit test can pin them down.
 *
 *	local_addr_split() splits address (user+ext@domain) into the
 *	fields of addr: the local part (text before the last '@')
 *	folded to lower case, the user (local part without the
 *	recipient_delimiter extension, split_addr(3) rules), the
 *	extension or NULL, and the domain ("" without '@').
 *	local_addr_free() releases the fields.
 *
 *	local_expand() expands forward_path, command_execution_directory
 *	or mailbox_command style patterns: $user, $home, $shell,
 *	$recipient, $extension, $domain, $local, $recipient_delimiter,
 *	with mac_expand(3)'s conditional forms; characters of a value
 *	that are not in filter (when not NULL) become '_'. It returns
 *	mac_expand()'s result bits.
 *
 *	local_context_mask() turns an allow_mail_to_commands or
 *	allow_mail_to_files value ("alias, forward, include") into
 *	LOCAL_CTX_* bits; an unknown word is a fatal configuration error,
 *	as in Postfix. local_deliver_hdr_mask() does the same for
 *	prepend_delivered_header ("command, file, forward"), and
 *	local_propagate_mask() for propagate_unmatched_extensions (alias,
 *	forward, include as LOCAL_CTX_* bits; canonical, virtual and
 *	generic belong to other programs and give no bit).
 *
 *	local_token_kind() classifies one destination of an alias, a
 *	.forward or :include: file: "|command", "/file", ":include:path"
 *	(case-insensitive) or an address.
 *
 *	local_list_next() returns the next destination of an alias value
 *	or of a .forward or :include: file, modifying the buffer at *bufp
 *	in place, or NULL at the end: destinations are separated by
 *	commas or newlines (not inside double quotes; a backslash escapes
 *	the next character), surrounding white space is removed, a line
 *	that starts with "#" is a comment, and a destination in double
 *	quotes, or a command written |"...", loses the quotes ("|cmd
 *	args", "/a file"). An empty result ("") is possible and is the
 *	caller's to skip.
 *
 *	local_maildir_name() writes the unique name of a new maildir
 *	file in the qmail style that Postfix uses:
 *	"sec.Pid_count.hostname" becomes "<sec>.V<dev>I<ino>M<usec>.<host>"
 *	with the device and inode of the tmp/ file (hex) and the
 *	microseconds, so that two deliveries never pick the same name.
 *	local_maildir_hostname() makes a host name safe for that: '/'
 *	becomes "\057" and ':' becomes "\072", as maildir readers expect.
 *
 * DIAGNOSTICS
 *	Fatal: an unknown word in allow_mail_to_commands, allow_mail_to_files
 *	or prepend_delivered_header. mac_expand(3) warns about syntax
 *	errors in patterns.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "split_addr.h"
#include "local.h"

/* local_addr_split - user, extension, domain of an address */
void    local_addr_split(LOCAL_ADDR *addr, const char *address,
			         const char *delimiters)
{
    const char *at = strrchr(address, '@');
    char   *ext;

    addr->address = mystrdup(address);
    if (at) {
	addr->local = mystrndup(address, (size_t) (at - address));
	addr->domain = mystrdup(at + 1);
    } else {
	addr->local = mystrdup(address);
	addr->domain = mystrdup("");
    }
    lowercase(addr->local);
    addr->user = mystrdup(addr->local);
    ext = (delimiters && *delimiters) ? split_addr(addr->user, delimiters) : 0;
    addr->extension = ext ? mystrdup(ext) : 0;
}

/* local_addr_free - release the fields of a split address */
void    local_addr_free(LOCAL_ADDR *addr)
{
    myfree(addr->address);
    myfree(addr->local);
    myfree(addr->user);
    if (addr->extension)
	myfree(addr->extension);
    myfree(addr->domain);
    memset(addr, 0, sizeof(*addr));
}

/* local_expand_lookup - mac_expand() callback for the local names */
static const char *local_expand_lookup(const char *name, int mode,
				               void *context)
{
    const LOCAL_EXPAND_ATTR *attr = context;
    static const struct {
	const char *name;
	size_t  offset;
    } table[] = {
	{"user", offsetof(LOCAL_EXPAND_ATTR, user)},
	{"home", offsetof(LOCAL_EXPAND_ATTR, home)},
	{"shell", offsetof(LOCAL_EXPAND_ATTR, shell)},
	{"recipient", offsetof(LOCAL_EXPAND_ATTR, recipient)},
	{"extension", offsetof(LOCAL_EXPAND_ATTR, extension)},
	{"domain", offsetof(LOCAL_EXPAND_ATTR, domain)},
	{"local", offsetof(LOCAL_EXPAND_ATTR, local)},
	{"recipient_delimiter",
	offsetof(LOCAL_EXPAND_ATTR, recipient_delimiter)},
    };
    size_t  i;

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
	if (strcmp(name, table[i].name) == 0) {
	    const char *value = *(const char *const *)
		((const char *) attr + table[i].offset);

	    /* An empty value counts as undefined, as in Postfix. */
	    return (value && *value) ? value : 0;
	}
    }
    return 0;
}

/* local_expand - expand a local(8) pattern with the recipient's names */
int     local_expand(VSTRING *result, const char *pattern,
		             const LOCAL_EXPAND_ATTR *attr, const char *filter)
{
    return mac_expand(result, pattern, MAC_EXP_FLAG_NONE, filter,
		      local_expand_lookup, (void *) attr);
}

/* local_word_mask - map a list of words to bits, fatal on unknown words */
static int local_word_mask(const char *param, const char *value,
			           const char *const *names, const int *bits)
{
    char   *copy = mystrdup(value);
    char   *cp = copy;
    char   *word;
    int     mask = 0;
    int     i;

    while ((word = mystrtok(&cp, ", \t\r\n")) != 0) {
	for (i = 0; names[i]; i++)
	    if (strcasecmp(word, names[i]) == 0)
		break;
	if (names[i] == 0)
	    msg_fatal("unknown %s value \"%s\" in \"%s\"", param, word, value);
	mask |= bits[i];
    }
    myfree(copy);
    return mask;
}

/* local_context_mask - allow_mail_to_commands/_files value to bits */
int     local_context_mask(const char *param, const char *value)
{
    static const char *const names[] = {"alias", "forward", "include", 0};
    static const int bits[] = {LOCAL_CTX_ALIAS, LOCAL_CTX_FORWARD,
    LOCAL_CTX_INCLUDE};

    return local_word_mask(param, value, names, bits);
}

/* local_deliver_hdr_mask - prepend_delivered_header value to bits */
int     local_deliver_hdr_mask(const char *value)
{
    static const char *const names[] = {"command", "file", "forward", 0};
    static const int bits[] = {LOCAL_DELIVER_HDR_COMMAND,
    LOCAL_DELIVER_HDR_FILE, LOCAL_DELIVER_HDR_FORWARD};

    return local_word_mask("prepend_delivered_header", value, names, bits);
}

/* local_propagate_mask - propagate_unmatched_extensions value to bits */
int     local_propagate_mask(const char *value)
{
    static const char *const names[] = {"alias", "forward", "include",
    "canonical", "virtual", "generic", 0};
    static const int bits[] = {LOCAL_CTX_ALIAS, LOCAL_CTX_FORWARD,
    LOCAL_CTX_INCLUDE, 0, 0, 0};

    return local_word_mask("propagate_unmatched_extensions", value, names,
			   bits);
}

/* local_token_kind - command, file, include or address */
int     local_token_kind(const char *token)
{
    if (*token == '|')
	return LOCAL_TOKEN_COMMAND;
    if (*token == '/')
	return LOCAL_TOKEN_FILE;
    if (strncasecmp(token, ":include:", 9) == 0)
	return LOCAL_TOKEN_INCLUDE;
    return LOCAL_TOKEN_ADDRESS;
}

/* local_list_unquote - remove the quotes around an item or after "|" */
static char *local_list_unquote(char *item)
{
    size_t  len;
    char   *body = item;

    trim_whitespace(item);
    if (*body == '|' && body[1] == '"')
	body++;
    len = strlen(body);
    if (*body == '"' && len >= 2 && body[len - 1] == '"') {
	memmove(body, body + 1, len - 2);
	body[len - 2] = 0;
    }
    return item;
}

/* local_list_next - the next destination of an alias or .forward list */
char   *local_list_next(char **bufp)
{
    char   *cp = *bufp;
    char   *start;
    bool    quoted = false;

    for (;;) {
	while (*cp == ',' || *cp == '\n' || *cp == '\r' || *cp == ' '
	       || *cp == '\t')
	    cp++;
	if (*cp != '#')
	    break;
	/* A comment runs to the end of its line. */
	while (*cp && *cp != '\n')
	    cp++;
    }
    if (*cp == 0) {
	*bufp = cp;
	return 0;
    }
    start = cp;
    for (; *cp; cp++) {
	if (*cp == '\\' && cp[1])
	    cp++;
	else if (*cp == '"')
	    quoted = !quoted;
	else if (!quoted && (*cp == ',' || *cp == '\n'))
	    break;
    }
    if (*cp)
	*cp++ = 0;
    *bufp = cp;
    return local_list_unquote(start);
}

/* local_maildir_hostname - host name made safe for a maildir file name */
const char *local_maildir_hostname(VSTRING *buf, const char *name)
{
    const char *cp;

    VSTRING_RESET(buf);
    for (cp = name; *cp; cp++) {
	if (*cp == '/')
	    vstring_strcat(buf, "\\057");
	else if (*cp == ':')
	    vstring_strcat(buf, "\\072");
	else
	    VSTRING_ADDCH(buf, *cp);
    }
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}

/* local_maildir_name - the unique name of a new maildir file */
const char *local_maildir_name(VSTRING *buf, long sec, long usec, long pid,
			               long count, unsigned long dev,
			               unsigned long ino, const char *hostname)
{
    if (dev == 0 && ino == 0)
	/* Before the file exists: the tmp/ name. */
	vstring_sprintf(buf, "%ld.P%ldQ%ld.%s", sec, pid, count, hostname);
    else
	vstring_sprintf(buf, "%ld.V%lxI%lxM%ld.%s",
			sec, dev, ino, usec, hostname);
    return vstring_str(buf);
}
