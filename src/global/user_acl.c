/*
 * user_acl - is a login name on an access list such as authorized_submit_users
 *
 * SYNOPSIS
 *	See user_acl.h.
 *
 * DESCRIPTION
 *	The list syntax of postconf(5) authorized_submit_users. Tables
 *	are opened with dict_shared_open() (so a table named twice is
 *	opened once) and never closed: the callers are short-lived
 *	commands. "/file/name" patterns (read with pattern_file(3)) nest
 *	at most USER_ACL_DEPTH deep.
 *
 *	What it does not do: host or address patterns (this is a list of
 *	user names only), and case folding (login names are
 *	case-sensitive).
 *
 * DIAGNOSTICS
 *	See user_acl.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "argv.h"
#include "pattern_file.h"
#include "mypwd.h"
#include "dict.h"
#include "user_acl.h"

#define USER_ACL_DEPTH		4

/* What a list or pattern says about a name. */
#define USER_ACL_WALK_NONE	0	/* no match */
#define USER_ACL_WALK_ALLOW	1	/* match */
#define USER_ACL_WALK_EXCLUDE	2	/* match of a !pattern */
#define USER_ACL_WALK_ERROR	(-1)	/* lookup or file error */

static int user_acl_walk(const char *title, const char *list,
			         const char *login, int depth);

/* user_acl_file - read a /file/name pattern's words, then match them */
static int user_acl_file(const char *title, const char *path,
			         const char *login, int depth)
{
    ARGV   *words;
    char   *list;
    int     status;

    if (depth >= USER_ACL_DEPTH) {
	msg_warn("%s: /file/name patterns nested too deep", title);
	return USER_ACL_WALK_ERROR;
    }
    words = argv_alloc(10);
    if (!pattern_file_read(path, words)) {
	msg_warn("%s: cannot read %s: %m", title, excerpt(path));
	argv_free(words);
	return USER_ACL_WALK_ERROR;
    }
    list = argv_join(words, " ");
    status = user_acl_walk(title, list, login, depth + 1);
    myfree(list);
    argv_free(words);
    return status;
}

/* user_acl_pattern - match one pattern: USER_ACL_WALK_* */
static int user_acl_pattern(const char *title, const char *pattern,
			            const char *login, int depth)
{
    if (*pattern == '/')
	return user_acl_file(title, pattern, login, depth);
    if (strchr(pattern, ':') != 0) {
	DICT   *dict = dict_shared_open(pattern, O_RDONLY, DICT_FLAG_FOLD_FIX);

	if (dict_get(dict, login) != 0)
	    return USER_ACL_WALK_ALLOW;
	if (dict->error != DICT_ERR_NONE) {
	    msg_warn("%s: %s lookup error for %s", title, excerpt(pattern),
		     excerpt(login));
	    return USER_ACL_WALK_ERROR;
	}
	return USER_ACL_WALK_NONE;
    }
    return strcmp(pattern, login) == 0 ? USER_ACL_WALK_ALLOW : USER_ACL_WALK_NONE;
}

/* user_acl_walk - match a list, left to right: USER_ACL_WALK_* */
static int user_acl_walk(const char *title, const char *list,
			         const char *login, int depth)
{
    char   *saved = mystrdup(list);
    char   *bp = saved;
    char   *item;
    int     status = USER_ACL_WALK_NONE;

    while ((item = mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE)) != 0) {
	bool    negate = false;
	int     match;

	while (*item == '!') {
	    negate = !negate;
	    item++;
	}
	if (*item == 0)
	    continue;
	match = user_acl_pattern(title, item, login, depth);
	if (match == USER_ACL_WALK_ERROR || match == USER_ACL_WALK_NONE) {
	    if (match == USER_ACL_WALK_ERROR) {
		status = match;
		break;
	    }
	    continue;
	}
	if (negate)
	    match = (match == USER_ACL_WALK_ALLOW ?
		     USER_ACL_WALK_EXCLUDE : USER_ACL_WALK_ALLOW);
	status = match;
	break;
    }
    myfree(saved);
    return status;
}

/* user_acl_match - match a login name against an access list */
int     user_acl_match(const char *title, const char *list, const char *login)
{
    switch (user_acl_walk(title, list, login, 0)) {
    case USER_ACL_WALK_ALLOW:
	return USER_ACL_ALLOW;
    case USER_ACL_WALK_ERROR:
	return USER_ACL_ERROR;
    default:
	return USER_ACL_DENY;
    }
}

/* user_acl_login - login name of a uid, or "unknown" */
const char *user_acl_login(VSTRING *buf, uid_t uid)
{
    MYPWD  *pwd;

    if (mypwuid_err(uid, &pwd) == 0 && pwd != 0) {
	vstring_strcpy(buf, pwd->pw_name);
	mypwfree(pwd);
    } else {
	vstring_strcpy(buf, "unknown");
    }
    return vstring_str(buf);
}
