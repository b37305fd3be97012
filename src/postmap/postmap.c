/*
 * postmap - create, query or update Postfix lookup tables
 *
 * SYNOPSIS
 *	postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key]
 *		[file_type:]file_name ...
 *
 * DESCRIPTION
 *	The command described in docs/man/postmap.1. It builds an indexed
 *	table from a source file ("key whitespace value" lines, see
 *	mkmap_source(3)) through mkmap(3), so that the new table replaces
 *	the old one atomically; updates a table from standard input (-i);
 *	queries (-q), deletes (-d) or lists (-s) entries (see dict_cmd(3));
 *	and turns a message on standard input into header or body lookup
 *	keys (-q - with -h, -b, -m, see postmap_mime(3)).
 *
 *	-N and -n are accepted for compatibility and change nothing: our
 *	table formats store keys without a terminating null byte (and find
 *	keys with one in tables that Postfix built).
 *
 * DIAGNOSTICS
 *	Problems go to standard error and the mail log. Exit status 0 on
 *	success (for -q and -d: something was found), 1 otherwise.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "stringops.h"
#include "argv.h"
#include "clean_env.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "dict.h"
#include "dict_cmd.h"
#include "mkmap.h"
#include "mkmap_source.h"
#include "postmap_mime.h"

#define POSTMAP_FLAG_AS_OWNER	DICT_CMD_BUILD_AS_OWNER
#define POSTMAP_FLAG_SAVE_PERM	DICT_CMD_BUILD_SAVE_PERM
#define POSTMAP_FLAG_HEADER_KEY	(1<<2)	/* -h */
#define POSTMAP_FLAG_BODY_KEY	(1<<3)	/* -b */
#define POSTMAP_FLAG_MIME_KEY	(1<<4)	/* -m */

#define POSTMAP_FLAG_HB_KEY	(POSTMAP_FLAG_HEADER_KEY | POSTMAP_FLAG_BODY_KEY)
#define POSTMAP_FLAG_ANY_KEY	(POSTMAP_FLAG_HB_KEY | POSTMAP_FLAG_MIME_KEY)

#define POSTMAP_KEY_LIMIT	MKMAP_SOURCE_LINE_LIMIT

/* Lookups for keys that postmap_mime() generates. */
typedef struct POSTMAP_KEYS {
    DICT_CMD *cmd;
    bool    found;
} POSTMAP_KEYS;

static NORETURN usage(const char *myname);

/* usage - explain and exit */
static NORETURN usage(const char *myname)
{
    msg_fatal("usage: %s [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] "
	      "[-q key] [map_type:]file...", myname);
}

/* postmap_build - create a table from its source file, or update it */
static void postmap_build(const char *type, const char *name,
			          int postmap_flags, int open_flags,
			          int dict_flags)
{
    VSTREAM *source_fp;
    MKMAP_SOURCE *source;
    MKMAP  *mkmap;
    VSTRING *b64 = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    const char *key;
    const char *value;

    mkmap = dict_cmd_build_open(type, name, postmap_flags, open_flags,
				dict_flags, &source_fp);
    source = mkmap_source_open(source_fp,
			       (dict_flags & DICT_FLAG_UTF8_REQUEST) ?
			       MKMAP_SOURCE_FLAG_UTF8 : MKMAP_SOURCE_FLAG_NONE);
    while (mkmap_source_next(source, &key, &value)) {
	if (dict_flags & DICT_FLAG_SRC_RHS_IS_FILE) {
	    if (dict_cmd_files_to_b64(b64, value, why) == NULL) {
		msg_warn("%s, line %d: %s: skipping this entry",
			 mkmap_source_path(source), mkmap_source_lineno(source),
			 vstring_str(why));
		continue;
	    }
	    value = vstring_str(b64);
	}
	(void) mkmap_append(mkmap, key, value);
    }
    if (vstream_ferror(source_fp))
	msg_fatal("read %s: %m", vstream_path(source_fp));
    mkmap_source_close(source);
    mkmap_close(mkmap);
    if (source_fp != VSTREAM_IN)
	(void) vstream_fclose(source_fp);
    vstring_free(b64);
    vstring_free(why);
}

/* postmap_key - look up one generated key (-b, -h) */
static void postmap_key(const char *key, void *context)
{
    POSTMAP_KEYS *keys = context;
    const char *value;

    if ((value = dict_cmd_find(keys->cmd, key)) != NULL) {
	vstream_printf("%s\t%s\n", key, value);
	keys->found = true;
    }
}

