/*
 * bounce_log - the per-message logs of the bounce, defer and trace services
 *
 * SYNOPSIS
 *	#include "bounce.h"
 *
 *	void	bounce_log_init(BOUNCE_LOG *log);
 *	void	bounce_log_free(BOUNCE_LOG *log);
 *	BOUNCE_ENTRY *bounce_log_add(BOUNCE_LOG *log);
 *	void	bounce_entry_set(char **slot, const char *value);
 *
 *	void	bounce_log_format(VSTRING *buf, const BOUNCE_ENTRY *entry);
 *	int	bounce_log_parse(VSTREAM *fp, BOUNCE_LOG *log,
 *				const char *origin);
 *
 *	bool	bounce_log_append(const char *service, const char *queue_id,
 *				const BOUNCE_ENTRY *entry, VSTRING *why);
 *	int	bounce_log_read(const char *service, const char *queue_id,
 *				BOUNCE_LOG *log);
 *	int	bounce_log_remove(const char *service, const char *queue_id);
 *
 * DESCRIPTION
 *	A log lives in the queue directory named after the service
 *	(bounce/, defer/, trace/), hashed like the message queues
 *	($hash_queue_names, $hash_queue_depth), named by the queue ID of
 *	its message (docs/internals/delivery.md, section 3).
 *
 *	An entry is a block of "name=value" lines ended by an empty
 *	line: address, orig_rcpt, dsn_orcpt, dsn_notify, offset, status,
 *	action, reason, dtype, dtext, mtype, mname, relay, time_log.
 *	bounce_log_format() writes one block into buf: control
 *	characters in values become "?", values are cut at
 *	BOUNCE_FIELD_MAX bytes, so that every value is one line.
 *
 *	bounce_log_parse() reads blocks from fp into log. A block with a
 *	line that is not "name=value", a line longer than BOUNCE_LINE_MAX,
 *	no address or no status, or that the end of the file cuts short
 *	(a torn append), is skipped with a warning that names origin and
 *	the line; unknown names are ignored (a newer writer). At most
 *	BOUNCE_LOG_MAX_ENTRIES entries are kept. The result is the
 *	number of entries added, or -1 after a read error.
 *
 *	bounce_log_append() adds one block to the service's log of
 *	queue_id with one write(2) under an exclusive lock, and fsync()s
 *	the file; a failed write is undone (the file is truncated to its
 *	old size). It creates the file (mode 0600) and hash directories
 *	as needed. false with the reason in why.
 *
 *	bounce_log_read() reads a whole log under a shared lock: 1 when
 *	read, 0 when there is no log, -1 after a warning.
 *
 *	bounce_log_remove() removes a log: 0, or -1 with errno (ENOENT
 *	when there was none).
 *
 * DIAGNOSTICS
 *	Warnings: "<origin>, line <n>: <problem> -- skipping this entry",
 *	"<origin>: read error: <error>", "open <path>: <error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "myflock.h"
#include "make_dirs.h"
#include "vstream.h"
#include "vstring.h"
#include "vstring_vstream.h"
#include "mail_queue.h"
#include "bounce_proto.h"
#include "bounce.h"

 /*
  * Field names in a log block. The recipient names are those of the
  * delivery request's recipient list.
  */
#define LOG_ADDRESS	"address"
#define LOG_ORIG_RCPT	"orig_rcpt"
#define LOG_DSN_ORCPT	"dsn_orcpt"
#define LOG_DSN_NOTIFY	"dsn_notify"
#define LOG_OFFSET	"offset"

/* bounce_log_init - an empty log */
void    bounce_log_init(BOUNCE_LOG *log)
{
    log->entries = 0;
    log->len = log->avail = 0;
}

/* bounce_entry_free - the strings of one entry */
static void bounce_entry_free(BOUNCE_ENTRY *e)
{
    char  **slots[] = {&e->address, &e->orig_rcpt, &e->dsn_orcpt,
	&e->status, &e->action, &e->reason, &e->dtype, &e->dtext,
    &e->mtype, &e->mname, &e->relay};

    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
	myfree(*slots[i]);
	*slots[i] = 0;
    }
}

/* bounce_log_free - release every entry */
void    bounce_log_free(BOUNCE_LOG *log)
{
    for (int i = 0; i < log->len; i++)
	bounce_entry_free(log->entries + i);
    myfree(log->entries);
    bounce_log_init(log);
}

