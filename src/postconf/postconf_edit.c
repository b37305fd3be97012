/*
 * postconf_edit - edit main.cf or master.cf in place, atomically
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_edit_main(int mode, int argc, char **argv);
 *	void	pcf_edit_master(int mode, int argc, char **argv);
 *
 * DESCRIPTION
 *	Both functions copy the file to "<file>.tmp" (created with the
 *	original file's permissions and locked, so that concurrent postconf
 *	commands take turns), make the changes on the way, flush and sync
 *	the copy, and rename it over the original. Comments, blank lines
 *	and untouched settings are copied unchanged, so a failure at any
 *	point leaves the original file intact; the temporary file is
 *	removed when the command fails. A last line without a newline gets
 *	one.
 *
 *	pcf_edit_main() handles main.cf. With PCF_EDIT_CONF, each argument
 *	is "name=value": the first line of every setting of that name
 *	becomes "name = value" and its continuation lines are dropped;
 *	names that main.cf does not set are appended at the end. With
 *	PCF_EDIT_EXCL, each argument is a name whose settings (with their
 *	continuation lines) are removed; with PCF_COMMENT_OUT they are
 *	turned into comments by a leading "#". Comment lines inside a
 *	setting stay where they are.
 *
 *	pcf_edit_master() handles master.cf, with mode also holding one of
 *	PCF_MASTER_ENTRY, PCF_MASTER_FLD or PCF_MASTER_PARAM:
 *
 *	-Me "service/type=entry text": the matching entries are replaced by
 *	the new entry (an entry with the new entry's own service and type
 *	counts as matching; later matches are removed); without a match,
 *	the new entry is appended.
 *	-MX "service/type": matching entries are removed. -M#: they become
 *	comments.
 *	-Fe "service/type/field=value": one field of each matching entry is
 *	replaced. -Pe "service/type/name=value": the "-o name=value"
 *	setting is replaced or added; -PX "service/type/name" removes it.
 *
 *	A changed entry is written in the folded layout of "postconf -Mf";
 *	comment lines that were inside it are written before it. Service
 *	and type accept "*". For -F and -P, a pattern that matches nothing
 *	gets a warning.
 *
 * DIAGNOSTICS
 *	Fatal: bad arguments (with Postfix's words, such as "-e, -X, or -#
 *	accepts no comment input", "-Pe does not accept whitespace in
 *	parameter value"), unreadable files ("open <file> for reading:
 *	<reason>"), write errors. Warnings: "<file>: multiple entries for
 *	"name"", "ignoring earlier request: 'name = value'", "unmatched
 *	service_name/type: "<argument>"".
 */
#include "sys_defs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "htable.h"
#include "myflock.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "master_conf.h"
#include "postconf.h"

#define PCF_EDIT_SUFFIX	".tmp"
#define PCF_ISSPACE(c)	isspace((unsigned char) (c))

 /*
  * The file being written, so that a fatal error can remove it.
  */
static char *pcf_edit_tmp_path;
static MSG_CLEANUP_FN pcf_edit_saved_cleanup;

typedef struct {
    char   *path;			/* the file being edited */
    char   *tmp_path;			/* its new contents */
    VSTREAM *src;			/* original, for reading */
    VSTREAM *dst;			/* temporary file */
} PCF_EDIT_FILE;

/* pcf_edit_cleanup - msg_fatal() hook: remove the temporary file */
static void pcf_edit_cleanup(void)
{
    if (pcf_edit_tmp_path != NULL)
	(void) unlink(pcf_edit_tmp_path);
    if (pcf_edit_saved_cleanup)
	pcf_edit_saved_cleanup();
}

