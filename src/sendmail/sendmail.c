/*
 * sendmail - the Sendmail-compatible mail submission command
 *
 * SYNOPSIS
 *	sendmail [option ...] [recipient ...]
 *	mailq
 *	newaliases
 *
 * DESCRIPTION
 *	The command of docs/man/man1/sendmail.1. In its main mode (-bm)
 *	it reads a message from standard input and hands it, as maildrop
 *	records (sendmail_post(3)), through a pipe to postdrop(1), which
 *	checks the records and stores them in the maildrop queue; the
 *	pickup(8) daemon takes the message from there. sendmail itself
 *	needs no privileges: the set-gid postdrop does the writing.
 *
 *	Other modes hand over to the program that does the work, by
 *	execv() with the same configuration directory: -bp and the name
 *	"mailq" run "postqueue -p"; -q, -qI<id>, -qR<site> run postqueue
 *	-f, -i, -s; -bi, -I and the name "newaliases" run postalias(1) as
 *	"newaliases" (which rebuilds $alias_database, or the -oA table);
 *	-bd and -bl run "postfix start"; -bs runs "smtpd -S" on standard
 *	input and output. -bv writes a message without content whose
 *	trace flags ask for a verification report instead of delivery
 *	(its content is a From:/Subject: probe/To: header, as Postfix's).
 *
 *	-XV and -XVxy ask for VERP delivery (a V record in the maildrop
 *	file) with $default_verp_delimiters or the delimiters xy, which
 *	must be two characters of $verp_delimiter_filter; the sender must
 *	not be null. As Postfix 2.3 and later, the old form -V (an option
 *	word "-V" whose value has exactly two characters: "-V+=", "-V"
 *	"xy") still means VERP, with a warning: the word becomes "-XV"
 *	plus what followed -V in it, so "-V xy" is -XV (default
 *	delimiters) followed by the non-option "xy", as with Postfix.
 *	Other -V values are the DSN envelope ID. -X with anything but V
 *	is refused, as in Postfix 3.7.
 *
 *	What it does not do: -qS is refused, as in Postfix.
 *
 * DIAGNOSTICS
 *	Problems go to standard error and to the mail log. Exit status
 *	0 on success; as Postfix's sendmail, fatal errors (usage, not
 *	authorized, no recipients, message too big, queue errors) exit
 *	with EX_TEMPFAIL (75); a user without a password entry gets
 *	EX_NOUSER (67), a program that cannot be run EX_UNAVAILABLE (69).
 *	A postdrop that fails gives EX_TEMPFAIL too, as with Postfix:
 *	exit status 4 (CLEANUP_STAT_SIZE) as "<sender>(<uid>): message file
 *	too big", any other as "warning: command \"<postdrop> -r\" exited
 *	with status <n>" and "<sender>(<uid>): unable to execute <postdrop>
 *	-r: Application error", Postfix's words. As Postfix's, the fatal
 *	messages about a message name its envelope sender (-f, else the
 *	login name; empty for -f "<>"): "-V option requires non-null
 *	sender address". Bad VERP delimiters: "-V requires two characters
 *	from <filter>". With -t, a header longer than
 *	header_size_limit is fatal: "<sender>(<uid>): unable to extract
 *	recipients: message header length exceeds safety limit".
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "open_std_fds.h"
#include "stringops.h"
#include "argv.h"
#include "excerpt.h"
#include "vstream.h"
#include "vstring.h"
#include "tok822.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "user_acl.h"
#include "maildrop_check.h"
#include "verp_delims.h"
#include "rec_type.h"
#include "cleanup_proto.h"
#include "sendmail.h"

typedef enum SENDMAIL_MODE {
    SM_MODE_ENQUEUE,			/* -bm */
    SM_MODE_VERIFY,			/* -bv */
    SM_MODE_MAILQ,			/* -bp, mailq */
    SM_MODE_NEWALIAS,			/* -bi, -I, newaliases */
    SM_MODE_DAEMON,			/* -bd, -bl */
    SM_MODE_SMTP,			/* -bs */
    SM_MODE_FLUSH,			/* -q, -qI, -qR */
    SM_MODE_IGNORE,			/* -bh, -bH, -q<interval> */
} SENDMAIL_MODE;

