/*
 * postconf - display and edit the mail system configuration
 *
 * SYNOPSIS
 *	postconf [-dfhHnopvx] [-c config_dir] [-C class,...] [parameter ...]
 *	postconf [-epv] [-c config_dir] parameter=value ...
 *	postconf -# | -X [-pv] [-c config_dir] parameter ...
 *	postconf -M [-fovx] [-c config_dir] [service[/type] ...]
 *	postconf -M [-ev] [-c config_dir] service/type=value ...
 *	postconf -M# | -MX [-v] [-c config_dir] service/type ...
 *	postconf -F [-fhHovx] [-c config_dir] [service[/type[/field]] ...]
 *	postconf -F [-ev] [-c config_dir] service/type/field=value ...
 *	postconf -P [-fhHovx] [-c config_dir] [service[/type[/name]] ...]
 *	postconf -P [-ev] [-c config_dir] service/type/name=value ...
 *	postconf -PX [-v] [-c config_dir] service/type/name ...
 *	postconf -b | -t [-v] [-c config_dir] [template_file]
 *	postconf -T mode [-v] [-c config_dir]
 *	postconf -a | -A | -l | -m [-v] [-c config_dir]
 *
 * DESCRIPTION
 *	This file parses the command line, rejects option combinations
 *	that make no sense (with Postfix's messages), and runs the
 *	requested job; the work itself is done by the postconf_*.c
 *	modules (see postconf.h). The user interface is described in
 *	postconf(1) (docs/man/man1/postconf.1).
 *
 *	Options are recognized up to the first non-option argument, as
 *	with Postfix: "postconf name -n" asks for the parameters "name"
 *	and "-n".
 *
 * DIAGNOSTICS
 *	Problems go to the standard error stream. Exit status 0 on
 *	success (unknown parameter names and unmatched patterns are only
 *	warnings), 1 after a fatal error or an unknown -T mode.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "open_std_fds.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "argv.h"
#include "name_mask.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "postconf.h"

 /*
  * Which options go together, and what postconf says when they do not
  * (Postfix's rules and messages).
  *
  * A major mode says what to show or edit; at most one may be given, and
  * without one, postconf shows main.cf parameters (-p). The other options
  * modify the major mode.
  */
#define PCF_MAJOR_MODES	(PCF_SHOW_SASL_SERV | PCF_SHOW_SASL_CLNT \
	| PCF_EXP_DSN_TEMPL | PCF_SHOW_LOCKS | PCF_SHOW_MAPS \
	| PCF_DUMP_DSN_TEMPL | PCF_MAIN_PARAM | PCF_MASTER_MASK \
	| PCF_SHOW_TLS)

 /*
  * Display options that rival each other. An edit (-e, -X, -#) shows
  * nothing, so it rivals each of these sets too, and the edit options
  * rival one another. The sets are checked in this order; the first that
  * has two of its options (edits included) present is reported as
  * "specify one of <those options>".
  */
static const int pcf_display_rivals[] = {
    PCF_SHOW_DEFS | PCF_SHOW_NONDEF,	/* defaults, or the other values */
    PCF_FOLD_LINE,			/* nothing to fold in an edit */
    PCF_SHOW_EVAL,			/* nothing to expand in an edit */
    PCF_MAIN_OVER | PCF_SHOW_DEFS,	/* overrides hide the defaults */
    PCF_HIDE_NAME | PCF_HIDE_VALUE,	/* the name, or the value */
};

 /*
  * Each modifier and the major modes that accept it. The modifiers given
  * with a major mode that does not accept them are reported together:
  * "with option <mode>, do not specify <modifiers>".
  */
typedef struct PCF_MODIFIER_USE {
    int     modifier;
    int     modes;			/* major modes that accept it */
} PCF_MODIFIER_USE;