/* pcf_edit_open - open the original and a locked temporary copy */
static PCF_EDIT_FILE *pcf_edit_open(const char *file)
{
    PCF_EDIT_FILE *ep = mymalloc(sizeof(*ep));
    struct stat tmp_st;
    struct stat path_st;
    struct stat src_st;
    int     fd;

    ep->path = concatenate(pcf_config_dir(), "/", file, (char *) 0);
    ep->tmp_path = concatenate(ep->path, PCF_EDIT_SUFFIX, (char *) 0);

    /*
     * Another postconf may hold the lock and rename the file we opened;
     * then try again with the new one.
     */
    for (;;) {
	if ((fd = open(ep->tmp_path, O_CREAT | O_WRONLY, 0644)) < 0)
	    msg_fatal("open %s: %m", ep->tmp_path);
	if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE) < 0)
	    msg_fatal("lock %s: %m", ep->tmp_path);
	if (fstat(fd, &tmp_st) < 0)
	    msg_fatal("fstat %s: %m", ep->tmp_path);
	if (stat(ep->tmp_path, &path_st) == 0
	    && path_st.st_dev == tmp_st.st_dev && path_st.st_ino == tmp_st.st_ino)
	    break;
	(void) close(fd);
    }
    pcf_edit_tmp_path = ep->tmp_path;
    pcf_edit_saved_cleanup = msg_cleanup(pcf_edit_cleanup);
    if (ftruncate(fd, 0) < 0)
	msg_fatal("truncate %s: %m", ep->tmp_path);
    if ((ep->src = vstream_fopen(ep->path, O_RDONLY, 0)) == NULL)
	msg_fatal("open %s for reading: %m", ep->path);
    if (fstat(vstream_fileno(ep->src), &src_st) == 0)
	(void) fchmod(fd, src_st.st_mode & 07777);
    ep->dst = vstream_fdopen(fd, O_WRONLY);
    vstream_set_path(ep->dst, ep->tmp_path);
    return ep;
}

/* pcf_edit_close - commit the new contents */
static void pcf_edit_close(PCF_EDIT_FILE *ep)
{
    if (vstream_ferror(ep->src))
	msg_fatal("read %s: %m", ep->path);
    (void) vstream_fclose(ep->src);
    if (vstream_fflush(ep->dst) != 0 || vstream_fsync(ep->dst) != 0)
	msg_fatal("write %s: %m", ep->tmp_path);
    if (rename(ep->tmp_path, ep->path) < 0)
	msg_fatal("rename %s to %s: %m", ep->tmp_path, ep->path);
    /* Closing releases the lock, after the new file is in place. */
    if (vstream_fclose(ep->dst) != 0)
	msg_fatal("close %s: %m", ep->tmp_path);
    pcf_edit_tmp_path = NULL;
    (void) msg_cleanup(pcf_edit_saved_cleanup);
    myfree(ep->path);
    myfree(ep->tmp_path);
    myfree(ep);
}

/* pcf_get_line - read one physical line; supply a missing newline */
static bool pcf_get_line(VSTRING *buf, VSTREAM *src, int *lineno)
{
    if (vstring_get(buf, src) == VSTREAM_EOF)
	return false;
    if (vstring_end(buf)[-1] != '\n')
	VSTRING_ADDCH(buf, '\n');
    VSTRING_TERMINATE(buf);
    if (lineno)
	*lineno += 1;
    return true;
}

/* pcf_content - start of content, or NULL for comment and blank lines */
static char *pcf_content(VSTRING *buf)
{
    char   *cp = vstring_str(buf);

    while (PCF_ISSPACE(*cp))
	cp++;
    return (*cp == '#' || *cp == 0) ? NULL : cp;
}

/* pcf_next_content - next content line; copy other lines through */
static char *pcf_next_content(VSTRING *buf, PCF_EDIT_FILE *ep, int *lineno)
{
    char   *cp;

    while (pcf_get_line(buf, ep->src, lineno)) {
	if ((cp = pcf_content(buf)) != NULL)
	    return cp;
	vstream_fputs(vstring_str(buf), ep->dst);
    }
    return NULL;
}

/* pcf_check_edit_arg - reject multi-line and comment arguments */
static char *pcf_check_edit_arg(char *arg, const char *edit_opts,
				        const char *verb)
{
    if (strchr(arg, '\n') != NULL)
	msg_fatal("%s %s no multi-line input", edit_opts, verb);
    while (PCF_ISSPACE(*arg))
	arg++;
    if (*arg == '#')
	msg_fatal("%s %s no comment input", edit_opts, verb);
    return arg;
}

typedef struct {
    char   *value;			/* new value, NULL for -X and -# */
    int     found;			/* settings seen in main.cf */
} PCF_MAIN_REQ;

/* pcf_free_main_req - htable destructor */
static void pcf_free_main_req(void *ptr)
{
    PCF_MAIN_REQ *req = ptr;

    myfree(req->value);
    myfree(req);
}

