/*
 * verify_entry - one address verification cache entry and its rules
 *
 * SYNOPSIS
 *	#include "verify_entry.h"
 *
 *	void	verify_entry_format(VSTRING *buf, const VERIFY_ENTRY *entry);
 *	bool	verify_entry_parse(VERIFY_ENTRY *entry, const char *value,
 *				VSTRING *why);
 *	bool	verify_entry_expired(const VERIFY_POLICY *policy,
 *				const VERIFY_ENTRY *entry, long now);
 *	bool	verify_entry_query(const VERIFY_POLICY *policy,
 *				VERIFY_ENTRY *entry, bool found, long now,
 *				int *status, const char **text);
 *	bool	verify_entry_update(const VERIFY_POLICY *policy,
 *				VERIFY_ENTRY *entry, bool found, int status,
 *				const char *text, long now);
 *
 * DESCRIPTION
 *	A cache entry (docs/internals/delivery.md, section 7) is the value
 *	"<status>:<probed>:<updated>:<text>" stored under the address:
 *	status is a VERIFY_ADDR_* number, probed the time (seconds since
 *	the epoch) when a probe was sent whose answer has not come (0:
 *	none), updated the time of the last answer (0: never), and text
 *	the answer's text (anything without a newline, at most
 *	VERIFY_TEXT_LIMIT bytes).
 *
 *	verify_entry_format() writes an entry; verify_entry_parse() reads
 *	one (text points into value), false with the reason in why when
 *	the value is malformed (the caller treats the address as unknown).
 *
 *	verify_entry_expired() tells whether an entry is too old to keep:
 *	a deliverable one whose last answer is older than
 *	positive_expire, an undeliverable one older than negative_expire,
 *	one still in progress whose probe is older than negative_expire.
 *
 *	verify_entry_query() decides a query. found says whether entry
 *	holds the cached entry (an expired one counts as not found). It
 *	sets *status and *text to the answer (VERIFY_ADDR_PENDING and
 *	VERIFY_ENTRY_PENDING_TEXT for an unknown address) and returns true
 *	when a probe is due: the address is unknown, or its answer is
 *	older than its refresh time (positive_refresh, negative_refresh;
 *	every query when negative_cache is off), and no probe is in
 *	flight (probed within probe_ttl). When it returns true, entry is
 *	what to store once the probe is sent (probed = now).
 *
 *	verify_entry_update() applies the answer of a probe to entry and
 *	returns true when entry must be stored. A failure does not replace
 *	a deliverable answer that has not expired (only the probe mark is
 *	cleared), as Postfix does not mark a known-good address bad.
 */
#ifndef VERIFY_ENTRY_H
#define VERIFY_ENTRY_H

#include "sys_defs.h"
#include "vstring.h"

#define VERIFY_ENTRY_PENDING_TEXT	"Address verification in progress"

typedef struct VERIFY_ENTRY {
    int     status;			/* VERIFY_ADDR_* */
    long    probed;			/* probe in flight since, or 0 */
    long    updated;			/* last answer, or 0 */
    const char *text;			/* the answer's text */
} VERIFY_ENTRY;

typedef struct VERIFY_POLICY {
    long    positive_expire;		/* address_verify_positive_expire_time */
    long    positive_refresh;		/* address_verify_positive_refresh_time */
    long    negative_expire;		/* address_verify_negative_expire_time */
    long    negative_refresh;		/* address_verify_negative_refresh_time */
    bool    negative_cache;		/* address_verify_negative_cache */
    long    probe_ttl;			/* a probe blocks new ones this long */
} VERIFY_POLICY;

extern void verify_entry_format(VSTRING *buf, const VERIFY_ENTRY *entry);
extern bool verify_entry_parse(VERIFY_ENTRY *entry, const char *value,
			               VSTRING *why);
extern bool verify_entry_expired(const VERIFY_POLICY *policy,
				         const VERIFY_ENTRY *entry, long now);
extern bool verify_entry_query(const VERIFY_POLICY *policy,
			               VERIFY_ENTRY *entry, bool found, long now,
			               int *status, const char **text);
extern bool verify_entry_update(const VERIFY_POLICY *policy,
				        VERIFY_ENTRY *entry, bool found,
				        int status, const char *text, long now);

#endif