/* bounce_log_add - a new entry with empty strings */
BOUNCE_ENTRY *bounce_log_add(BOUNCE_LOG *log)
{
    BOUNCE_ENTRY *e;

    if (log->len >= log->avail) {
	log->avail = log->avail ? 2 * log->avail : 8;
	log->entries = myrealloc(log->entries,
				 log->avail * sizeof(*log->entries));
    }
    e = log->entries + log->len++;
    memset(e, 0, sizeof(*e));
    e->address = mystrdup("");
    e->orig_rcpt = mystrdup("");
    e->dsn_orcpt = mystrdup("");
    e->status = mystrdup("");
    e->action = mystrdup("");
    e->reason = mystrdup("");
    e->dtype = mystrdup("");
    e->dtext = mystrdup("");
    e->mtype = mystrdup("");
    e->mname = mystrdup("");
    e->relay = mystrdup("");
    return (e);
}

/* bounce_log_drop_last - forget the last entry (a bad block) */
static void bounce_log_drop_last(BOUNCE_LOG *log)
{
    if (log->len > 0)
	bounce_entry_free(log->entries + --log->len);
}

/* bounce_entry_set - replace one string of an entry (NULL means "") */
void    bounce_entry_set(char **slot, const char *value)
{
    myfree(*slot);
    *slot = mystrdup(value ? value : "");
}

/* bounce_log_field - append "name=value\n" with a one-line value */
static void bounce_log_field(VSTRING *buf, const char *name, const char *value)
{
    size_t  len = strlen(value);

    if (len > BOUNCE_FIELD_MAX)
	len = BOUNCE_FIELD_MAX;
    vstring_strcat(buf, name);
    VSTRING_ADDCH(buf, '=');
    for (size_t i = 0; i < len; i++) {
	unsigned char ch = value[i];

	VSTRING_ADDCH(buf, (ch < 0x20 || ch == 0x7f) ? '?' : ch);
    }
    VSTRING_ADDCH(buf, '\n');
    VSTRING_TERMINATE(buf);
}

/* bounce_log_format - one entry as a log block */
void    bounce_log_format(VSTRING *buf, const BOUNCE_ENTRY *e)
{
    VSTRING_RESET(buf);
    VSTRING_TERMINATE(buf);
    bounce_log_field(buf, LOG_ADDRESS, e->address);
    bounce_log_field(buf, LOG_ORIG_RCPT, e->orig_rcpt);
    bounce_log_field(buf, LOG_DSN_ORCPT, e->dsn_orcpt);
    vstring_sprintf_append(buf, "%s=%d\n", LOG_DSN_NOTIFY, e->dsn_notify);
    vstring_sprintf_append(buf, "%s=%ld\n", LOG_OFFSET, e->offset);
    bounce_log_field(buf, BOUNCE_ATTR_STATUS, e->status);
    bounce_log_field(buf, BOUNCE_ATTR_ACTION, e->action);
    bounce_log_field(buf, BOUNCE_ATTR_REASON, e->reason);
    bounce_log_field(buf, BOUNCE_ATTR_DTYPE, e->dtype);
    bounce_log_field(buf, BOUNCE_ATTR_DTEXT, e->dtext);
    bounce_log_field(buf, BOUNCE_ATTR_MTYPE, e->mtype);
    bounce_log_field(buf, BOUNCE_ATTR_MNAME, e->mname);
    bounce_log_field(buf, BOUNCE_ATTR_RELAY, e->relay);
    vstring_sprintf_append(buf, "%s=%ld\n\n", BOUNCE_ATTR_TIME_LOG,
			   e->time_log);
}

/* bounce_log_number - a decimal field; false when malformed */
static bool bounce_log_number(const char *value, long *result)
{
    char   *end;
    long    n;

    if (*value == 0 || strlen(value) > 19)
	return (false);
    errno = 0;
    n = strtol(value, &end, 10);
    if (*end != 0 || errno != 0)
	return (false);
    *result = n;
    return (true);
}