/* pcf_edit_main - edit main.cf */
void    pcf_edit_main(int mode, int argc, char **argv)
{
    HTABLE *table = htable_create(argc);
    HTABLE_INFO *ht;
    HTABLE_INFO **list;
    PCF_EDIT_FILE *ep;
    PCF_MAIN_REQ *req;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *key = vstring_alloc(100);
    char   *copy;
    char   *cp;
    char   *name;
    char   *value;
    const char *err;
    bool    interesting = false;
    int     n;

    /*
     * Parse the requests; a later request for the same name wins, in the
     * place of the first.
     */
    for (n = 0; n < argc; n++) {
	copy = mystrdup(argv[n]);
	cp = pcf_check_edit_arg(copy, "-e, -X, or -#", "accepts");
	if (mode & PCF_EDIT_CONF) {
	    if ((err = split_nameval(cp, &name, &value)) != NULL)
		msg_fatal("%s: \"%s\"", err, excerpt(cp));
	} else {
	    if (*cp == 0)
		msg_fatal("-X or -# requires non-blank parameter names");
	    if (strchr(cp, '=') != NULL)
		msg_fatal("-X or -# requires parameter names without value");
	    /* As with Postfix, leading whitespace stays (and never matches). */
	    name = copy;
	    for (cp = name + strlen(name); cp > name && PCF_ISSPACE(cp[-1]); cp--)
		 /* void */ ;
	    *cp = 0;
	    value = NULL;
	}
	if ((ht = htable_locate(table, name)) != NULL) {
	    req = ht->value;
	    if (req->value != NULL)
		msg_warn("ignoring earlier request: '%s = %s'", excerpt(name),
			 excerpt(req->value));
	    myfree(req->value);
	} else {
	    req = mymalloc(sizeof(*req));
	    req->found = 0;
	    htable_enter(table, name, req);
	}
	req->value = value ? mystrdup(value) : NULL;
	myfree(copy);
    }

    /*
     * Copy the file, replacing, removing or commenting out settings.
     */
    ep = pcf_edit_open(MAIN_CONF_FILE);
    while ((cp = pcf_next_content(buf, ep, (int *) 0)) != NULL) {
	if (cp > vstring_str(buf)) {
	    /* A continuation line. */
	    if (!interesting)
		vstream_fputs(vstring_str(buf), ep->dst);
	    else if (mode & PCF_COMMENT_OUT)
		vstream_fprintf(ep->dst, "#%s", vstring_str(buf));
	    continue;
	}
	vstring_strncpy(key, cp, strcspn(cp, CHARS_SPACE "="));
	if ((req = htable_find(table, vstring_str(key))) == NULL) {
	    interesting = false;
	    vstream_fputs(vstring_str(buf), ep->dst);
	    continue;
	}
	interesting = true;
	if (req->found++ == 1)
	    msg_warn("%s: multiple entries for \"%s\"", ep->path,
		     excerpt(vstring_str(key)));
	if (mode & PCF_EDIT_CONF)
	    vstream_fprintf(ep->dst, "%s = %s\n", vstring_str(key), req->value);
	else if (mode & PCF_COMMENT_OUT)
	    vstream_fprintf(ep->dst, "#%s", cp);
    }

    /*
     * New settings go at the end, in command-line order.
     */
    if (mode & PCF_EDIT_CONF) {
	list = htable_list(table);
	for (n = 0; list[n]; n++) {
	    req = list[n]->value;
	    if (req->found == 0)
		vstream_fprintf(ep->dst, "%s = %s\n", list[n]->key, req->value);
	}
	myfree(list);
    }
    pcf_edit_close(ep);
    htable_free(table, pcf_free_main_req);
    vstring_free(buf);
    vstring_free(key);
}

typedef struct {
    const char *raw_text;		/* command-line argument */
    ARGV   *service_pattern;		/* service, type[, field or name] */
    int     field;			/* -F field number */
    char   *param_name;			/* -P parameter name */
    char   *value;			/* new value, or NULL */
    PCF_MASTER_ENT *new_entry;		/* -Me replacement entry */
    int     match_count;
    bool    written;			/* -Me entry written */
} PCF_MASTER_EDIT_REQ;

static const char pcf_master_edit_opts[] = "-Me, -Fe, -Pe, -X, or -#";

#define PCF_HAS_BLANKS(s)	((s)[strcspn((s), CHARS_SPACE)] != 0)

