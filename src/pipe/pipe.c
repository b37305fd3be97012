/*
 * pipe - deliver mail to external commands
 *
 * SYNOPSIS
 *	pipe [generic daemon options] [flags=BDFORXhqu.>]
 *		user=username[:groupname] [size=limit] [eol=string]
 *		[null_sender=text] [directory=path]
 *		argv=command [argument...]
 *
 * DESCRIPTION
 *	pipe(8) is a single_server(3) delivery agent, as Postfix's: for
 *	each delivery request from qmgr(8) (docs/internals/delivery.md)
 *	it runs the master.cf command once, with the message on its
 *	standard input, and reports every recipient of the request with
 *	the command's result. The command attributes (pipe_attr(3)) are
 *	checked when the process starts; a bad one is fatal.
 *
 *	For each request, in this order:
 *
 *	-  An address verification probe (DEL_REQ_FLAG_VERIFY) runs
 *	   nothing: every recipient is "deliverable", 2.0.0 "delivers to
 *	   command: <program>" (the status functions log it so).
 *	-  flags D and O need $<service>_destination_recipient_limit = 1:
 *	   otherwise a warning and every recipient deferred with 4.3.5
 *	   "mail system configuration error" (Postfix's behaviour).
 *	-  A message larger than size= is bounced: 5.2.3 "message too
 *	   large". The size here and in ${size} is Postfix's: the
 *	   content with CRLF line ends (what qmgr logs), not the queue
 *	   file's content size.
 *	-  The argv= words are expanded (pipe_argv(3)); an unknown macro
 *	   is the same configuration error (with the warning "file
 *	   <config>/master.cf: service <name>: unknown macro name: ...").
 *	-  With flag D, a recipient that already has a Delivered-To:
 *	   header in the message is bounced: 5.4.6 "mail forwarding loop
 *	   for <recipient>".
 *	-  The message is copied (mail_copy(3), with the flags' From_,
 *	   Return-Path:, Delivered-To:, X-Original-To:, quoting, blank
 *	   line and eol=) to an unlinked temporary file in /tmp (so that
 *	   the command may read as much or as little as it likes while
 *	   spawn_command(3) waits for it), which becomes
 *	   the command's standard input; its standard output and error go
 *	   to a second one. The null sender is null_sender= in From_ and
 *	   Return-Path:.
 *	-  The command runs (spawn_command(3)) as user=, in directory=
 *	   (checked as that user first; a failure defers, 4.3.0
 *	   "temporary failure") or $queue_directory, in a session of its
 *	   own, with $export_environment and PATH=/usr/bin:/bin, for at
 *	   most $<service>_time_limit (default $command_time_limit); then
 *	   its whole process group is killed.
 *
 *	The result, as pipe(8) documents it:
 *
 *	-  Exit status 0: sent, 2.0.0 "delivered via <service> service",
 *	   followed by " (<output>)" when the command wrote something (at
 *	   most its first PIPE_SENT_OUTPUT_LIMIT (100) bytes, as Postfix).
 *	   The DSN action is "relayed", or "delivered" with flag X.
 *	-  Output that starts with a 4.X.X or 5.X.X code after a non-zero
 *	   exit: that code and the rest of the output decide (deferred
 *	   for 4, bounced for 5).
 *	-  A <sysexits.h> status: its text and code (EX_TEMPFAIL and
 *	   EX_OSERR defer, the others bounce), then ". Command output:
 *	   <output>" when there was output; any other status: 5.3.0
 *	   "Command died with status N: "<command>"".
 *	-  A signal: deferred, 4.3.0 "Command died with signal N:
 *	   "<command>""; the time limit: bounced, 5.3.0 "Command time
 *	   limit exceeded: "<command>"".
 *	-  A command that cannot be started: deferred, 4.3.0 "temporary
 *	   failure. Command output: pipe: fatal: pipe_command: <reason>"
 *	   (the text that Postfix's child writes).
 *
 *	At most PIPE_OUTPUT_LIMIT bytes of output are used; control
 *	characters become spaces (whitespace) or "_".
 *
 *	A failure (non-zero exit, signal, time limit) carries the DSN
 *	diagnostic "x-unix; <text>" for bounce(8)'s Diagnostic-Code: the
 *	output (without a leading DSN code and trailing spaces), else the
 *	<sysexits.h> text, "unknown mail system error N" for another exit
 *	status, or "internal software error" for a signal or the time
 *	limit (what Postfix's pipe(8) reports).
 *
 *	Every outcome passes $pipe_delivery_status_filter (dsn_filter(3))
 *	before it is reported.
 *
 *	Not done (as of this version): the chroot= attribute (refused at
 *	start-up).
 *
 * DIAGNOSTICS
 *	Fatal: the pipe_attr(3) reasons, "chroot= command attribute is not
 *	supported", bad time limit values. Warnings as above, and
 *	"pipe_command_read: read time limit exceeded" when the time limit
 *	kills a command (Postfix's words).
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "set_eugid.h"
#include "spawn_command.h"
#include "tmp_file.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "bounce_client.h"
#include "deliver_request.h"
#include "delivered_hdr.h"
#include "dsn.h"
#include "sys_exits.h"
#include "dsn_filter.h"
#include "dsn_split.h"
#include "mail_conf.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "queue_file_read.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "single_server.h"
#include "pipe_argv.h"
#include "pipe_attr.h"

#define PIPE_OUTPUT_LIMIT	2000	/* command output bytes we keep */
#define PIPE_SENT_OUTPUT_LIMIT	100	/* ... and show after success */
#define PIPE_PATH		"PATH=/usr/bin:/bin"
#define PIPE_DTYPE		"x-unix"	/* Diagnostic-Code type */
#define PIPE_DTEXT_SOFTWARE	"internal software error"

