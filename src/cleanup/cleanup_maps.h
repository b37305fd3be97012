/*
 * cleanup_maps - address mapping and content check tables of cleanup(8)
 *
 * SYNOPSIS
 *	#include "cleanup_maps.h"
 *
 *	CLEANUP_MAPS *cleanup_maps_create(void);
 *	CLEANUP_MAPS *cleanup_maps_alloc(void);
 *	CLEANUP_MAPS *cleanup_maps_free(CLEANUP_MAPS *cm);
 *	int	cleanup_maps_class_mask(const char *param_name,
 *					const char *value);
 *	bool	cleanup_maps_local_domain(const char *domain, void *context);
 *	const char *cleanup_maps_changed(void);
 *
 *	const char *cleanup_maps_find(CLEANUP_MAPS *cm, MAPS *maps,
 *				      const char *addr, CLEANUP_MAPS_MATCH *match);
 *	void	cleanup_maps_result(CLEANUP_MAPS *cm, VSTRING *result,
 *				    const CLEANUP_MAPS_MATCH *match,
 *				    const char *value, bool propagate);
 *	ARGV	*cleanup_maps_addr_split(const char *value);
 *	void	cleanup_maps_tree_get(TOK822 *addr, VSTRING *result);
 *	void	cleanup_maps_tree_set(TOK822 *addr, const char *internal);
 *	const char *cleanup_maps_qid(CLEANUP_MAPS *cm);
 *
 *	The per-module functions (declared in the headers included below):
 *
 *	cleanup_canon(3):   canonical_maps, sender_canonical_maps,
 *			    recipient_canonical_maps
 *	int	cleanup_canon_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
 *				   VSTRING *why);
 *	int	cleanup_canon_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
 *				   VSTRING *why);
 *
 *	cleanup_virtual(3): virtual_alias_maps
 *	int	cleanup_virtual_expand(CLEANUP_MAPS *cm, const char *addr,
 *				       ARGV *result, VSTRING *why);
 *
 *	cleanup_masq(3):    masquerade_domains, masquerade_exceptions
 *	int	cleanup_masq_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
 *				  VSTRING *why);
 *	int	cleanup_masq_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
 *				  VSTRING *why);
 *
 *	cleanup_bcc(3):     always_bcc, sender_bcc_maps, recipient_bcc_maps
 *	int	cleanup_bcc_sender(CLEANUP_MAPS *cm, const char *sender,
 *				   VSTRING *bcc, VSTRING *why);
 *	int	cleanup_bcc_recipient(CLEANUP_MAPS *cm, const char *rcpt,
 *				      VSTRING *bcc, VSTRING *why);
 *
 *	cleanup_checks(3):  header_checks, mime_header_checks,
 *			    nested_header_checks, body_checks
 *	int	cleanup_checks_header(CLEANUP_MAPS *cm, int class,
 *				      const char *header, size_t len,
 *				      const CLEANUP_LOG_CONTEXT *ctx,
 *				      CLEANUP_CHECK_RESULT *result);
 *	int	cleanup_checks_body(CLEANUP_MAPS *cm, const char *line,
 *				    size_t len, const CLEANUP_LOG_CONTEXT *ctx,
 *				    CLEANUP_CHECK_RESULT *result);
 *
 * DESCRIPTION
 *	These modules are the table-driven parts of cleanup(8): address
 *	mapping (canonical, virtual alias, masquerading, automatic BCC) and
 *	the built-in content checks. They know nothing of the cleanup
 *	protocol or the queue file: the daemon calls them for each
 *	envelope address, each header address and each header or body
 *	line, and acts on the result. Each module logs what Postfix logs
 *	(warnings about tables and limits; the "reject:", "warning:" ...
 *	lines of the content checks) itself.
 *
 *	A CLEANUP_MAPS holds the tables and settings, read from main.cf
 *	once per process by cleanup_maps_create() (call it after the
 *	configuration is read, before chroot when tables live outside it,
 *	as Postfix does in its pre-init step). Its fields are read-only
 *	for callers except local_domain/local_context, which the daemon
 *	may replace with a better "is this domain local" test (for example
 *	trivial-rewrite's resolve_local), and queue_id, which the daemon
 *	points at the current message's queue ID (the warnings about
 *	limits and lookup problems start with "<queue id>: " as in
 *	Postfix; NULL leaves the prefix out), and rewrite/rewrite_context:
 *	when rewrite is set, cleanup_maps_result() passes every result
 *	address to it before the result is used or looked up again (the
 *	daemon brings it into user@fully.qualified form with
 *	trivial-rewrite, as Postfix does: "fred" becomes
 *	"fred@$myorigin"). A parameter with an empty value
 *	leaves its MAPS pointer NULL, and the corresponding functions then
 *	do nothing at no cost.
 *
 *	cleanup_maps_alloc() makes a CLEANUP_MAPS with no tables and the
 *	lookup machinery ready (buffers, delimiter, local-domain test);
 *	the caller fills in the tables it needs (the SMTP client's
 *	smtp_generic_maps uses it for cleanup_maps_find()).
 *
 *	Parameters read: canonical_maps, sender_canonical_maps,
 *	recipient_canonical_maps, canonical_classes,
 *	sender_canonical_classes, recipient_canonical_classes,
 *	virtual_alias_maps, virtual_alias_recursion_limit,
 *	virtual_alias_expansion_limit, virtual_alias_address_length_limit,
 *	masquerade_domains, masquerade_exceptions, masquerade_classes,
 *	always_bcc, sender_bcc_maps, recipient_bcc_maps, header_checks,
 *	mime_header_checks, nested_header_checks, body_checks,
 *	body_checks_size_limit, recipient_delimiter,
 *	propagate_unmatched_extensions, smtputf8_enable, myorigin,
 *	mydestination, inet_interfaces, proxy_interfaces.
 *
 *	Address classes (canonical_classes and masquerade_classes values,
 *	and the class argument of the mapping functions), one bit each:
 * .IP CLEANUP_CLASS_ENV_SENDER
 *	envelope_sender: the MAIL FROM / sender record address.
 * .IP CLEANUP_CLASS_ENV_RCPT
 *	envelope_recipient: RCPT TO / recipient record addresses.
 * .IP CLEANUP_CLASS_HDR_SENDER
 *	header_sender: From:, Sender:, Reply-To:, Return-Receipt-To:,
 *	Errors-To:, Resent-From:, Resent-Sender:, Resent-Reply-To: ...
 *	(which header is which is the daemon's business).
 * .IP CLEANUP_CLASS_HDR_RCPT
 *	header_recipient: To:, Cc:, Bcc:, Resent-To: ...
 * .PP
 *	cleanup_maps_class_mask() parses such a list (names separated by
 *	commas or whitespace); an unknown name is a fatal configuration
 *	error naming the parameter, as in Postfix.
 *
 *	Addresses are in internal form (quote_822_local(3)) except where a
 *	function takes a TOK822_ADDR node (the _tree variants): those
 *	internalize the node, map it, and replace the node's children
 *	with the tokens of the result (external form), leaving the node
 *	itself and comments around it in place.
 *
 *	Result codes of the mapping functions:
 * .IP CLEANUP_MAP_NONE
 *	Not found / not applicable / unchanged. The address is as it was.
 * .IP CLEANUP_MAP_FOUND
 *	The address was rewritten (canon, masq), expanded (virtual) or a
 *	BCC address was found (bcc).
 * .IP CLEANUP_MAP_RETRY
 *	A table lookup failed (temporary or configuration error). The
 *	address is unchanged; why holds the reply for the client
 *	("4.3.0 ..."; see the individual modules) and a warning was
 *	logged. The daemon should defer the message (CLEANUP_STAT_DEFER
 *	with why as the reason, or CLEANUP_STAT_WRITE, as it sees fit).
 * .IP CLEANUP_MAP_LIMIT
 *	Only cleanup_virtual_expand(): a recursion, expansion or address
 *	length limit was hit. why holds the reply ("4.6.0 Alias expansion
 *	error"), a warning was logged; the daemon defers the message.
 * .PP
 *	why may be NULL when the caller does not want the text.
 *
 *	cleanup_maps_local_domain() is the default local_domain test of the
 *	"user" lookup key of canonical(5), virtual(5) and the BCC maps: it
 *	is true when domain equals $myorigin, is listed in $mydestination
 *	(names and type:table entries; /file/name entries are read), or
 *	is an address literal ([a.b.c.d], [IPv6:...]) whose address is in
 *	$inet_interfaces (all: any local interface address; loopback-only:
 *	127.0.0.1 and ::1) or $proxy_interfaces. The comparison ignores
 *	case. context is the CLEANUP_MAPS (cleanup_maps_create() sets
 *	local_context so), which caches the parsed lists.
 *
 *	cleanup_maps_find() looks up an internal-form address in maps with
 *	the canonical(5)/virtual(5) search order (table_search(3)
 *	table_search_rewrite_address(), with cm->local_domain deciding the
 *	"user" forms) and fills match: which form of the key matched, the
 *	local part with and without its extension, the extension and its
 *	delimiter. It returns the value or NULL (maps->error tells "not
 *	found" from a failure). cleanup_maps_result() turns such a value
 *	into the result address the way canonical(5) and virtual(5)
 *	describe, for one address: a value that starts with '@' is
 *	appended to the local part (the local part as in the matching key:
 *	without the extension when the key had none, with it for the
 *	"@domain" key); when the key lacked the extension and propagate is
 *	set, the delimiter and extension are inserted before the last '@'
 *	of the result (or appended when it has none).
 *
 *	cleanup_maps_addr_split() returns the addresses of a canonical or
 *	virtual lookup value, in internal form (caller frees): addresses
 *	are separated by commas, and outside angle brackets also by
 *	whitespace ("a@x b@y, Name <c@z>" gives three), as Postfix 3.7
 *	reads such values; comments are dropped.
 *
 *	cleanup_maps_tree_get() stores the internal form of a TOK822_ADDR
 *	node in result; cleanup_maps_tree_set() replaces the node's
 *	children with the tokens of an internal-form address.
 *
 *	cleanup_maps_qid() returns "<queue id>: " or "" for warnings.
 *
 *	cleanup_maps_changed() returns "type:name" of a table that has
 *	changed on disk since it was opened, or NULL (dict_changed_name()),
 *	so the daemon can exit after the current message.
 *
 *	These modules do not decide which header holds sender or recipient
 *	addresses, whether header rewriting applies to a client
 *	(local_header_rewrite_clients), or what happens to the message after
 *	a check; they do not run milter_header_checks or the smtp(8)
 *	checks, and they do not append $myorigin or $mydomain to results
 *	themselves (the daemon's rewrite hook does, through trivial-rewrite).
 *
 * SEE ALSO
 *	cleanup_canon(3), cleanup_virtual(3), cleanup_masq(3),
 *	cleanup_bcc(3), cleanup_checks(3), docs/internals/cleanup-maps.md
 *
 * DIAGNOSTICS
 *	Fatal: unknown address class names; bad numerical limits (from
 *	mail_params(3)). Table open errors are warnings (maps(3)), and
 *	lookups on such tables fail with CLEANUP_MAP_RETRY.
 */
