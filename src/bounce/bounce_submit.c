/*
 * bounce_submit - queue one notification through cleanup(8)
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	int	bounce_submit(BOUNCE_NOTICE *notice,
 *				const BOUNCE_ORIGINAL *orig,
 *				const BOUNCE_LOG *log, VSTRING *new_id,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	bounce_submit() connects to public/$cleanup_service_name, takes
 *	the new queue ID from its greeting (notice->new_id points to it
 *	while the message is built: the Received: header names it),
 *	and sends the envelope and the content that
 *	bounce_notify_build() makes: a T record (now), A
 *	rewrite_context=local (so that cleanup adds Message-Id: and
 *	qualifies addresses), F (the null sender for notices to the
 *	sender, $double_bounce_sender for postmaster notices), the
 *	recipient notice->recipient with its DSN original recipient
 *	("rfc822;<address>", as Postfix records one), M, the content as
 *	L records (lines longer than QUEUE_FILE_LIMIT as P records), X
 *	and Z. The cleanup flags are CLEANUP_FLAG_MAP_OK, plus
 *	CLEANUP_FLAG_SMTPUTF8 when the original asked for SMTPUTF8, plus
 *	CLEANUP_FLAG_FILTER when $internal_mail_filter_classes names the
 *	notice's class (bounce, notify).
 *
 *	The result is cleanup's status (0: queued, the new ID in new_id),
 *	or CLEANUP_STAT_WRITE when cleanup could not be reached; why has
 *	the reason.
 *
 * DIAGNOSTICS
 *	Nothing is logged here; the caller reports.
 */
#include "sys_defs.h"

#include <string.h>
#include <sys/time.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "word_list.h"
#include "record_text.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "cleanup_client.h"
#include "bounce.h"

/* bounce_submit - queue one notification */
int     bounce_submit(BOUNCE_NOTICE *notice, const BOUNCE_ORIGINAL *orig,
		              const BOUNCE_LOG *log, VSTRING *new_id,
		              VSTRING *why)
{
    char   *endpoint = concatenate("public/", VAR_STR(cleanup_service_name),
				   (char *) 0);
    int     flags = CLEANUP_FLAG_MAP_OK;
    CLEANUP_CLIENT *client;
    VSTRING *text;
    VSTREAM *fp;
    struct timeval tv;
    const char *rcpt = notice->recipient;
    int     status;

    if ((orig->smtputf8 & QUEUE_FILE_UTF8_REQUESTED) != 0)
	flags |= CLEANUP_FLAG_SMTPUTF8;
    if (word_list_has(VAR_STR(internal_mail_filter_classes),
		      notice->kind == BOUNCE_KIND_FAILURE ?
		      "bounce" : "notify"))
	flags |= CLEANUP_FLAG_FILTER;
    if ((client = cleanup_client_open(endpoint, flags, why)) == 0) {
	myfree(endpoint);
	return (CLEANUP_STAT_WRITE);
    }
    myfree(endpoint);
    vstring_strcpy(new_id, cleanup_client_queue_id(client));
    notice->new_id = vstring_str(new_id);
    fp = cleanup_client_stream(client);

    gettimeofday(&tv, (struct timezone *) 0);
    record_fprintf(fp, REC_TYPE_TIME, "%ld.%06ld", (long) tv.tv_sec,
		   (long) tv.tv_usec);
    record_puts(fp, REC_TYPE_ATTR, "rewrite_context=local");
    record_puts(fp, REC_TYPE_FROM, notice->postmaster ?
		VAR_STR(double_bounce_sender) : "");
    record_fprintf(fp, REC_TYPE_DSN_ORCPT, "%s;%s",
		   allascii(rcpt) ? "rfc822" : "utf-8", rcpt);
    record_puts(fp, REC_TYPE_ORCP, rcpt);
    record_puts(fp, REC_TYPE_RCPT, rcpt);
    record_puts(fp, REC_TYPE_MESSAGE, "");

    text = vstring_alloc(4000);
    bounce_notify_build(text, notice, orig, log);
    record_text_put(fp, vstring_str(text), VSTRING_LEN(text));
    vstring_free(text);

    record_puts(fp, REC_TYPE_EXTRACT, "");
    record_puts(fp, REC_TYPE_END, "");
    status = cleanup_client_close(client, why);
    notice->new_id = 0;
    return (status);
}
