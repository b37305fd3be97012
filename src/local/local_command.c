/*
 * local_command - deliver a message to an external command
 *
 * SYNOPSIS
 *	#include "local.h"
 *
 *	int	local_command(LOCAL_STATE *state, const char *command,
 *				bool mailbox_command);
 *
 * DESCRIPTION
 *	local_command() pipes the message into command ("|command" in an
 *	alias, .forward or :include: file, or mailbox_command /
 *	mailbox_command_maps when mailbox_command is true):
 *
 *	-  allow_mail_to_commands must name the context that led here
 *	   ("5.7.1 mail to command is restricted" otherwise); mailbox
 *	   commands are the administrator's and always allowed;
 *	-  the command runs with the user context's privileges, or with
 *	   default_privs' when that is root (local.8), in the queue
 *	   directory (or command_execution_directory, expanded like
 *	   forward_path and filtered with execution_directory_expansion_
 *	   filter, entered with the command's privileges; failure defers),
 *	   with PATH=/usr/bin:/bin, the export_environment
 *	   variables, and HOME, USER, LOGNAME, SHELL, EXTENSION, DOMAIN,
 *	   LOCAL, RECIPIENT, SENDER, ORIGINAL_RECIPIENT and the CLIENT_*
 *	   and SASL_* variables, their values filtered with
 *	   command_expansion_filter;
 *	-  with local_command_shell set, that shell (and its arguments)
 *	   gets the command as its last argument; otherwise the command
 *	   runs directly, or with /bin/sh -c when it has shell syntax
 *	   (exec_command(3));
 *	-  the input is "From sender date", Return-Path, X-Original-To, the
 *	   optional Delivered-To: (prepend_delivered_header "command"),
 *	   then the message (mail_copy(3)), with no empty line at the end;
 *	-  the command gets command_time_limit seconds, then its process
 *	   group is killed.
 *
 *	The outcome, as Debian's Postfix 3.7 reports it: exit 0 is
 *	"delivered to command: <command>"; otherwise an enhanced status
 *	code at the start of the command's output wins (the rest of the
 *	output is the reason); else a <sysexits.h> status gives its code
 *	and text ("4.3.0 temporary failure" for EX_TEMPFAIL, ...); else
 *	"5.3.0 Command died with status <n>: \"<command>\"". The first
 *	LOCAL_OUTPUT_LIMIT bytes of output follow as ". Command output:
 *	...", newlines made spaces. A command that runs too long bounces
 *	with "5.3.0 Command time limit exceeded: \"<command>\"". Every
 *	failure carries the DSN diagnostic "x-unix; <text>" for bounce(8)'s
 *	Diagnostic-Code: the output (without a leading status code and
 *	trailing spaces), else the <sysexits.h> text, "unknown mail system
 *	error <n>", or "internal software error" (signal, time limit). An
 *	address probe (DEL_REQ_FLAG_VERIFY) runs nothing and reports
 *	"delivers to command: <command>".
 *
 *	The message and the output go through unlinked temporary files
 *	(the command's standard input, output and error), so that no
 *	pipe can deadlock and the output is bounded.
 *
 * DIAGNOSTICS
 *	Problems are reported as the recipient's status.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "mac_expand.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "spawn_command.h"
#include "tmp_file.h"
#include "vstream.h"
#include "vstring.h"
#include "dsn.h"
#include "sys_exits.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mail_parm_split.h"
#include "local.h"

#define LOCAL_DTEXT_SOFTWARE	"internal software error"
#define LOCAL_PATH	"PATH=/usr/bin:/bin"

/* local_env_add - add NAME=value, filtered */
static void local_env_add(ARGV *env, const char *name, const char *value)
{
    const char *filter = VAR_STR(command_expansion_filter);
    char   *copy = mystrdup(value ? value : "");
    char   *cp;

    for (cp = copy; *cp; cp++)
	if (strchr(filter, *cp) == 0)
	    *cp = '_';
    char   *setting = concatenate(name, "=", copy, (char *) 0);

    argv_add(env, setting, (char *) 0);
    myfree(setting);
    myfree(copy);
}

