/*
 * pipe_attr - the command attributes of a pipe(8) service
 *
 * SYNOPSIS
 *	See pipe_attr.h.
 *
 * DESCRIPTION
 *	Postfix's pipe(8) checks its attributes once, when a process
 *	starts, and a bad one is fatal (master(8) then throttles the
 *	service); pipe.c does the same with the reasons made here.
 *
 * DIAGNOSTICS
 *	See pipe_attr.h.
 */
#include "sys_defs.h"

#include <string.h>
#include <pwd.h>
#include <stdlib.h>

#include "argv.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "command_user.h"
#include "mail_copy.h"
#include "pipe_attr.h"

#define PIPE_SIZE_DIGITS_MAX	18	/* fits a long */

/* Flag letters, as pipe(8) documents them. */
static const struct {
    int     letter;
    int     flag;
} pipe_attr_flag_table[] = {
    {'B', PIPE_FLAG_BLANK},
    {'D', PIPE_FLAG_DELIVERED},
    {'F', PIPE_FLAG_FROM},
    {'O', PIPE_FLAG_ORIG_RCPT},
    {'R', PIPE_FLAG_RETURN_PATH},
    {'X', PIPE_FLAG_FINAL},
    {'h', PIPE_FLAG_FOLD_HOST},
    {'q', PIPE_FLAG_QUOTE},
    {'u', PIPE_FLAG_FOLD_USER},
    {'.', PIPE_FLAG_DOT},
    {'>', PIPE_FLAG_QUOTE_FROM},
};

/* pipe_attr_value - the value when arg is "name=value", else NULL */
static const char *pipe_attr_value(const char *arg, const char *name)
{
    size_t  len = strlen(name);

    if (strncmp(arg, name, len) == 0 && arg[len] == '=')
	return arg + len + 1;
    return 0;
}

/* pipe_attr_flags - flags=letters */
static bool pipe_attr_flags(const char *value, int *flags, VSTRING *why)
{
    const char *cp;
    size_t  n;

    *flags = 0;
    for (cp = value; *cp; cp++) {
	for (n = 0; n < sizeof(pipe_attr_flag_table)
	     / sizeof(pipe_attr_flag_table[0]); n++)
	    if (pipe_attr_flag_table[n].letter == *cp)
		break;
	if (n == sizeof(pipe_attr_flag_table)
	    / sizeof(pipe_attr_flag_table[0])) {
	    vstring_sprintf(why, "unknown flag: %c (ignored)", *cp);
	    return false;
	}
	*flags |= pipe_attr_flag_table[n].flag;
    }
    return true;
}

/* pipe_attr_user - user=name[:group], with pipe(8)'s refusals */
static bool pipe_attr_user(const char *value, const char *mail_owner,
			           PIPE_ATTR *attr, VSTRING *why)
{
    COMMAND_USER user;
    struct passwd *owner;

    if (!command_user_resolve(value, (const char *) 0, &user, why)) {
	if (strcmp(vstring_str(why), "request to deliver as root") == 0)
	    vstring_strcpy(why,
		       "user= command-line attribute specifies root privileges");
	else if (strcmp(vstring_str(why),
			"request to use privileged group id 0") == 0)
	    vstring_strcpy(why, "user= command-line attribute specifies "
			   "privileged group id 0");
	return false;
    }
    if (mail_owner != 0 && (owner = getpwnam(mail_owner)) != 0
	&& owner->pw_uid == user.uid) {
	vstring_sprintf(why, "user= command-line attribute specifies "
			"mail system owner %s", mail_owner);
	return false;
    }
    attr->uid = user.uid;
    attr->gid = user.gid;
    myfree(attr->user);
    attr->user = mystrdup(value);
    split_at(attr->user, ':');
    return true;
}

/* pipe_attr_replace - set a string attribute, freeing the old value */
static void pipe_attr_replace(char **field, const char *value)
{
    myfree(*field);
    *field = mystrdup(value);
}

