/*
 * dict_cmd - the parts of postmap and postalias they share: builds, queries,
 *	deletes, listings and common options
 *
 * SYNOPSIS
 *	#include "dict_cmd.h"
 *
 *	DICT_CMD *dict_cmd_create(char **maps, int count,
 *				const char *default_type, int open_flags,
 *				int dict_flags);
 *	const char *dict_cmd_find(DICT_CMD *cmd, const char *key);
 *	bool	dict_cmd_delete(DICT_CMD *cmd, const char *key);
 *	void	dict_cmd_free(DICT_CMD *cmd);
 *
 *	void	dict_cmd_sequence(const char *map, const char *default_type,
 *				int dict_flags, const char *separator);
 *
 *	void	dict_cmd_split(char *map, const char *default_type,
 *				const char **type, const char **name);
 *	VSTRING	*dict_cmd_files_to_b64(VSTRING *result, const char *files,
 *				VSTRING *why);
 *	void	dict_cmd_run_as(uid_t uid, gid_t gid);
 *
 *	bool	dict_cmd_query(char **maps, int count, const char *key,
 *			       int dict_flags);
 *	bool	dict_cmd_query_stdin(char **maps, int count, int dict_flags,
 *				     const char *separator);
 *	bool	dict_cmd_delete_keys(char **maps, int count, const char *key,
 *				     int dict_flags);
 *	void	dict_cmd_import_env(void);
 *
 *	MKMAP	*dict_cmd_build_open(const char *type, const char *name,
 *				     int build_flags, int open_flags,
 *				     int dict_flags, VSTREAM **source_fp);
 *
 *	void	dict_cmd_args_init(DICT_CMD_ARGS *args);
 *	bool	dict_cmd_option(DICT_CMD_ARGS *args, int ch, const char *arg);
 *	void	dict_cmd_run_lookups(const DICT_CMD_ARGS *args, char **maps,
 *				     int count, const char *separator);
 *
 * DESCRIPTION
 *	These are the parts that postmap(1) and postalias(1) share, with
 *	their diagnostics.
 *
 *	dict_cmd_create() prepares a list of tables ("type:name", or "name"
 *	for the default type; the strings are copied). With O_RDONLY in
 *	open_flags the tables are opened when first needed, so that
 *	"postmap -q" does not open tables after the one that answers; with
 *	O_RDWR they are opened at once (for deletes).
 *
 *	dict_cmd_find() looks up key in each table in turn and returns the
 *	first value found (valid until the next call), or NULL. With
 *	DICT_FLAG_SRC_RHS_IS_FILE in dict_flags (postmap -F) the value is
 *	base64-decoded first. A lookup error is fatal.
 *
 *	dict_cmd_delete() removes key from every table and tells whether
 *	any table had it. A delete error is fatal.
 *
 *	dict_cmd_sequence() writes every entry of one table to standard
 *	output as key, separator, value and newline ("\t" for postmap,
 *	":\t" for postalias), base64-decoding values with -F.
 *
 *	dict_cmd_split() splits a command-line table name in place into
 *	its type and name, using default_type for a name without a type.
 *
 *	dict_cmd_files_to_b64() implements postmap -F for one source
 *	value: the value lists file names separated by commas and/or
 *	whitespace; result becomes the base64 form of their contents,
 *	joined with a newline between files. The result is NULL (with the
 *	reason in why) when a file cannot be read or is larger than
 *	DICT_CMD_FILE_LIMIT in total.
 *
 *	dict_cmd_query() is "-q key" of postmap and postalias: it prints
 *	the first value found in the tables (default type
 *	$default_database_type) and tells whether there was one.
 *	dict_cmd_query_stdin() is "-q -": one key per line of standard
 *	input, printing "key<separator>value" for each key found.
 *	dict_cmd_delete_keys() is "-d key" and "-d -" (keys from standard
 *	input); it tells whether any key was deleted. Keys read from standard
 *	input are bounded by DICT_CMD_KEY_LIMIT bytes.
 *	dict_cmd_import_env() applies the name=value entries of
 *	import_environment, as the table commands do before their work.
 *
 *	dict_cmd_build_open() starts a build of postmap or postalias: it
 *	opens the source file (standard input when O_TRUNC is not in
 *	open_flags, an incremental update), and then the new table with
 *	mkmap_open(). With DICT_CMD_BUILD_SAVE_PERM in build_flags the table
 *	gets the source file's group and other read permissions; with
 *	DICT_CMD_BUILD_AS_OWNER, when run by root, it is built with the
 *	user and group of the source file. Other bits of build_flags are
 *	ignored, so that callers can keep their own flags above them. The
 *	caller reads *source_fp and closes it unless it is VSTREAM_IN.
 *	Open errors and "proxy:" tables are fatal.
 *
 *	dict_cmd_args_init() sets the defaults of the options the two
 *	commands share: build with truncation, warn about duplicate keys,
 *	fold keys to lower case, request UTF-8 handling, no lookup mode.
 *	dict_cmd_option() applies one of those shared options (-c -d -f -i
 *	-n -N -q -r -s -u -v -w, with the "specify only one of" checks) and
 *	tells whether ch was one of them. dict_cmd_run_lookups() runs the
 *	chosen -d, -q or -s mode on the tables and exits with its status
 *	(-s with no table exits 1, like Postfix); it returns only when no
 *	lookup mode was chosen, leaving the build to the caller.
 *
 *	dict_cmd_run_as() switches the effective user and group to the
 *	given ones (from root, or back through root), so that a table is
 *	built with the ownership of its source file.
 *
 * DIAGNOSTICS
 *	Warnings: "table <type>:<name>: key <key>: empty string result is
 *	not allowed", "table <type>:<name> should return NO RESULT in case
 *	of NOT FOUND", "table <type>:<name>: empty lookup key value is not
 *	allowed", "table <type>:<name>: key <key>: malformed BASE64 value:
 *	<value>". Fatal: "table <type>:<name>: query error", "... delete
 *	error", "... sequence error", "can't sequence maps via the proxy
 *	service", open errors, and privilege switch errors.
 */
