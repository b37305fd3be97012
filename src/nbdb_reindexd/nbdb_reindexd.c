/*
 * nbdb_reindexd - rebuild the missing indexed files of legacy hash: and btree: tables
 *
 * SYNOPSIS
 *	nbdb_reindexd [generic daemon options]
 *
 * DESCRIPTION
 *	A daemon that opens a hash: or btree: table whose indexed file is
 *	missing while the legacy Berkeley DB file name.db exists asks this
 *	service to rebuild it (dict_nbdb(3)). For each connection the
 *	service announces its protocol, reads one request
 *	(nbdb_proto(3): request=reindex, table=hash:/path), has the file
 *	rebuilt by nbdb_reindex(3) under the safety policy of nbdb_safe(3),
 *	and answers status=ok (the file exists now, also when it existed
 *	before) or status=fail with the reason. docs/internals/non-bdb.md
 *	has the design; docs/man/man8/nbdb_reindexd.8 the manual.
 *
 *	The service runs as root (master.cf unprivileged field n; the
 *	single_server(3) skeleton refuses -u) only to run postmap or
 *	postalias as the owner of the legacy file. Requests are serialized
 *	with an exclusive lock on $queue_directory/pid/nbdb_reindexd.lock,
 *	opened before the first request, so that processes of the same
 *	service never build one table twice. The implicit master.cf entry
 *	(master(8), at level enable-reindex) is:
 *
 *	    nbdb_reindexd unix - n n - 1 nbdb_reindexd
 *
 *	This program opens no lookup tables itself.
 *
 * DIAGNOSTICS
 *	Info: what nbdb_reindex(3) runs and creates. Warnings: "<table>:
 *	not reindexed: <reason>", "bad request: <reason>" (table names and
 *	reasons from the client are cut to a bounded length and stripped of
 *	control characters). Fatal: the lock file cannot be opened.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "msg.h"
#include "argv.h"
#include "iostuff.h"
#include "myflock.h"
#include "safe_open.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_params.h"
#include "dict_nbdb.h"
#include "nbdb_proto.h"
#include "nbdb_reindex.h"
#include "single_server.h"

#define NBDB_REINDEXD_LOCK	"pid/nbdb_reindexd.lock"
#define NBDB_REINDEXD_LOG_LIMIT	200	/* bytes of client text in logs */

static VSTREAM *nbdb_reindexd_lock_fp;

/* nbdb_reindexd_printable - client text, safe and short, for the log */
static const char *nbdb_reindexd_printable(VSTRING *buf, const char *text)
{
    unsigned char *cp;

    vstring_strncpy(buf, text, strnlen(text, NBDB_REINDEXD_LOG_LIMIT));
    for (cp = (unsigned char *) vstring_str(buf); *cp; cp++)
	if (*cp < 0x20 || *cp == 0x7f)
	    *cp = '?';
    return vstring_str(buf);
}

/* nbdb_reindexd_lock - serialize requests across processes */
static void nbdb_reindexd_lock(int op)
{
    if (myflock(vstream_fileno(nbdb_reindexd_lock_fp), MYFLOCK_STYLE_FLOCK,
		op) != MYFLOCK_OK)
	msg_fatal("lock %s: %m", NBDB_REINDEXD_LOCK);
}

/* nbdb_reindexd_answer - one request */
static void nbdb_reindexd_answer(VSTREAM *client, const ARGV *attrs)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *shown = vstring_alloc(100);
    const char *request = nbdb_proto_get(attrs, NBDB_ATTR_REQUEST);
    const char *table = nbdb_proto_get(attrs, NBDB_ATTR_TABLE);
    int     status = NBDB_REINDEX_FAILED;

    if (request == NULL || strcmp(request, NBDB_REQUEST_REINDEX) != 0) {
	vstring_sprintf(why, "unsupported request");
    } else if (table == NULL) {
	vstring_sprintf(why, "request without table name");
    } else {
	nbdb_reindexd_lock(MYFLOCK_OP_EXCLUSIVE);
	status = nbdb_reindex_table(table, why);
	nbdb_reindexd_lock(MYFLOCK_OP_NONE);
    }
    if (status == NBDB_REINDEX_FAILED) {
	if (table != NULL)
	    msg_warn("%s: not reindexed: %s",
		     nbdb_reindexd_printable(shown, table), vstring_str(why));
	else
	    msg_warn("bad request: %s", vstring_str(why));
	(void) nbdb_proto_write(client, NBDB_ATTR_STATUS, NBDB_STATUS_FAIL,
				NBDB_ATTR_REASON, vstring_str(why), (char *) 0);
    } else {
	if (msg_verbose && status == NBDB_REINDEX_EXISTS)
	    msg_info("%s: indexed file exists",
		     nbdb_reindexd_printable(shown, table));
	(void) nbdb_proto_write(client, NBDB_ATTR_STATUS, NBDB_STATUS_OK,
				(char *) 0);
    }
    vstring_free(why);
    vstring_free(shown);
}

/* nbdb_reindexd_service - one client connection */
static void nbdb_reindexd_service(VSTREAM *client, const char *service,
				          char **argv)
{
    ARGV   *attrs = argv_alloc(4);
    VSTRING *why = vstring_alloc(100);

    (void) service;
    (void) argv;
    if (!nbdb_proto_write(client, NBDB_ATTR_PROTOCOL, NBDB_PROTO_NAME,
			  (char *) 0))
	msg_warn("write greeting: %m");
    else if (!nbdb_proto_read(client, attrs, why))
	msg_warn("bad request: %s", vstring_str(why));
    else
	nbdb_reindexd_answer(client, attrs);
    argv_free(attrs);
    vstring_free(why);
}

/* nbdb_reindexd_pre_init - open the lock file, never ask ourselves */
static void nbdb_reindexd_pre_init(const char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);

    (void) service;
    (void) argv;
    dict_nbdb_client(NBDB_CLIENT_SERVICE);
    if ((nbdb_reindexd_lock_fp = safe_open(NBDB_REINDEXD_LOCK,
					   O_RDWR | O_CREAT, 0600, NULL,
					   (uid_t) -1, (gid_t) -1,
					   why)) == NULL)
	msg_fatal("open %s/%s: %s", VAR_STR(queue_directory),
		  NBDB_REINDEXD_LOCK, vstring_str(why));
    (void) close_on_exec(vstream_fileno(nbdb_reindexd_lock_fp), 1);
    vstring_free(why);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_PRIVILEGED,
	.pre_init = nbdb_reindexd_pre_init,
    };

    single_server_main(argc, argv, nbdb_reindexd_service, &opts);
}
