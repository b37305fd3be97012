/*
 * cleanup_addr - envelope addresses: rewriting, mapping, output
 *
 * SYNOPSIS
 *	#include "cleanup.h"
 *
 *	void	cleanup_addr_sender(CLEANUP_STATE *state, const char *addr);
 *	void	cleanup_addr_recipient(CLEANUP_STATE *state,
 *				const char *orcpt, const char *addr,
 *				const char *dsn_orcpt, int dsn_notify);
 *	void	cleanup_addr_bcc(CLEANUP_STATE *state, const char *addr);
 *	void	cleanup_addr_rewrite(CLEANUP_STATE *state,
 *				const char *context, const char *addr,
 *				VSTRING *result);
 *	void	cleanup_addr_map_rewrite(VSTRING *addr, void *context);
 *
 * DESCRIPTION
 *	Envelope addresses go through trivial-rewrite(8) with the local
 *	rule (user@fully.qualified form) and then, when the client allows
 *	address mapping (CLEANUP_FLAG_MAP_OK), through canonical(5)
 *	mapping and masquerading for their class; recipients are then
 *	expanded with virtual_alias_maps. The null sender stays empty.
 *
 *	cleanup_addr_sender() handles the F record: the result becomes
 *	state->sender (written later by cleanup_envelope_header()).
 *
 *	cleanup_addr_recipient() handles one recipient group: it writes,
 *	for each final recipient, the n and o records when given, an O
 *	record with the original recipient (orcpt, or the address as
 *	received; only with enable_original_recipient), and the R record
 *	(Postfix's order). The duplicate filter (duplicate_filter_limit
 *	entries; 0 turns it off) drops a final recipient that was already
 *	written with the same DSN information. With CLEANUP_FLAG_BCC_OK
 *	the recipient's recipient_bcc_maps address is remembered for the
 *	extracted segment.
 *
 *	cleanup_addr_bcc() adds an automatic or BCC-action recipient with
 *	NOTIFY=NEVER.
 *
 *	cleanup_addr_map_rewrite() is the rewrite hook of cleanup_maps(3)
 *	(context: the CLEANUP_STATE): every canonical or virtual mapping
 *	result goes through trivial-rewrite's "local" context, so an
 *	unqualified result gets @$myorigin before it is used or looked up
 *	again, as in Postfix.
 *
 *	cleanup_addr_rewrite() asks trivial-rewrite to rewrite addr under
 *	context ("local" or "remote") into result; the empty address is
 *	left alone. When the service cannot be reached the message is
 *	deferred (CLEANUP_STAT_WRITE, "4.3.0 address rewriting failed").
 *
 *	Table failures defer the message (CLEANUP_STAT_WRITE with the
 *	mapping module's reason); virtual alias limits defer it with
 *	CLEANUP_STAT_DEFER ("4.6.0 Alias expansion error", as Postfix
 *	answers "451 4.6.0 Alias expansion error").
 *
 *	The recipient after canonical mapping (before virtual expansion)
 *	is kept in state->last_rcpt for the "to=" part of content check
 *	log lines, as Postfix logs the most recent recipient.
 *
 * DIAGNOSTICS
 *	Warnings come from the mapping modules and rewrite_client(3).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "mail_params.h"
#include "rec_type.h"
#include "rewrite_client.h"
#include "cleanup_maps.h"
#include "cleanup.h"

/* cleanup_addr_rewrite - trivial-rewrite one address */
void    cleanup_addr_rewrite(CLEANUP_STATE *state, const char *context,
			             const char *addr, VSTRING *result)
{
    if (*addr == 0 || !cleanup_out_ok(state)) {
	vstring_strcpy(result, addr);
	return;
    }
    if (!rewrite_client_rewrite(context, addr, result)) {
	vstring_strcpy(result, addr);
	cleanup_state_error(state, CLEANUP_STAT_WRITE,
			    "4.3.0 address rewriting failed");
    }
}

/* cleanup_addr_map_rewrite - the mapping modules' rewrite hook */
void    cleanup_addr_map_rewrite(VSTRING *addr, void *context)
{
    static VSTRING *result;

    if (result == 0)
	result = vstring_alloc(100);
    cleanup_addr_rewrite((CLEANUP_STATE *) context, REWRITE_RULE_LOCAL,
			 vstring_str(addr), result);
    vstring_strcpy(addr, vstring_str(result));
}

/* cleanup_addr_map_status - turn a mapping result into a state error */
static bool cleanup_addr_map_status(CLEANUP_STATE *state, int status,
				            VSTRING *why)
{
    if (status >= 0)
	return true;
    cleanup_state_error(state, CLEANUP_STAT_WRITE, "%s",
			VSTRING_LEN(why) ? vstring_str(why) :
			"4.3.0 address mapping failed");
    return false;
}

/* cleanup_addr_map - canonical mapping and masquerading of one address */
static void cleanup_addr_map(CLEANUP_STATE *state, int class, VSTRING *addr)
{
    VSTRING *why = state->temp2;

    if ((state->flags & CLEANUP_FLAG_MAP_OK) == 0 || cleanup_maps == 0
	|| VSTRING_LEN(addr) == 0)
	return;
    VSTRING_RESET(why);
    if (!cleanup_addr_map_status(state,
				 cleanup_canon_addr(cleanup_maps, class, addr,
						    why), why))
	return;
    /* A rewritten address is brought into standard form again. */
    (void) cleanup_addr_map_status(state,
				   cleanup_masq_addr(cleanup_maps, class,
						     addr, why), why);
}