static PIPE_ATTR pipe_attr;		/* this service's attributes */
static DSN_FILTER *pipe_dsn_filter;	/* $pipe_delivery_status_filter */


/* pipe_report - one recipient's outcome through the status functions */
static int pipe_report(DELIVER_REQUEST *req, RECIPIENT *rcpt,
		               const char *relay, DSN *dsn)
{
    switch (dsn->status[0]) {
    case '2':
	if (sent(req, rcpt, relay, dsn) != 0)
	    return -1;
	deliver_completed(req, rcpt);
	return 0;
    case '5':
	if (bounce_append(req, rcpt, relay, dsn) != 0)
	    return -1;
	deliver_completed(req, rcpt);
	return 0;
    default:
	return defer_append(req, rcpt, relay, dsn);
    }
}

/* pipe_report_dsn - the same outcome for every recipient, with dtext */
static int pipe_report_dsn(DELIVER_REQUEST *req, const char *relay,
			           const char *status, const char *reason,
			           const char *dtext)
{
    const DSN *filtered;
    DSN     dsn;
    int     result = DEL_STAT_OK;
    int     n;

    dsn_simple(&dsn, status, reason);
    if (dtext && *dtext) {
	dsn.dtype = PIPE_DTYPE;
	dsn.dtext = dtext;
    }
    if (*status == '2' && !(pipe_attr.flags & PIPE_FLAG_FINAL))
	dsn.action = "relayed";			/* success notices */
    if ((filtered = dsn_filter_lookup(pipe_dsn_filter, &dsn)) != 0)
	dsn = *filtered;
    for (n = 0; n < req->rcpt_list.len; n++)
	if (pipe_report(req, req->rcpt_list.info + n, relay, &dsn) != 0)
	    result = DEL_STAT_DEFER;
    return result;
}

/* pipe_report_all - the same outcome for every recipient */
static int pipe_report_all(DELIVER_REQUEST *req, const char *relay,
			           const char *status, const char *reason)
{
    return pipe_report_dsn(req, relay, status, reason, (char *) 0);
}

/* pipe_recipient_limit - $<service>_destination_recipient_limit */
static long pipe_recipient_limit(const char *service)
{
    char   *name = concatenate(service, "_destination_recipient_limit",
			       (char *) 0);
    long    limit;

    limit = mail_conf_get_int(name, "$default_destination_recipient_limit",
			      0, 0);
    myfree(name);
    return limit;
}

