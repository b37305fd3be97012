/*
 * postalias - create, query or update Postfix alias databases
 *
 * SYNOPSIS
 *	postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key]
 *		[file_type:]file_name ...
 *
 *	newaliases [-v] [-C config_dir] [-oAalias_file]
 *
 * DESCRIPTION
 *	The command described in docs/man/postalias.1. It builds an alias
 *	database from an aliases(5) file (see mkmap_source(3)) through
 *	mkmap(3), so that the new table replaces the old one atomically,
 *	and adds the Sendmail "@" record and the NIS YP_LAST_MODIFIED and
 *	YP_MASTER_NAME records, as Postfix does; updates a database from
 *	standard input (-i); and queries, deletes or lists entries (see
 *	dict_cmd(3)).
 *
 *	Invoked as "newaliases" (docs/man/newaliases.1), the program
 *	rebuilds every table in $alias_database, or the file given with
 *	-oA, like "postalias $alias_database".
 *
 * DIAGNOSTICS
 *	Problems go to standard error and the mail log. Exit status 0 on
 *	success (for -q and -d: something was found), 1 otherwise;
 *	newaliases with a recipient argument exits with status 75.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

#define POSTALIAS_FLAG_AS_OWNER		DICT_CMD_BUILD_AS_OWNER
#define POSTALIAS_FLAG_SAVE_PERM	DICT_CMD_BUILD_SAVE_PERM

#define POSTALIAS_KEY_LIMIT	MKMAP_SOURCE_LINE_LIMIT
#define NEWALIASES_EX_TEMPFAIL	75

static NORETURN usage(const char *myname);

/* usage - explain and exit */
static NORETURN usage(const char *myname)
{
    msg_fatal("usage: %s [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] "
	      "[map_type:]file...", myname);
}

/* postalias_build - create an alias database from its source, or update it */
static void postalias_build(const char *type, const char *name,
			            int postalias_flags, int open_flags,
			            int dict_flags)
{
    VSTREAM *source_fp;
    MKMAP_SOURCE *source;
    MKMAP  *mkmap;
    DICT   *dict;
    VSTRING *stamp = vstring_alloc(20);
    const char *key;
    const char *value;

    mkmap = dict_cmd_build_open(type, name, postalias_flags, open_flags,
				dict_flags, &source_fp);
    source = mkmap_source_open(source_fp, MKMAP_SOURCE_FLAG_ALIAS
			       | ((dict_flags & DICT_FLAG_UTF8_REQUEST) ?
				  MKMAP_SOURCE_FLAG_UTF8 : 0));
    while (mkmap_source_next(source, &key, &value))
	(void) mkmap_append(mkmap, key, value);
    if (vstream_ferror(source_fp))
	msg_fatal("read %s: %m", vstream_path(source_fp));
    mkmap_source_close(source);

    /*
     * Trailer records: Sendmail's "@" says that the database is complete;
     * NIS clients want the time and the master host, in upper case.
     * An update replaces the old ones.
     */
    dict = mkmap_dict(mkmap);
    if ((open_flags & O_TRUNC) == 0) {
	dict->flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE);
	dict->flags |= DICT_FLAG_DUP_REPLACE;
    }
    (void) mkmap_append(mkmap, "@", "@");
    dict->flags &= ~DICT_FLAG_FOLD_FIX;
    vstring_sprintf(stamp, "%010ld", (long) time((time_t *) 0));
    (void) mkmap_append(mkmap, "YP_LAST_MODIFIED", vstring_str(stamp));
    (void) mkmap_append(mkmap, "YP_MASTER_NAME", VAR_STR(myhostname));
    mkmap_close(mkmap);

    if (source_fp != VSTREAM_IN)
	(void) vstream_fclose(source_fp);
    vstring_free(stamp);
}

/* postalias_setup - read main.cf and set up logging */
static void postalias_setup(const char *progname)
{
    mail_conf_read();
    dict_cmd_import_env();
    maillog_client_init(progname, MAILLOG_CLIENT_FLAG_NONE);
}

/* newaliases - rebuild the alias databases (sendmail -bi) */
static NORETURN newaliases(int argc, char **argv)
{
    int     dict_flags = DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX
	| DICT_FLAG_UTF8_REQUEST;
    const char *alias_file = NULL;
    ARGV   *maps;
    const char *type;
    const char *name;
    size_t  n;
    int     ch;

    /* Sendmail options that make sense here; others are ignored. */
    opterr = 0;
    while ((ch = getopt(argc, argv, "+B:b:C:c:F:f:Io:R:r:tUV:vX:")) > 0) {
	switch (ch) {
	case 'C':
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'o':
	    if (optarg[0] == 'A' && optarg[1] != 0)
		alias_file = optarg + 1;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    break;
	}
    }
    if (optind < argc)
	msg_fatal_status(NEWALIASES_EX_TEMPFAIL,
			 "alias initialization mode requires no recipient");

    /* From here on the work is postalias's, and so are the messages. */
    msg_stderr_init("postalias");
    postalias_setup("postalias");
    if (!VAR_BOOL(smtputf8_enable))
	dict_flags &= ~DICT_FLAG_UTF8_REQUEST;
    maps = argv_split(alias_file ? alias_file : VAR_STR(alias_database),
		      CHARS_COMMA_SP);
    for (n = 0; n < maps->argc; n++) {
	dict_cmd_split(maps->argv[n], VAR_STR(default_database_type),
		       &type, &name);
	postalias_build(type, name, POSTALIAS_FLAG_AS_OWNER
			| POSTALIAS_FLAG_SAVE_PERM, O_RDWR | O_CREAT | O_TRUNC,
			dict_flags);
    }
    argv_free(maps);
    exit(0);
}

/* main - parse the command line and do the work */
int     main(int argc, char **argv)
{
    int     postalias_flags = POSTALIAS_FLAG_AS_OWNER | POSTALIAS_FLAG_SAVE_PERM;
    DICT_CMD_ARGS args;
    const char *type;
    const char *name;
    int     ch;

    umask(022);
    open_std_fds();
    argv[0] = (char *) base_name(argv[0]);
    msg_stderr_init(argv[0]);
    if (getenv("MAIL_VERBOSE"))
	msg_verbose = 1;
    if (strcmp(argv[0], "newaliases") == 0)
	newaliases(argc, argv);

    dict_cmd_args_init(&args);
    while ((ch = getopt(argc, argv, "+Nc:d:finopq:rsuvw")) > 0) {
	if (dict_cmd_option(&args, ch, optarg))
	    continue;
	switch (ch) {
	default:
	    usage(argv[0]);
	case 'o':
	    postalias_flags &= ~POSTALIAS_FLAG_AS_OWNER;
	    break;
	case 'p':
	    postalias_flags &= ~POSTALIAS_FLAG_SAVE_PERM;
	    break;
	}
    }
    postalias_setup(argv[0]);
    if (!VAR_BOOL(smtputf8_enable))
	args.dict_flags &= ~DICT_FLAG_UTF8_REQUEST;
    if (optind >= argc && !args.sequence)
	usage(argv[0]);
    dict_cmd_run_lookups(&args, argv + optind, argc - optind, ":\t");
    for (; optind < argc; optind++) {
	dict_cmd_split(argv[optind], VAR_STR(default_database_type),
		       &type, &name);
	postalias_build(type, name, postalias_flags, args.open_flags,
			args.dict_flags);
    }
    exit(0);
}
