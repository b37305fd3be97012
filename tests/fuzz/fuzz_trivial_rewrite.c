/*
 * fuzz_trivial_rewrite - fuzz target for trivial-rewrite's address logic
 *
 * DESCRIPTION
 *	The first input byte picks the boolean settings (swap_bangpath,
 *	allow_percent_hack, append_dot_mydomain, resolve_dequoted_address,
 *	resolve_null_domain, resolve_numeric_domain, append_at_myorigin,
 *	show_user_unknown_table_name); the rest is "sender NUL address"
 *	(or just an address). The address is rewritten under both rules
 *	and resolved with every request kind, against fixed inline tables
 *	for the class lists, transport_maps, relocated_maps and the
 *	sender-dependent maps. Invariants, or abort():
 * .IP \(bu
 *	rewrite accepts both rules and the result is at most the input
 *	plus "@" $myorigin and "." $mydomain;
 * .IP \(bu
 *	a resolve answer has exactly one class bit, unless FAIL is set;
 *	ERROR comes with transport "error"; an answer without ERROR or
 *	FAIL has a recipient with an '@' and a non-empty domain, and a
 *	non-empty transport;
 * .IP \(bu
 *	the recipient is at most 64 bytes longer than the input (the null
 *	address becomes $empty_address_recipient@$myhostname).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "fuzz_support.h"
#include "trivial_rewrite.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_HOST	"host.example.com"
#define FUZZ_DOMAIN	"example.com"

/* fuzz_init - fixed settings and tables */
static void fuzz_init(void)
{
    static const char *const settings[][2] = {
	{"myhostname", FUZZ_HOST},
	{"mydomain", FUZZ_DOMAIN},
	{"myorigin", "$myhostname"},
	{"mydestination", "$myhostname, localhost, inline:{local.example=x}"},
	{"inet_interfaces", "127.0.0.1"},
	{"proxy_interfaces", "192.0.2.99"},
	{"virtual_alias_domains", "alias.example"},
	{"virtual_mailbox_domains", ".mbox.example"},
	{"relay_domains", "relay.example"},
	{"parent_domain_matches_subdomains", "relay_domains"},
	{"recipient_delimiter", "+-"},
	{"relayhost", "[gw.example]"},
	{"transport_maps", "inline:{a@t.example=local:, t.example=:[mx],"
	" .t.example=slow:, *=:, mailer-daemon@host.example.com=discard:}"},
	{"relocated_maps", "inline:{old=new, @gone.example=elsewhere}"},
	{"sender_dependent_relayhost_maps", "inline:{@s.example=[sdr], <>=DUNNO}"},
	{"sender_dependent_default_transport_maps", "inline:{@d.example=uucp:g}"},
	{"address_verify_relayhost", "[vgw]"},
    };
    size_t  n;

    fuzz_quiet_init();
    for (n = 0; n < ARRAY_LEN(settings); n++)
	mail_conf_update(settings[n][0], settings[n][1]);
    mail_params_reset();
    resolve_address_init();
}

/* fuzz_flags - the boolean settings from one byte */
static void fuzz_flags(unsigned bits)
{
    static const char *const names[] = {
	"swap_bangpath", "allow_percent_hack", "append_dot_mydomain",
	"resolve_dequoted_address", "resolve_null_domain",
	"resolve_numeric_domain", "append_at_myorigin",
	"show_user_unknown_table_name",
    };
    size_t  n;

    for (n = 0; n < ARRAY_LEN(names); n++)
	mail_conf_update(names[n], (bits & (1u << n)) ? "yes" : "no");
    mail_params_reset();
}

/* fuzz_check_resolve - invariants of one answer */
static void fuzz_check_resolve(const RESOLVE_RESULT *result, size_t len)
{
    int     classes = result->flags & RESOLVE_CLASS_MASK;
    const char *at;

    if (!(result->flags & RESOLVE_FLAG_FAIL)
	&& (classes == 0 || (classes & (classes - 1)) != 0))
	abort();
    if ((result->flags & RESOLVE_FLAG_ERROR)
	&& strcmp(vstring_str(result->transport), "error") != 0)
	abort();
    if (VSTRING_LEN(result->recipient) > len + 64)
	abort();
    if (result->flags & (RESOLVE_FLAG_ERROR | RESOLVE_FLAG_FAIL))
	return;
    if ((at = strrchr(vstring_str(result->recipient), '@')) == NULL
	|| at[1] == 0 || VSTRING_LEN(result->transport) == 0)
	abort();
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    static RESOLVE_RESULT result;
    static const char *const requests[] = {
	REWRITE_REQ_RESOLVE, REWRITE_REQ_RESOLVE_VERIFY,
	REWRITE_REQ_RESOLVE_SENDER,
    };
    VSTRING *rewritten;
    char   *text;
    char   *sender;
    char   *address;
    size_t  len;
    size_t  n;

    if (!init) {
	fuzz_init();
	resolve_result_init(&result);
	init = true;
    }
    if (size == 0)
	return 0;
    fuzz_flags(data[0]);
    text = mymalloc(size);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    if (strlen(text) + 1 < size - 1) {
	sender = text;
	address = text + strlen(text) + 1;
    } else {
	sender = "";
	address = text;
    }
    len = strlen(address);

    rewritten = vstring_alloc(100);
    if (!rewrite_address(REWRITE_RULE_LOCAL, address, rewritten)
	|| VSTRING_LEN(rewritten) > len + sizeof(FUZZ_HOST) + sizeof(FUZZ_DOMAIN) + 2)
	abort();
    if (!rewrite_address(REWRITE_RULE_REMOTE, address, rewritten)
	|| VSTRING_LEN(rewritten) > len + 2)
	abort();
    for (n = 0; n < ARRAY_LEN(requests); n++) {
	resolve_address(requests[n], sender, address, &result);
	fuzz_check_resolve(&result, len);
    }
    vstring_free(rewritten);
    myfree(text);
    return 0;
}
