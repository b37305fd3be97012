/*
 * dict_proxy - lookup tables served by proxymap(8)
 *
 * DESCRIPTION
 *	See dict_proxy.h. The conversation is the "proxymap" protocol of
 *	docs/internals/protocols.md: the service greets each connection
 *	with {protocol=proxymap}; each request names the table and the
 *	client's flags, so that a new connection (after the service exited
 *	on $max_idle or $max_use) needs no state to be sent again.
 */
#include "sys_defs.h"
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "excerpt.h"
#include "connect.h"
#include "iostuff.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"
#include "mail_endpoint.h"
#include "attr_list.h"
#include "proxymap_proto.h"
#include "dict.h"
#include "dict_proxy.h"

 /*
  * One connection per service (proxymap, proxywrite), shared by every
  * proxy table of the process.
  */
typedef struct PROXY_CONN {
    bool    write;			/* proxywrite, else proxymap */
    VSTREAM *fp;			/* NULL: not connected */
} PROXY_CONN;

static PROXY_CONN proxy_read_conn = {false, NULL};
static PROXY_CONN proxy_write_conn = {true, NULL};

typedef struct DICT_PROXY {
    DICT    dict;
    char   *table;			/* type:name without proxy: */
    PROXY_CONN *conn;
    bool    opened;			/* the open request succeeded */
    VSTRING *key;			/* results of the last operation */
    VSTRING *value;
} DICT_PROXY;

/* Flags that the service needs to know; the rest are ours. */
#define DICT_PROXY_SENT_FLAGS \
	(DICT_FLAG_DUP_MASK | DICT_FLAG_FOLD_ANY | DICT_FLAG_UTF8_REQUEST \
	 | DICT_FLAG_NO_REGSUB | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_LOCK)

/* dict_proxy_service - the service name of a connection */
static const char *dict_proxy_service(const PROXY_CONN *conn)
{
    return conn->write ? VAR_STR(proxywrite_service_name) :
	VAR_STR(proxymap_service_name);
}

/* dict_proxy_strip - name without leading proxy: prefixes */
const char *dict_proxy_strip(const char *name)
{
    while (strncmp(name, PROXY_PREFIX, PROXY_PREFIX_LEN) == 0)
	name += PROXY_PREFIX_LEN;
    return name;
}

/* dict_proxy_request - a request that names a table */
ATTR_LIST *dict_proxy_request(const char *request, const char *table,
			              int dict_flags)
{
    ATTR_LIST *list = attr_proto_request(PROXYMAP_PROTO_NAME, request);

    attr_list_add_str(list, PROXY_ATTR_TABLE, table);
    attr_list_add_int(list, PROXY_ATTR_FLAGS, dict_flags & DICT_PROXY_SENT_FLAGS);
    return list;
}

/* dict_proxy_error - the dict error code of a reply status */
int     dict_proxy_error(int status)
{
    switch (status) {
    case PROXY_STAT_OK:
    case PROXY_STAT_NOKEY:
	return DICT_ERR_NONE;
    case PROXY_STAT_RETRY:
	return DICT_ERR_RETRY;
    default:
	return DICT_ERR_CONFIG;
    }
}

/* dict_proxy_disconnect - close a connection */
static void dict_proxy_disconnect(PROXY_CONN *conn)
{
    if (conn->fp != NULL) {
	(void) vstream_fclose(conn->fp);
	conn->fp = NULL;
    }
}

