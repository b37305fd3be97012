/*
 * virtual - the virtual domain mail delivery agent
 *
 * SYNOPSIS
 *	virtual [generic daemon options]
 *
 * DESCRIPTION
 *	virtual(8) is a single_server(3) delivery agent, as Postfix's:
 *	it reads one delivery request from qmgr(8) per connection
 *	(docs/internals/delivery.md) and delivers each recipient to the
 *	mailbox that its full address names:
 *
 *	-  The address, folded to lower case, is looked up in
 *	   $virtual_mailbox_maps: first as is, then (fixed-string tables
 *	   only) without its $recipient_delimiter extension, then as
 *	   "@domain". Not found: bounced, 5.1.1 "unknown user:
 *	   \"<address>\"".
 *	-  The mailbox is $virtual_mailbox_base/<result>; a result that
 *	   ends in "/" is a maildir (virtual_maildir(3)), anything else a
 *	   UNIX mailbox file (virtual_mailbox(3)).
 *	-  The owner comes from $virtual_uid_maps and $virtual_gid_maps
 *	   (the same search order; e.g. "static:5000"), a decimal id; a
 *	   user id below $virtual_minimum_uid, or a value that is not a
 *	   number, or no value at all, is a configuration error: a
 *	   warning ("recipient <address>: bad uid <value> in
 *	   virtual_uid_maps", "recipient <address>: not found in
 *	   virtual_uid_maps", and the same for gid) and the recipient
 *	   deferred, 4.3.5 "mail system configuration error".
 *	-  The files are written with the owner's effective ids; files
 *	   grow at most to $virtual_mailbox_limit bytes (a process file
 *	   size limit, 0: none); the limit may not be smaller than
 *	   $message_size_limit (a fatal configuration error, as Postfix).
 *
 *	The status text is "delivered to mailbox" or "delivered to
 *	maildir" with relay=<service name>. A table lookup failure
 *	defers the recipient: 4.3.0 "<table> lookup failure".
 *
 *	As Debian's Postfix 3.7 virtual(8) does, no Delivered-To: loop
 *	check is made (local(8) and pipe(8) flags=D make one).
 *
 *	Every outcome passes $virtual_delivery_status_filter
 *	(dsn_filter(3)) before it is reported.
 *
 *	An address verification probe (DEL_REQ_FLAG_VERIFY) makes the
 *	same lookups but writes nothing: "delivers to mailbox" or
 *	"delivers to maildir" (logged as status=deliverable).
 *
 * DIAGNOSTICS
 *	Fatal: "configuration error: virtual_mailbox_limit is smaller
 *	than message_size_limit", a bad $virtual_mailbox_lock. Warnings
 *	as above, and those of maps(3).
 */
#include "sys_defs.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "dict.h"
#include "dsn.h"
#include "dsn_filter.h"
#include "mail_params.h"
#include "maps.h"
#include "mbox_lock.h"
#include "single_server.h"
#include "split_addr.h"
#include "virtual.h"

#define VIRTUAL_ID_DIGITS_MAX	10	/* fits a 32-bit id */

int     virtual_mailbox_lock_mask;

static MAPS *virtual_mailbox_maps;
static MAPS *virtual_uid_maps;
static MAPS *virtual_gid_maps;
static DSN_FILTER *virtual_dsn_filter;	/* $virtual_delivery_status_filter */

/* virtual_find - Postfix's table search order for a full address */
static const char *virtual_find(MAPS *maps, const char *address, bool *error)
{
    const char *result;
    const char *at = strrchr(address, '@');
    char   *stripped;
    char   *key;

    *error = false;
    if ((result = maps_find(maps, address, 0)) != 0)
	return result;
    if ((*error = maps->error != DICT_ERR_NONE))
	return 0;
    if ((stripped = strip_addr(address, VAR_STR(recipient_delimiter))) != 0) {
	result = maps_find(maps, stripped, DICT_FLAG_FIXED);
	myfree(stripped);
	if (result != 0)
	    return result;
	if ((*error = maps->error != DICT_ERR_NONE))
	    return 0;
    }
    if (at == 0)
	return 0;
    key = mystrdup(at);
    result = maps_find(maps, key, DICT_FLAG_FIXED);
    myfree(key);
    *error = result == 0 && maps->error != DICT_ERR_NONE;
    return result;
}

/* virtual_id - one numeric id from a uid or gid table */
static int virtual_id(MAPS *maps, const char *address, const char *kind,
		              long minimum, long *id, DSN_BUF *why)
{
    const char *value;
    bool    error;

    if ((value = virtual_find(maps, address, &error)) == 0) {
	if (error) {
	    dsb_simple(why, "4.3.0", "%s lookup failure", maps->title);
	    return -1;
	}
	msg_warn("recipient %s: not found in %s", address, maps->title);
	dsb_simple(why, "4.3.5", "mail system configuration error");
	return -1;
    }
    if (*value == 0 || !alldig(value) || strlen(value) > VIRTUAL_ID_DIGITS_MAX
	|| (*id = atol(value)) < minimum) {
	msg_warn("recipient %s: bad %s %s in %s", address, kind, value,
		 maps->title);
	dsb_simple(why, "4.3.5", "mail system configuration error");
	return -1;
    }
    return 0;
}

