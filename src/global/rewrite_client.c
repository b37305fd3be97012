/*
 * rewrite_client - ask trivial-rewrite(8) to rewrite or resolve addresses
 *
 * SYNOPSIS
 *	See rewrite_client.h.
 *
 * DESCRIPTION
 *	The rewrite conversation of docs/internals/protocols.md: one
 *	connection, kept open between requests, greeted once with the
 *	protocol name; each request is answered by one reply.
 *
 *	The cache holds the REWRITE_CLIENT_CACHE most recent distinct
 *	answers of each kind of request (rewrite, resolve, resolve_verify,
 *	resolve_sender), the oldest replaced first. Answers with
 *	RESOLVE_FLAG_FAIL are not kept (the caller retries them later).
 *	The cache belongs to the connection: it is emptied whenever the
 *	connection is replaced, and before a cached answer is used the
 *	client checks (without waiting) that the service has not closed the
 *	connection, as it does when it exits after a configuration reload
 *	or after $max_idle; so no answer outlives the service process that
 *	gave it.
 *
 *	Time limits: each exchange (request and reply) has a deadline of
 *	$ipc_timeout, as has each connection set-up (connect and greeting).
 *
 *	A failure to connect, a timeout, a lost connection or a malformed
 *	reply closes the connection; the request is then sent once more on
 *	a new connection. A reply with a negative "status" (the service
 *	refused the request as not of its protocol) is not retried.
 *
 *	This module is not for use by threads; a process that forks should
 *	not use the connection in both processes.
 *
 * DIAGNOSTICS
 *	Warning, when a request fails twice or is refused:
 *	"rewrite service <endpoint>: <reason>", the reason being that of
 *	the last attempt ("connect to <path>: <error>", "timeout", "end of
 *	input", "unexpected protocol <name>", "missing attribute <name>",
 *	"request refused: <reason>", ...).
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "rewrite_proto.h"
#include "rewrite_client.h"

#define REWRITE_CLIENT_CACHE	16	/* answers per kind of request */

 /*
  * The kinds of request; each has its own cache.
  */
typedef enum REWRITE_KIND {
    REWRITE_KIND_REWRITE,
    REWRITE_KIND_RESOLVE,
    REWRITE_KIND_RESOLVE_VERIFY,
    REWRITE_KIND_RESOLVE_SENDER,
    REWRITE_KIND_COUNT,
} REWRITE_KIND;

 /*
  * One cached answer. The key is the two request values with a null
  * byte between them (rule and address, or sender and address).
  */
typedef struct REWRITE_ANSWER {
    VSTRING *key;
    int     flags;
    VSTRING *result[3];			/* address; transport, nexthop,
					 * recipient */
} REWRITE_ANSWER;

typedef struct REWRITE_CACHE {
    REWRITE_ANSWER answers[REWRITE_CLIENT_CACHE];
    size_t  used;			/* entries in use */
    size_t  next;			/* entry to replace next */
} REWRITE_CACHE;

static char *rewrite_client_endpoint;	/* NULL: private/rewrite */
static VSTREAM *rewrite_client_fp;	/* the connection, or NULL */
static REWRITE_CACHE rewrite_client_cache[REWRITE_KIND_COUNT];

/* rewrite_client_endpoint_name - the endpoint in use */
static const char *rewrite_client_endpoint_name(void)
{
    return rewrite_client_endpoint ? rewrite_client_endpoint :
	"private/" REWRITE_SERVICE;
}

/* rewrite_client_cache_clear - forget every answer */
static void rewrite_client_cache_clear(void)
{
    size_t  kind;

    for (kind = 0; kind < REWRITE_KIND_COUNT; kind++) {
	rewrite_client_cache[kind].used = 0;
	rewrite_client_cache[kind].next = 0;
    }
}

/* rewrite_client_disconnect - close the connection, empty the cache */
static void rewrite_client_disconnect(void)
{
    if (rewrite_client_fp != NULL) {
	(void) vstream_fclose(rewrite_client_fp);
	rewrite_client_fp = NULL;
    }
    rewrite_client_cache_clear();
}

