/*
 * dict_cmd - builds, queries, deletes and listings for postmap and postalias
 *
 * DESCRIPTION
 *	See dict_cmd.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "stringops.h"
#include "excerpt.h"
#include "argv.h"
#include "clean_env.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "base64_code.h"
#include "dict.h"
#include "dict_cmd.h"

struct DICT_CMD {
    int     count;
    char  **types;
    char  **names;
    DICT  **dicts;			/* NULL until opened */
    int     open_flags;
    int     dict_flags;
    VSTRING *decoded;			/* -F results */
};

/* dict_cmd_split - split "type:name" in place */
void    dict_cmd_split(char *map, const char *default_type, const char **type,
		               const char **name)
{
    char   *colon;

    if ((colon = strchr(map, ':')) != NULL) {
	*colon = 0;
	*type = map;
	*name = colon + 1;
    } else {
	*type = default_type;
	*name = map;
    }
}

/* dict_cmd_create - prepare a list of tables */
DICT_CMD *dict_cmd_create(char **maps, int count, const char *default_type,
			          int open_flags, int dict_flags)
{
    DICT_CMD *cmd = mymalloc(sizeof(*cmd));
    const char *type;
    const char *name;
    char   *copy;
    int     n;

    if (count <= 0)
	msg_panic("dict_cmd_create: bad table count %d", count);
    cmd->count = count;
    cmd->types = mymalloc(count * sizeof(*cmd->types));
    cmd->names = mymalloc(count * sizeof(*cmd->names));
    cmd->dicts = mycalloc(count, sizeof(*cmd->dicts));
    cmd->open_flags = open_flags;
    cmd->dict_flags = dict_flags;
    cmd->decoded = vstring_alloc(100);
    for (n = 0; n < count; n++) {
	copy = mystrdup(maps[n]);
	dict_cmd_split(copy, default_type, &type, &name);
	cmd->types[n] = mystrdup(type);
	cmd->names[n] = mystrdup(name);
	myfree(copy);
	if ((open_flags & O_ACCMODE) != O_RDONLY)
	    cmd->dicts[n] = dict_open3(cmd->types[n], cmd->names[n], open_flags,
				       dict_flags);
    }
    return cmd;
}

/* dict_cmd_free - close the tables */
void    dict_cmd_free(DICT_CMD *cmd)
{
    int     n;

    for (n = 0; n < cmd->count; n++) {
	if (cmd->dicts[n] != NULL)
	    dict_close(cmd->dicts[n]);
	myfree(cmd->types[n]);
	myfree(cmd->names[n]);
    }
    myfree(cmd->types);
    myfree(cmd->names);
    myfree(cmd->dicts);
    vstring_free(cmd->decoded);
    myfree(cmd);
}

/* dict_cmd_check_result - complain about empty results */
static void dict_cmd_check_result(DICT *dict, const char *key,
				          const char *value)
{
    if (*value == 0) {
	msg_warn("table %s:%s: key %s: empty string result is not allowed",
		 dict->type, dict->name, excerpt(key));
	msg_warn("table %s:%s should return NO RESULT in case of NOT FOUND",
		 dict->type, dict->name);
    }
}

/* dict_cmd_decode - base64-decode a -F value, or NULL with a warning */
static const char *dict_cmd_decode(DICT *dict, VSTRING *buf, const char *key,
				           const char *value)
{
    if (base64_decode(buf, value, strlen(value)) == NULL) {
	msg_warn("table %s:%s: key %s: malformed BASE64 value: %s",
		 dict->type, dict->name, excerpt(key), excerpt(value));
	return NULL;
    }
    return vstring_str(buf);
}

/* dict_cmd_find - first value for key in the tables */
const char *dict_cmd_find(DICT_CMD *cmd, const char *key)
{
    DICT   *dict;
    const char *value;
    int     n;

    for (n = 0; n < cmd->count; n++) {
	if ((dict = cmd->dicts[n]) == NULL)
	    dict = cmd->dicts[n] = dict_open3(cmd->types[n], cmd->names[n],
					      cmd->open_flags, cmd->dict_flags);
	if ((value = dict_get(dict, key)) != NULL
	    && (cmd->dict_flags & DICT_FLAG_SRC_RHS_IS_FILE)
	    && (value = dict_cmd_decode(dict, cmd->decoded, key, value)) == NULL)
	    dict->error = DICT_ERR_CONFIG;
	if (value != NULL) {
	    dict_cmd_check_result(dict, key, value);
	    return value;
	}
	if (dict->error != DICT_ERR_NONE)
	    msg_fatal("table %s:%s: query error", dict->type, dict->name);
    }
    return NULL;
}

