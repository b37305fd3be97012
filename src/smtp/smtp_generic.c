/*
 * smtp_generic - smtp_generic_maps for the client's headers and envelope
 *
 * SYNOPSIS
 *	See smtp_generic.h.
 *
 * DESCRIPTION
 *	generic(5) is canonical(5) applied on the way out: the same
 *	search order ("user+ext@domain", "user@domain", "user+ext" and
 *	"user" for local domains, "@domain"), the same "@otherdomain"
 *	results, extension propagation and rewriting of the result
 *	("fred" becomes "fred@$myorigin" through trivial-rewrite's local
 *	context), except that the result is final. So this module keeps
 *	one CLEANUP_MAPS of cleanup(8)'s table library with only the
 *	generic table in it.
 *
 *	Observed with Debian's Postfix 3.7.11 (a recording server behind
 *	relayhost): the envelope sender and recipients and the primary
 *	address headers are mapped; headers of attached messages,
 *	Delivered-To, X-Original-To and other headers are not. A header
 *	that changed is written again from its parsed tokens, the
 *	addresses filled into lines of at most 78 columns (a tab counts
 *	8 columns) with "\n\t" between lines.
 *
 * DIAGNOSTICS
 *	See smtp_generic.h.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "maps.h"
#include "tok822.h"
#include "mail_params.h"
#include "quote_822_local.h"
#include "rewrite_client.h"
#include "rewrite_proto.h"
#include "table_search.h"
#include "is_header.h"
#include "cleanup_maps.h"
#include "smtp.h"
#include "smtp_content.h"
#include "smtp_generic.h"

#define SMTP_GENERIC_WIDTH	78	/* header folding */

static CLEANUP_MAPS *smtp_generic_maps;	/* NULL: not yet opened */
static bool smtp_generic_opened;	/* smtp_generic_maps is final */

/* smtp_generic_rewrite - a bare result gets @$myorigin (trivial-rewrite) */
static void smtp_generic_rewrite(VSTRING *addr, void *context)
{
    VSTRING *result;

    (void) context;
    if (VSTRING_LEN(addr) == 0 || strchr(vstring_str(addr), '@') != 0)
	return;
    result = vstring_alloc(100);
    if (rewrite_client_rewrite(REWRITE_RULE_LOCAL, vstring_str(addr), result)
	&& VSTRING_LEN(result) > 0)
	vstring_strcpy(addr, vstring_str(result));
    vstring_free(result);
}

/* smtp_generic_propagate - "generic" in propagate_unmatched_extensions */
static bool smtp_generic_propagate(void)
{
    ARGV   *words = argv_split(VAR_STR(propagate_unmatched_extensions),
			       CHARS_COMMA_SP);
    bool    found = false;
    size_t  n;

    for (n = 0; n < words->argc && !found; n++)
	found = (strcasecmp(words->argv[n], "generic") == 0);
    argv_free(words);
    return (found);
}

/* smtp_generic_open - the generic table in a CLEANUP_MAPS, or NULL */
static CLEANUP_MAPS *smtp_generic_open(void)
{
    const char *value = SMTP_STR(generic_maps);
    CLEANUP_MAPS *cm;
    int     flags = DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX;

    if (value[strspn(value, CHARS_COMMA_SP)] == 0)
	return (0);
    if (VAR_BOOL(smtputf8_enable))
	flags |= DICT_FLAG_UTF8_REQUEST;
    cm = cleanup_maps_alloc();
    cm->canonical = maps_create(SMTP_PARAM_NAME(generic_maps), value, flags);
    cm->canonical_classes = CLEANUP_CLASS_SENDER | CLEANUP_CLASS_RCPT;
    /* The "canonical" bit stands for "generic" here. */
    cm->propagate = smtp_generic_propagate() ? CLEANUP_PROPAGATE_CANONICAL : 0;
    cm->rewrite = smtp_generic_rewrite;
    return (cm);
}

/* smtp_generic_get - the tables, opened on first use */
static CLEANUP_MAPS *smtp_generic_get(void)
{
    if (!smtp_generic_opened) {
	smtp_generic_maps = smtp_generic_open();
	smtp_generic_opened = true;
    }
    return (smtp_generic_maps);
}

/* smtp_generic_reset - close the tables; the next use reopens them */
void    smtp_generic_reset(void)
{
    if (smtp_generic_maps != 0)
	smtp_generic_maps = cleanup_maps_free(smtp_generic_maps);
    smtp_generic_opened = false;
}

/* smtp_generic_active - a generic table is configured */
bool    smtp_generic_active(void)
{
    return (smtp_generic_get() != 0);
}

/* smtp_generic_first - the first address of a lookup value */
static void smtp_generic_first(const char *value, VSTRING *first)
{
    ARGV   *addrs;

    if (*value == '@') {			/* "@otherdomain" as a whole */
	vstring_strcpy(first, value);
	return;
    }
    addrs = cleanup_maps_addr_split(value);
    vstring_strcpy(first, addrs->argc > 0 ? addrs->argv[0] : value);
    argv_free(addrs);
}

