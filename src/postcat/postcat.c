/*
 * postcat - print queue files and maildrop files in readable form
 *
 * SYNOPSIS
 *	postcat [-bdehoqrv] [-c config_dir] [-s offset] [files...]
 *
 * DESCRIPTION
 *	postcat reads each named file (standard input without files) as a
 *	queue file or maildrop file (docs/internals/queue-file.md) and
 *	prints its records with Postfix's postcat labels: the envelope
 *	("message_size:", "message_arrival_time:", "sender:",
 *	"named_attribute:", "recipient:" ...), the message content line by
 *	line, and the records extracted from headers, with the section
 *	markers "*** ENVELOPE RECORDS <file> ***", "*** MESSAGE CONTENTS",
 *	"*** HEADER EXTRACTED" and "*** MESSAGE FILE END". The attributes
 *	create_time and full_name print as Postfix's "create_time:" (a
 *	date) and "sender_fullname:".
 *
 *	Options: -b body lines (from the first line that is not a header),
 *	-h header lines, -e envelope and extracted records with the
 *	section markers; none of them means all three. -o prints each
 *	record on its own line after its file offset, -d after its record
 *	type in decimal; -v prints content records with their labels
 *	("regular_text:", "unterminated_text:") and more diagnostics.
 *	-q takes the arguments as queue IDs and looks for them in the
 *	message queues under $queue_directory (hashed and unhashed). -r
 *	prints every record in file order, also the format record Q (we
 *	have no pointer records to follow). -s offset starts reading at
 *	that file offset; then the whole-file checks are skipped. -c
 *	config_dir reads main.cf there.
 *
 *	Without -s, each file is checked as qmgr checks it
 *	(queue_file_read()) while it is printed.
 *
 *	This program changes nothing, needs no privileges beyond read
 *	access to the files, and does not follow the content of a file
 *	anywhere.
 *
 * DIAGNOSTICS
 *	Problems go to standard error: "<file>: <what is damaged>" after
 *	printing what precedes the damage, "open queue file <id>: <error>",
 *	"bad mail queue ID: <id>". The other files are still printed; the
 *	exit status is 1 after any problem, else 0.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "open_std_fds.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "queue_file_read.h"
#include "queue_id.h"
#include "rec_type.h"
#include "record.h"

#define PC_FLAG_ENV	(1<<0)		/* -e */
#define PC_FLAG_HEAD	(1<<1)		/* -h */
#define PC_FLAG_BODY	(1<<2)		/* -b */
#define PC_FLAG_OFFSET	(1<<3)		/* -o */
#define PC_FLAG_DECIMAL	(1<<4)		/* -d */
#define PC_FLAG_RAW	(1<<5)		/* -r */
#define PC_FLAG_LABELS	(1<<6)		/* -v */

#define PC_ATTR_CREATE	"create_time"	/* A records shown as Postfix does */
#define PC_ATTR_FULL	"full_name"

/* Where in the file the printer is. */
typedef enum PC_SECTION {
    PC_ENVELOPE,			/* before M */
    PC_HEADER,				/* content, primary headers */
    PC_BODY,				/* content, the rest */
    PC_EXTRACTED,			/* after X */
} PC_SECTION;

/* One file being printed. */
typedef struct PC_STATE {
    int     flags;
    const char *name;			/* for markers and messages */
    PC_SECTION section;
    bool    in_line;			/* P records printed, L to come */
    bool    line_shown;			/* the current line is printed */
    bool    seen_header;		/* a header line was seen */
} PC_STATE;

/* pc_usage - explain and exit */
static NORETURN pc_usage(const char *progname)
{
    msg_fatal("usage: %s [-b (body text)] [-c config_dir] [-d (decimal"
	      " record type)] [-e (envelope records)] [-h (header text)]"
	      " [-o (record offsets)] [-q (access queue)] [-r (records in"
	      " file order)] [-s offset] [-v] [file(s)...]", progname);
}

/* pc_prefix - the -o and -d columns of one output line */
static void pc_prefix(PC_STATE *pc, int type, off_t offset)
{
    if (pc->flags & PC_FLAG_OFFSET)
	vstream_fprintf(VSTREAM_OUT, "%9lld ", (long long) offset);
    if (pc->flags & PC_FLAG_DECIMAL)
	vstream_fprintf(VSTREAM_OUT, "%3d ", type);
}

