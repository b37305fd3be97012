/*
 * verify - the address verification server
 *
 * SYNOPSIS
 *	verify [generic daemon options]
 *
 * DESCRIPTION
 *	verify(8) keeps what is known about the deliverability of
 *	addresses (docs/man/man8/verify.8; the protocol and the cache
 *	entry are docs/internals/delivery.md, section 7). It is a
 *	multi_server(3) daemon on private/$address_verify_service_name,
 *	one process (master.cf process limit 1).
 *
 *	query: the entry of the address is looked up in the cache
 *	($address_verify_map, or an in-memory table when that is empty)
 *	and decided by verify_entry_query(); when a probe is due it is
 *	sent (verify_probe_send()) and the entry stored with the probe's
 *	time, so that one probe at a time goes out per address. The reply
 *	is the entry's status and text ("Address verification in
 *	progress" for an address without an answer yet).
 *
 *	update: the outcome of a probe, from the delivery agents
 *	(bounce_client(3)): status 0 (deliverable), 1 (temporary failure)
 *	or 2 (failure) and the text "<dsn> <reason>". A failure is stored
 *	only when $address_verify_negative_cache is on or a probe is in
 *	flight (the querying client is waiting for it).
 *
 *	A query whose table lookup fails is refused (status -1: smtpd
 *	answers with its temporary reply) rather than probed.
 *
 *	The table is opened before the process gives up root, as
 *	$mail_owner (the file lives under $data_directory), and created
 *	when missing. Every $address_verify_cache_cleanup_interval (0:
 *	never), starting at once, expired entries (and unreadable ones) are
 *	removed, at most VERIFY_CLEANUP_LIMIT per run, and
 *	"cache <map> full cleanup: retained=<n> dropped=<n> entries" is
 *	logged, as Postfix does.
 *
 *	What it does not do: Postfix's incremental ("partial") cleanup
 *	runs. $address_verify_pending_request_limit is enforced by
 *	Postfix's qmgr (tempfailing probes beyond it), which ours does not
 *	do yet; here probes are limited to one per address per
 *	VERIFY_PROBE_TTL (1000) seconds.
 *
 * DIAGNOSTICS
 *	Warnings: "bad address verification cache entry for <addr>:
 *	<reason>" (the entry counts as absent), "probe for <addr> failed:
 *	<reason>", "cannot update cache <map> for <addr>", bad requests
 *	(refused with status -1). Fatal: the table cannot be opened.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "events.h"
#include "excerpt.h"
#include "mypwd.h"
#include "set_eugid.h"
#include "stringops.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_params.h"
#include "attr_list.h"
#include "dict.h"
#include "dict_ht.h"
#include "verify_clnt.h"
#include "multi_server.h"
#include "verify_entry.h"
#include "verify.h"

/* A probe without an answer blocks new probes of its address this long. */
#define VERIFY_PROBE_TTL	1000

/* Entries dropped by one cleanup run, at most (the rest go next time). */
#define VERIFY_CLEANUP_LIMIT	100000

/* Bounds of one request. */
static const ATTR_LIMITS verify_limits = {
    .value_limit = VERIFY_ADDRESS_LIMIT + VERIFY_TEXT_LIMIT,
    .count_limit = 8,
    .depth_limit = 1,
};

static DICT *verify_map;
static char *verify_map_name;		/* type:name for the log */
static VERIFY_POLICY verify_policy;

/* verify_cache_get - the entry of an address; false: none (or bad) */
static bool verify_cache_get(const char *address, VERIFY_ENTRY *entry,
			             VSTRING *copy, bool *failed)
{
    VSTRING *why;
    const char *value;
    bool    ok;

    *failed = false;
    if ((value = dict_get(verify_map, address)) == 0) {
	if (verify_map->error != DICT_ERR_NONE) {
	    msg_warn("%s: lookup of %s failed", verify_map_name,
		     excerpt(address));
	    *failed = true;
	}
	return (false);
    }
    /* The value is valid until the next table operation: keep a copy. */
    vstring_strcpy(copy, value);
    why = vstring_alloc(50);
    if (!(ok = verify_entry_parse(entry, vstring_str(copy), why)))
	msg_warn("bad address verification cache entry for %s: %s",
		 excerpt(address), vstring_str(why));
    vstring_free(why);
    return (ok);
}

/* verify_cache_put - store the entry of an address */
static void verify_cache_put(const char *address, const VERIFY_ENTRY *entry)
{
    VSTRING *value = vstring_alloc(100);

    verify_entry_format(value, entry);
    if (dict_put(verify_map, address, vstring_str(value)) != DICT_STAT_SUCCESS)
	msg_warn("cannot update cache %s for %s", verify_map_name,
		 excerpt(address));
    vstring_free(value);
}

