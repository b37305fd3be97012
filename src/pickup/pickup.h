/*
 * pickup - private interface of the pickup(8) modules
 *
 * SYNOPSIS
 *	#include "pickup.h"
 *
 *	void	pickup_info_init(PICKUP_INFO *info);
 *	void	pickup_info_free(PICKUP_INFO *info);
 *	bool	pickup_check(VSTREAM *fp, PICKUP_INFO *info, VSTRING *why);
 *	bool	pickup_copy(VSTREAM *fp, VSTREAM *out, const ARGV *received,
 *				VSTRING *why);
 *	void	pickup_received(ARGV *lines, const char *hostname,
 *				const char *mail_name, long uid,
 *				const char *queue_id, time_t when);
 *	int	pickup_cleanup_flags(const char *override, bool extract,
 *					const char *utf8_classes);
 *
 * DESCRIPTION
 *	pickup_check() (pickup_file.c) reads a whole maildrop file from
 *	its current position and checks it: queue_file_read(3) for the
 *	structure, maildrop_check(3) for each record's data. It returns
 *	true for a file that may go to cleanup; info receives the sender
 *	(for the log; "" until the F record is read, printable, at most
 *	PICKUP_SENDER_LOG bytes), whether the file has extracted
 *	recipients (sendmail -t) and whether a failure was a read error
 *	(info->read_error: keep the file and retry) rather than damage.
 *	why says what is wrong.
 *
 *	pickup_copy() reads the file again from its current position and
 *	writes the records that cleanup(8) takes (docs/internals/
 *	protocols.md) to out: it leaves out Q and the extracted
 *	recipients (cleanup extracts them itself with
 *	CLEANUP_FLAG_EXTRACT), writes the lines of received (when not
 *	NULL) as L records right after the M record, and turns the dsn_envid and dsn_ret
 *	attributes into E and Y records (written before the first
 *	recipient) and dsn_notify into an n record before each R.
 *	false with the reason in why after a read or write error.
 *
 *	pickup_received() replaces lines with the two lines of the
 *	Received: header that Postfix's pickup adds to local mail:
 *	"Received: by <hostname> (<mail_name>, from userid <uid>)" and
 *	"<TAB>id <queue_id>; <date>" (mail_date(3) of when, the maildrop
 *	file's modification time).
 *
 *	pickup_cleanup_flags() gives the cleanup request flags: BOUNCE,
 *	plus FILTER, BCC_OK and MAP_OK unless receive_override_options
 *	(override) says no_header_body_checks or no_address_mappings,
 *	plus EXTRACT when extract is true, plus UTF8_DETECT when the
 *	list utf8_classes (smtputf8_autodetect_classes, or "" when
 *	smtputf8_enable is off) names "sendmail" or "all": cleanup then
 *	marks the message SMTPUTF8 requested when it finds UTF-8 in a
 *	header or the sender, as Postfix does for sendmail submissions.
 */
#ifndef PICKUP_H
#define PICKUP_H

#include "sys_defs.h"
#include <time.h>
#include "argv.h"
#include "vstream.h"
#include "vstring.h"

#define PICKUP_SENDER_LOG	256	/* bytes of sender in a log line */

typedef struct PICKUP_INFO {
    VSTRING *sender;			/* for logging */
    bool    extract;			/* extracted recipients present */
    bool    read_error;			/* I/O error, not damage */
} PICKUP_INFO;

extern void pickup_info_init(PICKUP_INFO *info);
extern void pickup_info_free(PICKUP_INFO *info);
extern bool pickup_check(VSTREAM *fp, PICKUP_INFO *info, VSTRING *why);
extern bool pickup_copy(VSTREAM *fp, VSTREAM *out, const ARGV *received,
			        VSTRING *why);
extern void pickup_received(ARGV *lines, const char *hostname,
			            const char *mail_name, long uid,
			            const char *queue_id, time_t when);
extern int pickup_cleanup_flags(const char *override, bool extract,
				        const char *utf8_classes);

#endif
