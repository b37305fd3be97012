/*
 * pipe_argv - expand the macros of a pipe(8) command line
 *
 * SYNOPSIS
 *	#include "pipe_argv.h"
 *
 *	ARGV	*pipe_argv_expand(const ARGV *pattern,
 *				const DELIVER_REQUEST *req, int flags,
 *				const char *null_sender,
 *				const char *delimiters, VSTRING *why);
 *
 * DESCRIPTION
 *	pipe_argv_expand() turns the argv= words of a pipe(8) service
 *	into the command's argument vector for one delivery request, as
 *	pipe(8) documents: $name, ${name} and $(name) (mac_expand(3),
 *	conditionals included) with the names
 *
 *	  sender, nexthop, size, queue_id, client_address, client_helo,
 *	  client_hostname, client_port, client_protocol, sasl_method,
 *	  sasl_sender, sasl_username	(once per word)
 *	  recipient, original_recipient, mailbox, user, extension,
 *	  domain			(per recipient)
 *
 *	A word that uses a per-recipient name becomes one argument per
 *	recipient of req, in request order; other words stay one
 *	argument. "$$" is a single "$".
 *
 *	flags are PIPE_FLAG_* (pipe_attr.h): FOLD_USER lowercases the
 *	local part of recipient and original_recipient and all of
 *	mailbox, user and extension; FOLD_HOST the domain of recipient
 *	and original_recipient, and all of domain and nexthop; QUOTE
 *	quotes the local part of sender, recipient and
 *	original_recipient as RFC 5322 requires (quote_822_local(3)). The
 *	null sender expands to null_sender (quoted only when not empty).
 *	user and extension split the local part at the first of the
 *	delimiters ($recipient_delimiter; split_addr(3)). An original
 *	recipient that the request does not have is the recipient.
 *
 *	The result is the new vector (argv_free()), or NULL with the
 *	reason in why: "unknown macro name: \"<name>\"" or "macro syntax
 *	error in \"<word>\"" (the caller defers: a configuration error).
 *
 * DIAGNOSTICS
 *	mac_expand(3) logs its own warning about bad syntax.
 */
#ifndef PIPE_ARGV_H
#define PIPE_ARGV_H

#include "sys_defs.h"
#include "argv.h"
#include "vstring.h"
#include "deliver_request.h"

extern ARGV *pipe_argv_expand(const ARGV *pattern, const DELIVER_REQUEST *req,
			              int flags, const char *null_sender,
			              const char *delimiters, VSTRING *why);

#endif
