/*
 * flush_log - the per-destination logs of flush(8)
 *
 * SYNOPSIS
 *	See flush_log.h.
 *
 * DESCRIPTION
 *	The file format and the locking rules are in flush_log.h and
 *	docs/internals/protocols.md (section "flush"). Writers and
 *	readers take an exclusive flock() on the log for the whole
 *	append or read-and-empty, so an ID appended while a log is being
 *	taken either makes it into that reading or stays for the next.
 *
 *	What it does not do: decide which sites may have a log (flush(8)
 *	checks $fast_flush_domains), or touch queue files.
 *
 * DIAGNOSTICS
 *	See flush_log.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "htable.h"
#include "myflock.h"
#include "vstring_vstream.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "flush_clnt.h"
#include "flush_log.h"

/* flush_log_path - the path of a site's log; NULL for an invalid site */
const char *flush_log_path(VSTRING *buf, const char *site)
{
    char   *cp;

    if (!flush_site_ok(site))
	return (0);
    vstring_sprintf(buf, "%s/%s", MAIL_QUEUE_FLUSH, site);
    for (cp = vstring_str(buf) + strlen(MAIL_QUEUE_FLUSH) + 1; *cp; cp++)
	if (*cp == '.')
	    *cp = '_';
    (void) lowercase(vstring_str(buf) + strlen(MAIL_QUEUE_FLUSH) + 1);
    return (vstring_str(buf));
}

/* flush_log_append - add one queue ID to a log */
bool    flush_log_append(const char *path, const char *queue_id, VSTRING *why)
{
    VSTRING *line = vstring_alloc(50);
    ssize_t len;
    bool    ok = false;
    int     fd;

    vstring_sprintf(line, "%s\n", queue_id);
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) < 0) {
	vstring_sprintf(why, "open %s: %m", path);
    } else if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) < 0) {
	vstring_sprintf(why, "lock %s: %m", path);
    } else if ((len = write(fd, vstring_str(line), VSTRING_LEN(line)))
	       != (ssize_t) VSTRING_LEN(line)) {
	vstring_sprintf(why, "write %s: %s", path,
			len < 0 ? strerror(errno) : "short write");
    } else {
	ok = true;
    }
    if (fd >= 0 && close(fd) < 0 && ok) {
	vstring_sprintf(why, "close %s: %m", path);
	ok = false;
    }
    vstring_free(line);
    return (ok);
}

/* flush_log_bad_line - warn once per log about a line that is skipped */
static void flush_log_bad_line(VSTREAM *fp, size_t lineno, const char *what,
			               size_t *skipped)
{
    if ((*skipped)++ == 0)
	msg_warn("%s: line %lu: %s, skipped", vstream_path(fp),
		 (unsigned long) lineno, what);
}

/* flush_log_parse - the distinct queue IDs of a log */
size_t  flush_log_parse(VSTREAM *fp, ARGV *ids, size_t limit)
{
    VSTRING *line = vstring_alloc(FLUSH_LOG_LINE_MAX);
    HTABLE *seen = htable_create(100);
    size_t  lineno = 0;
    size_t  skipped = 0;
    size_t  taken = 0;
    int     last;

    while ((last = vstring_get_nonl_bound(line, fp, FLUSH_LOG_LINE_MAX))
	   != VSTREAM_EOF) {
	lineno++;
	if (last != '\n' && VSTRING_LEN(line) >= FLUSH_LOG_LINE_MAX) {
	    /* Drop the rest of the overlong line. */
	    while ((last = vstring_get_nonl_bound(line, fp,
						  FLUSH_LOG_LINE_MAX))
		   != VSTREAM_EOF && last != '\n'
		   && VSTRING_LEN(line) >= FLUSH_LOG_LINE_MAX)
		 /* void */ ;
	    flush_log_bad_line(fp, lineno, "line too long", &skipped);
	    continue;
	}
	if (memchr(vstring_str(line), 0, VSTRING_LEN(line)) != 0
	    || !queue_id_valid(vstring_str(line))) {
	    flush_log_bad_line(fp, lineno, VSTRING_LEN(line) == 0 ?
			       "empty line" : "not a queue ID", &skipped);
	    continue;
	}
	if (htable_find(seen, vstring_str(line)) != 0)
	    continue;
	if (taken >= limit) {
	    msg_warn("%s: more than %lu queue IDs, the rest is dropped",
		     vstream_path(fp), (unsigned long) limit);
	    break;
	}
	(void) htable_enter(seen, vstring_str(line), (void *) 1);
	argv_add(ids, vstring_str(line), (char *) 0);
	taken++;
    }
    htable_free(seen, (void (*) (void *)) 0);
    vstring_free(line);
    return (skipped);
}

/* flush_log_take - read and empty a log */
ARGV   *flush_log_take(const char *path, VSTRING *why)
{
    static const struct timespec read_now[2] = {
	{.tv_nsec = UTIME_NOW}, {.tv_nsec = UTIME_OMIT},
    };
    ARGV   *ids = argv_alloc(10);
    VSTREAM *fp;
    int     fd;

    if ((fd = open(path, O_RDWR | O_CLOEXEC, 0)) < 0) {
	if (errno == ENOENT)
	    return (ids);
	vstring_sprintf(why, "open %s: %m", path);
	return (argv_free(ids));
    }
    if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) < 0) {
	vstring_sprintf(why, "lock %s: %m", path);
	(void) close(fd);
	return (argv_free(ids));
    }
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, path);
    (void) flush_log_parse(fp, ids, FLUSH_LOG_ID_LIMIT);
    if (vstream_ferror(fp)) {
	vstring_sprintf(why, "read %s: %m", path);
	ids = argv_free(ids);
    } else if (ftruncate(fd, 0) < 0) {
	vstring_sprintf(why, "truncate %s: %m", path);
	ids = argv_free(ids);
    } else if (futimens(fd, read_now) < 0) {
	msg_warn("set access time of %s: %m", path);
    }
    (void) vstream_fclose(fp);
    return (ids);
}