/* verify_query - answer a query, probing when due */
static void verify_query(const char *address, ATTR_LIST *reply)
{
    VSTRING *copy = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    VERIFY_ENTRY entry;
    long    now = (long) time((time_t *) 0);
    bool    failed;
    bool    found = verify_cache_get(address, &entry, copy, &failed);
    int     status;
    const char *text;

    if (failed) {
	/* No probe storm while the table is broken: a temporary answer. */
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "cache lookup failed");
	vstring_free(copy);
	vstring_free(why);
	return;
    }
    if (verify_entry_query(&verify_policy, &entry, found, now, &status,
			   &text)) {
	if (verify_probe_send(address, why))
	    verify_cache_put(address, &entry);
	else
	    msg_warn("probe for %s failed: %s", excerpt(address),
		     vstring_str(why));
    }
    if (msg_verbose)
	msg_info("query %s: status=%d text=%s", excerpt(address), status,
		 excerpt(text));
    attr_list_add_int(reply, ATTR_STATUS, 0);
    attr_list_add_int(reply, VERIFY_ATTR_ADDR_STATUS, status);
    attr_list_add_str(reply, VERIFY_ATTR_TEXT, text);
    vstring_free(copy);
    vstring_free(why);
}

/* verify_update - record a probe's outcome */
static void verify_update(const char *address, int status, const char *text,
			          ATTR_LIST *reply)
{
    VSTRING *copy = vstring_alloc(100);
    VERIFY_ENTRY entry;
    long    now = (long) time((time_t *) 0);
    bool    failed;
    bool    found = verify_cache_get(address, &entry, copy, &failed);
    bool    waited = found && entry.probed != 0;

    if (msg_verbose)
	msg_info("update %s: status=%d text=%s", excerpt(address), status,
		 excerpt(text));
    if (status == VERIFY_ADDR_OK || verify_policy.negative_cache || waited) {
	if (verify_entry_update(&verify_policy, &entry, found, status, text,
				now))
	    verify_cache_put(address, &entry);
    }
    attr_list_add_int(reply, ATTR_STATUS, 0);
    vstring_free(copy);
}

/* verify_check_address - an address fit for a key; false: why */
static bool verify_check_address(const char *address, VSTRING *why)
{
    if (*address == 0) {
	vstring_strcpy(why, "empty address");
	return (false);
    }
    if (strlen(address) > VERIFY_ADDRESS_LIMIT) {
	vstring_sprintf(why, "address longer than %d bytes",
			VERIFY_ADDRESS_LIMIT);
	return (false);
    }
    if (strpbrk(address, "\n\r") != 0) {
	vstring_strcpy(why, "address with a line break");
	return (false);
    }
    return (true);
}

/* verify_service - read and answer one request */
static void verify_service(VSTREAM *client, const char *service, char **argv)
{
    static ATTR_LIST *request;
    static ATTR_LIST *reply;
    static VSTRING *why;
    const char *kind = 0;
    const char *address = 0;
    const char *text = "";
    int     status = -1;
    ATTR_WANT want[] = {
	{ATTR_REQUEST, ATTR_TYPE_STR, ATTR_REQUIRED, &kind},
	{VERIFY_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &address},
	{VERIFY_ATTR_ADDR_STATUS, ATTR_TYPE_INT, ATTR_OPTIONAL, &status},
	{VERIFY_ATTR_TEXT, ATTR_TYPE_STR, ATTR_OPTIONAL, &text},
    };

    (void) service;
    (void) argv;
    if (request == 0) {
	request = attr_list_create();
	reply = attr_list_create();
	why = vstring_alloc(100);
    }
    if (!multi_server_attr_read(client, request, &verify_limits,
				VERIFY_PROTO_NAME, why))
	return;
    if (!attr_list_take(request, want, ARRAY_LEN(want), why)
	|| !verify_check_address(address, why)) {
	multi_server_attr_refuse(client, vstring_str(why));
	return;
    }
    attr_list_clear(reply);
    if (strcmp(kind, VERIFY_REQ_QUERY) == 0) {
	verify_query(address, reply);
    } else if (strcmp(kind, VERIFY_REQ_UPDATE) == 0
	       && status >= VERIFY_ADDR_OK && status < VERIFY_ADDR_PENDING
	       && strlen(text) <= VERIFY_TEXT_LIMIT
	       && strpbrk(text, "\n\r") == 0) {
	verify_update(address, status, text, reply);
    } else {
	msg_warn("bad %s request for %s: status=%d", excerpt(kind),
		 excerpt(address), status);
	attr_list_add_int(reply, ATTR_STATUS, -1);
	attr_list_add_str(reply, ATTR_REASON, "bad request");
    }
    multi_server_attr_reply(client, reply);
}