#ifndef CLEANUP_MAPS_H
#define CLEANUP_MAPS_H

#include "sys_defs.h"
#include "argv.h"
#include "vstring.h"
#include "maps.h"
#include "tok822.h"

/* Address classes (canonical_classes, masquerade_classes). */
#define CLEANUP_CLASS_ENV_SENDER	(1<<0)	/* envelope_sender */
#define CLEANUP_CLASS_ENV_RCPT	(1<<1)	/* envelope_recipient */
#define CLEANUP_CLASS_HDR_SENDER	(1<<2)	/* header_sender */
#define CLEANUP_CLASS_HDR_RCPT	(1<<3)	/* header_recipient */
#define CLEANUP_CLASS_SENDER \
	(CLEANUP_CLASS_ENV_SENDER | CLEANUP_CLASS_HDR_SENDER)
#define CLEANUP_CLASS_RCPT \
	(CLEANUP_CLASS_ENV_RCPT | CLEANUP_CLASS_HDR_RCPT)

/* Result codes of the mapping functions. */
#define CLEANUP_MAP_NONE	0	/* not found, unchanged */
#define CLEANUP_MAP_FOUND	1	/* rewritten, expanded, found */
#define CLEANUP_MAP_RETRY	(-1)	/* table lookup failed */
#define CLEANUP_MAP_LIMIT	(-2)	/* virtual alias limit hit */