/* dict_cmd_delete - remove key from every table */
bool    dict_cmd_delete(DICT_CMD *cmd, const char *key)
{
    DICT   *dict;
    bool    found = false;
    int     n;

    for (n = 0; n < cmd->count; n++) {
	if ((dict = cmd->dicts[n]) == NULL)
	    dict = cmd->dicts[n] = dict_open3(cmd->types[n], cmd->names[n],
					      cmd->open_flags, cmd->dict_flags);
	if (dict_del(dict, key) == DICT_STAT_SUCCESS)
	    found = true;
	if (dict->error != DICT_ERR_NONE)
	    msg_fatal("table %s:%s: delete error", dict->type, dict->name);
    }
    return found;
}

/* dict_cmd_sequence - list one table on standard output */
void    dict_cmd_sequence(const char *map, const char *default_type,
			          int dict_flags, const char *separator)
{
    char   *copy = mystrdup(map);
    VSTRING *decoded = vstring_alloc(100);
    const char *type;
    const char *name;
    const char *key;
    const char *value;
    DICT   *dict;
    int     function;
    int     status;

    dict_cmd_split(copy, default_type, &type, &name);
    if (strcmp(type, "proxy") == 0)
	msg_fatal("can't sequence maps via the proxy service");
    dict = dict_open3(type, name, O_RDONLY, dict_flags);
    for (function = DICT_SEQ_FUN_FIRST; /* see below */ ;
	 function = DICT_SEQ_FUN_NEXT) {
	if ((status = dict_seq(dict, function, &key, &value)) != DICT_STAT_SUCCESS)
	    break;
	if (*key == 0) {
	    msg_warn("table %s:%s: empty lookup key value is not allowed",
		     type, name);
	} else if (*value == 0) {
	    dict_cmd_check_result(dict, key, value);
	}
	if ((dict_flags & DICT_FLAG_SRC_RHS_IS_FILE)
	    && (value = dict_cmd_decode(dict, decoded, key, value)) == NULL)
	    continue;
	vstream_printf("%s%s%s\n", key, separator, value);
    }
    if (status == DICT_STAT_ERROR || dict->error != DICT_ERR_NONE)
	msg_fatal("table %s:%s: sequence error", dict->type, dict->name);
    if (vstream_fflush(VSTREAM_OUT) != 0)
	msg_fatal("write error: %m");
    dict_close(dict);
    vstring_free(decoded);
    myfree(copy);
}

/* dict_cmd_read_file - append a whole file to buf */
static bool dict_cmd_read_file(VSTRING *buf, const char *path, VSTRING *why)
{
    char    chunk[8192];
    ssize_t len;
    int     fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: %m", path);
	return false;
    }
    while ((len = read(fd, chunk, sizeof(chunk))) != 0) {
	if (len < 0) {
	    if (errno == EINTR)
		continue;
	    vstring_sprintf(why, "read %s: %m", path);
	    (void) close(fd);
	    return false;
	}
	if (VSTRING_LEN(buf) + len > DICT_CMD_FILE_LIMIT) {
	    vstring_sprintf(why, "%s: file content is larger than %d bytes",
			    path, DICT_CMD_FILE_LIMIT);
	    (void) close(fd);
	    return false;
	}
	vstring_memcat(buf, chunk, len);
    }
    (void) close(fd);
    return true;
}

/* dict_cmd_files_to_b64 - base64 of the contents of the listed files */
VSTRING *dict_cmd_files_to_b64(VSTRING *result, const char *files, VSTRING *why)
{
    VSTRING *content = vstring_alloc(1000);
    char   *copy = mystrdup(files);
    char   *bp = copy;
    char   *file;
    int     count = 0;
    bool    ok = true;

    while (ok && (file = mystrtok(&bp, CHARS_COMMA_SP)) != NULL) {
	if (count++ > 0)
	    VSTRING_ADDCH(content, '\n');
	ok = dict_cmd_read_file(content, file, why);
    }
    if (ok && count == 0) {
	vstring_strcpy(why, "no file name");
	ok = false;
    }
    if (ok)
	base64_encode(result, vstring_str(content), VSTRING_LEN(content));
    vstring_free(content);
    myfree(copy);
    return ok ? result : NULL;
}

