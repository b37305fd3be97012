/*
 * maillog_client - send a program's logging to syslog or to postlogd
 *
 * SYNOPSIS
 *	#include "maillog_client.h"
 *
 *	void	maillog_client_init(const char *progname, int flags);
 *	bool	maillog_client_prefix_ok(const char *path);
 *	const char *maillog_client_service_path(void);
 *	bool	maillog_client_connect(void);
 *
 * DESCRIPTION
 *	maillog_client_init() sets up the msg(3) output of a Postfix program
 *	after main.cf has been read. The log ident is
 *	"$syslog_name/progname", and each record has the shape that log
 *	tools expect: "<time> <host> <ident>[<pid>]: <text>".
 *
 *	With an empty maillog_file, records go to syslog (facility
 *	syslog_facility). Otherwise they are sent, one datagram each, to the
 *	postlogd(8) service (the unix-dgram socket
 *	$queue_directory/public/$postlog_service_name, or the path in the
 *	POSTLOG_SERVICE environment variable). When postlogd cannot be
 *	reached, programs that pass MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK
 *	(postfix, postsuper, postmulti, postlog) append the record to
 *	$maillog_file themselves; other programs log to syslog instead
 *	(again with facility syslog_facility).
 *	The host name is the first label of $myhostname (or of
 *	POSTLOG_HOSTNAME when set), as syslogd writes it.
 *
 *	With MAILLOG_CLIENT_FLAG_IDENT_AS_IS, progname is used unchanged
 *	as the whole ident, without the "$syslog_name/" prefix (postlog -t
 *	tag, postmulti). This flag combines with the fallback flag.
 *
 *	When postlogd's socket is full (postlogd is slow, or master has
 *	yet to start it), a program without the fallback flag waits up to
 *	half a second for room before it gives up on the record; after
 *	one such timeout it stops waiting until a record gets through
 *	again. Programs with the fallback flag (and master(8)) never wait:
 *	they write the record to the file at once.
 *
 *	maillog_client_init() may be called again after a configuration
 *	change; it replaces the previous setup. Standard error output, if
 *	enabled with msg_stderr_init(), is left alone.
 *
 *	maillog_client_prefix_ok() tells whether a maillog_file value
 *	starts with one of the maillog_file_prefixes.
 *	maillog_client_service_path() returns the postlogd socket path.
 *
 *	maillog_client_connect() connects to postlogd now, when logging
 *	goes there, and tells whether that worked (true also when logging
 *	goes to syslog). The daemon skeletons call it just before they
 *	chroot: a connected datagram socket keeps working inside the jail,
 *	where the socket's path may not exist.
 *
 * DIAGNOSTICS
 *	Fatal: maillog_file outside maillog_file_prefixes; an unknown
 *	syslog_facility value (in either mode, as with Postfix).
 */
#ifndef MAILLOG_CLIENT_H
#define MAILLOG_CLIENT_H

#include "sys_defs.h"

#define MAILLOG_CLIENT_FLAG_NONE		0
#define MAILLOG_CLIENT_FLAG_LOGWRITER_FALLBACK	(1<<0)
#define MAILLOG_CLIENT_FLAG_IDENT_AS_IS		(1<<1)

#define MAILLOG_RECORD_LIMIT	8192	/* longest record sent */

extern void maillog_client_init(const char *progname, int flags);
extern bool maillog_client_prefix_ok(const char *path);
extern const char *maillog_client_service_path(void);
extern bool maillog_client_connect(void);

#endif