/* local_command_env - the environment of a delivery command */
static ARGV *local_command_env(const LOCAL_STATE *state)
{
    const DELIVER_REQUEST *req = state->lreq->request;
    ARGV   *env = argv_alloc(20);

    argv_add(env, LOCAL_PATH, (char *) 0);
    if (state->user.home && *state->user.home)
	local_env_add(env, "HOME", state->user.home);
    /* The bare recipient name, with or without a user context. */
    local_env_add(env, "USER", state->addr.user);
    local_env_add(env, "LOGNAME", state->addr.user);
    if (state->user.shell && *state->user.shell)
	local_env_add(env, "SHELL", state->user.shell);
    if (state->addr.extension)
	local_env_add(env, "EXTENSION", state->addr.extension);
    local_env_add(env, "DOMAIN", state->addr.domain);
    local_env_add(env, "LOCAL", state->addr.local);
    local_env_add(env, "RECIPIENT", state->addr.address);
    local_env_add(env, "SENDER", state->sender);
    local_env_add(env, "ORIGINAL_RECIPIENT", *state->rcpt->orig_addr ?
		  state->rcpt->orig_addr : state->rcpt->address);
    if (req->client_name && *req->client_name)
	local_env_add(env, "CLIENT_HOSTNAME", req->client_name);
    if (req->client_addr && *req->client_addr)
	local_env_add(env, "CLIENT_ADDRESS", req->client_addr);
    if (req->client_helo && *req->client_helo)
	local_env_add(env, "CLIENT_HELO", req->client_helo);
    if (req->client_proto && *req->client_proto)
	local_env_add(env, "CLIENT_PROTOCOL", req->client_proto);
    if (req->sasl_method && *req->sasl_method)
	local_env_add(env, "SASL_METHOD", req->sasl_method);
    if (req->sasl_sender && *req->sasl_sender)
	local_env_add(env, "SASL_SENDER", req->sasl_sender);
    if (req->sasl_username && *req->sasl_username)
	local_env_add(env, "SASL_USERNAME", req->sasl_username);
    return env;
}

/* local_output - the first bytes of the command's output, one line */
static char *local_output(int fd)
{
    char    buf[LOCAL_OUTPUT_LIMIT + 1];
    ssize_t n;
    char   *cp;

    if (lseek(fd, 0, SEEK_SET) < 0 || (n = read(fd, buf, LOCAL_OUTPUT_LIMIT)) <= 0)
	return mystrdup("");
    buf[n] = 0;
    for (cp = buf; cp < buf + n; cp++)
	if (*cp == '\n' || *cp == '\r' || *cp == '\t' || *cp == 0)
	    *cp = ' ';
    printable(buf, '?');
    /* Postfix keeps the spaces that the newlines became. */
    return mystrdup(buf);
}

/* local_dtext - Diagnostic-Code text: text less trailing spaces, or fallback */
static const char *local_dtext(VSTRING *buf, const char *text,
			               const char *fallback)
{
    vstring_strcpy(buf, text);
    while (VSTRING_LEN(buf) > 0
	   && vstring_str(buf)[VSTRING_LEN(buf) - 1] == ' ')
	vstring_truncate(buf, VSTRING_LEN(buf) - 1);
    if (VSTRING_LEN(buf) == 0)
	vstring_strcpy(buf, fallback);
    return (vstring_str(buf));
}

/* local_leading_dsn - an enhanced status code at the start of text */
static bool local_leading_dsn(const char *text, VSTRING *status)
{
    size_t  len = strspn(text, "0123456789.");
    char   *code;
    bool    ok;

    if (len < 5 || len > 11 || (text[len] != 0 && text[len] != ' '))
	return false;
    code = mystrndup(text, len);
    ok = (code[0] == '4' || code[0] == '5') && dsn_valid_status(code);
    if (ok)
	vstring_strcpy(status, code);
    myfree(code);
    return ok;
}