/* pipe_time_limit - $<service>_time_limit, default $command_time_limit */
static int pipe_time_limit(const char *service)
{
    char   *name = concatenate(service, "_time_limit", (char *) 0);
    int     limit;

    limit = mail_conf_get_time(name, "$command_time_limit", 's', 1, 0);
    myfree(name);
    return limit;
}

/* pipe_temp_file - an unlinked read-write temporary file, or -1 */
static int pipe_temp_file(VSTRING *why)
{
    int     fd;

    if ((fd = tmp_file_open("postel-pipe")) < 0)
	vstring_sprintf(why, "create temporary file: %m");
    return fd;
}

/* pipe_output - the command's output, printable and bounded */
static void pipe_output(int fd, VSTRING *out)
{
    char    buf[PIPE_OUTPUT_LIMIT];
    ssize_t len;
    ssize_t n;

    VSTRING_RESET(out);
    if ((len = pread(fd, buf, sizeof(buf), 0)) <= 0)
	return;
    for (n = 0; n < len; n++) {
	unsigned char ch = buf[n];

	if (isspace(ch))
	    ch = ' ';
	else if (ch < ' ' || ch == 0x7f)
	    ch = '_';
	VSTRING_ADDCH(out, ch);
    }
    VSTRING_TERMINATE(out);
}

/* pipe_dtext - the Diagnostic-Code text from the output; false if none */
static bool pipe_dtext(VSTRING *dtext, const char *output)
{
    vstring_strcpy(dtext, output);
    while (VSTRING_LEN(dtext) > 0
	   && vstring_str(dtext)[VSTRING_LEN(dtext) - 1] == ' ')
	vstring_truncate(dtext, VSTRING_LEN(dtext) - 1);
    return (VSTRING_LEN(dtext) > 0);
}

/* pipe_exit_text - the DSN and texts of a non-zero exit status */
static void pipe_exit_text(int code, const char *command, const char *output,
			           VSTRING *status, VSTRING *reason,
			           VSTRING *dtext)
{
    const char *dsn;
    const char *text;

    if ((dsn = sys_exits_status(code, &text)) != 0) {
	vstring_strcpy(status, dsn);
	vstring_strcpy(reason, text);
	if (!pipe_dtext(dtext, output))
	    vstring_strcpy(dtext, text);
    } else {
	vstring_strcpy(status, "5.3.0");
	vstring_sprintf(reason, "Command died with status %d: \"%s\"",
			code, command);
	if (!pipe_dtext(dtext, output))
	    vstring_sprintf(dtext, "unknown mail system error %d", code);
    }
    if (*output)
	vstring_sprintf_append(reason, ". Command output: %s", output);
}