/* verify_cleanup_run - remove expired entries; log the counts */
static void verify_cleanup_run(int event, void *context)
{
    ARGV   *expired = argv_alloc(10);
    VSTRING *copy = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    VERIFY_ENTRY entry;
    const char *key;
    const char *value;
    long    now = (long) time((time_t *) 0);
    long    retained = 0;
    int     func = DICT_SEQ_FUN_FIRST;
    size_t  i;

    (void) event;
    while (dict_seq(verify_map, func, &key, &value) == DICT_STAT_SUCCESS) {
	func = DICT_SEQ_FUN_NEXT;
	vstring_strcpy(copy, value);
	if (expired->argc < VERIFY_CLEANUP_LIMIT
	    && (!verify_entry_parse(&entry, vstring_str(copy), why)
		|| verify_entry_expired(&verify_policy, &entry, now)))
	    argv_add(expired, key, (char *) 0);
	else
	    retained++;
    }
    /* Deleted after the walk: a table need not support both at once. */
    for (i = 0; i < expired->argc; i++)
	if (dict_del(verify_map, expired->argv[i]) == DICT_STAT_ERROR)
	    msg_warn("cannot delete %s from cache %s",
		     excerpt(expired->argv[i]), verify_map_name);
    msg_info("cache %s full cleanup: retained=%ld dropped=%ld entries",
	     verify_map_name, retained, (long) expired->argc);
    argv_free(expired);
    vstring_free(copy);
    vstring_free(why);
    events_request_timer(verify_cleanup_run, context,
			 (int) VAR_TIME(address_verify_cache_cleanup_interval));
}

/* verify_pre_init - the cache, opened as $mail_owner when root */
static void verify_pre_init(const char *service, char **argv)
{
    const char *map = VAR_STR(address_verify_map);
    int     flags = DICT_FLAG_DUP_REPLACE | DICT_FLAG_LOCK
    | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_OPEN_FATAL;
    uid_t   saved_uid = geteuid();
    gid_t   saved_gid = getegid();
    MYPWD  *pwd = 0;

    (void) service;
    (void) argv;
    map += strspn(map, " \t\r\n");
    if (*map == 0) {
	verify_map = dict_open3(DICT_TYPE_HT, "verify", O_CREAT | O_RDWR,
				flags);
	verify_map_name = concatenate(DICT_TYPE_HT, ":verify", (char *) 0);
	return;
    }
    if (saved_uid == 0) {
	if ((pwd = mypwnam(VAR_STR(mail_owner))) == 0)
	    msg_fatal("unknown mail_owner \"%s\"",
		      excerpt(VAR_STR(mail_owner)));
	set_eugid(pwd->pw_uid, pwd->pw_gid);
    }
    verify_map = dict_open(map, O_CREAT | O_RDWR, flags);
    if (pwd != 0) {
	set_eugid(saved_uid, saved_gid);
	mypwfree(pwd);
    }
    verify_map_name = mystrdup(map);
}

/* verify_post_init - the policy, and the first cleanup run */
static void verify_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    verify_policy.positive_expire = VAR_TIME(address_verify_positive_expire_time);
    verify_policy.positive_refresh = VAR_TIME(address_verify_positive_refresh_time);
    verify_policy.negative_expire = VAR_TIME(address_verify_negative_expire_time);
    verify_policy.negative_refresh = VAR_TIME(address_verify_negative_refresh_time);
    verify_policy.negative_cache = VAR_BOOL(address_verify_negative_cache);
    verify_policy.probe_ttl = VERIFY_PROBE_TTL;
    if (verify_policy.positive_refresh > verify_policy.positive_expire)
	msg_warn("address_verify_positive_refresh_time is larger than "
		 "address_verify_positive_expire_time");
    if (verify_policy.negative_refresh > verify_policy.negative_expire)
	msg_warn("address_verify_negative_refresh_time is larger than "
		 "address_verify_negative_expire_time");
    if (VAR_TIME(address_verify_cache_cleanup_interval) > 0)
	events_request_timer(verify_cleanup_run, 0, 0);
}

/* verify_greet - announce the protocol to a new client */
static void verify_greet(VSTREAM *client, const char *service, char **argv)
{
    (void) service;
    (void) argv;
    multi_server_attr_greet(client, VERIFY_PROTO_NAME);
}

/* verify_on_exit - close the table */
static void verify_on_exit(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    if (verify_map != 0) {
	dict_close(verify_map);
	verify_map = 0;
    }
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_SOLITARY | MAIL_SERVER_FLAG_NO_USE_LIMIT,
	.pre_init = verify_pre_init,
	.post_init = verify_post_init,
	.post_accept = verify_greet,
	.on_exit = verify_on_exit,
    };

    multi_server_main(argc, argv, verify_service, &opts);
}
