/*
 * proxymap - lookup table access on behalf of other processes
 *
 * SYNOPSIS
 *	proxymap [generic daemon options]
 *
 * DESCRIPTION
 *	proxymap(8) is a multi_server(3) daemon behind private/proxymap
 *	(read-only service) and private/proxywrite (read-write service:
 *	the master.cf service name equals $proxywrite_service_name). It
 *	speaks the "proxymap" protocol of docs/internals/protocols.md: it
 *	greets each client with {protocol=proxymap} and then answers any
 *	number of open, lookup, update, delete and sequence requests, each
 *	naming its table as "type:name" with the client's dictionary
 *	flags.
 *
 *	Only tables listed as "proxy:type:name" in $proxy_read_maps (the
 *	read-only service) or $proxy_write_maps (the read-write service)
 *	are opened; any other gets the PROXY_STAT_DENY status and two
 *	warnings that say how to approve it. Tables are opened on first
 *	use (read-only, or read-write and created when missing) and stay
 *	open for all clients of the process; there is no close request.
 *	A table whose file changes makes the process exit after the
 *	current request (the skeleton watches dict_changed_name()), as do
 *	$max_use clients, $max_idle seconds without a client, and a
 *	reload. Tables are opened with DICT_FLAG_NO_PROXY, so that a
 *	proxy: table nested inside another one is opened directly rather
 *	than through this service again.
 *
 *	Each request is bounded (attribute values, count, nesting; see
 *	PROXYMAP_VALUE_LIMIT); a malformed one is answered with a refusal
 *	and the connection is closed.
 *
 *	Chrooted (master.cf chroot field y), the service can open only
 *	tables inside the queue directory: the default master.cf entries
 *	are not chrooted.
 *
 * DIAGNOSTICS
 *	Warnings: "request for unapproved table: \"type:name\"" followed
 *	by "to approve this table for read-only access, list
 *	proxy:type:name in main.cf:proxy_read_maps" (or read-write,
 *	proxy_write_maps); "<stream>: bad request: <reason>" for a
 *	malformed request. Table drivers log their own errors.
 */
#include "sys_defs.h"
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_params.h"
#include "attr_list.h"
#include "dict.h"
#include "dict_proxy.h"
#include "proxymap_proto.h"
#include "multi_server.h"

#define PROXYMAP_VALUE_LIMIT	(1024 * 1024)	/* bytes in a key or value */

/* Bounds of one request (docs/internals/protocols.md). */
static const ATTR_LIMITS proxymap_limits = {
    .value_limit = PROXYMAP_VALUE_LIMIT,
    .count_limit = 16,
    .depth_limit = 1,
};

/* Client flags that reach the table driver. */
#define PROXYMAP_CLIENT_FLAGS \
	(DICT_FLAG_DUP_MASK | DICT_FLAG_FOLD_ANY | DICT_FLAG_UTF8_REQUEST \
	 | DICT_FLAG_NO_REGSUB | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_LOCK)

static HTABLE *proxymap_approved;	/* type:name -> (unused) */
static bool proxymap_write;		/* the proxywrite service */

/* proxymap_approve - collect the proxy: tables of a parameter value */
static void proxymap_approve(const char *value)
{
    char   *saved = mystrdup(value);
    char   *bp = saved;
    const char *table;
    char   *item;

    while ((item = mystrtokq(&bp, ", \t\r\n", "{}")) != NULL) {
	if (strncmp(item, PROXY_PREFIX, PROXY_PREFIX_LEN) != 0)
	    continue;
	table = dict_proxy_strip(item);
	if (strchr(table, ':') != NULL && htable_locate(proxymap_approved,
							 table) == NULL)
	    (void) htable_enter(proxymap_approved, table, NULL);
    }
    myfree(saved);
}

/* proxymap_table - the open table of a request, or NULL with a status */
static DICT *proxymap_table(const char *table, int flags, int *status)
{
    DICT   *dict;
    int     open_flags;

    if (htable_locate(proxymap_approved, table) == NULL) {
	msg_warn("request for unapproved table: \"%s\"", excerpt(table));
	msg_warn("to approve this table for %s access, list %s%s in main.cf:%s",
		 proxymap_write ? "read-write" : "read-only", PROXY_PREFIX,
		 excerpt(table), proxymap_write ? "proxy_write_maps" :
		 "proxy_read_maps");
	*status = PROXY_STAT_DENY;
	return NULL;
    }
    flags = (flags & PROXYMAP_CLIENT_FLAGS) | DICT_FLAG_NO_PROXY;
    if (proxymap_write) {
	open_flags = O_RDWR | O_CREAT;
	flags |= DICT_FLAG_SYNC_UPDATE;
    } else {
	open_flags = O_RDONLY;
    }
    dict = dict_shared_open(table, open_flags, flags);
    *status = PROXY_STAT_OK;
    return dict;
}

/* proxymap_error_status - the reply status of a failed table operation */
static int proxymap_error_status(const DICT *dict)
{
    switch (dict->error) {
    case DICT_ERR_NONE:
	return PROXY_STAT_NOKEY;
    case DICT_ERR_RETRY:
	return PROXY_STAT_RETRY;
    default:
	return PROXY_STAT_CONFIG;
    }
}

/* proxymap_stat_status - the reply status of an update/delete result */
static int proxymap_stat_status(const DICT *dict, int stat)
{
    if (stat == DICT_STAT_SUCCESS)
	return PROXY_STAT_OK;
    if (stat == DICT_STAT_FAIL)
	return PROXY_STAT_NOKEY;
    return dict->error == DICT_ERR_RETRY ? PROXY_STAT_RETRY : PROXY_STAT_CONFIG;
}