/* pipe_attr_parse - every command attribute of the service */
bool    pipe_attr_parse(char **args, const char *mail_owner,
			        PIPE_ATTR *attr, VSTRING *why)
{
    VSTRING *buf = vstring_alloc(10);
    bool    have_user = false;
    const char *value;
    char  **cpp;

    memset(attr, 0, sizeof(*attr));
    attr->eol = mystrdup("\n");
    attr->null_sender = mystrdup(PIPE_DEFAULT_NULL_SENDER);
    for (cpp = args; *cpp != 0; cpp++) {
	if ((value = pipe_attr_value(*cpp, "flags")) != 0) {
	    if (!pipe_attr_flags(value, &attr->flags, why))
		goto fail;
	} else if ((value = pipe_attr_value(*cpp, "user")) != 0) {
	    if (!pipe_attr_user(value, mail_owner, attr, why))
		goto fail;
	    have_user = true;
	} else if ((value = pipe_attr_value(*cpp, "size")) != 0) {
	    if (!alldig(value) || *value == 0
		|| strlen(value) > PIPE_SIZE_DIGITS_MAX) {
		vstring_sprintf(why, "get_service_attr: bad size= value: %s",
				excerpt(value));
		goto fail;
	    }
	    attr->size_limit = atol(value);
	} else if ((value = pipe_attr_value(*cpp, "eol")) != 0) {
	    pipe_attr_replace(&attr->eol, vstring_str(unescape(buf, value)));
	} else if ((value = pipe_attr_value(*cpp, "null_sender")) != 0) {
	    pipe_attr_replace(&attr->null_sender, value);
	} else if ((value = pipe_attr_value(*cpp, "directory")) != 0) {
	    pipe_attr_replace(&attr->directory, value);
	} else if ((value = pipe_attr_value(*cpp, "chroot")) != 0) {
	    pipe_attr_replace(&attr->chroot, value);
	} else if (pipe_attr_value(*cpp, "argv") != 0) {
	    break;
	} else {
	    vstring_sprintf(why, "unknown attribute name: %s", excerpt(*cpp));
	    goto fail;
	}
    }
    if (!have_user) {
	vstring_strcpy(why, "missing user= command-line attribute");
	goto fail;
    }
    if (*cpp == 0) {
	vstring_strcpy(why, "missing argv= command-line attribute");
	goto fail;
    }
    attr->argv = argv_alloc(4);
    argv_add(attr->argv, *cpp + strlen("argv="), (char *) 0);
    while (*++cpp != 0)
	argv_add(attr->argv, *cpp, (char *) 0);
    vstring_free(buf);
    return true;

fail:
    vstring_free(buf);
    pipe_attr_free(attr);
    return false;
}

/* pipe_attr_free - release a parse result */
void    pipe_attr_free(PIPE_ATTR *attr)
{
    myfree(attr->user);
    myfree(attr->eol);
    myfree(attr->null_sender);
    myfree(attr->directory);
    myfree(attr->chroot);
    if (attr->argv)
	argv_free(attr->argv);
    memset(attr, 0, sizeof(*attr));
}

/* pipe_attr_copy_flags - the mail_copy(3) flags of the content flags */
int     pipe_attr_copy_flags(int pipe_flags)
{
    int     copy_flags = 0;

    if (pipe_flags & PIPE_FLAG_FROM)
	copy_flags |= MAIL_COPY_FROM;
    if (pipe_flags & PIPE_FLAG_RETURN_PATH)
	copy_flags |= MAIL_COPY_RETURN_PATH;
    if (pipe_flags & PIPE_FLAG_DELIVERED)
	copy_flags |= MAIL_COPY_DELIVERED;
    if (pipe_flags & PIPE_FLAG_ORIG_RCPT)
	copy_flags |= MAIL_COPY_ORIG_RCPT;
    if (pipe_flags & PIPE_FLAG_QUOTE_FROM)
	copy_flags |= MAIL_COPY_QUOTE;
    if (pipe_flags & PIPE_FLAG_DOT)
	copy_flags |= MAIL_COPY_DOT;
    if (pipe_flags & PIPE_FLAG_BLANK)
	copy_flags |= MAIL_COPY_BLANK;
    return copy_flags;
}
