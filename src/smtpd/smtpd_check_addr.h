/*
 * smtpd_check_addr - address, relay and recipient-validation restrictions
 *
 * SYNOPSIS
 *	#include "smtpd_check_addr.h"
 *
 *	extern const SMTPD_RESTRICTION smtpd_check_addr_table[];
 *
 *	void	smtpd_check_addr_init(void);
 *
 * DESCRIPTION
 *	smtpd_check_addr_table lists reject_non_fqdn_helo_hostname,
 *	reject_invalid_helo_hostname, reject_non_fqdn_sender,
 *	reject_non_fqdn_recipient, reject_unknown_helo_hostname,
 *	reject_unknown_sender_domain, reject_unknown_recipient_domain,
 *	reject_unknown_client_hostname,
 *	reject_unknown_reverse_client_hostname, reject_unauth_destination,
 *	defer_unauth_destination, permit_auth_destination,
 *	permit_mx_backup, reject_unauth_pipelining, reject_unlisted_sender,
 *	reject_unlisted_recipient, reject_unverified_sender,
 *	reject_unverified_recipient (and the old names
 *	reject_invalid_hostname, reject_non_fqdn_hostname,
 *	reject_unknown_hostname, reject_unknown_client,
 *	check_recipient_maps). Each applies to the address that its name
 *	says (state->helo_name, state->sender, state->recipient, the
 *	client), whatever list it sits in; when that is not known yet
 *	(no HELO, no MAIL FROM) it answers DUNNO, as Postfix does.
 *
 *	For the engine:
 *	-  smtpd_reject_unlisted_recipient/_sender: run the restrictions
 *	   "reject_unlisted_recipient"/"reject_unlisted_sender" of this
 *	   table after the lists (smtpd_check.c does). They reply "550
 *	   5.1.1 <u@d>: Recipient address rejected: User unknown in local
 *	   recipient table" (5.1.0/5.1.7 for senders) or "451 4.3.0 <u@d>:
 *	   Temporary lookup failure"; an address found listed is not
 *	   looked up again in the session.
 *	-  RCPT TO:<postmaster> skips every restriction in Postfix; that
 *	   is the engine's test, not this module's.
 *	-  smtpd_check_addr_init() opens the recipient tables; call it
 *	   from smtpd_check_init() (it is also done on first use).
 *	-  *_tempfail_action = defer_if_permit uses
 *	   smtpd_check_defer_if_permit().
 */
#ifndef SMTPD_CHECK_ADDR_H
#define SMTPD_CHECK_ADDR_H

#include "smtpd_check.h"

extern void smtpd_check_addr_init(void);

/* smtpd_check_addr.c and smtpd_check_rcpt.c, module-private. */
extern int PRINTFLIKE(5, 6) smtpd_check_addr_tempfail(SMTPD_CHECK_CALL *call,
				             const char *action, int code,
				             const char *dsn,
				             const char *fmt,...);
extern bool smtpd_check_addr_resolve(SMTPD_CHECK_CALL *call,
				             const char *addr, int *flags,
				             char **resolved);
extern int smtpd_check_addr_lookup_error(SMTPD_CHECK_CALL *call,
					          const char *addr);
extern int smtpd_check_rcpt_unlisted_sender(SMTPD_CHECK_CALL *call);
extern int smtpd_check_rcpt_unlisted_rcpt(SMTPD_CHECK_CALL *call);
extern int smtpd_check_rcpt_unverified_sender(SMTPD_CHECK_CALL *call);
extern int smtpd_check_rcpt_unverified_rcpt(SMTPD_CHECK_CALL *call);

#endif