/* pc_marker - a section marker line */
static void pc_marker(PC_STATE *pc, int type, off_t offset, const char *what)
{
    if ((pc->flags & PC_FLAG_ENV) == 0)
	return;
    pc_prefix(pc, type, offset);
    vstream_fprintf(VSTREAM_OUT, "*** %s %s ***\n", what, pc->name);
}

/* pc_time - print seconds since the epoch as asctime() does */
static void pc_time(const char *data)
{
    char   *end;
    long long sec;
    time_t  when;
    struct tm *tm;
    char    buf[100];

    errno = 0;
    sec = strtoll(data, &end, 10);
    when = (time_t) sec;
    if (end == data || sec <= 0 || errno != 0 || (*end != 0 && *end != '.')
	|| (tm = localtime(&when)) == 0
	|| strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", tm) == 0)
	vstream_fputs(data, VSTREAM_OUT);
    else
	vstream_fputs(buf, VSTREAM_OUT);
}

/* pc_envelope - one envelope or extracted record */
static void pc_envelope(PC_STATE *pc, int type, const char *data,
			        size_t len, off_t offset)
{
    const char *attr = 0;
    const char *label = rec_type_name(type);
    bool    is_time = false;
    size_t  skip = 0;

    if ((pc->flags & PC_FLAG_ENV) == 0)
	return;
    if (type == REC_TYPE_FORMAT && (pc->flags & PC_FLAG_RAW) == 0)
	return;

    /* Records that Postfix keeps as named attributes print as those. */
    switch (type) {
    case REC_TYPE_DSN_ENVID:
    case REC_TYPE_DSN_RET:
    case REC_TYPE_DSN_ORCPT:
    case REC_TYPE_DSN_NOTIFY:
	attr = label;
	label = rec_type_name(REC_TYPE_ATTR);
	break;
    case REC_TYPE_ATTR:
	/* Attributes that Postfix keeps as records print as those. */
	if (strncmp(data, PC_ATTR_CREATE "=", sizeof(PC_ATTR_CREATE)) == 0) {
	    label = "create_time";
	    is_time = true;
	} else if (strncmp(data, PC_ATTR_FULL "=", sizeof(PC_ATTR_FULL)) == 0) {
	    label = "sender_fullname";
	} else {
	    break;
	}
	skip = strchr(data, '=') + 1 - data;
	break;
    }
    pc_prefix(pc, type, offset);
    vstream_fprintf(VSTREAM_OUT, "%s: ", label);
    if (attr != 0)
	vstream_fprintf(VSTREAM_OUT, "%s=", attr);
    if (type == REC_TYPE_TIME || type == REC_TYPE_WARN || is_time)
	pc_time(data + skip);
    else if (skip)
	vstream_fwrite(VSTREAM_OUT, data + skip, len - skip);
    else
	vstream_fwrite(VSTREAM_OUT, data, len);
    vstream_fputs("\n", VSTREAM_OUT);
}

/* pc_is_header - does a line start a header ("Name:") */
static bool pc_is_header(const char *data, size_t len)
{
    size_t  n = 0;

    while (n < len && (unsigned char) data[n] > ' '
	   && (unsigned char) data[n] < 0x7f && data[n] != ':')
	n++;
    if (n == 0)
	return false;
    while (n < len && (data[n] == ' ' || data[n] == '\t'))
	n++;
    return n < len && data[n] == ':';
}

/* pc_content - one L or P record */
static void pc_content(PC_STATE *pc, int type, const char *data,
		               size_t len, off_t offset)
{
    bool    split = (pc->flags & (PC_FLAG_OFFSET | PC_FLAG_LABELS)) != 0;

    if (pc->section == PC_ENVELOPE || pc->section == PC_EXTRACTED)
	pc->section = PC_HEADER;		/* -s into the content */

    /* A new line: is it still a header? */
    if (!pc->in_line) {
	if (pc->section == PC_HEADER) {
	    if (pc_is_header(data, len))
		pc->seen_header = true;
	    else if (!(pc->seen_header && len > 0
		       && (data[0] == ' ' || data[0] == '\t')))
		pc->section = PC_BODY;
	}
	pc->line_shown = (pc->section == PC_HEADER ?
			  (pc->flags & PC_FLAG_HEAD) != 0 :
			  (pc->flags & PC_FLAG_BODY) != 0);
	if (pc->line_shown && !split)
	    pc_prefix(pc, type, offset);
    }
    pc->in_line = (type == REC_TYPE_PART);
    if (!pc->line_shown)
	return;
    if (split) {
	pc_prefix(pc, type, offset);
	if (pc->flags & PC_FLAG_LABELS)
	    vstream_fprintf(VSTREAM_OUT, "%s: ", rec_type_name(type));
    }
    vstream_fwrite(VSTREAM_OUT, data, len);
    if (split || type == REC_TYPE_LINE)
	vstream_fputs("\n", VSTREAM_OUT);
}

/* pc_record - print one record; the queue_file_read() call-back */
static bool pc_record(int type, const char *data, size_t len, off_t offset,
		              void *context)
{
    PC_STATE *pc = (PC_STATE *) context;

    switch (type) {
    case REC_TYPE_MESSAGE:
	pc->section = PC_HEADER;
	pc_marker(pc, type, offset, "MESSAGE CONTENTS");
	break;
    case REC_TYPE_LINE:
    case REC_TYPE_PART:
	pc_content(pc, type, data, len, offset);
	break;
    case REC_TYPE_EXTRACT:
	if (pc->in_line && pc->line_shown)
	    vstream_fputs("\n", VSTREAM_OUT);
	pc->in_line = false;
	pc->section = PC_EXTRACTED;
	pc_marker(pc, type, offset, "HEADER EXTRACTED");
	break;
    case REC_TYPE_END:
	pc_marker(pc, type, offset, "MESSAGE FILE END");
	break;
    default:
	if (pc->in_line && pc->line_shown)
	    vstream_fputs("\n", VSTREAM_OUT);
	pc->in_line = false;
	pc_envelope(pc, type, data, len, offset);
	break;
    }
    return true;
}

/* pc_skip_read - -s: read records from an offset, no whole-file checks */
static bool pc_skip_read(VSTREAM *fp, PC_STATE *pc, off_t offset)
{
    VSTRING *buf = vstring_alloc(1024);
    int     type;
    bool    ok = false;

    for (;;) {
	if ((type = record_get(fp, buf, QUEUE_FILE_LIMIT)) < 0) {
	    if (type == RECORD_EOF)
		msg_warn("%s: missing end record at offset %lld",
			 pc->name, (long long) offset);
	    else
		msg_warn("%s: %s at offset %lld", pc->name,
			 record_error(type), (long long) offset);
	    break;
	}
	pc_record(type, vstring_str(buf), VSTRING_LEN(buf), offset, pc);
	offset = vstream_ftell(fp);
	if (type == REC_TYPE_END) {
	    if (VSTREAM_GETC(fp) != VSTREAM_EOF)
		msg_warn("%s: data after end record at offset %lld",
			 pc->name, (long long) offset);
	    else
		ok = true;
	    break;
	}
    }
    vstring_free(buf);
    return ok;
}

/* pc_file - print one open file */
static bool pc_file(VSTREAM *fp, const char *name, int flags, off_t skip)
{
    PC_STATE pc;
    QUEUE_FILE_INFO info;
    bool    ok;

    memset(&pc, 0, sizeof(pc));
    pc.flags = flags;
    pc.name = name;
    pc.section = PC_ENVELOPE;
    if (skip > 0) {
	if (vstream_fseek(fp, skip, SEEK_SET) < 0) {
	    msg_warn("%s: seek to offset %lld: %m", name, (long long) skip);
	    return false;
	}
	ok = pc_skip_read(fp, &pc, skip);
    } else {
	/* The first marker has no offset or type column. */
	if (flags & PC_FLAG_ENV)
	    vstream_fprintf(VSTREAM_OUT, "*** ENVELOPE RECORDS %s ***\n", name);
	queue_file_info_init(&info);
	ok = queue_file_read(fp, QUEUE_FILE_KIND_ANY, QUEUE_FILE_LIMIT,
			     pc_record, &pc, &info);
	if (!ok) {
	    if (pc.in_line && pc.line_shown)
		vstream_fputs("\n", VSTREAM_OUT);
	    msg_warn("%s: %s", name, vstring_str(info.why));
	}
	queue_file_info_free(&info);
    }
    if (vstream_fflush(VSTREAM_OUT) == VSTREAM_EOF)
	msg_fatal("write error on standard output: %m");
    return ok;
}

/* pc_queue_file - look up a queue ID and print its file */
static bool pc_queue_file(const char *id, int flags, off_t skip)
{
    VSTRING *path = vstring_alloc(100);
    VSTREAM *fp;
    bool    ok = false;

    if (!queue_id_valid(id)) {
	msg_warn("bad mail queue ID: %s", id);
    } else if (mail_queue_find(path, id, mail_queue_msg) == 0) {
	msg_warn("open queue file %s: No such file or directory", id);
    } else if ((fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) == 0) {
	msg_warn("open queue file %s: %m", vstring_str(path));
    } else {
	ok = pc_file(fp, vstring_str(path), flags, skip);
	(void) vstream_fclose(fp);
    }
    vstring_free(path);
    return ok;
}

/* pc_named_file - print a file given by its path */
static bool pc_named_file(const char *path, int flags, off_t skip)
{
    VSTREAM *fp;
    bool    ok;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
	msg_warn("open %s: %m", path);
	return false;
    }
    ok = pc_file(fp, path, flags, skip);
    (void) vstream_fclose(fp);
    return ok;
}

