/*
 * postsuper - queue maintenance for the super-user
 *
 * SYNOPSIS
 *	postsuper [-psSv] [-c config_dir] [-d queue_id] [-e queue_id]
 *		[-f queue_id] [-h queue_id] [-H queue_id] [-r queue_id]
 *		[directory ...]
 *
 * DESCRIPTION
 *	The command of docs/man/man1/postsuper.1. It runs as root (or, in
 *	unprivileged mode, as the mail_owner), switches to the mail_owner
 *	and works in $queue_directory.
 *
 *	-p, -s and -S run first (postsuper_struct(3)); without any
 *	option, postsuper does -s and -p, as postfix(1) runs it at
 *	"postfix check" and start. The directories named on the command
 *	line limit them; by default both cover maildrop, incoming,
 *	active, deferred, hold, bounce, defer and trace (in maildrop -s
 *	only reports bogus names, as Debian's Postfix 3.7 does). Each
 *	bogus name is reported once: by -s, or by -p alone.
 *
 *	Then the per-message operations run in command-line order, each
 *	on a queue ID, on "ALL" (every message of the queues) or on "-"
 *	(queue IDs from standard input, one per line, the whole line as
 *	the ID). Each looks in its
 *	default queues, or in the directories named on the command line:
 *	-d hold, incoming, active, deferred, maildrop (Debian's Postfix
 *	3.7 deletes from maildrop too); -r, -e, -f hold, incoming,
 *	active, deferred; -h incoming, active, deferred; -H hold. An
 *	explicit ID is reported as "<id>: removed" (requeued, placed on
 *	hold, released from hold, expired); the summary lines follow in
 *	Postfix's order ("Requeued: N messages", "Deleted:",
 *	"Force-expired:", "Placed on hold:", "Released from hold:") for
 *	the operations that were asked for.
 *
 *	A file in incoming/ that is not ready (no owner execute bit:
 *	cleanup(8) is still writing it; docs/internals/queue-file.md
 *	section 8) is not a message yet: no operation touches it, whether
 *	named or found by "ALL" (an info line under -v); the purge removes
 *	it once it is older than $ipc_timeout (postsuper_struct(3)).
 *
 *	A queue file is changed only under an exclusive, non-blocking
 *	flock(): delivery agents hold a shared one while they deliver
 *	(docs/internals/delivery.md), so a message in delivery is
 *	skipped with a warning. -d and -r remove the message's bounce,
 *	defer and trace logs; -H and -f move the file to deferred/ with
 *	the current time as its modification time, so that qmgr(8) picks
 *	it up at its next scan; -e and -f set QUEUE_FILE_FLAG_EXPIRE in
 *	the S record (postsuper_requeue(3)); -r writes a maildrop file
 *	and wakes pickup(8).
 *
 * DIAGNOSTICS
 *	Problems go to standard error and to the mail log. Fatal: "use of
 *	this command is reserved for the superuser", "invalid directory
 *	name: <name>", usage. Warnings: "invalid mail queue id: <id>",
 *	"<id>: message is being delivered: skipped", and those of the
 *	helpers. Exit status 0 unless a fatal error occurred.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "mypwd.h"
#include "myflock.h"
#include "open_std_fds.h"
#include "set_ugid.h"
#include "stringops.h"
#include "excerpt.h"
#include "argv.h"
#include "vstream.h"
#include "vstring.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "mail_queue.h"
#include "mail_trigger.h"
#include "queue_id.h"
#include "queue_scan.h"
#include "postsuper.h"

 /* The per-message operations; the order is the order of the summary. */
#define OP_REQUEUE	0
#define OP_DELETE	1
#define OP_EXPIRE	2
#define OP_HOLD		3
#define OP_RELEASE	4
#define OP_FORCE	5		/* -f: expire, and release from hold */
#define OP_COUNT	6

static const char *const op_done[] = {
    "requeued", "removed", "expired", "placed on hold", "released from hold",
};
static const char *const op_summary[] = {
    "Requeued", "Deleted", "Force-expired", "Placed on hold",
    "Released from hold",
};

static const char *const op_default_queues[OP_COUNT][6] = {
    [OP_REQUEUE] = {"hold", "incoming", "active", "deferred", 0},
    [OP_DELETE] = {"hold", "incoming", "active", "deferred", "maildrop", 0},
    [OP_EXPIRE] = {"hold", "incoming", "active", "deferred", 0},
    [OP_HOLD] = {"incoming", "active", "deferred", 0},
    [OP_RELEASE] = {"hold", 0},
    [OP_FORCE] = {"hold", "incoming", "active", "deferred", 0},
};

static long op_count[OP_COUNT];
static bool op_asked[OP_COUNT];
static const char *const *op_dirs;	/* directories from the command line */

#define POSTSUPER_ID_LINE_MAX	256	/* bytes in a line of "-d -" input */

