/*
 * mail_endpoint - where an internal service's endpoint is
 *
 * SYNOPSIS
 *	#include "mail_endpoint.h"
 *
 *	char	*mail_endpoint_path(const char *endpoint);
 *
 * DESCRIPTION
 *	mail_endpoint_path() returns the pathname to connect to for the
 *	endpoint of a service: an absolute endpoint as it is, and a
 *	relative one ("public/cleanup", "private/rewrite") relative to
 *	$queue_directory. The caller frees the result with myfree().
 *
 *	A daemon runs in the queue directory (the server skeleton changes
 *	to it; a chrooted one has it as its root, where $queue_directory
 *	does not exist): when the current directory is the queue
 *	directory, or $queue_directory cannot be looked up, the relative
 *	endpoint is returned as it is, which works in both cases.
 *	Elsewhere (commands, tests) it is prefixed with $queue_directory.
 *
 *	This module does not check that the endpoint exists or what kind
 *	of file it is; the caller's connect or stat() does.
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef MAIL_ENDPOINT_H
#define MAIL_ENDPOINT_H

extern char *mail_endpoint_path(const char *endpoint);

#endif
