/*
 * nbdb_proto - the request protocol of the nbdb_reindexd service
 *
 * DESCRIPTION
 *	See nbdb_proto.h and docs/internals/protocols.md.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "connect.h"
#include "iostuff.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "vstring_vstream.h"
#include "nbdb_proto.h"

/* nbdb_proto_name_ok - lower-case letters and "_", not too long */
static bool nbdb_proto_name_ok(const char *name, size_t len)
{
    size_t  n;

    if (len == 0 || len > NBDB_PROTO_NAME_LIMIT)
	return false;
    for (n = 0; n < len; n++)
	if (!((name[n] >= 'a' && name[n] <= 'z') || name[n] == '_'))
	    return false;
    return true;
}

/* nbdb_proto_read - read one message */
bool    nbdb_proto_read(VSTREAM *fp, ARGV *attrs, VSTRING *why)
{
    VSTRING *line = vstring_alloc(100);
    const char *eq;
    bool    ok = false;

    argv_truncate(attrs, 0);
    for (;;) {
	if (vstring_get_nonl_bound(line, fp, NBDB_PROTO_LINE_LIMIT) != '\n') {
	    if (vstream_ftimeout(fp))
		vstring_sprintf(why, "timeout");
	    else if (vstream_ferror(fp) || VSTRING_LEN(line) == 0)
		vstring_sprintf(why, "connection closed");
	    else
		vstring_sprintf(why, "line too long or incomplete");
	    break;
	}
	if (VSTRING_LEN(line) == 0) {
	    ok = true;
	    break;
	}
	if (strlen(vstring_str(line)) != VSTRING_LEN(line)) {
	    vstring_sprintf(why, "null byte in message");
	    break;
	}
	if ((eq = strchr(vstring_str(line), '=')) == NULL
	    || !nbdb_proto_name_ok(vstring_str(line), eq - vstring_str(line))) {
	    vstring_sprintf(why, "malformed attribute");
	    break;
	}
	if (attrs->argc >= NBDB_PROTO_ATTR_LIMIT) {
	    vstring_sprintf(why, "too many attributes");
	    break;
	}
	argv_add(attrs, vstring_str(line), ARGV_END);
    }
    vstring_free(line);
    return ok;
}

/* nbdb_proto_get - the value of an attribute, or NULL */
const char *nbdb_proto_get(const ARGV *attrs, const char *name)
{
    size_t  len = strlen(name);
    size_t  n;

    for (n = 0; n < attrs->argc; n++)
	if (strncmp(attrs->argv[n], name, len) == 0 && attrs->argv[n][len] == '=')
	    return attrs->argv[n] + len + 1;
    return NULL;
}

/* nbdb_proto_no_controls - replace control characters, keep UTF-8 */
static void nbdb_proto_no_controls(char *text)
{
    unsigned char *cp;

    for (cp = (unsigned char *) text; *cp; cp++)
	if (*cp < 0x20 || *cp == 0x7f)
	    *cp = '?';
}

/* nbdb_proto_write - write one message and flush */
bool    nbdb_proto_write(VSTREAM *fp, const char *name,...)
{
    VSTRING *value_buf = vstring_alloc(100);
    const char *value;
    size_t  room;
    va_list ap;

    va_start(ap, name);
    for (; name != NULL; name = va_arg(ap, const char *)) {
	value = va_arg(ap, const char *);
	vstring_strcpy(value_buf, value);
	/* The line, "=" and newline included, fits the limit. */
	room = NBDB_PROTO_LINE_LIMIT - strlen(name) - 2;
	if (VSTRING_LEN(value_buf) > room)
	    vstring_truncate(value_buf, room);
	nbdb_proto_no_controls(vstring_str(value_buf));
	vstream_fprintf(fp, "%s=%s\n", name, vstring_str(value_buf));
    }
    va_end(ap);
    vstream_fputs("\n", fp);
    vstring_free(value_buf);
    return vstream_fflush(fp) == 0;
}

/* nbdb_proto_exchange - the client side of one request */
static bool nbdb_proto_exchange(VSTREAM *fp, const char *table, VSTRING *why)
{
    ARGV   *attrs = argv_alloc(4);
    const char *value;
    bool    ok = false;

    if (!nbdb_proto_read(fp, attrs, why))
	/* why is set */ ;
    else if ((value = nbdb_proto_get(attrs, NBDB_ATTR_PROTOCOL)) == NULL
	     || strcmp(value, NBDB_PROTO_NAME) != 0)
	vstring_sprintf(why, "unexpected greeting");
    else if (!nbdb_proto_write(fp, NBDB_ATTR_REQUEST, NBDB_REQUEST_REINDEX,
			       NBDB_ATTR_TABLE, table, (char *) 0))
	vstring_sprintf(why, "write error: %m");
    else if (!nbdb_proto_read(fp, attrs, why))
	/* why is set */ ;
    else if ((value = nbdb_proto_get(attrs, NBDB_ATTR_STATUS)) == NULL)
	vstring_sprintf(why, "reply without status");
    else if (strcmp(value, NBDB_STATUS_OK) == 0)
	ok = true;
    else if ((value = nbdb_proto_get(attrs, NBDB_ATTR_REASON)) != NULL)
	vstring_strcpy(why, value);
    else
	vstring_sprintf(why, "request failed for an unknown reason");
    argv_free(attrs);
    return ok;
}

/* nbdb_proto_request - ask the service to rebuild one table */
bool    nbdb_proto_request(const char *service_path, const char *table,
			           int timeout, VSTRING *why)
{
    VSTRING *reason = vstring_alloc(100);
    VSTREAM *fp;
    int     fd;
    bool    ok;

    if ((fd = unix_connect(service_path, BLOCKING, timeout)) < 0) {
	vstring_sprintf(why, "connect to %s: %m", service_path);
	vstring_free(reason);
	return false;
    }
    fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_timeout(fp, timeout);
    vstream_start_deadline(fp);
    if ((ok = nbdb_proto_exchange(fp, table, reason)) == false)
	vstring_sprintf(why, "%s: %s", service_path, vstring_str(reason));
    (void) vstream_fclose(fp);
    vstring_free(reason);
    return ok;
}