/* dict_proxy_connect - a new connection, greeting checked */
static bool dict_proxy_connect(PROXY_CONN *conn, VSTRING *why)
{
    int     timeout = VAR_TIME(ipc_timeout);
    VSTRING *endpoint = vstring_alloc(100);
    ATTR_LIST *greeting;
    char   *path;
    bool    ok;
    int     fd;

    dict_proxy_disconnect(conn);
    vstring_sprintf(endpoint, "private/%s", dict_proxy_service(conn));
    path = mail_endpoint_path(vstring_str(endpoint));
    vstring_free(endpoint);
    if ((fd = unix_connect(path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %m", path);
	myfree(path);
	return false;
    }
    conn->fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(conn->fp, path);
    myfree(path);
    vstream_set_timeout(conn->fp, timeout);
    vstream_start_deadline(conn->fp);
    greeting = attr_list_create();
    ok = attr_proto_expect(conn->fp, PROXYMAP_PROTO_NAME, greeting, why);
    attr_list_free(greeting);
    if (!ok)
	dict_proxy_disconnect(conn);
    return ok;
}

/* dict_proxy_alive - connected, and no EOF waiting */
static bool dict_proxy_alive(PROXY_CONN *conn)
{
    if (conn->fp == NULL)
	return false;
    /* The service never speaks first: readable means closed or broken. */
    if (vstream_peek(conn->fp) > 0 || readable(vstream_fileno(conn->fp))) {
	dict_proxy_disconnect(conn);
	return false;
    }
    return true;
}

/* dict_proxy_exchange - one request and reply on the connection */
static bool dict_proxy_exchange(PROXY_CONN *conn, const ATTR_LIST *request,
				        ATTR_LIST *reply, VSTRING *why)
{
    if (!dict_proxy_alive(conn) && !dict_proxy_connect(conn, why))
	return false;
    vstream_set_timeout(conn->fp, VAR_TIME(ipc_timeout));
    vstream_start_deadline(conn->fp);
    if (!attr_list_write(conn->fp, request) || vstream_fflush(conn->fp) != 0) {
	vstring_sprintf(why, vstream_ftimeout(conn->fp) ?
			"timeout" : "write error: %m");
	dict_proxy_disconnect(conn);
	return false;
    }
    if (!attr_list_read(conn->fp, reply, NULL, why)) {
	dict_proxy_disconnect(conn);
	return false;
    }
    return true;
}

/* dict_proxy_call - a request, retried once; returns the status or -1 */
static int dict_proxy_call(DICT_PROXY *dp, const ATTR_LIST *request,
			           ATTR_LIST *reply)
{
    VSTRING *why = vstring_alloc(100);
    int     status = -1;
    const char *reason = "";
    int     attempt;

    for (attempt = 0; attempt < 2; attempt++) {
	ATTR_WANT want[] = {
	    {PROXY_ATTR_STATUS, ATTR_TYPE_INT, ATTR_REQUIRED, &status},
	    {ATTR_REASON, ATTR_TYPE_STR, ATTR_OPTIONAL, &reason},
	};

	VSTRING_RESET(why);
	status = -1;
	if (!dict_proxy_exchange(dp->conn, request, reply, why))
	    continue;
	if (!attr_list_take(reply, want, ARRAY_LEN(want), why)) {
	    dict_proxy_disconnect(dp->conn);
	    continue;
	}
	if (status < 0) {
	    /* The service refused the conversation; do not insist. */
	    vstring_sprintf(why, "request refused: %s", excerpt(reason));
	    dict_proxy_disconnect(dp->conn);
	    break;
	}
	break;
    }
    if (status < 0)
	msg_warn("%s service: %s", dict_proxy_service(dp->conn),
		 vstring_str(why));
    vstring_free(why);
    return status;
}

/* dict_proxy_denied - an unapproved table is a configuration error */
static NORETURN dict_proxy_denied(DICT_PROXY *dp)
{
    msg_fatal("%s service is not configured for table \"%s\"",
	      dict_proxy_service(dp->conn), dp->table);
}

/* dict_proxy_check - common handling of a status; false: failed */
static bool dict_proxy_check(DICT_PROXY *dp, int status)
{
    switch (status) {
    case PROXY_STAT_OK:
    case PROXY_STAT_NOKEY:
	dp->dict.error = DICT_ERR_NONE;
	return true;
    case PROXY_STAT_DENY:
	dict_proxy_denied(dp);
    case PROXY_STAT_BAD:
	msg_warn("%s service: table %s: bad request",
		 dict_proxy_service(dp->conn), dp->table);
	dp->dict.error = DICT_ERR_CONFIG;
	return false;
    case -1:
	dp->dict.error = DICT_ERR_RETRY;
	return false;
    default:
	dp->dict.error = dict_proxy_error(status);
	return false;
    }
}

/* dict_proxy_open_request - learn the table's kind; false: not now */
static bool dict_proxy_open_request(DICT_PROXY *dp)
{
    ATTR_LIST *request;
    ATTR_LIST *reply;
    int     status;
    int     flags = 0;

    request = dict_proxy_request(PROXY_REQ_OPEN, dp->table, dp->dict.flags);
    reply = attr_list_create();
    status = dict_proxy_call(dp, request, reply);
    if (dict_proxy_check(dp, status)) {
	(void) attr_list_find_int(reply, PROXY_ATTR_FLAGS, &flags);
	dp->dict.flags &= ~(DICT_FLAG_FIXED | DICT_FLAG_PATTERN);
	dp->dict.flags |= flags & (DICT_FLAG_FIXED | DICT_FLAG_PATTERN);
	dp->opened = true;
    }
    attr_list_free(request);
    attr_list_free(reply);
    return dp->opened;
}

/* dict_proxy_ready - the table was opened, or is opened now */
static bool dict_proxy_ready(DICT_PROXY *dp)
{
    return dp->opened || dict_proxy_open_request(dp);
}

/* dict_proxy_lookup - look up a key */
static const char *dict_proxy_lookup(DICT *dict, const char *key)
{
    DICT_PROXY *dp = (DICT_PROXY *) dict;
    ATTR_LIST *request;
    ATTR_LIST *reply;
    const char *value;
    const char *result = NULL;
    int     status;

    if (!dict_proxy_ready(dp))
	return NULL;
    request = dict_proxy_request(PROXY_REQ_LOOKUP, dp->table, dict->flags);
    attr_list_add_str(request, PROXY_ATTR_KEY, key);
    reply = attr_list_create();
    status = dict_proxy_call(dp, request, reply);
    if (dict_proxy_check(dp, status) && status == PROXY_STAT_OK) {
	value = attr_list_find_str(reply, PROXY_ATTR_VALUE);
	vstring_strcpy(dp->value, value ? value : "");
	result = vstring_str(dp->value);
    }
    attr_list_free(request);
    attr_list_free(reply);
    return result;
}

/* dict_proxy_status - the dict_put/dict_del result of a status */
static int dict_proxy_status(DICT_PROXY *dp, int status)
{
    if (!dict_proxy_check(dp, status))
	return DICT_STAT_ERROR;
    return status == PROXY_STAT_OK ? DICT_STAT_SUCCESS : DICT_STAT_FAIL;
}

/* dict_proxy_change - an update (value) or delete (NULL) request */
static int dict_proxy_change(DICT *dict, const char *kind, const char *key,
			             const char *value)
{
    DICT_PROXY *dp = (DICT_PROXY *) dict;
    ATTR_LIST *request;
    ATTR_LIST *reply;
    int     result;

    if (!dict_proxy_ready(dp))
	return DICT_STAT_ERROR;
    request = dict_proxy_request(kind, dp->table, dict->flags);
    attr_list_add_str(request, PROXY_ATTR_KEY, key);
    if (value != NULL)
	attr_list_add_str(request, PROXY_ATTR_VALUE, value);
    reply = attr_list_create();
    result = dict_proxy_status(dp, dict_proxy_call(dp, request, reply));
    attr_list_free(request);
    attr_list_free(reply);
    return result;
}

/* dict_proxy_update - add or replace a key */
static int dict_proxy_update(DICT *dict, const char *key, const char *value)
{
    return dict_proxy_change(dict, PROXY_REQ_UPDATE, key, value);
}

/* dict_proxy_delete - remove a key */
static int dict_proxy_delete(DICT *dict, const char *key)
{
    return dict_proxy_change(dict, PROXY_REQ_DELETE, key, NULL);
}

/* dict_proxy_sequence - walk the table through the service */
static int dict_proxy_sequence(DICT *dict, int function, const char **key,
			               const char **value)
{
    DICT_PROXY *dp = (DICT_PROXY *) dict;
    ATTR_LIST *request;
    ATTR_LIST *reply;
    const char *found_key;
    const char *found_value;
    int     status;
    int     result;

    if (!dict_proxy_ready(dp))
	return DICT_STAT_ERROR;
    request = dict_proxy_request(PROXY_REQ_SEQUENCE, dp->table, dict->flags);
    attr_list_add_int(request, PROXY_ATTR_FUNCTION, function);
    reply = attr_list_create();
    status = dict_proxy_call(dp, request, reply);
    result = dict_proxy_status(dp, status);
    if (result == DICT_STAT_SUCCESS) {
	found_key = attr_list_find_str(reply, PROXY_ATTR_KEY);
	found_value = attr_list_find_str(reply, PROXY_ATTR_VALUE);
	vstring_strcpy(dp->key, found_key ? found_key : "");
	vstring_strcpy(dp->value, found_value ? found_value : "");
	*key = vstring_str(dp->key);
	*value = vstring_str(dp->value);
    }
    attr_list_free(request);
    attr_list_free(reply);
    return result;
}

/* dict_proxy_close - forget the table; the connection stays */
static void dict_proxy_close(DICT *dict)
{
    DICT_PROXY *dp = (DICT_PROXY *) dict;

    myfree(dp->table);
    vstring_free(dp->key);
    vstring_free(dp->value);
    dict_free(dict);
}

/* dict_proxy_open - open proxy:type:name */
DICT   *dict_proxy_open(const char *name, int open_flags, int dict_flags)
{
    const char *table = dict_proxy_strip(name);
    const char *colon = strchr(table, ':');
    DICT_PROXY *dp;

    if (colon == NULL || colon == table || colon[1] == 0)
	return dict_surrogate(DICT_TYPE_PROXY, name, open_flags, dict_flags,
			"open dictionary: expecting \"type:name\" form instead of \"%s\"",
			      excerpt(table));
    if (dict_flags & DICT_FLAG_NO_PROXY)
	return dict_open(table, open_flags, dict_flags);
    dp = (DICT_PROXY *) dict_alloc(DICT_TYPE_PROXY, name, sizeof(*dp));
    dp->table = mystrdup(table);
    dp->conn = (open_flags & (O_WRONLY | O_RDWR)) ?
	&proxy_write_conn : &proxy_read_conn;
    dp->key = vstring_alloc(100);
    dp->value = vstring_alloc(100);
    dp->dict.open_flags = open_flags;
    /* Until the service says otherwise, a fixed-string table. */
    dp->dict.flags = (dict_flags & ~DICT_FLAG_PATTERN) | DICT_FLAG_FIXED;
    dp->dict.lookup = dict_proxy_lookup;
    dp->dict.update = dict_proxy_update;
    dp->dict.delete = dict_proxy_delete;
    dp->dict.sequence = dict_proxy_sequence;
    dp->dict.close = dict_proxy_close;
    (void) dict_proxy_open_request(dp);
    return &dp->dict;
}