/* postmap_mime_queries - "-q -" with -b/-h/-m: keys from a message */
static bool postmap_mime_queries(char **maps, int count, int postmap_flags,
				         int dict_flags)
{
    POSTMAP_KEYS keys;
    POSTMAP_MIME *mime;
    VSTRING *line = vstring_alloc(100);
    int     mime_flags = 0;

    keys.cmd = dict_cmd_create(maps, count, VAR_STR(default_database_type),
			       O_RDONLY, dict_flags);
    keys.found = false;
    if (postmap_flags & POSTMAP_FLAG_HEADER_KEY)
	mime_flags |= POSTMAP_MIME_FLAG_HEADER;
    if (postmap_flags & POSTMAP_FLAG_BODY_KEY)
	mime_flags |= POSTMAP_MIME_FLAG_BODY;
    if (postmap_flags & POSTMAP_FLAG_MIME_KEY)
	mime_flags |= POSTMAP_MIME_FLAG_MIME;
    mime = postmap_mime_create(mime_flags, postmap_key, &keys);
    while (vstring_get_nonl_bound(line, VSTREAM_IN, POSTMAP_KEY_LIMIT)
	   != VSTREAM_EOF
	   && postmap_mime_update(mime, vstring_str(line)))
	 /* void */ ;
    postmap_mime_end(mime);
    postmap_mime_free(mime);
    if (vstream_fflush(VSTREAM_OUT) != 0)
	msg_fatal("write error: %m");
    dict_cmd_free(keys.cmd);
    vstring_free(line);
    return keys.found;
}

/* main - parse the command line and do the work */
int     main(int argc, char **argv)
{
    int     postmap_flags = POSTMAP_FLAG_AS_OWNER | POSTMAP_FLAG_SAVE_PERM;
    DICT_CMD_ARGS args;
    bool    force_utf8 = false;
    const char *type;
    const char *name;
    int     ch;

    umask(022);
    open_std_fds();
    argv[0] = (char *) base_name(argv[0]);
    msg_stderr_init(argv[0]);
    if (getenv("MAIL_VERBOSE"))
	msg_verbose = 1;

    dict_cmd_args_init(&args);
    while ((ch = getopt(argc, argv, "+bc:d:fFhimnNopq:rsuUvw")) > 0) {
	if (dict_cmd_option(&args, ch, optarg))
	    continue;
	switch (ch) {
	default:
	    usage(argv[0]);
	case 'b':
	    postmap_flags |= POSTMAP_FLAG_BODY_KEY;
	    break;
	case 'F':
	    args.dict_flags |= DICT_FLAG_SRC_RHS_IS_FILE;
	    break;
	case 'h':
	    postmap_flags |= POSTMAP_FLAG_HEADER_KEY;
	    break;
	case 'm':
	    postmap_flags |= POSTMAP_FLAG_MIME_KEY;
	    break;
	case 'o':
	    postmap_flags &= ~POSTMAP_FLAG_AS_OWNER;
	    break;
	case 'p':
	    postmap_flags &= ~POSTMAP_FLAG_SAVE_PERM;
	    break;
	case 'U':
	    force_utf8 = true;
	    break;
	}
    }
    mail_conf_read();
    dict_cmd_import_env();
    maillog_client_init(argv[0], MAILLOG_CLIENT_FLAG_NONE);

    if ((args.query == NULL || strcmp(args.query, "-") != 0)
	&& (postmap_flags & POSTMAP_FLAG_ANY_KEY))
	msg_fatal("specify -b -h or -m only with \"-q -\"");
    if ((postmap_flags & POSTMAP_FLAG_ANY_KEY) == POSTMAP_FLAG_MIME_KEY)
	msg_warn("ignoring -m option without -b or -h");
    if (!VAR_BOOL(smtputf8_enable)
	|| ((postmap_flags & POSTMAP_FLAG_HB_KEY) && !force_utf8))
	args.dict_flags &= ~DICT_FLAG_UTF8_REQUEST;

    /* Query, delete and list errors end the program. */
    if (optind >= argc && !args.sequence)
	usage(argv[0]);
    if (postmap_flags & POSTMAP_FLAG_HB_KEY)
	exit(postmap_mime_queries(argv + optind, argc - optind, postmap_flags,
				  args.dict_flags | DICT_FLAG_LOCK
				  | DICT_FLAG_OPEN_FATAL) ? 0 : 1);
    dict_cmd_run_lookups(&args, argv + optind, argc - optind, "\t");
    for (; optind < argc; optind++) {
	dict_cmd_split(argv[optind], VAR_STR(default_database_type),
		       &type, &name);
	postmap_build(type, name, postmap_flags, args.open_flags,
		      args.dict_flags);
    }
    exit(0);
}
