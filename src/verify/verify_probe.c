/*
 * verify_probe - send an address verification probe through cleanup(8)
 *
 * SYNOPSIS
 *	#include "verify.h"
 *
 *	bool	verify_probe_send(const char *address, VSTRING *why);
 *	void	verify_probe_sender(VSTRING *buf, long now);
 *
 * DESCRIPTION
 *	verify_probe_send() queues one probe message for address: it
 *	connects to public/$cleanup_service_name (request flag
 *	CLEANUP_FLAG_MAP_OK: canonical and virtual alias mapping apply,
 *	as to real mail; CLEANUP_FLAG_UTF8_DETECT when smtputf8_enable is
 *	on and $smtputf8_autodetect_classes names "verify" or "all") and writes a T record (now), the attributes
 *	rewrite_context=local (cleanup qualifies the sender and adds the
 *	Date:, Message-Id: and From: headers to the content, as
 *	Postfix's probes have) and trace_flags=256 (the probe mark that
 *	qmgr(8) turns into DEL_REQ_FLAG_VERIFY | DEL_REQ_FLAG_MTA_VERIFY),
 *	the sender, the DSN original recipient "rfc822;<address>" ("utf-8;" when
 *	it is not ASCII), the
 *	original recipient and the recipient (the agents report under the
 *	original address, which is the address queried), then a content
 *	of one header, "Received: by $myhostname ($mail_name) id <queue
 *	ID>; <date>", as Postfix's probes have. It returns true when cleanup queued the probe, false with
 *	the reason in why.
 *
 *	verify_probe_sender() is the probe's sender: $address_verify_sender
 *	("" or "<>": the null sender). With $address_verify_sender_ttl
 *	not zero, a time-dependent part is appended to the local part: the
 *	number now / ttl in base 32 (digits 0-9A-V), so that the sender
 *	changes every ttl seconds and harvested addresses go stale.
 *	Postfix does the same with its own encoding: the strings differ.
 *
 * DIAGNOSTICS
 *	None here; the caller logs the reason.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "record.h"
#include "rec_type.h"
#include "cleanup_client.h"
#include "mail_date.h"
#include "verify.h"

#define VERIFY_PROBE_TRACE_FLAGS	256	/* as Postfix's probes */

/* verify_probe_sender - the probe's sender address */
void    verify_probe_sender(VSTRING *buf, long now)
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUV";
    const char *sender = VAR_STR(address_verify_sender);
    long    ttl = VAR_TIME(address_verify_sender_ttl);
    const char *at;
    char    stamp[32];
    size_t  len = 0;
    unsigned long value;

    if (strcmp(sender, "<>") == 0 || *sender == 0) {
	VSTRING_RESET(buf);
	VSTRING_TERMINATE(buf);
	return;
    }
    if (ttl <= 0) {
	vstring_strcpy(buf, sender);
	return;
    }
    value = (unsigned long) (now > 0 ? now : 0) / (unsigned long) ttl;
    do {
	stamp[len++] = digits[value % 32];
	value /= 32;
    } while (value != 0 && len < sizeof(stamp));
    at = strrchr(sender, '@');
    vstring_strncpy(buf, sender, at ? (size_t) (at - sender) : strlen(sender));
    while (len > 0)
	VSTRING_ADDCH(buf, stamp[--len]);
    VSTRING_TERMINATE(buf);
    if (at)
	vstring_strcat(buf, at);
}

/* verify_probe_flags - cleanup request flags for a probe */
static int verify_probe_flags(void)
{
    int     flags = CLEANUP_FLAG_MAP_OK;
    char   *saved;
    char   *bp;
    char   *word;

    if (!VAR_BOOL(smtputf8_enable))
	return (flags);
    bp = saved = mystrdup(VAR_STR(smtputf8_autodetect_classes));
    while ((word = mystrtok(&bp, ", \t\r\n")) != 0)
	if (strcasecmp(word, "verify") == 0 || strcasecmp(word, "all") == 0)
	    flags |= CLEANUP_FLAG_UTF8_DETECT;
    myfree(saved);
    return (flags);
}

/* verify_probe_send - queue one probe message */
bool    verify_probe_send(const char *address, VSTRING *why)
{
    VSTRING *endpoint = vstring_alloc(50);
    VSTRING *sender = vstring_alloc(50);
    VSTRING *date = vstring_alloc(50);
    CLEANUP_CLIENT *client;
    struct timeval tv;
    VSTREAM *fp;
    int     status;

    gettimeofday(&tv, (struct timezone *) 0);
    vstring_sprintf(endpoint, "public/%s", VAR_STR(cleanup_service_name));
    client = cleanup_client_open(vstring_str(endpoint), verify_probe_flags(),
				 why);
    vstring_free(endpoint);
    if (client == 0) {
	vstring_free(sender);
	vstring_free(date);
	return (false);
    }
    verify_probe_sender(sender, (long) tv.tv_sec);
    fp = cleanup_client_stream(client);
    record_fprintf(fp, REC_TYPE_TIME, "%ld.%06ld", (long) tv.tv_sec,
		   (long) tv.tv_usec);
    record_puts(fp, REC_TYPE_ATTR, "rewrite_context=local");
    record_fprintf(fp, REC_TYPE_ATTR, "trace_flags=%d",
		   VERIFY_PROBE_TRACE_FLAGS);
    record_puts(fp, REC_TYPE_FROM, vstring_str(sender));
    record_fprintf(fp, REC_TYPE_DSN_ORCPT, "%s;%s",
		   allascii(address) ? "rfc822" : "utf-8", address);
    record_puts(fp, REC_TYPE_ORCP, address);
    record_puts(fp, REC_TYPE_RCPT, address);
    record_puts(fp, REC_TYPE_MESSAGE, "");
    /* As Postfix's probes: a Received: header; cleanup adds the rest. */
    record_fprintf(fp, REC_TYPE_LINE, "Received: by %s (%s)",
		   VAR_STR(myhostname), VAR_STR(mail_name));
    record_fprintf(fp, REC_TYPE_LINE, "\tid %s; %s",
		   cleanup_client_queue_id(client),
		   vstring_str(mail_date(date, tv.tv_sec)));
    record_puts(fp, REC_TYPE_EXTRACT, "");
    record_puts(fp, REC_TYPE_END, "");
    status = cleanup_client_close(client, why);
    vstring_free(sender);
    vstring_free(date);
    if (status != 0 && VSTRING_LEN(why) == 0)
	vstring_sprintf(why, "cleanup status 0x%x", (unsigned) status);
    return (status == 0);
}