/* main - parse options and print each file */
int     main(int argc, char **argv)
{
    const char *progname = "postcat";
    int     flags = 0;
    bool    use_queue = false;
    bool    ok = true;
    long long skip = 0;
    char   *end;
    int     ch;
    int     n;

    open_std_fds();
    msg_stderr_init(progname);
    if (getenv("MAIL_VERBOSE") != 0)
	msg_verbose = 1;

    while ((ch = getopt(argc, argv, "bc:dehoqrs:v")) != -1) {
	switch (ch) {
	case 'b':
	    flags |= PC_FLAG_BODY;
	    break;
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'd':
	    flags |= PC_FLAG_DECIMAL;
	    break;
	case 'e':
	    flags |= PC_FLAG_ENV;
	    break;
	case 'h':
	    flags |= PC_FLAG_HEAD;
	    break;
	case 'o':
	    flags |= PC_FLAG_OFFSET;
	    break;
	case 'q':
	    use_queue = true;
	    break;
	case 'r':
	    flags |= PC_FLAG_RAW;
	    break;
	case 's':
	    errno = 0;
	    skip = strtoll(optarg, &end, 10);
	    if (*optarg == 0 || *end != 0 || skip < 0 || errno != 0)
		msg_fatal("bad offset: %s", optarg);
	    break;
	case 'v':
	    msg_verbose++;
	    flags |= PC_FLAG_LABELS;
	    break;
	default:
	    pc_usage(argv[0]);
	}
    }
    if ((flags & (PC_FLAG_ENV | PC_FLAG_HEAD | PC_FLAG_BODY)) == 0)
	flags |= PC_FLAG_ENV | PC_FLAG_HEAD | PC_FLAG_BODY;
    mail_conf_read();

    if (use_queue) {
	if (optind == argc)
	    msg_fatal("-q requires one or more queue IDs");
	if (chdir(VAR_STR(queue_directory)) < 0)
	    msg_fatal("chdir %s: %m", VAR_STR(queue_directory));
	for (n = optind; n < argc; n++)
	    if (!pc_queue_file(argv[n], flags, (off_t) skip))
		ok = false;
    } else if (optind == argc) {
	ok = pc_file(VSTREAM_IN, "stdin", flags, (off_t) skip);
    } else {
	for (n = optind; n < argc; n++)
	    if (!pc_named_file(argv[n], flags, (off_t) skip))
		ok = false;
    }
    exit(ok ? 0 : 1);
}