/* postsuper_usage - explain and exit (Postfix's text, missing blank too) */
static NORETURN postsuper_usage(void)
{
    msg_fatal("usage: postsuper [-c config_dir] [-d queue_id (delete)] "
	      "[-e queue_id (expire)] [-f queue_id (expire and/or un-hold)] "
	      "[-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge "
	      "temporary files)] [-r queue_id (requeue)] [-s (structure fix)] "
	      "[-S (redundant structure fix)][-v (verbose)] [queue...]");
}

/* postsuper_queue_ok - is this a directory postsuper may work on? */
static bool postsuper_queue_ok(const char *name)
{
    static const char *const names[] = {
	"maildrop", "incoming", "active", "deferred", "hold", "bounce",
	"defer", "trace", "flush", 0,
    };

    for (int i = 0; names[i]; i++)
	if (strcmp(name, names[i]) == 0)
	    return (true);
    return (false);
}

/* postsuper_remove_logs - drop the per-message logs of a message */
static void postsuper_remove_logs(const char *id)
{
    static const char *const logs[] = {
	MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_TRACE, 0,
    };
    VSTRING *path = vstring_alloc(64);

    for (int i = 0; logs[i]; i++) {
	const char *one[] = {logs[i], 0};

	if (mail_queue_find(path, id, one) && unlink(vstring_str(path)) < 0
	    && errno != ENOENT)
	    msg_warn("remove %s: %m", vstring_str(path));
    }
    vstring_free(path);
}

/* postsuper_release - move a held file to deferred/, due now */
static bool postsuper_release(const char *id, VSTRING *why)
{
    VSTRING *path = vstring_alloc(64);
    bool    ok;

    if ((ok = mail_queue_rename(id, MAIL_QUEUE_HOLD, MAIL_QUEUE_DEFERRED,
				why)) == true)
	(void) utimes(mail_queue_path(path, MAIL_QUEUE_DEFERRED, id), 0);
    vstring_free(path);
    return (ok);
}

/* postsuper_report - count one done operation, and say so when asked */
static void postsuper_report(int op, const char *id, bool explicit)
{
    op_count[op]++;
    if (explicit)
	msg_info("%s: %s", id, op_done[op]);
}

/* postsuper_one - apply an operation to the file of id in queue */
static void postsuper_one(int op, const char *queue, const char *id,
			          bool explicit)
{
    VSTRING *why = vstring_alloc(100);
    VSTREAM *fp;
    struct stat st;
    bool    maildrop = strcmp(queue, MAIL_QUEUE_MAILDROP) == 0;

    /*
     * Maildrop files belong to the users who submitted them and may not
     * be readable; deleting one only needs the directory. Nothing else
     * applies to them.
     */
    if (maildrop) {
	if (op != OP_DELETE) {
	    vstring_free(why);
	    return;
	}
	if (mail_queue_remove(queue, id) < 0) {
	    if (errno != ENOENT)
		msg_warn("remove %s/%s: %m", queue, id);
	} else {
	    postsuper_report(op, id, explicit);
	}
	vstring_free(why);
	return;
    }
    if ((fp = mail_queue_open(queue, id, O_RDWR, 0)) == 0) {
	if (errno != ENOENT)
	    msg_warn("open %s/%s: %m", queue, id);
	vstring_free(why);
	return;
    }
    if (fstat(vstream_fileno(fp), &st) < 0 || !mail_queue_ready(queue, &st)) {
	if (msg_verbose)
	    msg_info("%s/%s: not ready: skipped", queue, id);
	(void) vstream_fclose(fp);
	vstring_free(why);
	return;
    }
    switch (myflock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK,
		    MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT)) {
    case MYFLOCK_OK:
	break;
    case MYFLOCK_BUSY:
	msg_warn("%s: message is being delivered: skipped", id);
	(void) vstream_fclose(fp);
	vstring_free(why);
	return;
    default:
	msg_warn("lock %s/%s: %m: skipped", queue, id);
	(void) vstream_fclose(fp);
	vstring_free(why);
	return;
    }
    switch (op) {
    case OP_DELETE:
	if (mail_queue_remove(queue, id) < 0) {
	    if (errno != ENOENT)
		msg_warn("remove %s/%s: %m", queue, id);
	    break;
	}
	postsuper_remove_logs(id);
	postsuper_report(op, id, explicit);
	break;
    case OP_HOLD:
	if (strcmp(queue, MAIL_QUEUE_HOLD) == 0)
	    break;
	if (!mail_queue_rename(id, queue, MAIL_QUEUE_HOLD, why)) {
	    msg_warn("%s", vstring_str(why));
	    break;
	}
	postsuper_report(op, id, explicit);
	break;
    case OP_RELEASE:
	if (strcmp(queue, MAIL_QUEUE_HOLD) != 0)
	    break;
	if (!postsuper_release(id, why)) {
	    msg_warn("%s", vstring_str(why));
	    break;
	}
	postsuper_report(op, id, explicit);
	break;
    case OP_EXPIRE:
    case OP_FORCE:
	if (!postsuper_expire(queue, id, fp, why)) {
	    msg_warn("%s", vstring_str(why));
	    break;
	}
	postsuper_report(OP_EXPIRE, id, explicit);
	if (op == OP_FORCE && strcmp(queue, MAIL_QUEUE_HOLD) == 0) {
	    if (!postsuper_release(id, why))
		msg_warn("%s", vstring_str(why));
	    else
		postsuper_report(OP_RELEASE, id, explicit);
	}
	break;
    case OP_REQUEUE:
	if (!postsuper_requeue(queue, id, fp, why)) {
	    msg_warn("%s: not requeued: %s", id, vstring_str(why));
	    break;
	}
	if (mail_queue_remove(queue, id) < 0 && errno != ENOENT)
	    msg_warn("remove %s/%s: %m", queue, id);
	postsuper_remove_logs(id);
	postsuper_report(op, id, explicit);
	break;
    }
    (void) vstream_fclose(fp);
    vstring_free(why);
}