/* pipe_result - turn how the command ended into status and reason */
static void pipe_result(const char *service, const char *command,
			        const SPAWN_STATUS *st, const char *output,
			        VSTRING *status, VSTRING *reason,
			        VSTRING *dtext)
{
    const char *text;
    VSTRING *trimmed;

    /*
     * A failure's Diagnostic-Code is "x-unix; <output>", or a default
     * text without output (as Postfix's pipe(8) reports it).
     */
    VSTRING_RESET(dtext);
    VSTRING_TERMINATE(dtext);
    if (st->timed_out || st->signaled) {
	if (!pipe_dtext(dtext, output))
	    vstring_strcpy(dtext, PIPE_DTEXT_SOFTWARE);
    }
    if (st->timed_out) {
	msg_warn("pipe_command_read: read time limit exceeded");
	vstring_strcpy(status, "5.3.0");
	vstring_sprintf(reason, "Command time limit exceeded: \"%s\"",
			command);
    } else if (st->signaled) {
	vstring_strcpy(status, "4.3.0");
	vstring_sprintf(reason, "Command died with signal %d: \"%s\"",
			st->signal, command);
	if (*output)
	    vstring_sprintf_append(reason, ". Command output: %s", output);
    } else if (st->exit_code == 0) {
	trimmed = vstring_alloc(100);
	vstring_strncpy(trimmed, output, PIPE_SENT_OUTPUT_LIMIT);
	while (VSTRING_LEN(trimmed) > 0
	       && vstring_str(trimmed)[VSTRING_LEN(trimmed) - 1] == ' ')
	    vstring_truncate(trimmed, VSTRING_LEN(trimmed) - 1);
	vstring_strcpy(status, "2.0.0");
	vstring_sprintf(reason, "delivered via %s service", service);
	if (VSTRING_LEN(trimmed) > 0)
	    vstring_sprintf_append(reason, " (%s)", vstring_str(trimmed));
	vstring_free(trimmed);
    } else {
	text = dsn_split(output, "", status);
	if (VSTRING_LEN(status) > 0) {
	    char    exit_class;

	    /* A 4 or 5 code decides; a 2 code yields to the exit status. */
	    vstring_strcpy(reason, text);
	    if (vstring_str(status)[0] == '2') {
		VSTRING *tmp = vstring_alloc(10);
		VSTRING *ignored = vstring_alloc(10);

		pipe_exit_text(st->exit_code, command, "", tmp, ignored,
			       dtext);
		exit_class = vstring_str(tmp)[0];
		dsn_class_fix(exit_class == '4' ? "defer_append" :
			      "bounce_append", status, exit_class);
		vstring_free(tmp);
		vstring_free(ignored);
	    }
	    if (!pipe_dtext(dtext, text))
		vstring_strcpy(dtext, vstring_str(reason));
	} else {
	    pipe_exit_text(st->exit_code, command, output, status, reason,
			   dtext);
	}
    }
}

/* pipe_chdir_as - enter the command's directory with the user's rights */
static bool pipe_chdir_as(const char *dir, uid_t uid, gid_t gid,
			          VSTRING *why)
{
    bool    ok;
    int     saved_errno;

    if (geteuid() == 0)
	set_eugid(uid, gid);
    ok = chdir(dir) == 0;
    saved_errno = errno;
    if (getuid() == 0)
	set_eugid(0, 0);
    if (!ok) {
	errno = saved_errno;
	vstring_sprintf(why, "cannot change directory to \"%s\" for uid=%ld "
			"gid=%ld: %m", dir, (long) uid, (long) gid);
    }
    return ok;
}

/* pipe_copy - the message, as the flags want it, into a temporary file */
static int pipe_copy(DELIVER_REQUEST *req, int fd, DSN_BUF *why)
{
    RECIPIENT *rcpt = req->rcpt_list.info;
    VSTREAM *dst = vstream_fdopen(fd, O_RDWR);
    char   *saved_sender = req->sender;
    int     status;

    if ((saved_sender == 0 || *saved_sender == 0)
	&& *pipe_attr.null_sender)
	req->sender = pipe_attr.null_sender;
    status = mail_copy(req, rcpt->address,
		       *rcpt->orig_addr ? rcpt->orig_addr : rcpt->address,
		       dst, pipe_attr_copy_flags(pipe_attr.flags),
		       pipe_attr.eol, why);
    req->sender = saved_sender;
    if (status == 0 && vstream_fflush(dst) != 0) {
	dsb_simple(why, "4.3.0", "cannot write temporary file: %m");
	status = -1;
    }
    (void) vstream_fdclose(dst);
    if (status == 0 && lseek(fd, 0, SEEK_SET) < 0) {
	dsb_simple(why, "4.3.0", "cannot rewind temporary file: %m");
	status = -1;
    }
    return status;
}