static const PCF_MODIFIER_USE pcf_modifier_uses[] = {
    {PCF_SHOW_DEFS, PCF_MAIN_PARAM},
    {PCF_SHOW_NONDEF, PCF_MAIN_PARAM},
    {PCF_EDIT_CONF, PCF_MAIN_PARAM | PCF_MASTER_MASK},
    {PCF_EDIT_EXCL, PCF_MAIN_PARAM | PCF_MASTER_ENTRY | PCF_MASTER_PARAM},
    {PCF_COMMENT_OUT, PCF_MAIN_PARAM | PCF_MASTER_ENTRY},
    {PCF_FOLD_LINE, PCF_MAIN_PARAM | PCF_MASTER_MASK},
    {PCF_SHOW_EVAL, PCF_MAIN_PARAM | PCF_MASTER_MASK},
    {PCF_MAIN_OVER, PCF_MAIN_PARAM | PCF_MASTER_MASK},
    {PCF_HIDE_NAME, PCF_MAIN_PARAM | PCF_MASTER_FLD | PCF_MASTER_PARAM},
    {PCF_HIDE_VALUE, PCF_MAIN_PARAM | PCF_MASTER_FLD | PCF_MASTER_PARAM},
};

static const NAME_MASK pcf_option_names[] = {
    {"-a", PCF_SHOW_SASL_SERV},
    {"-A", PCF_SHOW_SASL_CLNT},
    {"-b", PCF_EXP_DSN_TEMPL},
    {"-d", PCF_SHOW_DEFS},
    {"-e", PCF_EDIT_CONF},
    {"-f", PCF_FOLD_LINE},
    {"-F", PCF_MASTER_FLD},
    {"-h", PCF_HIDE_NAME},
    {"-H", PCF_HIDE_VALUE},
    {"-l", PCF_SHOW_LOCKS},
    {"-m", PCF_SHOW_MAPS},
    {"-M", PCF_MASTER_ENTRY},
    {"-n", PCF_SHOW_NONDEF},
    {"-o", PCF_MAIN_OVER},
    {"-p", PCF_MAIN_PARAM},
    {"-P", PCF_MASTER_PARAM},
    {"-t", PCF_DUMP_DSN_TEMPL},
    {"-T", PCF_SHOW_TLS},
    {"-x", PCF_SHOW_EVAL},
    {"-X", PCF_EDIT_EXCL},
    {"-#", PCF_COMMENT_OUT},
    {0, 0},
};

static const NAME_MASK pcf_class_names[] = {
    {"builtin", PCF_PARAM_FLAG_BUILTIN},
    {"service", PCF_PARAM_FLAG_SERVICE},
    {"user", PCF_PARAM_FLAG_USER},
    {"all", PCF_PARAM_MASK_CLASS},
    {0, 0},
};

/* usage - one-line synopsis of every option, then exit */
static NORETURN usage(const char *progname)
{
    msg_fatal("usage: %s"
	      " [-a (server SASL types)]"
	      " [-A (client SASL types)]"
	      " [-b (bounce templates)]"
	      " [-c config_dir]"
	      " [-C param_class]"
	      " [-d (parameter defaults)]"
	      " [-e (edit configuration)]"
	      " [-f (fold lines)]"
	      " [-F (master.cf fields)]"
	      " [-h (no names)]"
	      " [-H (no values)]"
	      " [-l (lock types)]"
	      " [-m (map types)]"
	      " [-M (master.cf)]"
	      " [-n (non-default parameters)]"
	      " [-o name=value (override parameter value)]"
	      " [-p (main.cf, default)]"
	      " [-P (master.cf parameters)]"
	      " [-t (bounce templates)]"
	      " [-T compile-version|run-version|public-key-algorithms]"
	      " [-v (verbose)]"
	      " [-x (expand parameter values)]"
	      " [-X (exclude)]"
	      " [-# (comment-out)]"
	      " [name...]", progname);
}

/* pcf_option_list - option names of mask bits, space separated */
static const char *pcf_option_list(VSTRING *buf, int mask)
{
    return str_name_mask_opt(buf, "postconf options", pcf_option_names,
			     (unsigned) mask, NAME_MASK_SPACE | NAME_MASK_NUMBER);
}

/* pcf_check_one_of - at most one of a set of options */
static void pcf_check_one_of(VSTRING *buf, int present)
{
    if (present & (present - 1))
	msg_fatal("specify one of %s", pcf_option_list(buf, present));
}

