/*
 * master_conf - parse master.cf service entries
 *
 * SYNOPSIS
 *	#include "master_conf.h"
 *
 *	MASTER_ENTRY *master_entry_parse(const char *text, const char *path,
 *					 int line, VSTRING *why);
 *	void	master_entry_free(MASTER_ENTRY *entry);
 *	char	*master_entry_unbrace(const char *token);
 *	char	*master_entry_text(const MASTER_ENTRY *entry);
 *
 *	MASTER_CONF *master_conf_read(const char *path, VSTRING *why);
 *	void	master_conf_free(MASTER_CONF *conf);
 *
 *	bool	master_entry_flag(const char *field, bool dflt);
 *	int	master_entry_wakeup(const MASTER_ENTRY *entry, bool *conditional);
 *	int	master_entry_maxproc(const MASTER_ENTRY *entry, int dflt);
 *
 * DESCRIPTION
 *	A master.cf entry has eight or more whitespace-separated fields:
 *	service name, type (inet, unix, unix-dgram, fifo, pass), private,
 *	unprivileged, chroot (each y, n or -), wakeup time ("-", seconds, or
 *	seconds with a "?" suffix), process limit ("-" or a number), and the
 *	command name with its arguments. An argument written as "{ text }"
 *	may contain whitespace; the braces and the whitespace just inside
 *	them are removed.
 *
 *	master_entry_parse() parses one logical line (continuations already
 *	joined). It returns NULL and an error text in why for a bad field
 *	count or an invalid field value. Brace problems in arguments are
 *	warnings, as in Postfix. The entry keeps the arguments both with
 *	braces removed (args) and as written (raw_args), so that a caller
 *	such as postconf(1) can tell "{-x}" from "-x".
 *	master_entry_unbrace() returns a copy of one argument token with
 *	"{ text }" braces and the whitespace just inside them removed (a
 *	token without a leading '{' is copied as is), warning about brace
 *	errors as described under DIAGNOSTICS.
 *
 *	master_entry_text() formats the entry as one normalized line
 *	(single spaces; arguments with whitespace re-braced).
 *
 *	master_conf_read() reads every entry of a file (comments, blank
 *	lines and continuation lines handled as in main.cf). It returns NULL
 *	with the first error in why; an unreadable file is also an error.
 *
 *	master_field_error() checks one of the fields MASTER_FIELD_TYPE ..
 *	MASTER_FIELD_MAXPROC and returns NULL when the value is valid, else
 *	the field's label for diagnostics ("type", "private",
 *	"unprivileged", "chroot", "wakeup", "process_limit").
 *
 *	master_entry_flag() interprets y/n/- with the given default for "-"
 *	(Postfix defaults: private y, unprivileged y, chroot n).
 *	master_entry_wakeup() returns the wakeup time (0: none) and tells
 *	whether it is conditional ("?": only while the service is in use).
 *	master_entry_maxproc() returns the process limit (0: unlimited), or
 *	dflt for "-".
 *
 * DIAGNOSTICS
 *	Errors (Postfix's words): "file <path>: line <n>: bad field count",
 *	"invalid <field> field "value" in "line"". Warnings: "master.cf:
 *	missing '}' in "{text"", "master.cf: syntax error after '}' in ...".
 */
#ifndef MASTER_CONF_H
#define MASTER_CONF_H

#include "sys_defs.h"
#include "argv.h"
#include "vstring.h"

typedef struct MASTER_ENTRY {
    char   *service;			/* service name */
    char   *type;			/* inet, unix, ... */
    char   *private_field;		/* y, n or - */
    char   *unpriv_field;		/* y, n or - */
    char   *chroot_field;		/* y, n or - */
    char   *wakeup_field;		/* -, N or N? */
    char   *maxproc_field;		/* - or N */
    ARGV   *args;			/* command name and arguments */
    ARGV   *raw_args;			/* the same, braces kept */
    int     line;			/* first line in the file */
} MASTER_ENTRY;

typedef struct MASTER_CONF {
    MASTER_ENTRY **entries;
    size_t  count;
} MASTER_CONF;

#define MASTER_MIN_FIELDS	8

/* Field positions in an entry. */
#define MASTER_FIELD_SERVICE	0
#define MASTER_FIELD_TYPE	1
#define MASTER_FIELD_PRIVATE	2
#define MASTER_FIELD_UNPRIV	3
#define MASTER_FIELD_CHROOT	4
#define MASTER_FIELD_WAKEUP	5
#define MASTER_FIELD_MAXPROC	6
#define MASTER_FIELD_COMMAND	7

extern MASTER_ENTRY *master_entry_parse(const char *text, const char *path,
					        int line, VSTRING *why);
extern void master_entry_free(MASTER_ENTRY *entry);
extern char *master_entry_unbrace(const char *token);
extern char *master_entry_text(const MASTER_ENTRY *entry);
extern MASTER_CONF *master_conf_read(const char *path, VSTRING *why);
extern void master_conf_free(MASTER_CONF *conf);
extern const char *master_field_error(int field, const char *value);
extern bool master_entry_flag(const char *field, bool dflt);
extern int master_entry_wakeup(const MASTER_ENTRY *entry, bool *conditional);
extern int master_entry_maxproc(const MASTER_ENTRY *entry, int dflt);

#endif