static const char *sendmail_name = "sendmail";
static const char *sendmail_config_dir;	/* -C */
static uid_t sendmail_uid;
static VSTRING *sendmail_login;
static const char *sendmail_who;	/* fatal messages: the sender */

/*
 * Every fatal error exits with EX_TEMPFAIL, as with Postfix, also those
 * of library code (main.cf errors...), unless a caller names a status.
 */
static int sendmail_exit_status = EX_TEMPFAIL;

#define sendmail_fatal_code(code, ...) \
	(sendmail_exit_status = (code), msg_fatal_status((code), __VA_ARGS__))
#define sendmail_fatal(...) sendmail_fatal_code(EX_TEMPFAIL, __VA_ARGS__)

/* sendmail_fatal_exit - msg(3) cleanup hook: the exit status */
static void sendmail_fatal_exit(void)
{
    vstream_fflush(VSTREAM_OUT);
    _exit(sendmail_exit_status);
}

/* sendmail_usage - complain and exit as Postfix does */
static NORETURN sendmail_usage(void)
{
    sendmail_fatal("usage: %s [options]", sendmail_name);
}

/* sendmail_exec - run another program in our place */
static NORETURN sendmail_exec(const char *path, ARGV *args)
{
    argv_add(args, (char *) 0);
    if (msg_verbose)
	msg_info("exec %s", excerpt(path));
    vstream_fflush(VSTREAM_OUT);
    execv(path, args->argv);
    sendmail_fatal_code(EX_UNAVAILABLE, "execv %s: %m", excerpt(path));
}

/* sendmail_program - $directory/name */
static char *sendmail_program(const char *directory, const char *name)
{
    return concatenate(directory, "/", name, (char *) 0);
}

/* sendmail_common_args - -c config_dir and -v for a program we run */
static void sendmail_common_args(ARGV *args, const char *config_flag)
{
    if (sendmail_config_dir)
	argv_add(args, config_flag, sendmail_config_dir, (char *) 0);
    for (int i = 0; i < msg_verbose; i++)
	argv_add(args, "-v", (char *) 0);
}

/* sendmail_set_config - -C file or directory */
static void sendmail_set_config(const char *path)
{
    struct stat st;
    char   *dir;

    if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
	const char *slash = strrchr(path, '/');

	dir = slash == 0 ? mystrdup(".") : slash == path ? mystrdup("/")
	    : mystrndup(path, (size_t) (slash - path));
    } else {
	dir = mystrdup(path);
    }
    sendmail_config_dir = dir;
    mail_conf_set_dir(dir);
    if (setenv("MAIL_CONFIG", dir, 1) < 0)
	sendmail_fatal_code(EX_OSERR, "setenv: %m");
}

/* sendmail_sender - the -f/-r value in internal form */
static char *sendmail_sender(const char *text)
{
    TOK822 *tree;
    TOK822 **addrs;
    VSTRING *buf;
    char   *result;

    if (*text == 0 || strcmp(text, "<>") == 0)
	return mystrdup("");
    tree = tok822_parse(text);
    addrs = tok822_grep(tree, TOK822_ADDR);
    buf = vstring_alloc(100);
    if (addrs[0] != 0)
	tok822_internalize(buf, addrs[0], TOK822_STR_WIPE | TOK822_STR_SINGLE);
    /* More than one address, or words that were not quoted. */
    if (addrs[0] == 0 || addrs[1] != 0
	|| (strchr(vstring_str(buf), ' ') != 0 && strchr(text, '"') == 0)) {
	msg_warn("-f option specified malformed sender: %s", excerpt(text));
	if (addrs[0] == 0)
	    vstring_strcpy(buf, text);
    }
    myfree(addrs);
    tok822_free_tree(tree);
    result = vstring_export(buf);
    if (strlen(result) > MAILDROP_ADDR_LIMIT)
	sendmail_fatal("-f option: sender address longer than %d bytes",
		       MAILDROP_ADDR_LIMIT);
    for (const char *cp = result; *cp; cp++)
	if (*cp == '\r' || *cp == '\n')
	    sendmail_fatal("-f option: line break in sender address");
    return result;
}