/* pcf_parse_master_edit_req - parse one master.cf edit argument */
static void pcf_parse_master_edit_req(PCF_MASTER_EDIT_REQ *req, int mode,
				              const char *arg)
{
    char   *copy = mystrdup(arg);
    char   *cp;
    char   *pattern;
    char   *value = NULL;
    const char *err;
    VSTRING *why;

    memset(req, 0, sizeof(*req));
    req->raw_text = arg;
    cp = pcf_check_edit_arg(copy, pcf_master_edit_opts, "accept");
    if (mode & PCF_EDIT_CONF) {
	if ((err = split_nameval(cp, &pattern, &value)) != NULL)
	    msg_fatal("%s: \"%s\"", err, excerpt(arg));
    } else {
	if (strchr(cp, '=') != NULL)
	    msg_fatal("-X or -# requires names without value");
	pattern = trim_whitespace(cp);
    }
    switch (mode & PCF_MASTER_MASK) {
    case PCF_MASTER_ENTRY:
	if ((req->service_pattern = pcf_parse_service_pattern(pattern, 2, 2)) == NULL)
	    msg_fatal("-Me, -MX or -M# requires service_name/type");
	if (value != NULL) {
	    why = vstring_alloc(100);
	    if ((req->new_entry = pcf_parse_master_entry(value, value, why)) == NULL)
		msg_fatal("%s: \"%s\"", vstring_str(why), excerpt(arg));
	    vstring_free(why);
	}
	break;
    case PCF_MASTER_FLD:
	if ((req->service_pattern = pcf_parse_service_pattern(pattern, 3, 3)) == NULL)
	    msg_fatal("-Fe or -FX requires service_name/type/field_name");
	req->field = pcf_parse_field_pattern(req->service_pattern->argv[2]);
	if (req->field == PCF_FIELD_WILDCARD)
	    msg_fatal("-Fe does not accept wild-card field name");
	if (req->field == PCF_FIELD_UNKNOWN)
	    msg_fatal("invalid service attribute name: \"%s\"",
		      excerpt(req->service_pattern->argv[2]));
	if (value != NULL && req->field < MASTER_FIELD_COMMAND
	    && PCF_HAS_BLANKS(value))
	    msg_fatal("-Fe does not accept whitespace in non-command field");
	if (value != NULL && req->field == MASTER_FIELD_COMMAND
	    && value[strspn(value, CHARS_SPACE)] == 0)
	    msg_fatal("-Fe requires a non-empty command field: \"%s\"",
		      excerpt(arg));
	break;
    case PCF_MASTER_PARAM:
	if ((req->service_pattern = pcf_parse_service_pattern(pattern, 3, 3)) == NULL)
	    msg_fatal("-Pe or -PX requires service_name/type/parameter");
	if (PCF_MATCH_ANY(req->service_pattern->argv[2]))
	    msg_fatal("-Pe does not accept wild-card parameter name");
	if (value != NULL && PCF_HAS_BLANKS(value))
	    msg_fatal("-Pe does not accept whitespace in parameter value");
	req->param_name = mystrdup(req->service_pattern->argv[2]);
	break;
    default:
	msg_panic("pcf_parse_master_edit_req: bad mode 0x%x", mode);
    }
    req->value = value ? mystrdup(value) : NULL;
    myfree(copy);
}

/* pcf_gobble_entry - collect continuation lines; copy comments through */
static void pcf_gobble_entry(VSTRING *entry_buf, const char *first_line,
			             PCF_EDIT_FILE *ep, int *lineno)
{
    VSTRING *line = vstring_alloc(100);
    int     ch;

    vstring_strcpy(entry_buf, first_line);
    for (;;) {
	if ((ch = VSTREAM_GETC(ep->src)) != VSTREAM_EOF)
	    vstream_ungetc(ep->src, ch);
	if ((ch != '#' && !PCF_ISSPACE(ch)) || ch == VSTREAM_EOF
	    || !pcf_get_line(line, ep->src, lineno))
	    break;
	if (pcf_content(line) != NULL)
	    vstring_strcat(entry_buf, vstring_str(line));
	else
	    vstream_fputs(vstring_str(line), ep->dst);
    }
    vstring_free(line);
}

/* pcf_master_req_matches - does an entry start match a request? */
static bool pcf_master_req_matches(const PCF_MASTER_EDIT_REQ *req,
				           const char *name, const char *type)
{
    if (pcf_match_service_pattern(req->service_pattern, name, type))
	return true;
    /* A replacement entry also replaces an entry with its own name. */
    return req->new_entry != NULL
	&& strcmp(PCF_MASTER_NAME(req->new_entry), name) == 0
	&& strcmp(PCF_MASTER_TYPE(req->new_entry), type) == 0;
}