/* local_command_chdir - enter command_execution_directory; remember "." */
static int local_command_chdir(LOCAL_STATE *state, LOCAL_STATE *privs,
			               int *cwd_fd)
{
    LOCAL_EXPAND_ATTR attr;
    VSTRING *dir = vstring_alloc(100);
    int     status = LOCAL_OK;
    int     err = 0;

    local_expand_attr(state, &attr);
    if (local_expand(dir, VAR_STR(command_execution_directory), &attr,
		     VAR_STR(execution_directory_expansion_filter))
	& MAC_PARSE_ERROR) {
	vstring_free(dir);
	return local_defer(state, "4.3.5", "mail system configuration error");
    }
    if ((*cwd_fd = open(".", O_RDONLY | O_CLOEXEC)) < 0) {
	vstring_free(dir);
	return local_defer(state, "4.3.0", "open current directory: %s",
			   strerror(errno));
    }
    /* The directory must be accessible to the user who runs the command. */
    if (!local_privs_enter(&privs->user)) {
	err = EPERM;
    } else {
	if (chdir(vstring_str(dir)) < 0)
	    err = errno;
	local_privs_leave();
    }
    if (err) {
	(void) close(*cwd_fd);
	*cwd_fd = -1;
	/* Postfix's child says this and exits with EX_TEMPFAIL. */
	msg_warn("cannot change directory to \"%s\" for uid=%ld gid=%ld: %s",
		 vstring_str(dir), (long) privs->user.uid,
		 (long) privs->user.gid, strerror(err));
	status = local_defer(state, "4.3.0", "temporary failure");
    }
    vstring_free(dir);
    return status;
}