/* dict_cmd_run_as - switch the effective user and group */
void    dict_cmd_run_as(uid_t uid, gid_t gid)
{
    if (geteuid() != 0 && seteuid(0) < 0)
	msg_fatal("seteuid(0): %m");
    if (setegid(gid) < 0)
	msg_fatal("setegid(%ld): %m", (long) gid);
    if (setgroups(1, &gid) < 0)
	msg_fatal("setgroups(1, %ld): %m", (long) gid);
    if (seteuid(uid) < 0)
	msg_fatal("seteuid(%ld): %m", (long) uid);
    if (msg_verbose)
	msg_info("running as uid %ld gid %ld", (long) uid, (long) gid);
}

/* dict_cmd_flush_output - report a failed write of query output */
static void dict_cmd_flush_output(void)
{
    if (vstream_fflush(VSTREAM_OUT) != 0)
	msg_fatal("write error: %m");
}

/* dict_cmd_query - "-q key": print the first value found */
bool    dict_cmd_query(char **maps, int count, const char *key, int dict_flags)
{
    DICT_CMD *cmd;
    const char *value;

    cmd = dict_cmd_create(maps, count, VAR_STR(default_database_type),
			  O_RDONLY, dict_flags);
    if ((value = dict_cmd_find(cmd, key)) != NULL)
	vstream_printf("%s\n", value);
    dict_cmd_flush_output();
    dict_cmd_free(cmd);
    return value != NULL;
}

/* dict_cmd_query_stdin - "-q -": keys from standard input */
bool    dict_cmd_query_stdin(char **maps, int count, int dict_flags,
			             const char *separator)
{
    DICT_CMD *cmd;
    VSTRING *line = vstring_alloc(100);
    const char *value;
    bool    found = false;

    cmd = dict_cmd_create(maps, count, VAR_STR(default_database_type),
			  O_RDONLY, dict_flags);
    while (vstring_get_nonl_bound(line, VSTREAM_IN, DICT_CMD_KEY_LIMIT)
	   != VSTREAM_EOF) {
	if ((value = dict_cmd_find(cmd, vstring_str(line))) != NULL) {
	    vstream_printf("%s%s%s\n", vstring_str(line), separator, value);
	    found = true;
	}
    }
    dict_cmd_flush_output();
    dict_cmd_free(cmd);
    vstring_free(line);
    return found;
}

/* dict_cmd_delete_keys - "-d key" or "-d -": remove entries */
bool    dict_cmd_delete_keys(char **maps, int count, const char *key,
			             int dict_flags)
{
    DICT_CMD *cmd;
    VSTRING *line;
    bool    found = false;

    cmd = dict_cmd_create(maps, count, VAR_STR(default_database_type),
			  O_RDWR, dict_flags);
    if (strcmp(key, "-") != 0) {
	found = dict_cmd_delete(cmd, key);
    } else {
	line = vstring_alloc(100);
	while (vstring_get_nonl_bound(line, VSTREAM_IN, DICT_CMD_KEY_LIMIT)
	       != VSTREAM_EOF)
	    if (dict_cmd_delete(cmd, vstring_str(line)))
		found = true;
	vstring_free(line);
    }
    dict_cmd_free(cmd);
    return found;
}

/* dict_cmd_import_env - apply name=value entries of import_environment */
void    dict_cmd_import_env(void)
{
    ARGV   *env = argv_split(VAR_STR(import_environment), CHARS_COMMA_SP);

    update_env((const char *const *) env->argv);
    argv_free(env);
}

/* dict_cmd_args_init - the defaults of the shared options */
void    dict_cmd_args_init(DICT_CMD_ARGS *args)
{
    args->open_flags = O_RDWR | O_CREAT | O_TRUNC;
    args->dict_flags = DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX
	| DICT_FLAG_UTF8_REQUEST;
    args->query = NULL;
    args->delkey = NULL;
    args->sequence = false;
}