/* pcf_edit_master - edit master.cf */
void    pcf_edit_master(int mode, int argc, char **argv)
{
    PCF_MASTER_EDIT_REQ *reqs;
    PCF_MASTER_EDIT_REQ *req;
    PCF_MASTER_ENT *new_entry = NULL;
    PCF_EDIT_FILE *ep;
    VSTRING *line_buf = vstring_alloc(100);
    VSTRING *entry_buf = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    ARGV   *words;
    bool    matched = false;
    bool    entry_owned;
    char   *cp;
    int     lineno = 0;
    int     first_line;
    int     n;

    if (argc <= 0)
	msg_panic("pcf_edit_master: empty argument list");
    reqs = mymalloc(sizeof(*reqs) * argc);
    for (n = 0; n < argc; n++)
	pcf_parse_master_edit_req(reqs + n, mode, argv[n]);

    ep = pcf_edit_open(MASTER_CONF_FILE);
    while ((cp = pcf_next_content(line_buf, ep, &lineno)) != NULL) {

	/*
	 * Continuation lines follow the fate of their entry.
	 */
	if (cp > vstring_str(line_buf)) {
	    if (!matched)
		vstream_fputs(vstring_str(line_buf), ep->dst);
	    else if (mode & PCF_COMMENT_OUT)
		vstream_fprintf(ep->dst, "#%s", vstring_str(line_buf));
	    continue;
	}

	/*
	 * The start of an entry.
	 */
	matched = false;
	entry_owned = false;
	first_line = lineno;
	words = argv_split(cp, CHARS_SPACE);
	if (words->argc < 2)
	    msg_fatal("file %s: line %d: specify service name and type "
		      "on the same line", ep->path, lineno);
	if (strchr(words->argv[0], '='))
	    msg_fatal("file %s: line %d: service name syntax \"%s\" is "
		      "unsupported with %s", ep->path, lineno,
		      excerpt(words->argv[0]),
		      pcf_master_edit_opts);
	if (words->argv[1][strcspn(words->argv[1], "=/")] != 0)
	    msg_fatal("file %s: line %d: service type syntax \"%s\" is "
		      "unsupported with %s", ep->path, lineno,
		      excerpt(words->argv[1]),
		      pcf_master_edit_opts);
	for (req = reqs; req < reqs + argc; req++) {
	    if (!pcf_master_req_matches(req, words->argv[0], words->argv[1]))
		continue;
	    matched = true;
	    req->match_count += 1;
	    if ((mode & PCF_EDIT_CONF) == 0
		&& !((mode & PCF_MASTER_PARAM) && (mode & PCF_EDIT_EXCL)))
		continue;
	    switch (mode & PCF_MASTER_MASK) {
	    case PCF_MASTER_FLD:
	    case PCF_MASTER_PARAM:
		if (new_entry == NULL) {
		    pcf_gobble_entry(entry_buf, vstring_str(line_buf), ep, &lineno);
		    if ((new_entry = pcf_parse_master_entry(vstring_str(entry_buf),
							    vstring_str(entry_buf),
							    why)) == NULL)
			msg_fatal("file %s: line %d: %s", ep->path, first_line,
				  vstring_str(why));
		    entry_owned = true;
		}
		if (mode & PCF_MASTER_FLD)
		    pcf_edit_master_field(new_entry, req->field, req->value);
		else
		    pcf_edit_master_param(new_entry, mode, req->param_name,
					  req->value);
		break;
	    case PCF_MASTER_ENTRY:
		/* The first match is replaced, later ones are removed. */
		if (!req->written) {
		    new_entry = req->new_entry;
		    req->written = true;
		}
		break;
	    }
	}
	argv_free(words);

	if (new_entry != NULL) {
	    pcf_print_master_entry(ep->dst, PCF_FOLD_LINE, new_entry);
	    if (entry_owned)
		pcf_free_master_entry(new_entry);
	    new_entry = NULL;
	} else if (!matched) {
	    vstream_fputs(vstring_str(line_buf), ep->dst);
	} else if (mode & PCF_COMMENT_OUT) {
	    vstream_fprintf(ep->dst, "#%s", vstring_str(line_buf));
	}
    }

    /*
     * New entries go at the end; other unmatched requests are reported.
     */
    for (req = reqs; req < reqs + argc; req++) {
	if (req->match_count > 0)
	    continue;
	if ((mode & PCF_MASTER_ENTRY) && (mode & PCF_EDIT_CONF))
	    pcf_print_master_entry(ep->dst, PCF_FOLD_LINE, req->new_entry);
	else if ((mode & PCF_MASTER_ENTRY) == 0)
	    msg_warn("unmatched service_name/type: \"%s\"",
		     excerpt(req->raw_text));
    }
    pcf_edit_close(ep);

    for (req = reqs; req < reqs + argc; req++) {
	argv_free(req->service_pattern);
	myfree(req->param_name);
	myfree(req->value);
	if (req->new_entry)
	    pcf_free_master_entry(req->new_entry);
    }
    myfree(reqs);
    vstring_free(line_buf);
    vstring_free(entry_buf);
    vstring_free(why);
}