#ifndef DICT_CMD_H
#define DICT_CMD_H

#include "sys_defs.h"
#include "vstring.h"
#include "vstream.h"
#include "dict.h"
#include "mkmap.h"

typedef struct DICT_CMD DICT_CMD;

typedef struct DICT_CMD_ARGS {
    int     open_flags;			/* O_TRUNC unless -i */
    int     dict_flags;			/* changed by -f -r -u -w */
    const char *query;			/* -q key, or NULL */
    const char *delkey;			/* -d key, or NULL */
    bool    sequence;			/* -s */
} DICT_CMD_ARGS;

#define DICT_CMD_BUILD_AS_OWNER	(1<<0)	/* build as the source file owner */
#define DICT_CMD_BUILD_SAVE_PERM (1<<1)	/* copy source read permissions */

#define DICT_CMD_FILE_LIMIT	(256 * 1024 * 1024)
#define DICT_CMD_KEY_LIMIT	(16 * 1024 * 1024)	/* "-q -" and "-d -" keys */

extern DICT_CMD *dict_cmd_create(char **maps, int count,
				         const char *default_type,
				         int open_flags, int dict_flags);
extern const char *dict_cmd_find(DICT_CMD *cmd, const char *key);
extern bool dict_cmd_delete(DICT_CMD *cmd, const char *key);
extern void dict_cmd_free(DICT_CMD *cmd);
extern void dict_cmd_sequence(const char *map, const char *default_type,
			              int dict_flags, const char *separator);
extern void dict_cmd_split(char *map, const char *default_type,
			           const char **type, const char **name);
extern VSTRING *dict_cmd_files_to_b64(VSTRING *result, const char *files,
				              VSTRING *why);
extern void dict_cmd_run_as(uid_t uid, gid_t gid);
extern bool dict_cmd_query(char **maps, int count, const char *key,
			           int dict_flags);
extern bool dict_cmd_query_stdin(char **maps, int count, int dict_flags,
				         const char *separator);
extern bool dict_cmd_delete_keys(char **maps, int count, const char *key,
				         int dict_flags);
extern void dict_cmd_import_env(void);
extern MKMAP *dict_cmd_build_open(const char *type, const char *name,
				          int build_flags, int open_flags,
				          int dict_flags, VSTREAM **source_fp);
extern void dict_cmd_args_init(DICT_CMD_ARGS *args);
extern bool dict_cmd_option(DICT_CMD_ARGS *args, int ch, const char *arg);
extern void dict_cmd_run_lookups(const DICT_CMD_ARGS *args, char **maps,
				         int count, const char *separator);

#endif