/* postsuper_queues - the queues an operation looks in */
static const char *const *postsuper_queues(int op)
{
    return (op_dirs && op_dirs[0] ? op_dirs : op_default_queues[op]);
}

/* postsuper_id - apply an operation to one queue ID */
static void postsuper_id(int op, const char *id)
{
    const char *const *queues = postsuper_queues(op);
    VSTRING *path = vstring_alloc(64);

    /* Like Postfix: a name with other characters is an error; a name
     * of letters and digits that cannot be an ID is just not found. */
    if (*id == 0 || id[strspn(id, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			     "abcdefghijklmnopqrstuvwxyz")] != 0) {
	msg_warn("invalid mail queue id: %s", excerpt(id));
	vstring_free(path);
	return;
    }
    if (!queue_id_valid(id)) {
	vstring_free(path);
	return;
    }
    for (int i = 0; queues[i]; i++) {
	const char *one[] = {queues[i], 0};

	if (mail_queue_find(path, id, one)) {
	    postsuper_one(op, queues[i], id, true);
	    break;
	}
    }
    vstring_free(path);
}

 /* Context of an "ALL" walk. */
typedef struct POSTSUPER_ALL {
    int     op;
} POSTSUPER_ALL;

/* postsuper_all_file - one file of an "ALL" walk */
static void postsuper_all_file(const char *queue, const char *path,
			               const char *name, int depth,
			               void *context)
{
    POSTSUPER_ALL *all = context;

    (void) path;
    (void) depth;
    if (queue_id_valid(name))
	postsuper_one(all->op, queue, name, false);
}

/* postsuper_operation - one -d/-e/-f/-h/-H/-r argument */
static void postsuper_operation(int op, const char *arg)
{
    if (strcmp(arg, "ALL") == 0) {
	const char *const *queues = postsuper_queues(op);
	POSTSUPER_ALL all = {op};

	for (int i = 0; queues[i]; i++)
	    (void) queue_scan(queues[i], postsuper_all_file, 0, &all);
    } else if (strcmp(arg, "-") == 0) {
	VSTRING *line = vstring_alloc(100);
	int     ch;

	while ((ch = vstring_get_nonl_bound(line, VSTREAM_IN,
					    POSTSUPER_ID_LINE_MAX))
	       != VSTREAM_EOF) {
	    if (ch != '\n' && VSTRING_LEN(line) == POSTSUPER_ID_LINE_MAX) {
		msg_warn("standard input: line longer than %d bytes: skipped",
			 POSTSUPER_ID_LINE_MAX);
		while ((ch = VSTREAM_GETC(VSTREAM_IN)) != VSTREAM_EOF
		       && ch != '\n')
		     /* void */ ;
		continue;
	    }
	    /* The whole line is the ID: Postfix warns about "" and "a b". */
	    postsuper_id(op, vstring_str(line));
	}
	vstring_free(line);
    } else {
	postsuper_id(op, arg);
    }
}

/* postsuper_privileges - root, or the mail_owner in unprivileged mode */
static void postsuper_privileges(void)
{
    MYPWD  *pw;

    if ((pw = mypwnam(VAR_STR(mail_owner))) == 0)
	msg_fatal("unknown mail_owner %s", excerpt(VAR_STR(mail_owner)));
    if (getuid() == pw->pw_uid) {
	/* Unprivileged mode: already the mail_owner. */
    } else if (getuid() == 0) {
	set_ugid(pw->pw_uid, pw->pw_gid);
    } else {
	msg_fatal("use of this command is reserved for the superuser");
    }
    mypwfree(pw);
}