/* local_command - deliver to an external command */
int     local_command(LOCAL_STATE *state, const char *command,
		              bool mailbox_command)
{
    DELIVER_REQUEST *req = state->lreq->request;
    SPAWN_COMMAND spawn;
    SPAWN_STATUS result;
    VSTRING *why = vstring_alloc(100);
    VSTRING *status_buf = vstring_alloc(10);
    VSTRING *dtext = vstring_alloc(100);
    VSTRING *fallback = vstring_alloc(100);
    LOCAL_STATE *privs = 0;
    VSTREAM *in;
    ARGV   *env = 0;
    ARGV   *shell = 0;
    ARGV   *export_list = 0;
    char   *output = 0;
    int     in_fd = -1;
    int     out_fd = -1;
    int     cwd_fd = -1;
    bool    spawned;
    int     flags;
    int     status;
    const char *orig;

    while (*command == ' ' || *command == '\t')
	command++;
    if (!mailbox_command
	&& (state->context & LOCAL_CTX_MASK & ~local_config.cmd_mask) != 0) {
	status = local_bounce(state, "5.7.1", "mail to command is restricted");
	goto done;
    }
    if (*command == 0) {
	status = local_bounce(state, "5.3.5", "empty command");
	goto done;
    }

    if (req->flags & DEL_REQ_FLAG_VERIFY) {
	status = local_sent(state, "delivers to command: %s", command);
	goto done;
    }
    if (!mailbox_command) {
	/* The same command for the same user runs once. */
	vstring_sprintf(why, "command %ld %s", (long) state->user.uid, command);
	if (local_dup_filter(state, vstring_str(why))) {
	    status = LOCAL_OK;
	    goto done;
	}
    }

    /* Whose privileges: never root's. */
    if (state->user.uid == 0 || state->user.uid == (uid_t) -1) {
	privs = local_state_child(state, state->addr.address, state->context);
	if (!local_state_privs(privs, (const char *) 0)) {
	    status = local_defer(state, "4.3.5",
				 "mail system configuration error");
	    goto done;
	}
    }

    /* The message, as the command will read it. */
    if ((in_fd = tmp_file_open("postel-local")) < 0
	|| (out_fd = tmp_file_open("postel-local")) < 0) {
	status = local_defer(state, "4.3.0", "cannot create temporary file: %s",
			     strerror(errno));
	goto done;
    }
    in = vstream_fdopen(dup(in_fd), O_RDWR);
    flags = MAIL_COPY_FROM | MAIL_COPY_RETURN_PATH | MAIL_COPY_ORIG_RCPT;
    if (local_config.deliver_hdr_mask & LOCAL_DELIVER_HDR_COMMAND)
	flags |= MAIL_COPY_DELIVERED;
    orig = *state->rcpt->orig_addr ? state->rcpt->orig_addr :
	state->rcpt->address;
    if (mail_copy(req, state->delivered, orig, in, flags, "\n",
		  state->why) != 0) {
	(void) vstream_fclose(in);
	status = local_status(state, state->why);
	goto done;
    }
    if (vstream_fclose(in) != 0 || lseek(in_fd, 0, SEEK_SET) < 0) {
	status = local_defer(state, "4.3.0",
			     "cannot write temporary file: %s",
			     strerror(errno));
	goto done;
    }

    env = local_command_env(state);
    export_list = mail_parm_split(PARAM_NAME(export_environment),
				  VAR_STR(export_environment));
    spawn_command_init(&spawn);
    if (*VAR_STR(local_command_shell)) {
	shell = argv_split(VAR_STR(local_command_shell), " \t\r\n");
	argv_add(shell, command, (char *) 0);
	spawn.argv = (const char *const *) shell->argv;
    } else {
	spawn.command = command;
    }
    spawn.export_list = (const char *const *) export_list->argv;
    spawn.env = (const char *const *) env->argv;
    spawn.stdin_fd = in_fd;
    spawn.stdout_fd = out_fd;
    spawn.stderr_fd = out_fd;
    spawn.time_limit = VAR_TIME(command_time_limit);
    if (getuid() == 0) {
	const LOCAL_USER *user = privs ? &privs->user : &state->user;

	spawn.uid = user->uid;
	spawn.gid = user->gid;
    }
    if (*VAR_STR(command_execution_directory)) {
	status = local_command_chdir(state, privs ? privs : state, &cwd_fd);
	if (status != LOCAL_OK)
	    goto done;
    }
    spawned = spawn_command(&spawn, &result, why);
    if (cwd_fd >= 0) {
	/* Back to the queue directory. */
	if (fchdir(cwd_fd) < 0)
	    msg_fatal("restore working directory: %m");
	(void) close(cwd_fd);
	cwd_fd = -1;
    }
    if (!spawned) {
	output = local_output(out_fd);
	status = local_defer(state, "4.3.0", "cannot execute command \"%s\": %s",
			     command, vstring_str(why));
	goto done;
    }
    output = local_output(out_fd);

    /*
     * A failure's Diagnostic-Code is "x-unix; <output>" (trailing spaces
     * removed), or a default text without output, as Debian's local(8)
     * reports it.
     */
    if (result.timed_out) {
	dsb_update(state->why, "5.3.0", dsn_action_of("5.3.0"), "", "",
		   "x-unix", local_dtext(dtext, output, LOCAL_DTEXT_SOFTWARE),
		   "Command time limit exceeded: \"%s\"%s%s",
		   command, *output ? ". Command output: " : "", output);
	status = local_status(state, state->why);
    } else if (result.signaled) {
	dsb_update(state->why, "4.3.0", dsn_action_of("4.3.0"), "", "",
		   "x-unix", local_dtext(dtext, output, LOCAL_DTEXT_SOFTWARE),
		   "Command died with signal %d: \"%s\"%s%s",
		   result.signal, command,
		   *output ? ". Command output: " : "", output);
	status = local_status(state, state->why);
    } else if (result.exit_code == 0) {
	status = local_sent(state, "delivered to command: %s", command);
    } else {
	const char *code;
	const char *text;
	size_t  len;

	if (local_leading_dsn(output, status_buf)) {
	    /* The command's own status code and text win. */
	    code = vstring_str(status_buf);
	    len = VSTRING_LEN(status_buf);
	    text = output[len] == ' ' ? output + len + 1 : output + len;
	    dsb_update(state->why, code, dsn_action_of(code), "", "",
		       "x-unix", local_dtext(dtext, text, code), "%s", text);
	} else if ((code = sys_exits_status(result.exit_code, &text)) != 0) {
	    dsb_update(state->why, code, dsn_action_of(code), "", "",
		       "x-unix", local_dtext(dtext, output, text),
		       "%s%s%s", text,
		       *output ? ". Command output: " : "", output);
	} else {
	    code = "5.3.0";
	    vstring_sprintf(fallback, "unknown mail system error %d",
			    result.exit_code);
	    dsb_update(state->why, code, dsn_action_of(code), "", "",
		       "x-unix",
		       local_dtext(dtext, output, vstring_str(fallback)),
		       "Command died with status %d: \"%s\"%s%s",
		       result.exit_code, command,
		       *output ? ". Command output: " : "", output);
	}
	status = local_status(state, state->why);
    }

done:
    if (output)
	myfree(output);
    if (in_fd >= 0)
	(void) close(in_fd);
    if (out_fd >= 0)
	(void) close(out_fd);
    if (env)
	argv_free(env);
    if (shell)
	argv_free(shell);
    if (export_list)
	argv_free(export_list);
    if (privs)
	local_state_free(privs);
    vstring_free(why);
    vstring_free(status_buf);
    vstring_free(dtext);
    vstring_free(fallback);
    return status;
}