/* sendmail_full_name - -F, $NAME, or the GECOS field */
static char *sendmail_full_name(const char *option, const struct passwd *pw)
{
    const char *name = option ? option : getenv("NAME");
    VSTRING *buf = vstring_alloc(100);

    if (name == 0 && pw != 0 && pw->pw_gecos != 0) {
	/* GECOS: up to the first comma; "&" stands for the login name. */
	for (const char *cp = pw->pw_gecos; *cp && *cp != ','; cp++) {
	    if (*cp == '&') {
		VSTRING_ADDCH(buf, toupper((unsigned char) pw->pw_name[0]));
		if (pw->pw_name[0])
		    vstring_strcat(buf, pw->pw_name + 1);
	    } else {
		VSTRING_ADDCH(buf, *cp);
	    }
	}
	VSTRING_TERMINATE(buf);
    } else if (name != 0) {
	vstring_strcpy(buf, name);
    }
    /* One line, bounded. */
    for (char *cp = vstring_str(buf); *cp; cp++)
	if (*cp == '\r' || *cp == '\n')
	    *cp = ' ';
    if (VSTRING_LEN(buf) > MAILDROP_NAME_LIMIT)
	vstring_truncate(buf, MAILDROP_NAME_LIMIT);
    if (VSTRING_LEN(buf) == 0) {
	vstring_free(buf);
	return 0;
    }
    return vstring_export(buf);
}

/* sendmail_envid_ok - a -V value: 1-100 printable bytes, no space */
static bool sendmail_envid_ok(const char *text)
{
    size_t  len = strlen(text);

    if (len == 0 || len > MAILDROP_ENVID_LIMIT)
	return false;
    for (const char *cp = text; *cp; cp++)
	if (*cp <= ' ' || *cp > '~')
	    return false;
    return true;
}

#define SENDMAIL_OPTIONS "+A:B:C:F:GIL:N:O:R:UV:X:b:f:h:imno:q::r:tv"

/* sendmail_old_verp - the Postfix 2.2 "-Vxy" VERP syntax, as -XVxy */
static void sendmail_old_verp(int argc, char **argv)
{
    int     ch;
    int     word;

    opterr = 0;
    while ((ch = getopt(argc, argv, SENDMAIL_OPTIONS)) != -1) {
	if (ch != 'V' || strlen(optarg) != 2)
	    continue;
	/* The word of the option letter: -V+= or -V followed by +=. */
	word = (optarg == argv[optind - 1] ? optind - 2 : optind - 1);
	if (strncmp(argv[word], "-V", 2) != 0)
	    continue;				/* "-iV+=": an ENVID */
	msg_warn("option %s is deprecated with Postfix 2.3; "
		 "specify -X%s instead", argv[word], argv[word] + 1);
	argv[word] = concatenate("-X", argv[word] + 1, (char *) 0);
    }
    opterr = 1;
    optind = 0;					/* rescan from the start */
}

/* sendmail_verp - the -XV delimiters, checked, or NULL */
static const char *sendmail_verp(const char *verp_opt, bool verp_default)
{
    if (verp_opt == 0)
	return (0);
    if (verp_default)
	return (verp_delims_default());
    if (verp_delims_check(verp_opt, strlen(verp_opt)) != 0)
	sendmail_fatal("-V requires two characters from %s",
		       VAR_STR(verp_delimiter_filter));
    return (verp_opt);
}