/* rewrite_client_connect - a new connection, greeting checked */
static bool rewrite_client_connect(VSTRING *why)
{
    int     timeout = VAR_TIME(ipc_timeout);
    char   *path = mail_endpoint_path(rewrite_client_endpoint_name());
    ATTR_LIST *greeting;
    bool    ok;
    int     fd;

    rewrite_client_disconnect();
    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %m", path);
	myfree(path);
	return false;
    }
    rewrite_client_fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(rewrite_client_fp, path);
    myfree(path);
    vstream_set_timeout(rewrite_client_fp, timeout);
    vstream_start_deadline(rewrite_client_fp);
    greeting = attr_list_create();
    ok = attr_proto_expect(rewrite_client_fp, REWRITE_PROTO_NAME, greeting,
			   why);
    attr_list_free(greeting);
    if (!ok)
	rewrite_client_disconnect();
    return ok;
}

/* rewrite_client_alive - the connection exists, and no EOF is waiting */
static bool rewrite_client_alive(void)
{
    if (rewrite_client_fp == NULL)
	return false;
    /* The service never speaks first: readable means closed or broken. */
    if (vstream_peek(rewrite_client_fp) > 0
	|| readable(vstream_fileno(rewrite_client_fp))) {
	rewrite_client_disconnect();
	return false;
    }
    return true;
}

/* rewrite_client_cache_key - the two request values as one key */
static void rewrite_client_cache_key(VSTRING *key, const char *first,
				             const char *second)
{
    vstring_strcpy(key, first);
    VSTRING_ADDCH(key, 0);
    vstring_strcat(key, second);
}

/* rewrite_client_cache_find - a cached answer, or NULL */
static const REWRITE_ANSWER *rewrite_client_cache_find(REWRITE_KIND kind,
						            const VSTRING *key)
{
    REWRITE_CACHE *cache = rewrite_client_cache + kind;
    const REWRITE_ANSWER *answer;
    size_t  n;

    for (n = 0; n < cache->used; n++) {
	answer = cache->answers + n;
	if (VSTRING_LEN(answer->key) == VSTRING_LEN(key)
	    && memcmp(vstring_str(answer->key), vstring_str(key),
		      VSTRING_LEN(key)) == 0)
	    return answer;
    }
    return NULL;
}

/* rewrite_client_cache_add - remember an answer, replacing the oldest */
static REWRITE_ANSWER *rewrite_client_cache_add(REWRITE_KIND kind,
						        const VSTRING *key)
{
    REWRITE_CACHE *cache = rewrite_client_cache + kind;
    REWRITE_ANSWER *answer = cache->answers + cache->next;
    size_t  n;

    if (answer->key == NULL) {
	answer->key = vstring_alloc(100);
	for (n = 0; n < ARRAY_LEN(answer->result); n++)
	    answer->result[n] = vstring_alloc(100);
    }
    vstring_memcpy(answer->key, vstring_str(key), VSTRING_LEN(key));
    cache->next = (cache->next + 1) % REWRITE_CLIENT_CACHE;
    if (cache->used < REWRITE_CLIENT_CACHE)
	cache->used++;
    return answer;
}