/* propagate_unmatched_extensions bits that concern cleanup. */
#define CLEANUP_PROPAGATE_CANONICAL	(1<<0)
#define CLEANUP_PROPAGATE_VIRTUAL	(1<<1)

typedef bool (*CLEANUP_LOCAL_DOMAIN_FN) (const char *domain, void *context);
typedef void (*CLEANUP_REWRITE_FN) (VSTRING *addr, void *context);

/* What cleanup_maps_find() matched. */
typedef struct CLEANUP_MAPS_MATCH {
    VSTRING *local;			/* local part, with extension */
    VSTRING *bare;			/* local part without extension */
    VSTRING *extension;			/* "" when none */
    int     delimiter;			/* delimiter char, 0 when none */
    int     form;			/* CLEANUP_MATCH_* */
} CLEANUP_MAPS_MATCH;

#define CLEANUP_MATCH_FULL	1	/* key kept the extension */
#define CLEANUP_MATCH_BARE	2	/* key without the extension */
#define CLEANUP_MATCH_DOMAIN	3	/* the "@domain" key */

typedef struct CLEANUP_MAPS {
    /* canonical(5) */
    MAPS   *canonical;			/* canonical_maps, or NULL */
    MAPS   *sender_canonical;		/* sender_canonical_maps, or NULL */
    MAPS   *recipient_canonical;	/* recipient_canonical_maps, or NULL */
    int     canonical_classes;		/* CLEANUP_CLASS_* */
    int     sender_canonical_classes;
    int     recipient_canonical_classes;
    /* virtual(5) */
    MAPS   *virtual_alias;		/* virtual_alias_maps, or NULL */
    long    virtual_recursion_limit;	/* virtual_alias_recursion_limit */
    long    virtual_expansion_limit;	/* virtual_alias_expansion_limit */
    long    virtual_length_limit;	/* virtual_alias_address_length_limit */
    /* masquerading */
    ARGV   *masq_domains;		/* masquerade_domains, lower case */
    struct CLEANUP_MASQ_EXCEPT *masq_exceptions; /* private to cleanup_masq */
    int     masq_classes;		/* masquerade_classes */
    /* automatic BCC */
    char   *always_bcc;			/* always_bcc, or NULL when empty */
    MAPS   *sender_bcc;			/* sender_bcc_maps, or NULL */
    MAPS   *recipient_bcc;		/* recipient_bcc_maps, or NULL */
    /* content checks */
    MAPS   *header_checks;		/* header_checks, or NULL */
    MAPS   *mime_header_checks;		/* mime_header_checks, or NULL */
    MAPS   *nested_header_checks;	/* nested_header_checks, or NULL */
    MAPS   *body_checks;		/* body_checks, or NULL */
    long    body_checks_size_limit;	/* body_checks_size_limit */
    bool    checks_utf8;		/* smtputf8_enable: log UTF-8 as is */
    /* shared */
    char   *recipient_delimiter;	/* "" when unset */
    int     propagate;			/* CLEANUP_PROPAGATE_* */
    CLEANUP_LOCAL_DOMAIN_FN local_domain;	/* "user" key applies */
    void   *local_context;
    const char *queue_id;		/* for warnings; set by the daemon */
    CLEANUP_REWRITE_FN rewrite;		/* each mapping result; or NULL */
    void   *rewrite_context;		/* set by the daemon */
    /* private */
    struct TABLE_SEARCH *search;
    CLEANUP_MAPS_MATCH match;
    VSTRING *scratch;
    VSTRING *qid_buf;
    struct CLEANUP_MAPS_LOCAL *local;	/* cleanup_maps_local_domain() */
} CLEANUP_MAPS;