/* sendmail_authorized - authorized_submit_users, or a fatal error */
static void sendmail_authorized(void)
{
    switch (user_acl_match("authorized_submit_users",
			   VAR_STR(authorized_submit_users),
			   vstring_str(sendmail_login))) {
    case USER_ACL_ALLOW:
	return;
    case USER_ACL_ERROR:
	sendmail_fatal("%s(%ld): unable to check authorized_submit_users",
		       vstring_str(sendmail_login), (long) sendmail_uid);
    default:
	sendmail_fatal("User %s(%ld) is not allowed to submit mail",
		       vstring_str(sendmail_login), (long) sendmail_uid);
    }
}

/* sendmail_line_endings - parse sendmail_fix_line_endings */
static int sendmail_line_endings(void)
{
    const char *value = VAR_STR(sendmail_fix_line_endings);

    if (strcasecmp(value, "always") == 0)
	return SENDMAIL_FIX_ALWAYS;
    if (strcasecmp(value, "strict") == 0)
	return SENDMAIL_FIX_STRICT;
    if (strcasecmp(value, "never") == 0)
	return SENDMAIL_FIX_NEVER;
    sendmail_fatal("invalid sendmail_fix_line_endings parameter value: \"%s\"",
		   excerpt(value));
}

/* sendmail_enqueue - read the message and pipe it to postdrop, or exit */
static void sendmail_enqueue(SENDMAIL_POST *post)
{
    int     fds[2];
    pid_t   pid;
    int     status;
    int     wstatus;
    VSTREAM *out;
    VSTRING *why = vstring_alloc(100);
    char   *postdrop = sendmail_program(VAR_STR(command_directory), "postdrop");
    const char *who = sendmail_who;

    if (pipe(fds) < 0)
	sendmail_fatal("pipe: %m");
    switch (pid = fork()) {
    case -1:
	sendmail_fatal("fork: %m");
    case 0:
	{
	    ARGV   *args = argv_alloc(8);
	    int     null_fd;

	    close(fds[1]);
	    if (fds[0] != 0) {
		if (dup2(fds[0], 0) < 0)
		    sendmail_fatal_code(EX_OSERR, "dup2: %m");
		close(fds[0]);
	    }
	    /* postdrop -r talks on standard output: not to our user. */
	    if ((null_fd = open("/dev/null", O_WRONLY)) < 0
		|| dup2(null_fd, 1) < 0)
		sendmail_fatal_code(EX_OSERR, "/dev/null: %m");
	    if (null_fd != 1)
		close(null_fd);
	    argv_add(args, "postdrop", "-r", (char *) 0);
	    sendmail_common_args(args, "-c");
	    sendmail_exec(postdrop, args);
	}
    default:
	break;
    }
    close(fds[0]);
    signal(SIGPIPE, SIG_IGN);
    out = vstream_fdopen(fds[1], O_WRONLY);
    vstream_set_path(out, "postdrop");
    status = sendmail_post(VSTREAM_IN, out, post, why);
    if (status != SENDMAIL_POST_OK && status != SENDMAIL_POST_WRITE)
	kill(pid, SIGTERM);		/* postdrop removes its file */
    (void) vstream_fclose(out);
    while (waitpid(pid, &wstatus, 0) < 0)
	if (errno != EINTR)
	    sendmail_fatal("waitpid: %m");
    switch (status) {
    case SENDMAIL_POST_TOO_BIG:
    case SENDMAIL_POST_HEADER:
    case SENDMAIL_POST_NO_RCPT:
    case SENDMAIL_POST_READ:
	sendmail_fatal("%s(%ld): %s", who, (long) sendmail_uid, vstring_str(why));
    default:
	break;
    }
    /* As Postfix's sendmail: EX_TEMPFAIL whatever postdrop said. */
    if (WIFSIGNALED(wstatus))
	sendmail_fatal("%s(%ld): postdrop was killed by signal %d",
		       who, (long) sendmail_uid, WTERMSIG(wstatus));
    if (WEXITSTATUS(wstatus) == CLEANUP_STAT_SIZE)
	sendmail_fatal("%s(%ld): message file too big", who,
		       (long) sendmail_uid);
    if (WEXITSTATUS(wstatus) != 0) {
	msg_warn("command \"%s -r\" exited with status %d", excerpt(postdrop),
		 WEXITSTATUS(wstatus));
	sendmail_fatal("%s(%ld): unable to execute %s -r: Application error",
		       who, (long) sendmail_uid, excerpt(postdrop));
    }
    if (status == SENDMAIL_POST_WRITE)
	sendmail_fatal("%s(%ld): error writing to postdrop", who,
		       (long) sendmail_uid);
    if (post->trace_flags)
	vstream_printf("Mail Delivery Status Report will be mailed to <%s>.\n",
		       post->sender);
    vstream_fflush(VSTREAM_OUT);
    vstring_free(why);
    myfree(postdrop);
}