/* pcf_check_options - reject combinations that make no sense */
static void pcf_check_options(int mode)
{
    VSTRING *buf = vstring_alloc(100);
    VSTRING *buf2 = vstring_alloc(100);
    int     major = mode & PCF_MAJOR_MODES;
    int     misplaced = 0;
    size_t  n;

    pcf_check_one_of(buf, major);
    for (n = 0; n < ARRAY_LEN(pcf_display_rivals); n++)
	pcf_check_one_of(buf, mode & (pcf_display_rivals[n] | PCF_EDIT_MASK));
    for (n = 0; n < ARRAY_LEN(pcf_modifier_uses); n++)
	if ((mode & pcf_modifier_uses[n].modifier)
	    && (major & pcf_modifier_uses[n].modes) == 0)
	    misplaced |= pcf_modifier_uses[n].modifier;
    if (misplaced)
	msg_fatal("with option %s, do not specify %s",
		  pcf_option_list(buf, major), pcf_option_list(buf2, misplaced));
    vstring_free(buf);
    vstring_free(buf2);
}

/* pcf_parse_classes - the -C argument */
static int pcf_parse_classes(const char *arg)
{
    char   *copy = mystrdup(arg);
    char   *cp = copy;
    char   *name;
    int     classes = 0;
    size_t  n;

    while ((name = mystrtok(&cp, CHARS_COMMA_SP "|")) != NULL) {
	for (n = 0; pcf_class_names[n].name; n++)
	    if (strcasecmp(name, pcf_class_names[n].name) == 0)
		break;
	if (pcf_class_names[n].name == NULL)
	    msg_fatal("unknown -C option value \"%s\" in \"%s\"",
		      excerpt(name), excerpt(arg));
	classes |= pcf_class_names[n].mask;
    }
    myfree(copy);
    return classes;
}

/* pcf_fatal_exit - msg_fatal() hook: leave without exit handlers */
static void pcf_fatal_exit(void)
{

    /*
     * As with Postfix, unwritten standard output is dropped; skipping the
     * exit handlers also keeps leak checkers quiet about the memory that a
     * fatal error leaves behind. msg_panic() runs this hook too, so a
     * panic also ends with status 1 rather than a core dump.
     */
    _exit(1);
}

/* pcf_load_configuration - main.cf, master.cf and every known name */
static void pcf_load_configuration(int mode, ARGV *overrides,
				           int master_open_mode)
{
    if ((mode & PCF_SHOW_DEFS) == 0)
	pcf_read_parameters(overrides);
    pcf_register_builtin_parameters();
    pcf_read_master(master_open_mode);
    pcf_register_service_parameters();
    if ((mode & PCF_SHOW_DEFS) == 0)
	pcf_register_user_parameters();
}