/* bounce_log_store - one name=value into an entry; NULL or a problem */
static const char *bounce_log_store(BOUNCE_ENTRY *e, const char *name,
				            const char *value)
{
    static const struct {
	const char *name;
	size_t  offset;
    }       strings[] = {
	{LOG_ADDRESS, offsetof(BOUNCE_ENTRY, address)},
	{LOG_ORIG_RCPT, offsetof(BOUNCE_ENTRY, orig_rcpt)},
	{LOG_DSN_ORCPT, offsetof(BOUNCE_ENTRY, dsn_orcpt)},
	{BOUNCE_ATTR_STATUS, offsetof(BOUNCE_ENTRY, status)},
	{BOUNCE_ATTR_ACTION, offsetof(BOUNCE_ENTRY, action)},
	{BOUNCE_ATTR_REASON, offsetof(BOUNCE_ENTRY, reason)},
	{BOUNCE_ATTR_DTYPE, offsetof(BOUNCE_ENTRY, dtype)},
	{BOUNCE_ATTR_DTEXT, offsetof(BOUNCE_ENTRY, dtext)},
	{BOUNCE_ATTR_MTYPE, offsetof(BOUNCE_ENTRY, mtype)},
	{BOUNCE_ATTR_MNAME, offsetof(BOUNCE_ENTRY, mname)},
	{BOUNCE_ATTR_RELAY, offsetof(BOUNCE_ENTRY, relay)},
    };
    long    n;

    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
	if (strcmp(name, strings[i].name) == 0) {
	    bounce_entry_set((char **) ((char *) e + strings[i].offset), value);
	    return (0);
	}
    }
    if (strcmp(name, LOG_DSN_NOTIFY) == 0) {
	if (!bounce_log_number(value, &n) || n < 0 || n > 15)
	    return ("bad dsn_notify value");
	e->dsn_notify = (int) n;
    } else if (strcmp(name, LOG_OFFSET) == 0) {
	if (!bounce_log_number(value, &n) || n < 0)
	    return ("bad offset value");
	e->offset = n;
    } else if (strcmp(name, BOUNCE_ATTR_TIME_LOG) == 0) {
	if (!bounce_log_number(value, &n) || n < 0)
	    return ("bad time_log value");
	e->time_log = n;
    }
    /* Other names: a newer writer; ignored. */
    return (0);
}

/* bounce_log_parse - read log blocks from a stream */
int     bounce_log_parse(VSTREAM *fp, BOUNCE_LOG *log, const char *origin)
{
    VSTRING *line = vstring_alloc(100);
    BOUNCE_ENTRY *e = 0;
    const char *problem = 0;
    long    lineno = 0;
    long    problem_line = 0;
    int     added = 0;
    int     ch;

    for (;;) {
	ch = vstring_get_nonl_bound(line, fp, BOUNCE_LINE_MAX);
	if (ch == VSTREAM_EOF)
	    break;
	lineno++;
	if (ch != '\n' && VSTRING_LEN(line) >= BOUNCE_LINE_MAX) {
	    /* Skip the rest of an overlong line. */
	    while ((ch = vstream_getc(fp)) != VSTREAM_EOF && ch != '\n')
		 /* void */ ;
	    if (problem == 0) {
		problem = "line too long";
		problem_line = lineno;
	    }
	    if (e == 0 && log->len < BOUNCE_LOG_MAX_ENTRIES) {
		e = bounce_log_add(log);
	    }
	    continue;
	}
	if (VSTRING_LEN(line) == 0) {
	    /* End of a block. */
	    if (e != 0) {
		if (problem == 0 && *e->address == 0)
		    problem = "missing address", problem_line = lineno;
		if (problem == 0 && *e->status == 0)
		    problem = "missing status", problem_line = lineno;
		if (problem != 0) {
		    msg_warn("%s, line %ld: %s -- skipping this entry",
			     origin, problem_line, problem);
		    bounce_log_drop_last(log);
		} else {
		    added++;
		}
	    }
	    e = 0;
	    problem = 0;
	    continue;
	}
	if (e == 0) {
	    if (log->len >= BOUNCE_LOG_MAX_ENTRIES) {
		if (log->len == BOUNCE_LOG_MAX_ENTRIES && problem == 0)
		    msg_warn("%s, line %ld: more than %d entries -- "
			     "skipping the rest", origin, lineno,
			     BOUNCE_LOG_MAX_ENTRIES);
		problem = "too many entries";
		/* Read on to the end without keeping anything. */
		while ((ch = vstream_getc(fp)) != VSTREAM_EOF)
		     /* void */ ;
		break;
	    }
	    e = bounce_log_add(log);
	}
	if (problem == 0) {
	    char   *text = vstring_str(line);
	    char   *eq = memchr(text, '=', VSTRING_LEN(line));

	    if (eq == 0 || eq == text || memchr(text, 0, VSTRING_LEN(line))) {
		problem = "not a name=value line";
		problem_line = lineno;
	    } else {
		*eq = 0;
		if ((problem = bounce_log_store(e, text, eq + 1)) != 0)
		    problem_line = lineno;
	    }
	}
    }
    if (e != 0) {
	msg_warn("%s, line %ld: %s -- skipping this entry", origin,
		 problem ? problem_line : lineno,
		 problem ? problem : "entry without its end");
	bounce_log_drop_last(log);
    }
    vstring_free(line);
    if (vstream_ferror(fp)) {
	msg_warn("%s: read error: %m", origin);
	return (-1);
    }
    return (added);
}