/* cleanup_addr_sender - the envelope sender */
void    cleanup_addr_sender(CLEANUP_STATE *state, const char *addr)
{
    VSTRING *result = vstring_alloc(100);
    VSTRING *bcc;
    VSTRING *why;

    cleanup_addr_rewrite(state, REWRITE_RULE_LOCAL, addr, result);
    cleanup_addr_map(state, CLEANUP_CLASS_ENV_SENDER, result);
    state->sender = mystrdup(vstring_str(result));
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && cleanup_maps != 0
	&& *state->sender) {
	bcc = vstring_alloc(100);
	why = vstring_alloc(100);
	if (cleanup_addr_map_status(state,
				    cleanup_bcc_sender(cleanup_maps,
						 state->sender, bcc, why),
				    why) && VSTRING_LEN(bcc) > 0)
	    argv_add(state->bcc, vstring_str(bcc), (char *) 0);
	vstring_free(bcc);
	vstring_free(why);
    }
    vstring_free(result);
}

/* cleanup_addr_dup - has this final recipient been written already? */
static bool cleanup_addr_dup(CLEANUP_STATE *state, const char *addr,
			             const char *dsn_orcpt, int dsn_notify)
{
    long    limit = VAR_INT(duplicate_filter_limit);
    VSTRING *key = vstring_alloc(100);
    bool    dup;

    vstring_sprintf(key, "%s\n%s\n%d", addr, dsn_orcpt ? dsn_orcpt : "",
		    dsn_notify);
    dup = htable_find(state->dups, vstring_str(key)) != 0;
    if (!dup && limit > 0 && state->dup_count < limit) {
	htable_enter(state->dups, vstring_str(key), (void *) state);
	state->dup_count++;
    }
    vstring_free(key);
    return dup;
}

/* cleanup_addr_out - write one final recipient with its group */
static void cleanup_addr_out(CLEANUP_STATE *state, const char *orcpt,
			             const char *addr, const char *dsn_orcpt,
			             int dsn_notify)
{
    if (cleanup_addr_dup(state, addr, dsn_orcpt, dsn_notify))
	return;
    /* Postfix's order: notify_flags, dsn_orig_rcpt, original_recipient. */
    if (dsn_notify)
	cleanup_out_fmt(state, REC_TYPE_DSN_NOTIFY, "%d", dsn_notify);
    if (dsn_orcpt)
	cleanup_out_str(state, REC_TYPE_DSN_ORCPT, dsn_orcpt);
    if (VAR_BOOL(enable_original_recipient))
	cleanup_out_str(state, REC_TYPE_ORCP, orcpt);
    cleanup_out_str(state, REC_TYPE_RCPT, addr);
    if (cleanup_out_ok(state))
	state->rcpt_count++;
}

/* cleanup_addr_recipient - one recipient group */
void    cleanup_addr_recipient(CLEANUP_STATE *state, const char *orcpt,
			               const char *addr, const char *dsn_orcpt,
			               int dsn_notify)
{
    VSTRING *result = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    ARGV   *expansion;
    size_t  i;
    int     status;

    if (orcpt == 0)
	orcpt = addr;
    cleanup_addr_rewrite(state, REWRITE_RULE_LOCAL, addr, result);
    if (*addr == 0)
	vstring_strcpy(result, VAR_STR(empty_address_recipient));
    cleanup_addr_map(state, CLEANUP_CLASS_ENV_RCPT, result);
    /* Content check log lines show this form (Postfix: before virtual). */
    myfree(state->last_rcpt);
    state->last_rcpt = mystrdup(vstring_str(result));
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && cleanup_maps != 0) {
	VSTRING *bcc = vstring_alloc(100);

	if (cleanup_addr_map_status(state,
				    cleanup_bcc_recipient(cleanup_maps,
							  vstring_str(result),
							  bcc, why), why)
	    && VSTRING_LEN(bcc) > 0)
	    argv_add(state->bcc, vstring_str(bcc), (char *) 0);
	vstring_free(bcc);
    }
    if ((state->flags & CLEANUP_FLAG_MAP_OK) && cleanup_maps != 0
	&& cleanup_out_ok(state)) {
	expansion = argv_alloc(1);
	VSTRING_RESET(why);
	status = cleanup_virtual_expand(cleanup_maps, vstring_str(result),
					expansion, why);
	if (status == CLEANUP_MAP_LIMIT)
	    /* Postfix: "451 4.6.0 Alias expansion error". */
	    cleanup_state_error(state, CLEANUP_STAT_DEFER, "%s",
				VSTRING_LEN(why) ? vstring_str(why) :
				"4.6.0 Alias expansion error");
	else if (cleanup_addr_map_status(state, status, why))
	    for (i = 0; i < expansion->argc; i++)
		cleanup_addr_out(state, orcpt, expansion->argv[i], dsn_orcpt,
				 dsn_notify);
	argv_free(expansion);
    } else {
	cleanup_addr_out(state, orcpt, vstring_str(result), dsn_orcpt,
			 dsn_notify);
    }
    vstring_free(result);
    vstring_free(why);
}

/* cleanup_addr_bcc - an automatic or BCC-action recipient */
void    cleanup_addr_bcc(CLEANUP_STATE *state, const char *addr)
{
    int     saved = state->flags;

    /* A BCC recipient gets no BCC of its own. */
    state->flags &= ~CLEANUP_FLAG_BCC_OK;
    cleanup_addr_recipient(state, addr, addr, (char *) 0,
			   REC_DSN_NOTIFY_NEVER);
    state->flags = saved;
}