/* proxymap_answer - perform one request on its table; false: malformed */
static bool proxymap_answer(const char *kind, DICT *dict,
			            const ATTR_LIST *request, ATTR_LIST *reply,
			            VSTRING *why)
{
    const char *key = NULL;
    const char *value = NULL;
    int     function = -1;
    int     stat;
    ATTR_WANT want[] = {
	{PROXY_ATTR_KEY, ATTR_TYPE_STR, ATTR_OPTIONAL, &key},
	{PROXY_ATTR_VALUE, ATTR_TYPE_STR, ATTR_OPTIONAL, &value},
	{PROXY_ATTR_FUNCTION, ATTR_TYPE_INT, ATTR_OPTIONAL, &function},
    };

    (void) attr_list_take(request, want, ARRAY_LEN(want), why);
    if (strcmp(kind, PROXY_REQ_OPEN) == 0) {
	attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_OK);
	attr_list_add_int(reply, PROXY_ATTR_FLAGS, dict->flags);
    } else if (strcmp(kind, PROXY_REQ_LOOKUP) == 0) {
	if (key == NULL) {
	    vstring_strcpy(why, "missing attribute " PROXY_ATTR_KEY);
	    return false;
	}
	if ((value = dict_get(dict, key)) != NULL) {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS, PROXY_STAT_OK);
	    attr_list_add_str(reply, PROXY_ATTR_VALUE, value);
	} else {
	    attr_list_add_int(reply, PROXY_ATTR_STATUS,
			      proxymap_error_status(dict));
	}
    } else if (strcmp(kind, PROXY_REQ_UPDATE) == 0
	       || strcmp(kind, PROXY_REQ_DELETE) == 0) {
	if (key == NULL || (kind[0] == 'u' && value == NULL)) {
	    vstring_sprintf(why, "missing attribute %s",
			    key == NULL ? PROXY_ATTR_KEY : PROXY_ATTR_VALUE);
	    return false;
	}
	if (!proxymap_write) {
	    vstring_sprintf(why, "%s request on the read-only service", kind);
	    return false;
	}
	stat = kind[0] == 'u' ? dict_put(dict, key, value) : dict_del(dict, key);
	attr_list_add_int(reply, PROXY_ATTR_STATUS,
			  proxymap_stat_status(dict, stat));
    } else if (strcmp(kind, PROXY_REQ_SEQUENCE) == 0) {
	if (function != DICT_SEQ_FUN_FIRST && function != DICT_SEQ_FUN_NEXT) {
	    vstring_sprintf(why, "bad sequence function %d", function);
	    return false;
	}
	stat = dict_seq(dict, function, &key, &value);
	attr_list_add_int(reply, PROXY_ATTR_STATUS,
			  proxymap_stat_status(dict, stat));
	if (stat == DICT_STAT_SUCCESS) {
	    attr_list_add_str(reply, PROXY_ATTR_KEY, key);
	    attr_list_add_str(reply, PROXY_ATTR_VALUE, value);
	}
    } else {
	vstring_sprintf(why, "unknown request \"%s\"", excerpt(kind));
	return false;
    }
    if (msg_verbose)
	msg_info("%s %s \"%s\" -> %s", kind, dict->name, key ? excerpt(key) : "",
		 value ? excerpt(value) : "(none)");
    return true;
}

/* proxymap_service - read and answer one request */
static void proxymap_service(VSTREAM *client, const char *service,
			             char **argv)
{
    static ATTR_LIST *request;
    static ATTR_LIST *reply;
    static VSTRING *why;
    const char *kind = NULL;
    const char *table = NULL;
    int     flags = 0;
    int     status;
    DICT   *dict;
    ATTR_WANT want[] = {
	{ATTR_REQUEST, ATTR_TYPE_STR, ATTR_REQUIRED, &kind},
	{PROXY_ATTR_TABLE, ATTR_TYPE_STR, ATTR_REQUIRED, &table},
	{PROXY_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_REQUIRED, &flags},
    };

    (void) service;
    (void) argv;
    if (request == NULL) {
	request = attr_list_create();
	reply = attr_list_create();
	why = vstring_alloc(100);
    }
    if (!multi_server_attr_read(client, request, &proxymap_limits,
				PROXYMAP_PROTO_NAME, why))
	return;
    if (!attr_list_take(request, want, ARRAY_LEN(want), why)) {
	multi_server_attr_refuse(client, vstring_str(why));
	return;
    }
    attr_list_clear(reply);
    if ((dict = proxymap_table(dict_proxy_strip(table), flags, &status)) == NULL) {
	attr_list_add_int(reply, PROXY_ATTR_STATUS, status);
    } else if (!proxymap_answer(kind, dict, request, reply, why)) {
	multi_server_attr_refuse(client, vstring_str(why));
	return;
    }
    multi_server_attr_reply(client, reply);
}

/* proxymap_greet - announce the protocol to a new client */
static void proxymap_greet(VSTREAM *client, const char *service, char **argv)
{
    (void) service;
    (void) argv;
    multi_server_attr_greet(client, PROXYMAP_PROTO_NAME);
}

/* proxymap_pre_init - the service kind and its approved tables */
static void proxymap_pre_init(const char *service, char **argv)
{
    (void) argv;
    proxymap_write = strcmp(service, VAR_STR(proxywrite_service_name)) == 0;
    proxymap_approved = htable_create(13);
    proxymap_approve(proxymap_write ? VAR_STR(proxy_write_maps) :
		     VAR_STR(proxy_read_maps));
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = proxymap_pre_init,
	.post_accept = proxymap_greet,
    };

    multi_server_main(argc, argv, proxymap_service, &opts);
}