/* bounce_log_path - the log file of a message */
static const char *bounce_log_path(VSTRING *buf, const char *service,
				           const char *queue_id)
{
    if (!mail_queue_name_ok(service) || !queue_id_valid(queue_id))
	msg_panic("bounce_log_path: bad service \"%s\" or queue ID \"%s\"",
		  service, queue_id);
    return (mail_queue_path(buf, service, queue_id));
}

/* bounce_log_append - add one entry, durably */
bool    bounce_log_append(const char *service, const char *queue_id,
			          const BOUNCE_ENTRY *entry, VSTRING *why)
{
    VSTRING *path = vstring_alloc(100);
    VSTRING *dir = vstring_alloc(100);
    VSTRING *block = vstring_alloc(200);
    struct stat st;
    int     fd;
    ssize_t written;
    bool    ok = false;

    bounce_log_path(path, service, queue_id);
    if ((fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CREAT
		   | O_CLOEXEC, 0600)) < 0 && errno == ENOENT) {
	/* A hash directory that nobody made yet. */
	mail_queue_dir(dir, service, queue_id);
	if (make_dirs(vstring_str(dir), 0700) < 0) {
	    vstring_sprintf(why, "create directory %s: %m", vstring_str(dir));
	    goto out;
	}
	fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CREAT
		  | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
	vstring_sprintf(why, "open %s: %m", vstring_str(path));
	goto out;
    }
    if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) != MYFLOCK_OK) {
	vstring_sprintf(why, "lock %s: %m", vstring_str(path));
	goto close;
    }
    if (fstat(fd, &st) < 0) {
	vstring_sprintf(why, "fstat %s: %m", vstring_str(path));
	goto close;
    }
    bounce_log_format(block, entry);
    written = write(fd, vstring_str(block), VSTRING_LEN(block));
    if (written != (ssize_t) VSTRING_LEN(block)) {
	if (written >= 0)
	    errno = ENOSPC;
	vstring_sprintf(why, "write %s: %m", vstring_str(path));
	/* Leave no torn block behind. */
	if (ftruncate(fd, st.st_size) < 0)
	    msg_warn("truncate %s: %m", vstring_str(path));
	goto close;
    }
    if (fsync(fd) < 0) {
	vstring_sprintf(why, "fsync %s: %m", vstring_str(path));
	goto close;
    }
    ok = true;
close:
    if (close(fd) < 0 && ok) {
	vstring_sprintf(why, "close %s: %m", vstring_str(path));
	ok = false;
    }
out:
    vstring_free(path);
    vstring_free(dir);
    vstring_free(block);
    return (ok);
}

/* bounce_log_read - read a whole log */
int     bounce_log_read(const char *service, const char *queue_id,
			        BOUNCE_LOG *log)
{
    VSTRING *path = vstring_alloc(100);
    VSTREAM *fp;
    int     result;

    bounce_log_path(path, service, queue_id);
    if ((fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) == 0) {
	result = (errno == ENOENT) ? 0 : -1;
	if (result < 0)
	    msg_warn("open %s: %m", vstring_str(path));
    } else {
	if (myflock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK,
		    MYFLOCK_OP_SHARED) != MYFLOCK_OK)
	    msg_warn("lock %s: %m", vstring_str(path));
	result = (bounce_log_parse(fp, log, vstring_str(path)) < 0) ? -1 : 1;
	(void) vstream_fclose(fp);
    }
    vstring_free(path);
    return (result);
}

/* bounce_log_remove - remove a log */
int     bounce_log_remove(const char *service, const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    int     result;

    bounce_log_path(path, service, queue_id);
    result = unlink(vstring_str(path));
    vstring_free(path);
    return (result);
}