/* main - parse, configure, dispatch */
int     main(int argc, char **argv)
{
    SENDMAIL_MODE mode = SM_MODE_ENQUEUE;
    SENDMAIL_POST post;
    const char *progname;
    const char *sender_opt = 0;
    const char *full_name_opt = 0;
    const char *alias_file = 0;
    const char *flush_arg = 0;
    const char *verp_opt = 0;
    bool    verp_default = false;
    int     flush_kind = 0;
    int     verbose = 0;
    ARGV   *rcpts;
    struct passwd *pw;
    int     ch;

    open_std_fds();
    progname = base_name(argv[0]);
    if (strcmp(progname, "mailq") == 0)
	mode = SM_MODE_MAILQ;
    else if (strcmp(progname, "newaliases") == 0)
	mode = SM_MODE_NEWALIAS;
    sendmail_name = (mode == SM_MODE_MAILQ ? "mailq" :
		     mode == SM_MODE_NEWALIAS ? "newaliases" : "sendmail");
    argv[0] = (char *) sendmail_name;		/* for getopt() messages */
    msg_stderr_init(sendmail_name);
    msg_cleanup(sendmail_fatal_exit);
    if (getenv("MAIL_VERBOSE"))
	msg_verbose = 1;
    if (getenv("MAIL_CONFIG"))
	sendmail_config_dir = getenv("MAIL_CONFIG");

    memset(&post, 0, sizeof(post));
    post.rewrite_context = "local";
    post.read_content = true;

    sendmail_old_verp(argc, argv);
    while ((ch = getopt(argc, argv, SENDMAIL_OPTIONS)) != -1) {
	switch (ch) {
	case 'A':				/* -Am, -Ac */
	case 'L':				/* label */
	case 'O':				/* option=value */
	case 'h':				/* hop count */
	case 'U':				/* initial submission */
	case 'm':
	case 'n':
	    break;
	case 'B':
	    if (strcasecmp(optarg, "8BITMIME") == 0)
		post.encoding = "8bit";
	    else if (strcasecmp(optarg, "7BIT") == 0)
		post.encoding = "7bit";
	    else
		sendmail_fatal("-B option needs 8BITMIME or 7BIT");
	    break;
	case 'C':
	    sendmail_set_config(optarg);
	    break;
	case 'F':
	    full_name_opt = optarg;
	    break;
	case 'G':
	    post.rewrite_context = "remote";
	    break;
	case 'I':
	    mode = SM_MODE_NEWALIAS;
	    break;
	case 'N':
	    if ((post.dsn_notify = sendmail_notify_parse(optarg)) < 0) {
		msg_warn("bad -N option value -- ignored");
		post.dsn_notify = 0;
	    }
	    break;
	case 'R':
	    if (strcasecmp(optarg, "full") == 0)
		post.dsn_ret = REC_DSN_RET_FULL;
	    else if (strcasecmp(optarg, "hdrs") == 0)
		post.dsn_ret = REC_DSN_RET_HDRS;
	    else
		msg_warn("bad -R option value -- ignored");
	    break;
	case 'V':
	    if (sendmail_envid_ok(optarg))
		post.dsn_envid = optarg;
	    else
		msg_warn("bad syntax in -V option value -- ignored");
	    break;
	case 'X':
	    if (optarg[0] != 'V')
		sendmail_fatal("unsupported: -X%.1s", optarg);
	    /* Only the word "-XV" means the default delimiters. */
	    verp_opt = optarg + 1;
	    verp_default = (strcmp(argv[optind - 1], "-XV") == 0);
	    break;
	case 'b':
	    switch (optarg[0]) {
	    case 'm':
		mode = SM_MODE_ENQUEUE;
		break;
	    case 'v':
		mode = SM_MODE_VERIFY;
		break;
	    case 'p':
		mode = SM_MODE_MAILQ;
		break;
	    case 'i':
		mode = SM_MODE_NEWALIAS;
		break;
	    case 'd':
	    case 'l':
		mode = SM_MODE_DAEMON;
		break;
	    case 's':
		mode = SM_MODE_SMTP;
		break;
	    case 'h':
	    case 'H':
		mode = SM_MODE_IGNORE;
		break;
	    default:
		sendmail_fatal("unsupported: -b%s", excerpt(optarg));
	    }
	    break;
	case 'f':
	case 'r':
	    sender_opt = optarg;
	    break;
	case 'i':
	    post.ignore_dots = true;
	    break;
	case 'o':
	    if (strcmp(optarg, "i") == 0)
		post.ignore_dots = true;
	    else if (optarg[0] == 'A' && optarg[1] != 0)
		alias_file = optarg + 1;
	    break;				/* -om, -o7, -o8, others: ignored */
	case 'q':
	    if (optarg == 0 || *optarg == 0) {
		mode = SM_MODE_FLUSH;
		flush_kind = 'f';
	    } else if (optarg[0] == 'I' || optarg[0] == 'R') {
		if (optarg[1] == 0)
		    sendmail_usage();
		mode = SM_MODE_FLUSH;
		flush_kind = (optarg[0] == 'I' ? 'i' : 's');
		flush_arg = optarg + 1;
	    } else if (optarg[0] == 'S') {
		sendmail_fatal("-qSsite is not supported; use \"sendmail -q\"");
	    } else if (isdigit((unsigned char) optarg[0])) {
		mode = SM_MODE_IGNORE;		/* -q<interval> */
	    } else {
		sendmail_usage();
	    }
	    break;
	case 't':
	    post.extract = true;
	    break;
	case 'v':
	    verbose++;
	    break;
	default:
	    sendmail_usage();
	}
    }
    if (verbose > 1)
	msg_verbose += verbose - 1;
    if (verbose > 0)
	post.trace_flags = MAILDROP_TRACE_RECORD;

    /* Modes that are other programs. */
    mail_conf_read();
    maillog_client_init(sendmail_name, MAILLOG_CLIENT_FLAG_NONE);
    post.verp_delims = sendmail_verp(verp_opt, verp_default);
    switch (mode) {
    case SM_MODE_MAILQ:
    case SM_MODE_FLUSH:{
	    ARGV   *args = argv_alloc(8);
	    char   *path = sendmail_program(VAR_STR(command_directory), "postqueue");

	    argv_add(args, "postqueue", (char *) 0);
	    sendmail_common_args(args, "-c");
	    if (mode == SM_MODE_MAILQ) {
		argv_add(args, "-p", (char *) 0);
	    } else if (flush_kind == 'f') {
		argv_add(args, "-f", (char *) 0);
	    } else {
		argv_add(args, flush_kind == 'i' ? "-i" : "-s", flush_arg,
			 (char *) 0);
	    }
	    sendmail_exec(path, args);
	}
    case SM_MODE_NEWALIAS:{
	    ARGV   *args = argv_alloc(8);
	    char   *path = sendmail_program(VAR_STR(command_directory), "postalias");

	    if (optind < argc)
		sendmail_fatal("alias initialization mode requires no recipient");
	    argv_add(args, "newaliases", (char *) 0);
	    sendmail_common_args(args, "-C");
	    if (alias_file) {
		char   *opt = concatenate("-oA", alias_file, (char *) 0);

		argv_add(args, opt, (char *) 0);
		myfree(opt);
	    }
	    sendmail_exec(path, args);
	}
    case SM_MODE_DAEMON:{
	    ARGV   *args = argv_alloc(8);
	    char   *path = sendmail_program(VAR_STR(command_directory), "postfix");

	    argv_add(args, "postfix", (char *) 0);
	    sendmail_common_args(args, "-c");
	    argv_add(args, "start", (char *) 0);
	    sendmail_exec(path, args);
	}
    case SM_MODE_SMTP:{
	    ARGV   *args = argv_alloc(8);
	    char   *path = sendmail_program(VAR_STR(daemon_directory), "smtpd");

	    if (access(path, X_OK) < 0)
		sendmail_fatal_code(EX_UNAVAILABLE, "-bs: the SMTP server %s "
				 "cannot be run: %m", excerpt(path));
	    argv_add(args, "smtpd", "-S", (char *) 0);
	    for (int i = 0; i < msg_verbose; i++)
		argv_add(args, "-v", (char *) 0);
	    sendmail_exec(path, args);
	}
    case SM_MODE_IGNORE:
	exit(0);
    case SM_MODE_ENQUEUE:
    case SM_MODE_VERIFY:
	break;
    }

    /* Enqueue or verify: who is asking, from whom, to whom. */
    sendmail_uid = getuid();
    sendmail_login = vstring_alloc(32);
    errno = 0;
    if ((pw = getpwuid(sendmail_uid)) == 0) {
	if (errno != 0)
	    sendmail_fatal("unable to look up user ID %ld: %m",
			   (long) sendmail_uid);
	sendmail_fatal_code(EX_NOUSER, "no login name found for user ID %ld",
			 (long) sendmail_uid);
    }
    vstring_strcpy(sendmail_login, pw->pw_name);
    sendmail_authorized();

    /* As Postfix, fatal messages from here on name the sender. */
    post.sender = sender_opt ? sendmail_sender(sender_opt)
	: mystrdup(vstring_str(sendmail_login));
    sendmail_who = post.sender;
    if (post.verp_delims && *post.sender == 0)
	sendmail_fatal("%s(%ld): -V option requires non-null sender address",
		       sendmail_who, (long) sendmail_uid);
    rcpts = argv_alloc(8);
    for (int i = optind; i < argc; i++)
	sendmail_extract(rcpts, argv[i]);
    if (rcpts->argc == 0 && !post.extract)
	sendmail_fatal("%s(%ld): Recipient addresses must be specified on "
		       "the command line or via the -t option",
		       sendmail_who, (long) sendmail_uid);
    for (size_t i = 0; i < rcpts->argc; i++) {
	if (strlen(rcpts->argv[i]) > MAILDROP_ADDR_LIMIT)
	    sendmail_fatal("%s(%ld): recipient address longer than %d bytes",
			   sendmail_who, (long) sendmail_uid,
			   MAILDROP_ADDR_LIMIT);
    }
    post.rcpts = rcpts;
    post.full_name = sendmail_full_name(full_name_opt, pw);
    post.fix_line_endings = sendmail_line_endings();
    post.line_limit = (size_t) VAR_INT(line_length_limit);
    post.size_limit = VAR_INT(message_size_limit);
    post.header_limit = (size_t) VAR_INT(header_size_limit);
    gettimeofday(&post.arrival, (struct timezone *) 0);
    if (mode == SM_MODE_VERIFY) {
	post.trace_flags = MAILDROP_TRACE_VERIFY;
	post.read_content = false;
	post.probe = true;
	post.extract = false;
    }
    sendmail_enqueue(&post);
    myfree((char *) post.sender);
    if (post.full_name)
	myfree((char *) post.full_name);
    argv_free(rcpts);
    vstring_free(sendmail_login);
    exit(0);
}
