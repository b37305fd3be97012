/*
 * user_acl - is a login name on an access list such as authorized_submit_users
 *
 * SYNOPSIS
 *	#include "user_acl.h"
 *
 *	int	user_acl_match(const char *title, const char *list,
 *				const char *login);
 *	const char *user_acl_login(VSTRING *buf, uid_t uid);
 *
 * DESCRIPTION
 *	user_acl_match() matches a login name against the value of an
 *	access-list parameter (authorized_submit_users,
 *	authorized_mailq_users, authorized_flush_users; title is the
 *	parameter name, for messages). The list is user names,
 *	"/file/name" patterns (replaced by the file's words) and
 *	"type:table" patterns (matched when the name is a lookup key; the
 *	result is ignored; "static:anyone" matches every name), separated
 *	by commas and/or whitespace, matched left to right; the first
 *	match decides; "!pattern" excludes. An empty list matches
 *	nothing. The result is USER_ACL_ALLOW, USER_ACL_DENY (no match,
 *	or an excluding match) or USER_ACL_ERROR (a table lookup failed or
 *	a file could not be read: the caller must deny, as a temporary
 *	error).
 *
 *	user_acl_login() returns the login name of uid into buf, or
 *	"unknown" when the password file has no entry for it.
 *
 * DIAGNOSTICS
 *	Warnings: "<title>: cannot read <file>: <error>", "<title>:
 *	<type:table> lookup error for <name>", "<title>: /file/name
 *	patterns nested too deep".
 */
#ifndef USER_ACL_H
#define USER_ACL_H

#include "sys_defs.h"
#include <sys/types.h>
#include "vstring.h"

#define USER_ACL_ALLOW	1
#define USER_ACL_DENY	0
#define USER_ACL_ERROR	(-1)

extern int user_acl_match(const char *title, const char *list,
			          const char *login);
extern const char *user_acl_login(VSTRING *buf, uid_t uid);

#endif
