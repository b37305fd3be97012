/*
 * smtp_sink_dump - smtp-sink(1) capture files (-d, -D, -S)
 *
 * SYNOPSIS
 *	See smtp_sink.h.
 *
 * DESCRIPTION
 *	A transaction is captured in memory from DATA to ".", then
 *	written with one write(2): with -d to a file of its own (the
 *	expanded template plus the transaction's 8-digit hex id, created
 *	exclusively), with -D appended to the shared file (O_APPEND, so
 *	that parallel sessions never interleave). Missing directories
 *	in the expanded name are created.
 *
 *	The record: the -S string, then "X-Client-Addr:",
 *	"X-Client-Proto:", "X-Helo-Args:" (when HELO/EHLO/LHLO was seen),
 *	"X-Mail-Args:", one "X-Rcpt-Args:" per accepted RCPT, a
 *	three-line "Received:" header, the content as received (without
 *	the dot-stuffing, lines ended with newline), and an empty line.
 *
 *	The capture is bounded by SINK_DUMP_LIMIT bytes; content beyond
 *	it is left out, with one warning.
 *
 * DIAGNOSTICS
 *	Warnings: a capture that cannot be written (the session goes on),
 *	a capture that was cut short.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "make_dirs.h"
#include "mail_date.h"
#include "smtp_sink.h"

#define SINK_DUMP_LIMIT	(256UL * 1024 * 1024)	/* bytes per capture */

struct SINK_DUMP {
    VSTRING *text;			/* the record so far */
    char    id[9];			/* 8 hex digits */
    bool    truncated;			/* content was left out */
};

/* sink_dump_path - expand the strftime(3) template */
static VSTRING *sink_dump_path(VSTRING *path, const char *template,
			               const char *id)
{
    time_t  now = time(NULL);
    struct tm *tm = localtime(&now);
    size_t  size;
    size_t  len = 0;

    /* strftime() cannot tell "too small" from "empty": grow and retry. */
    if (*template != 0) {
	for (size = 100; size < 65536; size *= 2) {
	    VSTRING_RESET(path);
	    if (!vstring_space(path, size))
		break;
	    if ((len = strftime(vstring_str(path), size, template, tm)) > 0)
		break;
	}
    }
    path->len = len;
    VSTRING_TERMINATE(path);
    if (id != NULL)
	vstring_strcat(path, id);
    return path;
}

/* sink_dump_mkdirs - create the directories of a capture file name */
static void sink_dump_mkdirs(const char *path)
{
    char   *dir = mystrdup(path);
    char   *slash = strrchr(dir, '/');

    if (slash != NULL && slash != dir) {
	*slash = 0;
	if (make_dirs(dir, 0755) < 0)
	    msg_warn("create directory %s: %m", dir);
    }
    myfree(dir);
}

/* sink_dump_open - start capturing a transaction */
SINK_DUMP *sink_dump_open(const char *client_addr, const char *proto,
			          const char *helo_args, const char *mail_args,
			          const ARGV *rcpt_args)
{
    SINK_DUMP *dump;
    VSTRING *date;
    size_t  i;

    if (sink_opt.dump_single == NULL && sink_opt.dump_multi == NULL)
	return NULL;
    dump = (SINK_DUMP *) mymalloc(sizeof(*dump));
    dump->text = vstring_alloc(1024);
    vstring_set_maxlen(dump->text, SINK_DUMP_LIMIT);
    dump->truncated = false;
    snprintf(dump->id, sizeof(dump->id), "%08lx",
	     (unsigned long) (((unsigned long) random() << 16)
			      ^ (unsigned long) random()) & 0xffffffffUL);
    if (sink_opt.dump_start != NULL)
	vstring_memcat(dump->text, vstring_str(sink_opt.dump_start),
		       VSTRING_LEN(sink_opt.dump_start));
    vstring_sprintf_append(dump->text, "X-Client-Addr: %s\n", client_addr);
    vstring_sprintf_append(dump->text, "X-Client-Proto: %s\n", proto);
    if (helo_args != NULL)
	vstring_sprintf_append(dump->text, "X-Helo-Args: %s\n", helo_args);
    vstring_sprintf_append(dump->text, "X-Mail-Args: %s\n", mail_args);
    for (i = 0; i < rcpt_args->argc; i++)
	vstring_sprintf_append(dump->text, "X-Rcpt-Args: %s\n",
			       rcpt_args->argv[i]);
    date = mail_date(vstring_alloc(40), time(NULL));
    if (helo_args != NULL)
	vstring_sprintf_append(dump->text, "Received: from %s ([%s])\n",
			       helo_args, client_addr);
    else
	vstring_sprintf_append(dump->text, "Received: from [%s] ([%s])\n",
			       client_addr, client_addr);
    vstring_sprintf_append(dump->text,
			   "\tby %s (smtp-sink) with %s id %s;\n\t%s\n",
			   sink_opt.hostname, proto, dump->id,
			   vstring_str(date));
    vstring_free(date);
    return dump;
}

/* sink_dump_line - add message content */
void    sink_dump_line(SINK_DUMP *dump, const char *text, size_t len,
		               bool line_end)
{
    vstring_memcat(dump->text, text, len);
    if (line_end)
	VSTRING_ADDCH(dump->text, '\n');
    if (vstring_overflowed(dump->text) && !dump->truncated) {
	msg_warn("message capture longer than %lu bytes: truncated",
		 SINK_DUMP_LIMIT);
	dump->truncated = true;
    }
}

/* sink_dump_write - write the whole record to one file */
static void sink_dump_write(SINK_DUMP *dump, const char *path, int flags)
{
    const char *data = vstring_str(dump->text);
    size_t  left = VSTRING_LEN(dump->text);
    ssize_t done;
    int     fd;

    sink_dump_mkdirs(path);
    if ((fd = open(path, flags | O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0) {
	msg_warn("open %s: %m", path);
	return;
    }
    while (left > 0) {
	if ((done = write(fd, data, left)) < 0) {
	    if (errno == EINTR)
		continue;
	    msg_warn("write %s: %m", path);
	    break;
	}
	data += done;
	left -= (size_t) done;
    }
    if (close(fd) < 0)
	msg_warn("close %s: %m", path);
}

/* sink_dump_close - finish a capture and write it out */
void    sink_dump_close(SINK_DUMP *dump)
{
    VSTRING *path = vstring_alloc(100);

    /* The empty line that ends a record survives truncation. */
    vstring_set_maxlen(dump->text, 0);
    VSTRING_ADDCH(dump->text, '\n');
    if (sink_opt.dump_single != NULL)
	sink_dump_write(dump, vstring_str(sink_dump_path(path,
				   sink_opt.dump_single, dump->id)), O_EXCL);
    else
	sink_dump_write(dump, vstring_str(sink_dump_path(path,
					sink_opt.dump_multi, NULL)), O_APPEND);
    vstring_free(path);
    sink_dump_abort(dump);
}

/* sink_dump_abort - forget a capture */
void    sink_dump_abort(SINK_DUMP *dump)
{
    vstring_free(dump->text);
    myfree(dump);
}