/* rewrite_client_exchange - one request and reply on the connection */
static bool rewrite_client_exchange(const ATTR_LIST *request, ATTR_LIST *reply,
				            VSTRING *why, bool *refused)
{
    const char *reason = "";
    int     status = 0;
    ATTR_WANT want[] = {
	{ATTR_STATUS, ATTR_TYPE_INT, ATTR_OPTIONAL, &status},
	{ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
    };

    *refused = false;
    if (!rewrite_client_alive() && !rewrite_client_connect(why))
	return false;
    vstream_set_timeout(rewrite_client_fp, VAR_TIME(ipc_timeout));
    vstream_start_deadline(rewrite_client_fp);
    if (!attr_list_write(rewrite_client_fp, request)
	|| vstream_fflush(rewrite_client_fp) != 0) {
	vstring_sprintf(why, vstream_ftimeout(rewrite_client_fp) ?
			"timeout" : "write error: %m");
	rewrite_client_disconnect();
	return false;
    }
    if (!attr_list_read(rewrite_client_fp, reply, NULL, why)) {
	rewrite_client_disconnect();
	return false;
    }
    (void) attr_list_take(reply, want, ARRAY_LEN(want), NULL);
    if (status < 0) {
	vstring_sprintf(why, "request refused: %s", excerpt(reason));
	rewrite_client_disconnect();
	*refused = true;
	return false;
    }
    return true;
}

/* rewrite_client_call - a request, retried once on a new connection */
static bool rewrite_client_call(const ATTR_LIST *request, ATTR_LIST *reply,
				        const ATTR_WANT *want, size_t count)
{
    VSTRING *why = vstring_alloc(100);
    bool    refused = false;
    bool    ok = false;
    int     attempt;

    for (attempt = 0; attempt < 2 && !ok && !refused; attempt++) {
	VSTRING_RESET(why);
	if (!rewrite_client_exchange(request, reply, why, &refused))
	    continue;
	if (attr_list_take(reply, want, count, why))
	    ok = true;
	else
	    rewrite_client_disconnect();
    }
    if (!ok)
	msg_warn("rewrite service %s: %s", rewrite_client_endpoint_name(),
		 vstring_str(why));
    vstring_free(why);
    return ok;
}

/* rewrite_client_rewrite - rewrite address under rule */
bool    rewrite_client_rewrite(const char *rule, const char *address,
			               VSTRING *result)
{
    static VSTRING *key;
    const REWRITE_ANSWER *found;
    REWRITE_ANSWER *answer;
    ATTR_LIST *request;
    ATTR_LIST *reply;
    const char *new_address = NULL;
    int     flags = 0;
    ATTR_WANT want[] = {
	{REWRITE_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_REQUIRED, &flags},
	{REWRITE_ATTR_ADDRESS, ATTR_TYPE_STR, ATTR_REQUIRED, &new_address},
    };
    bool    ok;

    if (key == NULL)
	key = vstring_alloc(100);
    rewrite_client_cache_key(key, rule, address);
    if ((found = rewrite_client_cache_find(REWRITE_KIND_REWRITE, key)) != NULL
	&& rewrite_client_alive()) {
	vstring_strcpy(result, vstring_str(found->result[0]));
	return true;
    }
    request = attr_proto_request(REWRITE_PROTO_NAME, REWRITE_REQ_REWRITE);
    attr_list_add_str(request, REWRITE_ATTR_RULE, rule);
    attr_list_add_str(request, REWRITE_ATTR_ADDRESS, address);
    reply = attr_list_create();
    if ((ok = rewrite_client_call(request, reply, want, ARRAY_LEN(want))) == true) {
	vstring_strcpy(result, new_address);
	if ((flags & RESOLVE_FLAG_FAIL) == 0) {
	    answer = rewrite_client_cache_add(REWRITE_KIND_REWRITE, key);
	    answer->flags = flags;
	    vstring_strcpy(answer->result[0], new_address);
	}
    }
    attr_list_free(request);
    attr_list_free(reply);
    return ok;
}

/* resolve_reply_init - empty reply buffers */
void    resolve_reply_init(RESOLVE_REPLY *reply)
{
    reply->flags = 0;
    reply->transport = vstring_alloc(20);
    reply->nexthop = vstring_alloc(100);
    reply->recipient = vstring_alloc(100);
}

/* resolve_reply_free - release the reply buffers */
void    resolve_reply_free(RESOLVE_REPLY *reply)
{
    reply->transport = vstring_free(reply->transport);
    reply->nexthop = vstring_free(reply->nexthop);
    reply->recipient = vstring_free(reply->recipient);
}

/* rewrite_client_resolve_kind - the cache of a resolve request */
static REWRITE_KIND rewrite_client_resolve_kind(const char *request)
{
    if (strcmp(request, REWRITE_REQ_RESOLVE) == 0)
	return REWRITE_KIND_RESOLVE;
    if (strcmp(request, REWRITE_REQ_RESOLVE_VERIFY) == 0)
	return REWRITE_KIND_RESOLVE_VERIFY;
    if (strcmp(request, REWRITE_REQ_RESOLVE_SENDER) == 0)
	return REWRITE_KIND_RESOLVE_SENDER;
    msg_panic("rewrite_client_resolve: unknown request \"%s\"", request);
}

/* rewrite_client_resolve - resolve address with request */
bool    rewrite_client_resolve(const char *request, const char *sender,
			               const char *address, RESOLVE_REPLY *reply)
{
    static VSTRING *key;
    REWRITE_KIND kind = rewrite_client_resolve_kind(request);
    const REWRITE_ANSWER *found;
    REWRITE_ANSWER *answer;
    ATTR_LIST *attrs;
    ATTR_LIST *answer_attrs;
    const char *transport = NULL;
    const char *nexthop = NULL;
    const char *recipient = NULL;
    int     flags = 0;
    ATTR_WANT want[] = {
	{REWRITE_ATTR_FLAGS, ATTR_TYPE_INT, ATTR_REQUIRED, &flags},
	{REWRITE_ATTR_TRANSPORT, ATTR_TYPE_STR, ATTR_REQUIRED, &transport},
	{REWRITE_ATTR_NEXTHOP, ATTR_TYPE_STR, ATTR_REQUIRED, &nexthop},
	{REWRITE_ATTR_RECIPIENT, ATTR_TYPE_STR, ATTR_REQUIRED, &recipient},
    };
    bool    ok;

    if (sender == NULL)
	sender = "";
    if (key == NULL)
	key = vstring_alloc(100);
    rewrite_client_cache_key(key, sender, address);
    if ((found = rewrite_client_cache_find(kind, key)) != NULL
	&& rewrite_client_alive()) {
	reply->flags = found->flags;
	vstring_strcpy(reply->transport, vstring_str(found->result[0]));
	vstring_strcpy(reply->nexthop, vstring_str(found->result[1]));
	vstring_strcpy(reply->recipient, vstring_str(found->result[2]));
	return true;
    }
    attrs = attr_proto_request(REWRITE_PROTO_NAME, request);
    attr_list_add_str(attrs, REWRITE_ATTR_SENDER, sender);
    attr_list_add_str(attrs, REWRITE_ATTR_ADDRESS, address);
    answer_attrs = attr_list_create();
    if ((ok = rewrite_client_call(attrs, answer_attrs, want,
				  ARRAY_LEN(want))) == true) {
	reply->flags = flags;
	vstring_strcpy(reply->transport, transport);
	vstring_strcpy(reply->nexthop, nexthop);
	vstring_strcpy(reply->recipient, recipient);
	if ((flags & RESOLVE_FLAG_FAIL) == 0) {
	    answer = rewrite_client_cache_add(kind, key);
	    answer->flags = flags;
	    vstring_strcpy(answer->result[0], transport);
	    vstring_strcpy(answer->result[1], nexthop);
	    vstring_strcpy(answer->result[2], recipient);
	}
    }
    attr_list_free(attrs);
    attr_list_free(answer_attrs);
    return ok;
}

/* rewrite_client_set_endpoint - talk to another endpoint from now on */
void    rewrite_client_set_endpoint(const char *endpoint)
{
    rewrite_client_disconnect();
    myfree(rewrite_client_endpoint);
    rewrite_client_endpoint = endpoint ? mystrdup(endpoint) : NULL;
}

/* resolve_flag_names - the names of the bits in a flags word */
const char *resolve_flag_names(VSTRING *buf, int flags)
{
    static const struct {
	int     bit;
	const char *name;
    } names[] = {
	{RESOLVE_FLAG_FINAL, "final"}, {RESOLVE_FLAG_ROUTED, "routed"},
	{RESOLVE_FLAG_ERROR, "error"}, {RESOLVE_FLAG_FAIL, "fail"},
	{RESOLVE_CLASS_LOCAL, "local"}, {RESOLVE_CLASS_ALIAS, "alias"},
	{RESOLVE_CLASS_VIRTUAL, "virtual"}, {RESOLVE_CLASS_RELAY, "relay"},
	{RESOLVE_CLASS_DEFAULT, "default"},
    };
    size_t  n;

    VSTRING_RESET(buf);
    for (n = 0; n < sizeof(names) / sizeof(names[0]); n++)
	if (flags & names[n].bit)
	    vstring_sprintf_append(buf, "%s%s", VSTRING_LEN(buf) ? "," : "",
				   names[n].name);
    if (VSTRING_LEN(buf) == 0)
	vstring_strcpy(buf, "none");
    return vstring_str(buf);
}