/* pipe_run - run the command on the message; fill status and reason */
static void pipe_run(DELIVER_REQUEST *req, const char *service, ARGV *argv,
		             VSTRING *status, VSTRING *reason, VSTRING *dtext)
{
    static bool warned_unprivileged;
    SPAWN_COMMAND request;
    SPAWN_STATUS st;
    static const char *const env[] = {PIPE_PATH, 0};
    ARGV   *export_list;
    DSN_BUF *why = dsb_create();
    VSTRING *output = vstring_alloc(100);
    int     in_fd = -1;
    int     out_fd = -1;

    VSTRING_RESET(dtext);
    VSTRING_TERMINATE(dtext);
    if ((in_fd = pipe_temp_file(why->reason)) < 0
	|| (out_fd = pipe_temp_file(why->reason)) < 0) {
	vstring_strcpy(status, "4.3.0");
	vstring_strcpy(reason, vstring_str(why->reason));
	goto done;
    }
    if (pipe_copy(req, in_fd, why) != 0) {
	vstring_strcpy(status, vstring_str(why->status));
	vstring_strcpy(reason, vstring_str(why->reason));
	goto done;
    }
    if (pipe_attr.directory
	&& !pipe_chdir_as(pipe_attr.directory, pipe_attr.uid, pipe_attr.gid,
			  why->reason)) {
	msg_warn("%s", vstring_str(why->reason));
	vstring_strcpy(status, "4.3.0");
	vstring_strcpy(reason, "temporary failure");
	goto done;
    }
    export_list = mail_parm_split(PARAM_NAME(export_environment),
				  VAR_STR(export_environment));
    spawn_command_init(&request);
    request.argv = (const char *const *) argv->argv;
    request.export_list = (const char *const *) export_list->argv;
    request.env = env;
    request.stdin_fd = in_fd;
    request.stdout_fd = request.stderr_fd = out_fd;
    request.time_limit = pipe_time_limit(service);
    if (geteuid() == 0) {
	request.uid = pipe_attr.uid;
	request.gid = pipe_attr.gid;
    } else if (!warned_unprivileged) {
	msg_warn("not running as root: command runs with user id %ld, "
		 "not %ld", (long) geteuid(), (long) pipe_attr.uid);
	warned_unprivileged = true;
    }
    if (!spawn_command(&request, &st, why->reason)) {
	msg_warn("pipe_command: %s", vstring_str(why->reason));
	vstring_strcpy(status, "4.3.0");
	vstring_sprintf(reason, "temporary failure. Command output: "
			"pipe: fatal: pipe_command: %s ",
			vstring_str(why->reason));
    } else {
	pipe_output(out_fd, output);
	pipe_result(service, argv->argv[0], &st, vstring_str(output),
		    status, reason, dtext);
    }
    argv_free(export_list);
    if (pipe_attr.directory && chdir(VAR_STR(queue_directory)) < 0)
	msg_fatal("chdir %s: %m", VAR_STR(queue_directory));

done:
    if (in_fd >= 0)
	(void) close(in_fd);
    if (out_fd >= 0)
	(void) close(out_fd);
    vstring_free(output);
    dsb_free(why);
}

/* pipe_loop_check - bounce flag-D recipients already in Delivered-To: */
static int pipe_loop_check(DELIVER_REQUEST *req, const char *relay,
			           RECIPIENT_LIST *keep, int *result)
{
    DELIVERED_HDR *hdr;
    VSTRING *quoted = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);
    DSN     dsn;
    int     n;

    hdr = delivered_hdr_init(req->fp, req->data_offset,
			     VAR_INT(header_size_limit));
    for (n = 0; n < req->rcpt_list.len; n++) {
	RECIPIENT *rcpt = req->rcpt_list.info + n;

	quote_822_local(quoted, rcpt->address);
	if (!delivered_hdr_find(hdr, vstring_str(quoted))) {
	    recipient_list_add(keep, rcpt->offset, rcpt->dsn_orcpt,
			       rcpt->dsn_notify, rcpt->orig_addr,
			       rcpt->address);
	    continue;
	}
	vstring_sprintf(text, "mail forwarding loop for %s", rcpt->address);
	dsn_simple(&dsn, "5.4.6", vstring_str(text));
	if (pipe_report(req, rcpt, relay, &dsn) != 0)
	    *result = DEL_STAT_DEFER;
    }
    delivered_hdr_free(hdr);
    vstring_free(quoted);
    vstring_free(text);
    return keep->len;
}