/* dict_cmd_option - apply one option shared by postmap and postalias */
bool    dict_cmd_option(DICT_CMD_ARGS *args, int ch, const char *arg)
{
    switch (ch) {
    case 'N':
    case 'n':
	/* Keys never carry a null byte; nothing to choose. */
	return (true);
    case 'c':
	mail_conf_set_dir(arg);
	return (true);
    case 'd':
	if (args->sequence || args->query || args->delkey)
	    msg_fatal("specify only one of -s -q or -d");
	args->delkey = arg;
	return (true);
    case 'f':
	args->dict_flags &= ~DICT_FLAG_FOLD_FIX;
	return (true);
    case 'i':
	args->open_flags &= ~O_TRUNC;
	return (true);
    case 'q':
	if (args->sequence || args->query || args->delkey)
	    msg_fatal("specify only one of -s -q or -d");
	args->query = arg;
	return (true);
    case 'r':
	args->dict_flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE);
	args->dict_flags |= DICT_FLAG_DUP_REPLACE;
	return (true);
    case 's':
	if (args->query || args->delkey)
	    msg_fatal("specify only one of -s or -q or -d");
	args->sequence = true;
	return (true);
    case 'u':
	args->dict_flags &= ~DICT_FLAG_UTF8_REQUEST;
	return (true);
    case 'v':
	msg_verbose++;
	return (true);
    case 'w':
	args->dict_flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_REPLACE);
	args->dict_flags |= DICT_FLAG_DUP_IGNORE;
	return (true);
    default:
	return (false);
    }
}

/* dict_cmd_run_lookups - run -d, -q or -s and exit; return if none */
void    dict_cmd_run_lookups(const DICT_CMD_ARGS *args, char **maps,
			             int count, const char *separator)
{
    int     flags = args->dict_flags | DICT_FLAG_LOCK | DICT_FLAG_OPEN_FATAL;

    if (args->delkey)
	exit(dict_cmd_delete_keys(maps, count, args->delkey, flags) ? 0 : 1);
    if (args->query && strcmp(args->query, "-") == 0)
	exit(dict_cmd_query_stdin(maps, count, flags, separator) ? 0 : 1);
    if (args->query)
	exit(dict_cmd_query(maps, count, args->query, flags) ? 0 : 1);
    if (args->sequence) {
	/* Like Postfix, list only the first table. */
	if (count < 1)
	    exit(1);
	dict_cmd_sequence(maps[0], VAR_STR(default_database_type), flags,
			  separator);
	exit(0);
    }
}

/* dict_cmd_build_open - open the source and the new table of a build */
MKMAP  *dict_cmd_build_open(const char *type, const char *name,
			            int build_flags, int open_flags,
			            int dict_flags, VSTREAM **source_fp)
{
    VSTREAM *fp;
    MKMAP  *mkmap;
    struct stat st;
    mode_t  saved_mask = 0;
    bool    mask_changed = false;

    if ((open_flags & O_TRUNC) == 0) {
	fp = VSTREAM_IN;
	vstream_set_path(fp, "stdin");
    } else {
	if (strcmp(type, "proxy") == 0)
	    msg_fatal("can't create maps via the proxy service");
	if ((fp = vstream_fopen(name, O_RDONLY, 0)) == NULL)
	    msg_fatal("open %s: %m", name);
    }
    if (fstat(vstream_fileno(fp), &st) < 0)
	msg_fatal("fstat %s: %m", vstream_path(fp));

    /* The table gets the source file's group/other read permissions. */
    if ((build_flags & DICT_CMD_BUILD_SAVE_PERM) && S_ISREG(st.st_mode)) {
	saved_mask = umask(022 | (~st.st_mode & 077));
	mask_changed = true;
    }

    /* As root, build the table as the owner of the source file. */
    if ((build_flags & DICT_CMD_BUILD_AS_OWNER) && getuid() == 0
	&& (st.st_uid != geteuid() || st.st_gid != getegid()))
	dict_cmd_run_as(st.st_uid, st.st_gid);

    mkmap = mkmap_open(type, name, open_flags, dict_flags);
    if (mask_changed)
	(void) umask(saved_mask);
    *source_fp = fp;
    return mkmap;
}