/* main - parse, configure, repair, operate, summarize */
int     main(int argc, char **argv)
{
    static const char *const struct_queues[] = {
	"maildrop", "incoming", "active", "deferred", "hold", "bounce",
	"defer", "trace", 0,
    };
    static const char *const purge_queues[] = {
	"maildrop", "incoming", "active", "deferred", "hold", "bounce",
	"defer", "trace", 0,
    };
    ARGV   *ops = argv_alloc(8);	/* pairs: op number, argument */
    bool    do_purge = false;
    bool    do_struct = false;
    bool    strict = false;
    bool    requeued = false;
    ARGV   *dirs;
    int     ch;

    umask(077);
    open_std_fds();
    argv[0] = (char *) "postsuper";
    msg_stderr_init("postsuper");
    if (getenv("MAIL_VERBOSE"))
	msg_verbose = 1;

    while ((ch = getopt(argc, argv, "c:d:e:f:h:H:pr:sSv")) != -1) {
	int     op = -1;

	switch (ch) {
	case 'c':
	    mail_conf_set_dir(optarg);
	    if (setenv("MAIL_CONFIG", optarg, 1) < 0)
		msg_fatal("setenv: %m");
	    break;
	case 'd':
	    op = OP_DELETE;
	    break;
	case 'e':
	    op = OP_EXPIRE;
	    break;
	case 'f':
	    op = OP_FORCE;
	    break;
	case 'h':
	    op = OP_HOLD;
	    break;
	case 'H':
	    op = OP_RELEASE;
	    break;
	case 'r':
	    op = OP_REQUEUE;
	    break;
	case 'p':
	    do_purge = true;
	    break;
	case 's':
	    do_struct = true;
	    break;
	case 'S':
	    do_struct = strict = true;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    postsuper_usage();
	}
	if (op >= 0) {
	    char    num[2] = {(char) ('0' + op), 0};

	    argv_add(ops, num, optarg, (char *) 0);
	    if (op == OP_FORCE) {
		op_asked[OP_EXPIRE] = op_asked[OP_RELEASE] = true;
	    } else {
		op_asked[op] = true;
	    }
	}
    }
    if (!do_purge && !do_struct && ops->argc == 0)
	do_purge = do_struct = true;

    mail_conf_read();
    maillog_client_init("postsuper", MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK);
    dirs = argv_alloc(4);
    for (int i = optind; i < argc; i++) {
	if (!postsuper_queue_ok(argv[i]))
	    msg_fatal("invalid directory name: %s", excerpt(argv[i]));
	argv_add(dirs, argv[i], (char *) 0);
    }
    op_dirs = dirs->argc ? (const char *const *) dirs->argv : 0;
    postsuper_privileges();
    if (chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal("chdir %s: %m", excerpt(VAR_STR(queue_directory)));
    signal(SIGPIPE, SIG_IGN);

    /* -p, -s, -S first. */
    if (do_purge)
	for (const char *const *q = op_dirs ? op_dirs : purge_queues; *q; q++)
	    if (strcmp(*q, MAIL_QUEUE_FLUSH) != 0)
		postsuper_purge(*q, !do_struct);
    if (do_struct) {
	for (const char *const *q = op_dirs ? op_dirs : struct_queues; *q; q++)
	    if (strcmp(*q, MAIL_QUEUE_FLUSH) != 0)
		postsuper_structure(*q, strict);
	if (postsuper_renamed > 0) {
	    msg_info("Renamed to match inode number: %ld message%s",
		     postsuper_renamed, postsuper_renamed == 1 ? "" : "s");
	    msg_warn("QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS");
	}
    }

    /* The per-message operations, in command-line order. */
    for (size_t i = 0; i + 1 < ops->argc; i += 2) {
	int     op = ops->argv[i][0] - '0';

	postsuper_operation(op, ops->argv[i + 1]);
	if (op == OP_REQUEUE)
	    requeued = true;
    }
    /* Wake pickup when it runs; no warning when the system is down. */
    if (requeued && op_count[OP_REQUEUE] > 0) {
	char   *pickup = concatenate(MAIL_QUEUE_PUBLIC, "/",
				     VAR_STR(pickup_service_name), (char *) 0);

	if (access(pickup, F_OK) == 0)
	    (void) mail_trigger_flags(MAIL_QUEUE_PUBLIC,
				      VAR_STR(pickup_service_name), "W", 1,
				      MAIL_TRIGGER_FLAG_CALLER_REPORTS);
	myfree(pickup);
    }
    for (int op = OP_REQUEUE; op <= OP_RELEASE; op++)
	if (op_asked[op])
	    msg_info("%s: %ld message%s", op_summary[op], op_count[op],
		     op_count[op] == 1 ? "" : "s");
    argv_free(ops);
    argv_free(dirs);
    exit(0);
}