/* pipe_deliver - one delivery request */
static int pipe_deliver(DELIVER_REQUEST *req, const char *service)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *status = vstring_alloc(10);
    VSTRING *reason = vstring_alloc(100);
    VSTRING *dtext = vstring_alloc(100);
    int     result = DEL_STAT_OK;
    ARGV   *argv = 0;
    RECIPIENT_LIST keep;
    bool    swapped = false;
    int     flag;

    recipient_list_init(&keep);

    if (req->fp == 0) {
	result = pipe_report_all(req, service, "4.3.0",
				 "queue file is missing");
	goto done;
    }
    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	vstring_sprintf(reason, "delivers to command: %s",
			pipe_attr.argv->argv[0]);
	result = pipe_report_all(req, service, "2.0.0", vstring_str(reason));
	goto done;
    }
    if ((pipe_attr.flags & (PIPE_FLAG_DELIVERED | PIPE_FLAG_ORIG_RCPT))
	&& pipe_recipient_limit(service) != 1) {
	flag = (pipe_attr.flags & PIPE_FLAG_DELIVERED) ? 'D' : 'O';
	msg_warn("pipe flag `%c' requires %s_destination_recipient_limit = 1",
		 flag, service);
	result = pipe_report_all(req, service, "4.3.5",
				 "mail system configuration error");
	goto done;
    }

    /* ${size} and size= are the request's size: what qmgr logs. */
    if (pipe_attr.size_limit > 0 && req->data_size > pipe_attr.size_limit) {
	result = pipe_report_all(req, service, "5.2.3", "message too large");
	goto done;
    }

    /*
     * Recipients that loop are bounced here; the others become the
     * request's list while the command runs (the reply is made from the
     * whole list again).
     */
    if (pipe_attr.flags & PIPE_FLAG_DELIVERED) {
	if (pipe_loop_check(req, service, &keep, &result) == 0)
	    goto done;
	recipient_list_swap(&keep, &req->rcpt_list);
	swapped = true;
    }
    if ((argv = pipe_argv_expand(pipe_attr.argv, req, pipe_attr.flags,
				 pipe_attr.null_sender,
				 VAR_STR(recipient_delimiter), why)) == 0) {
	msg_warn("file %s/%s: service %s: %s", mail_conf_dir(),
		 MASTER_CONF_FILE, service, vstring_str(why));
	if (pipe_report_all(req, service, "4.3.5",
			    "mail system configuration error") != DEL_STAT_OK)
	    result = DEL_STAT_DEFER;
	goto done;
    }
    pipe_run(req, service, argv, status, reason, dtext);
    if (pipe_report_dsn(req, service, vstring_str(status),
			vstring_str(reason), vstring_str(dtext)) != DEL_STAT_OK)
	result = DEL_STAT_DEFER;

done:
    if (swapped)
	recipient_list_swap(&keep, &req->rcpt_list);
    recipient_list_free(&keep);
    if (argv)
	argv_free(argv);
    vstring_free(why);
    vstring_free(status);
    vstring_free(reason);
    vstring_free(dtext);
    return result;
}

/* pipe_service - one connection from qmgr(8) */
static void pipe_service(VSTREAM *client, const char *service, char **argv)
{
    DELIVER_REQUEST *req;
    int     status;

    if (deliver_request_read(client, &req) < 0)
	return;
    status = pipe_deliver(req, service);
    if (status != DEL_STAT_OK && req->reason == 0)
	req->reason = mystrdup("4.3.0 cannot record delivery status");
    (void) deliver_request_done(client, req, status);
}

/* pipe_post_init - check the command attributes once */
static void pipe_post_init(const char *service, char **argv)
{
    VSTRING *why = vstring_alloc(100);

    if (!pipe_attr_parse(argv, VAR_STR(mail_owner), &pipe_attr, why))
	msg_fatal("%s", vstring_str(why));
    if (pipe_attr.chroot)
	msg_fatal("chroot= command attribute is not supported");
    (void) pipe_time_limit(service);		/* fail early when bad */
    pipe_dsn_filter = dsn_filter_create(PARAM_NAME(pipe_delivery_status_filter),
				     VAR_STR(pipe_delivery_status_filter));
    vstring_free(why);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_PRIVILEGED,
	.post_init = pipe_post_init,
    };

    single_server_main(argc, argv, pipe_service, &opts);
}
