/*
 * rewrite_address - rewrite an address to standard form
 *
 * SYNOPSIS
 *	#include "trivial_rewrite.h"
 *
 *	bool	rewrite_address(const char *rule, const char *address,
 *				VSTRING *result);
 *
 * DESCRIPTION
 *	rewrite_address() does the hard-coded address manipulations of
 *	ADDRESS_REWRITING_README ("Rewrite addresses to standard form")
 *	on one address in internal (unquoted) form and stores the result
 *	in result. rule is REWRITE_RULE_LOCAL (locally submitted mail) or
 *	REWRITE_RULE_REMOTE (headers from remote clients); it returns
 *	false, leaving result alone, for any other rule. In order:
 * .IP \(bu
 *	A source route is removed: "@hosta,@hostb:user@site" becomes
 *	"user@site".
 * .IP \(bu
 *	One trailing dot is removed from the domain: "user@site." becomes
 *	"user@site", which then counts as fully qualified (no
 *	$append_dot_mydomain). More than one is left for the resolver to
 *	reject.
 * .IP \(bu
 *	An address without '@': with $swap_bangpath, "site!user" becomes
 *	"user@site" (at the first '!'); otherwise with
 *	$allow_percent_hack, "user%domain" becomes "user@domain" (at the
 *	last '%'). When there is still no domain, $append_at_myorigin
 *	appends "@$myorigin" (local rule) or "@$remote_header_rewrite_domain"
 *	(remote rule, only when that parameter is not empty).
 * .IP \(bu
 *	With $append_dot_mydomain, a domain without '.' that is not an
 *	address literal, that was in the address (not just appended from
 *	$myorigin) and that did not end in a dot, gets ".$mydomain" (local) or
 *	".$remote_header_rewrite_domain" (remote, when not empty).
 * .PP
 *	The empty address stays empty, as does (unchanged) an address of
 *	more than TRIVIAL_REWRITE_ADDRESS_LIMIT bytes. "user%domain@otherdomain" and
 *	"site!user@domain" are left alone: routing inside an address with
 *	a domain is the resolver's business (resolve_address(3)).
 *
 *	This module does not validate domains, does not look up tables
 *	(canonical and virtual mapping belong to cleanup(8)) and does not
 *	quote: input and output are in internal form.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_params.h"
#include "trivial_rewrite.h"

/* rewrite_strip_dot - remove one trailing dot from the domain */
static bool rewrite_strip_dot(VSTRING *addr)
{
    char   *at = strrchr(vstring_str(addr), '@');
    size_t  len = VSTRING_LEN(addr);

    if (at == NULL || len < 2)
	return false;
    if (vstring_str(addr)[len - 1] == '.'
	&& vstring_str(addr)[len - 2] != '.'
	&& vstring_str(addr)[len - 2] != '@') {
	vstring_truncate(addr, len - 1);
	return true;
    }
    return false;
}

/* rewrite_unqualified - bang path, percent hack or none; true if changed */
bool    rewrite_unqualified(VSTRING *addr, VSTRING *scratch)
{
    char   *str = vstring_str(addr);
    char   *sep;

    if (VAR_BOOL(swap_bangpath)
	&& (sep = strchr(str, '!')) != NULL && sep > str && sep[1] != 0) {
	vstring_sprintf(scratch, "%s@%.*s", sep + 1, (int) (sep - str), str);
	vstring_strcpy(addr, vstring_str(scratch));
	return true;
    }
    if (VAR_BOOL(allow_percent_hack)
	&& (sep = strrchr(str, '%')) != NULL && sep > str && sep[1] != 0) {
	*sep = '@';
	return true;
    }
    return false;
}

/* rewrite_address - standard form of one address */
bool    rewrite_address(const char *rule, const char *address, VSTRING *result)
{
    VSTRING *addr;
    VSTRING *scratch;
    const char *domain;
    const char *suffix;
    const char *colon;
    bool    local;
    bool    appended = false;
    bool    qualified;

    if (strcmp(rule, REWRITE_RULE_LOCAL) == 0)
	local = true;
    else if (strcmp(rule, REWRITE_RULE_REMOTE) == 0)
	local = false;
    else
	return false;
    if (*address == 0 || strlen(address) > TRIVIAL_REWRITE_ADDRESS_LIMIT) {
	vstring_strcpy(result, address);
	return true;
    }
    addr = vstring_alloc(100);
    scratch = vstring_alloc(100);
    if (*address == '@' && (colon = strchr(address, ':')) != NULL)
	address = colon + 1;
    vstring_strcpy(addr, address);
    qualified = rewrite_strip_dot(addr);

    if (strchr(vstring_str(addr), '@') == NULL
	&& !rewrite_unqualified(addr, scratch)) {
	suffix = local ? VAR_STR(myorigin) : VAR_STR(remote_header_rewrite_domain);
	if (VAR_BOOL(append_at_myorigin) && *suffix != 0) {
	    vstring_sprintf_append(addr, "@%s", suffix);
	    appended = true;
	}
    }
    if (!appended && !qualified && VAR_BOOL(append_dot_mydomain)
	&& (domain = strrchr(vstring_str(addr), '@')) != NULL) {
	domain++;
	suffix = local ? VAR_STR(mydomain) : VAR_STR(remote_header_rewrite_domain);
	if (*domain != 0 && *domain != '[' && strchr(domain, '.') == NULL
	    && *suffix != 0)
	    vstring_sprintf_append(addr, ".%s", suffix);
    }
    vstring_strcpy(result, vstring_str(addr));
    vstring_free(addr);
    vstring_free(scratch);
    return true;
}