/* smtp_generic_address - map one internal-form address in place */
int     smtp_generic_address(const char *queue_id, VSTRING *addr)
{
    CLEANUP_MAPS *cm = smtp_generic_get();
    const char *value;
    VSTRING *first;
    VSTRING *result;
    int     status = 0;

    if (cm == 0 || VSTRING_LEN(addr) == 0)
	return (0);
    /* One lookup: unlike canonical(5), generic(5) results are final. */
    if ((value = cleanup_maps_find(cm, cm->canonical, vstring_str(addr),
				   &cm->match)) == 0) {
	if (cm->canonical->error == DICT_ERR_NONE)
	    return (0);
	/* As Postfix 3.7 (observed): the process gives up, qmgr retries. */
	msg_fatal("%s map lookup problem for %s", cm->canonical->title,
		  vstring_str(addr));
    }
    first = vstring_alloc(100);
    result = vstring_alloc(100);
    smtp_generic_first(value, first);
    cleanup_maps_result(cm, result, &cm->match, vstring_str(first),
			(cm->propagate & CLEANUP_PROPAGATE_CANONICAL) != 0);
    if (strcmp(vstring_str(result), vstring_str(addr)) != 0) {
	vstring_strcpy(addr, vstring_str(result));
	status = 1;
    }
    vstring_free(first);
    vstring_free(result);
    return (status);
}

/* smtp_generic_rewrites - the header is one that the client maps */
static bool smtp_generic_rewrites(const HEADER_OPTS *opts)
{
    return (opts != 0 && ((opts->flags & (HDR_OPT_SENDER | HDR_OPT_RECIP))
			  || opts->id == HDR_DISPOSITION_NOTIFICATION_TO));
}

/* smtp_generic_fold - append the address pieces, filling 78 columns */
static void smtp_generic_fold(VSTRING *result, const char *pieces)
{
    const char *cp = pieces;
    const char *nl;
    size_t  column = VSTRING_LEN(result);
    size_t  len;

    /*
     * As Postfix's client writes a header that generic(5) changed
     * (observed): the addresses joined by a space while the line stays
     * within 78 columns (a tab counts 8), else on a new line after a tab.
     */
    for (;;) {
	nl = strstr(cp, "\n\t");
	len = nl ? (size_t) (nl - cp) : strlen(cp);
	if (cp == pieces || column + 1 + len <= SMTP_GENERIC_WIDTH) {
	    VSTRING_ADDCH(result, ' ');
	    column += 1 + len;
	} else {
	    vstring_strcat(result, "\n\t");
	    column = 8 + len;
	}
	vstring_memcat(result, cp, len);
	if (nl == 0)
	    break;
	cp = nl + 2;
    }
    VSTRING_TERMINATE(result);
}

/* smtp_generic_header - map the addresses of one address header */
int     smtp_generic_header(const char *queue_id, const HEADER_OPTS *opts,
			            const char *text, size_t len,
			            VSTRING *result)
{
    CLEANUP_MAPS *cm = smtp_generic_get();
    VSTRING *header;
    VSTRING *addr;
    VSTRING *value;
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 **tpp;
    size_t  name_len;
    size_t  value_off;
    int     status = 0;

    if (cm == 0 || !smtp_generic_rewrites(opts)
	|| (name_len = is_header_buf(text, len)) == 0)
	return (0);
    header = vstring_alloc(len + 1);
    vstring_memcpy(header, text, len);
    VSTRING_TERMINATE(header);
    value_off = is_header_value(vstring_str(header), len);
    tree = tok822_parse_limit(vstring_str(header) + value_off,
			      (int) VAR_INT(header_address_token_limit));
    if (tree == 0) {
	vstring_free(header);
	return (0);
    }
    addr = vstring_alloc(100);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (tpp = addrs; *tpp; tpp++) {
	if ((*tpp)->head == 0)
	    continue;
	cleanup_maps_tree_get(*tpp, addr);
	if (smtp_generic_address(queue_id, addr) > 0) {
	    cleanup_maps_tree_set(*tpp, vstring_str(addr));
	    status = 1;
	}
    }
    if (status > 0) {
	value = vstring_alloc(100);
	tok822_externalize(value, tree, TOK822_STR_WIPE | TOK822_STR_LINE);
	vstring_memcpy(result, text, name_len);
	vstring_strcat(result, ":");
	smtp_generic_fold(result, vstring_str(value));
	vstring_free(value);
    }
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(addr);
    vstring_free(header);
    return (status);
}

/* smtp_map_envelope - an envelope address through smtp_generic_maps */
const char *smtp_map_envelope(SMTP_STATE *state, const char *addr,
			              VSTRING *buf)
{
    const char *queue_id = state && state->request ?
    state->request->queue_id : "NOQUEUE";

    vstring_strcpy(buf, addr);
    (void) smtp_generic_address(queue_id, buf);
    return (vstring_str(buf));
}

/* smtp_quote_envelope - external form for MAIL FROM and RCPT TO */
const char *smtp_quote_envelope(const char *addr, VSTRING *buf)
{
    if (SMTP_BOOL(quote_rfc821_envelope))
	quote_822_local(buf, addr);
    else
	vstring_strcpy(buf, addr);
    return (vstring_str(buf));
}