/* virtual_recipient - deliver one recipient; fill why */
static int virtual_recipient(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			             DSN_BUF *why)
{
    char   *address = lowercase(mystrdup(rcpt->address));
    const char *mailbox;
    VIRTUAL_USER user;
    long    uid;
    long    gid;
    bool    error;
    int     result = -1;
    char   *path = 0;

    if ((mailbox = virtual_find(virtual_mailbox_maps, address, &error)) == 0) {
	if (error)
	    dsb_simple(why, "4.3.0", "%s lookup failure",
		       virtual_mailbox_maps->title);
	else
	    dsb_simple(why, "5.1.1", "unknown user: \"%s\"", address);
	goto done;
    }
    path = concatenate(VAR_STR(virtual_mailbox_base), "/", mailbox,
		       (char *) 0);
    if (virtual_id(virtual_uid_maps, address, "uid",
		   VAR_INT(virtual_minimum_uid), &uid, why) != 0
	|| virtual_id(virtual_gid_maps, address, "gid", 1, &gid, why) != 0)
	goto done;
    user.path = path;
    user.uid = (uid_t) uid;
    user.gid = (gid_t) gid;
    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	dsb_simple(why, "2.0.0", "delivers to %s",
		   path[strlen(path) - 1] == '/' ? "maildir" : "mailbox");
	result = 0;
    } else if (path[strlen(path) - 1] == '/')
	result = virtual_maildir(req, rcpt, &user, why);
    else
	result = virtual_mailbox(req, rcpt, &user, why);

done:
    myfree(address);
    myfree(path);
    return result;
}

/* virtual_report - the outcome of one recipient */
static int virtual_report(DELIVER_REQUEST *req, RECIPIENT *rcpt,
			          const char *relay, DSN_BUF *why)
{
    const DSN *filtered;
    DSN     dsn;

    dsb_dsn(why, &dsn);
    if ((filtered = dsn_filter_lookup(virtual_dsn_filter, &dsn)) != 0)
	dsn = *filtered;
    switch (dsn.status[0]) {
    case '2':
	if (sent(req, rcpt, relay, &dsn) != 0)
	    return -1;
	break;
    case '5':
	if (bounce_append(req, rcpt, relay, &dsn) != 0)
	    return -1;
	break;
    default:
	return defer_append(req, rcpt, relay, &dsn);
    }
    deliver_completed(req, rcpt);
    return 0;
}

/* virtual_service - one delivery request */
static void virtual_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    DSN_BUF *why;
    int     status = DEL_STAT_OK;
    int     n;

    if (deliver_request_read(client, &req) < 0)
	return;
    why = dsb_create();
    for (n = 0; n < req->rcpt_list.len; n++) {
	RECIPIENT *rcpt = req->rcpt_list.info + n;

	if (req->fp == 0)
	    dsb_simple(why, "4.3.0", "queue file is missing");
	else
	    (void) virtual_recipient(req, rcpt, why);
	if (virtual_report(req, rcpt, service, why) != 0)
	    status = DEL_STAT_DEFER;
    }
    dsb_free(why);
    if (status != DEL_STAT_OK && req->reason == 0)
	req->reason = mystrdup("4.3.0 cannot record delivery status");
    (void) deliver_request_done(client, req, status);
}

/* virtual_post_init - tables, lock methods, the file size limit */
static void virtual_post_init(const char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);
    long    limit = VAR_INT(virtual_mailbox_limit);
    struct rlimit rl;
    int     dict_flags = DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX
	| DICT_FLAG_NO_REGSUB | DICT_FLAG_NO_PROXY;

    if ((virtual_mailbox_lock_mask =
	 mbox_lock_mask(VAR_STR(virtual_mailbox_lock), why)) < 0)
	msg_fatal("%s", vstring_str(why));
    if (limit > 0) {
	if (limit < VAR_INT(message_size_limit))
	    msg_fatal("configuration error: %s is smaller than %s",
		      PARAM_NAME(virtual_mailbox_limit),
		      PARAM_NAME(message_size_limit));
	rl.rlim_cur = rl.rlim_max = (rlim_t) limit;
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
	    msg_fatal("setrlimit RLIMIT_FSIZE %ld: %m", limit);
	signal(SIGXFSZ, SIG_IGN);
    }
    virtual_mailbox_maps = maps_create(PARAM_NAME(virtual_mailbox_maps),
				       VAR_STR(virtual_mailbox_maps),
				       dict_flags);
    virtual_uid_maps = maps_create(PARAM_NAME(virtual_uid_maps),
				   VAR_STR(virtual_uid_maps), dict_flags);
    virtual_gid_maps = maps_create(PARAM_NAME(virtual_gid_maps),
				   VAR_STR(virtual_gid_maps), dict_flags);
    virtual_dsn_filter =
	dsn_filter_create(PARAM_NAME(virtual_delivery_status_filter),
			  VAR_STR(virtual_delivery_status_filter));
    vstring_free(why);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_PRIVILEGED,
	.post_init = virtual_post_init,
    };

    single_server_main(argc, argv, virtual_service, &opts);
}