extern CLEANUP_MAPS *cleanup_maps_create(void);
extern CLEANUP_MAPS *cleanup_maps_alloc(void);
extern CLEANUP_MAPS *cleanup_maps_free(CLEANUP_MAPS *cm);
extern int cleanup_maps_class_mask(const char *param_name, const char *value);
extern bool cleanup_maps_local_domain(const char *domain, void *context);
extern const char *cleanup_maps_changed(void);
extern const char *cleanup_maps_find(CLEANUP_MAPS *cm, MAPS *maps,
				             const char *addr,
				             CLEANUP_MAPS_MATCH *match);
extern ARGV *cleanup_maps_addr_split(const char *value);
extern void cleanup_maps_tree_get(TOK822 *addr, VSTRING *result);
extern void cleanup_maps_tree_set(TOK822 *addr, const char *internal);
extern const char *cleanup_maps_qid(CLEANUP_MAPS *cm);
extern void cleanup_maps_result(CLEANUP_MAPS *cm, VSTRING *result,
				        const CLEANUP_MAPS_MATCH *match,
				        const char *value, bool propagate);

#include "cleanup_canon.h"
#include "cleanup_virtual.h"
#include "cleanup_masq.h"
#include "cleanup_bcc.h"
#include "cleanup_checks.h"

#endif