/* main - parse options and run the job */
int     main(int argc, char **argv)
{
    int     mode = 0;
    int     param_class = PCF_PARAM_MASK_CLASS;
    ARGV   *overrides = NULL;
    const char *tls_mode = NULL;
    const char *template_file = NULL;
    int     status = 0;
    int     ch;

    umask(022);
    open_std_fds();
    msg_stderr_init(argv[0]);
    (void) msg_cleanup(pcf_fatal_exit);
    mail_params_set_process_name(argv[0]);

    /*
     * A leading '+': stop at the first non-option, as Postfix does. -E is
     * known to getopt but gets the usage message, as with Postfix.
     */
    while ((ch = getopt(argc, argv, "+aAbc:C:deEfFhHlmMno:pPtT:vxX#")) != -1) {
	switch (ch) {
	case 'a':
	    mode |= PCF_SHOW_SASL_SERV;
	    break;
	case 'A':
	    mode |= PCF_SHOW_SASL_CLNT;
	    break;
	case 'b':
	case 't':
	    if (mode & (PCF_EXP_DSN_TEMPL | PCF_DUMP_DSN_TEMPL))
		msg_fatal("specify one of -b and -t");
	    mode |= (ch == 'b' ? PCF_EXP_DSN_TEMPL : PCF_DUMP_DSN_TEMPL);
	    break;
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'C':
	    param_class = pcf_parse_classes(optarg);
	    break;
	case 'd':
	    mode |= PCF_SHOW_DEFS;
	    break;
	case 'e':
	    mode |= PCF_EDIT_CONF;
	    break;
	case 'f':
	    mode |= PCF_FOLD_LINE;
	    break;
	case 'F':
	    mode |= PCF_MASTER_FLD;
	    break;
	case 'h':
	    mode |= PCF_HIDE_NAME;
	    break;
	case 'H':
	    mode |= PCF_HIDE_VALUE;
	    break;
	case 'l':
	    mode |= PCF_SHOW_LOCKS;
	    break;
	case 'm':
	    mode |= PCF_SHOW_MAPS;
	    break;
	case 'M':
	    mode |= PCF_MASTER_ENTRY;
	    break;
	case 'n':
	    mode |= PCF_SHOW_NONDEF;
	    break;
	case 'o':
	    mode |= PCF_MAIN_OVER;
	    if (overrides == NULL)
		overrides = argv_alloc(2);
	    argv_add(overrides, optarg, ARGV_END);
	    break;
	case 'p':
	    mode |= PCF_MAIN_PARAM;
	    break;
	case 'P':
	    mode |= PCF_MASTER_PARAM;
	    break;
	case 'T':
	    mode |= PCF_SHOW_TLS;
	    tls_mode = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	case 'x':
	    mode |= PCF_SHOW_EVAL;
	    break;
	case 'X':
	    mode |= PCF_EDIT_EXCL;
	    break;
	case '#':
	    mode |= PCF_COMMENT_OUT;
	    break;
	default:
	    usage(argv[0]);
	}
    }

    /*
     * Make the implied options explicit before checking combinations:
     * main.cf is the default subject, and name=value means "edit".
     */
    if ((mode & PCF_MAJOR_MODES) == 0)
	mode |= PCF_MAIN_PARAM;
    if ((mode & (PCF_MAIN_PARAM | PCF_MASTER_MASK))
	&& argv[optind] != NULL && strchr(argv[optind], '=') != NULL)
	mode |= PCF_EDIT_CONF;
    pcf_check_options(mode);
    if ((mode & PCF_EDIT_CONF) && optind == argc)
	msg_fatal("-e requires name=value argument");

    if (mode & (PCF_EXP_DSN_TEMPL | PCF_DUMP_DSN_TEMPL)) {
	if (optind < argc) {
	    if (optind + 1 < argc)
		msg_fatal("options -b and -t require at most one template file");
	    template_file = argv[optind];
	}
	pcf_read_parameters((ARGV *) 0);
	pcf_show_templates(mode, template_file);
    } else if (mode & PCF_SHOW_TLS) {
	status = pcf_show_tls(tls_mode);
    } else if (mode & PCF_SHOW_MAPS) {
	pcf_read_parameters((ARGV *) 0);
	pcf_show_maps();
    } else if (mode & PCF_SHOW_LOCKS) {
	pcf_show_locks();
    } else if ((mode & PCF_MASTER_MASK) && (mode & PCF_EDIT_MASK) == 0) {
	pcf_load_configuration(mode, overrides, PCF_FAIL_ON_OPEN_ERROR);
	if (mode & PCF_MASTER_FLD)
	    pcf_show_master_fields(VSTREAM_OUT, mode, argc - optind, argv + optind);
	else if (mode & PCF_MASTER_PARAM)
	    pcf_show_master_params(VSTREAM_OUT, mode, argc - optind, argv + optind);
	else
	    pcf_show_master_entries(VSTREAM_OUT, mode, argc - optind, argv + optind);
	pcf_flag_unused_master_parameters();
    } else if (mode & (PCF_SHOW_SASL_SERV | PCF_SHOW_SASL_CLNT)) {
	pcf_show_sasl(mode);
    } else if (mode & PCF_EDIT_MASK) {
	if (optind == argc)
	    msg_fatal("missing service argument");
	if (mode & PCF_MASTER_MASK)
	    pcf_edit_master(mode, argc - optind, argv + optind);
	else
	    pcf_edit_main(mode, argc - optind, argv + optind);
    } else {
	pcf_load_configuration(mode, overrides, PCF_WARN_ON_OPEN_ERROR);
	pcf_show_parameters(VSTREAM_OUT, mode, param_class, argv + optind);
	if ((mode & PCF_SHOW_DEFS) == 0) {
	    pcf_flag_unused_main_parameters();
	    pcf_flag_unused_master_parameters();
	}
    }
    if (vstream_fflush(VSTREAM_OUT) != 0)
	msg_fatal("write to standard output: %m");
    exit(status);
}
