/*
 * postconf_master - read, normalize and display master.cf entries
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	PCF_MASTER_ENT **pcf_master_table;
 *
 *	void	pcf_read_master(int fail_on_open_error);
 *	PCF_MASTER_ENT *pcf_parse_master_entry(const char *text,
 *				const char *raw_text, VSTRING *why);
 *	void	pcf_free_master_entry(PCF_MASTER_ENT *masterp);
 *	void	pcf_print_master_entry(VSTREAM *fp, int mode,
 *				PCF_MASTER_ENT *masterp);
 *
 *	void	pcf_show_master_entries(VSTREAM *fp, int mode, int argc,
 *				char **argv);
 *	void	pcf_show_master_fields(VSTREAM *fp, int mode, int argc,
 *				char **argv);
 *	void	pcf_show_master_params(VSTREAM *fp, int mode, int argc,
 *				char **argv);
 *	void	pcf_edit_master_field(PCF_MASTER_ENT *masterp, int field,
 *				const char *new_value);
 *	void	pcf_edit_master_param(PCF_MASTER_ENT *masterp, int mode,
 *				const char *name, const char *value);
 *
 *	ARGV	*pcf_parse_service_pattern(const char *pattern, int min_expr,
 *				int max_expr);
 *	bool	pcf_match_service_pattern(const ARGV *pattern,
 *				const char *name, const char *type);
 *	int	pcf_parse_field_pattern(const char *name);
 *	const char *pcf_field_name(int field);
 *
 * DESCRIPTION
 *	pcf_read_master() reads every entry of master.cf into
 *	pcf_master_table. A missing file is fatal or a warning (then the
 *	table is empty), as the caller chooses.
 *
 *	pcf_parse_master_entry() parses one entry (text: the logical line;
 *	raw_text: what diagnostics quote). The fields are checked with
 *	master_conf(3); daemon options are normalized: "-vo a=b" becomes
 *	"-v" "-o" "a=b", "-o { a = b }" becomes "-o" "a=b", and braces are
 *	removed from the other arguments. A lone "-" takes the next word as
 *	its value, as Postfix 3.7 does: that word is kept as written and
 *	is neither split nor a setting. The "-o name=value" settings in
 *	the option part (up to the first non-option argument or "--") are
 *	collected in all_params. The result is NULL with "bad field count"
 *	in why when there are fewer than eight fields; a bad field value is
 *	fatal.
 *
 *	pcf_print_master_entry() prints an entry: the fixed fields at
 *	their usual columns, then the command and its arguments, where an
 *	argument with whitespace is shown in braces (except the first
 *	non-option argument, as Postfix 3.7 does). With PCF_FOLD_LINE,
 *	each "-o name=value" goes on its own line, and lines stay shorter
 *	than 80 columns where possible. With PCF_SHOW_EVAL, $name in "-o"
 *	values is expanded.
 *
 *	pcf_show_master_entries() (-M), pcf_show_master_fields() (-F) and
 *	pcf_show_master_params() (-P) print entries, fields as
 *	"service/type/field = value", or "-o" settings as
 *	"service/type/name = value" (sorted by name per entry), limited to
 *	the entries that match the command-line patterns. A pattern is
 *	"service[/type[/field or name]]"; "*" matches anything, and missing
 *	trailing parts match anything.
 *
 *	pcf_edit_master_field() replaces one field of an entry (the command
 *	field takes the command and all arguments). pcf_edit_master_param()
 *	replaces, adds (PCF_EDIT_CONF) or removes (PCF_EDIT_EXCL) one "-o"
 *	setting.
 *
 *	pcf_parse_service_pattern() splits a pattern into at least min_expr
 *	and at most max_expr parts, filling missing parts with "*"; it
 *	returns NULL for a pattern that starts with "/", has the wrong
 *	number of parts, or uses "*" inside a part.
 *	pcf_match_service_pattern() matches the service and type parts.
 *	pcf_parse_field_pattern() returns a field number, PCF_FIELD_WILDCARD
 *	for "*" or PCF_FIELD_UNKNOWN. pcf_field_name() is the reverse.
 *
 * DIAGNOSTICS
 *	Fatal: "open <path>: <reason>", "file <path>: line <n>: bad field
 *	count", "invalid <field> field "<value>" in "<text>"", "-M option
 *	requires service_name[/type]", "-F option requires
 *	service_name[/type[/field]]", "-P option requires
 *	service_name[/type[/parameter]]", "invalid service attribute name:
 *	"<name>"". Warnings: "unmatched request: "<pattern>"", brace and
 *	"name=value" syntax problems in "-o" values ("master.cf: ...").
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "htable.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "mail_conf.h"
#include "master_conf.h"
#include "postconf.h"

PCF_MASTER_ENT **pcf_master_table;

static const char *pcf_field_names[] = {
    "service", "type", "private", "unprivileged", "chroot", "wakeup",
    "process_limit", "command",
};

#define PCF_HAS_BLANKS(s)	((s)[strcspn((s), CHARS_SPACE)] != 0)
#define PCF_IS_OPTION(s)	((s)[0] == '-' && strcmp((s), "--") != 0)

 /*
  * Options that take the next word as their value: "-o", and, as Postfix
  * 3.7 reads master.cf, a lone "-" (its value is kept as written, and is
  * not a parameter setting).
  */
#define PCF_TAKES_VALUE(s)	((s)[1] == 'o' || (s)[1] == 0)
#define PCF_LONE_DASH(s)	((s)[1] == 0)

/* pcf_field_name - field number to name */
const char *pcf_field_name(int field)
{
    if (field < 0 || field >= (int) ARRAY_LEN(pcf_field_names))
	msg_panic("pcf_field_name: bad field %d", field);
    return pcf_field_names[field];
}

/* pcf_parse_field_pattern - field name to number */
int     pcf_parse_field_pattern(const char *name)
{
    size_t  n;

    if (PCF_MATCH_ANY(name))
	return PCF_FIELD_WILDCARD;
    for (n = 0; n < ARRAY_LEN(pcf_field_names); n++)
	if (strcmp(name, pcf_field_names[n]) == 0)
	    return (int) n;
    return PCF_FIELD_UNKNOWN;
}

/* pcf_parse_service_pattern - split service[/type[/name]] */
ARGV   *pcf_parse_service_pattern(const char *pattern, int min_expr,
				          int max_expr)
{
    ARGV   *argv;
    size_t  n;

    if (*pattern == '/')
	return NULL;
    argv = argv_split(pattern, "/");
    if ((int) argv->argc < min_expr || (int) argv->argc > max_expr) {
	argv_free(argv);
	return NULL;
    }
    for (n = 0; n < argv->argc; n++) {
	if (!PCF_MATCH_ANY(argv->argv[n]) && strchr(argv->argv[n], '*')) {
	    argv_free(argv);
	    return NULL;
	}
    }
    while ((int) argv->argc < max_expr)
	argv_add(argv, "*", ARGV_END);
    return argv;
}

/* pcf_match_service_pattern - match service and type */
bool    pcf_match_service_pattern(const ARGV *pattern, const char *name,
				          const char *type)
{
    return (PCF_MATCH_ANY(pattern->argv[0])
	    || strcmp(pattern->argv[0], name) == 0)
	&& (PCF_MATCH_ANY(pattern->argv[1])
	    || strcmp(pattern->argv[1], type) == 0);
}

/* pcf_normalize_nameval - "{ name = value }" content to "name=value" */
static char *pcf_normalize_nameval(const char *text)
{
    char   *copy = mystrdup(text);
    char   *name;
    char   *value;
    const char *err;
    char   *result;

    if ((err = split_nameval(copy, &name, &value)) != NULL) {
	msg_warn("%s: %s: \"%s\"", MASTER_CONF_FILE, err, excerpt(text));
	result = mystrdup(text);
    } else {
	result = concatenate(name, "=", value, (char *) 0);
    }
    myfree(copy);
    return result;
}

/* pcf_add_option_value - add a "-o" value, normalizing braced text */
static void pcf_add_option_value(ARGV *argv, const char *raw,
				         const char *unbraced)
{
    char   *stripped;
    char   *value;

    if (*raw != '{') {
	argv_add(argv, raw, ARGV_END);
	return;
    }
    stripped = unbraced ? mystrdup(unbraced) : master_entry_unbrace(raw);
    value = pcf_normalize_nameval(stripped);
    argv_add(argv, value, ARGV_END);
    myfree(value);
    myfree(stripped);
}

/* pcf_normalize_args - daemon options into canonical form */
static void pcf_normalize_args(ARGV *out, const MASTER_ENTRY *entry)
{
    const ARGV *raw = entry->raw_args;
    bool    in_options = true;
    const char *arg;
    const char *letter;
    char   *head;
    size_t  n;

    /* The command name is kept as written. */
    argv_add(out, raw->argv[0], ARGV_END);
    for (n = 1; n < raw->argc; n++) {
	arg = raw->argv[n];
	if (!in_options || !PCF_IS_OPTION(arg)) {
	    in_options = false;
	    argv_add(out, entry->args->argv[n], ARGV_END);
	    continue;
	}

	if (PCF_LONE_DASH(arg)) {
	    argv_add(out, arg, ARGV_END);
	    if (n + 1 < raw->argc) {
		n += 1;
		argv_add(out, entry->args->argv[n], ARGV_END);
	    }
	    continue;
	}

	/*
	 * "-vo value" and "-vovalue": the options before the 'o' stand by
	 * themselves. The 'o' takes the rest of the word, or the next word.
	 */
	if (PCF_TAKES_VALUE(arg)) {
	    letter = arg + 1;
	} else if (arg[1] != 0 && (letter = strchr(arg + 2, 'o')) != NULL) {
	    head = mystrndup(arg, letter - arg);
	    argv_add(out, head, ARGV_END);
	    myfree(head);
	} else {
	    argv_add(out, arg, ARGV_END);
	    continue;
	}
	argv_add(out, "-o", ARGV_END);
	if (letter[1] != 0) {
	    pcf_add_option_value(out, letter + 1, (char *) 0);
	} else if (n + 1 < raw->argc) {
	    n += 1;
	    pcf_add_option_value(out, raw->argv[n], entry->args->argv[n]);
	}
    }
}

/* pcf_collect_params - the "-o name=value" settings of an entry */
static void pcf_collect_params(PCF_MASTER_ENT *masterp)
{
    char  **argv = masterp->argv->argv;
    size_t  field;
    char   *copy;
    char   *name;
    char   *value;
    HTABLE_INFO *ht;

    for (field = MASTER_MIN_FIELDS; argv[field] != NULL; field++) {
	if (!PCF_IS_OPTION(argv[field]))
	    break;
	if (!PCF_TAKES_VALUE(argv[field]) || argv[field + 1] == NULL)
	    continue;
	field += 1;
	if (strcmp(argv[field - 1], "-o") != 0)
	    continue;
	copy = mystrdup(argv[field]);
	if (split_nameval(copy, &name, &value) == NULL) {
	    if (masterp->all_params == NULL)
		masterp->all_params = htable_create(10);
	    if ((ht = htable_locate(masterp->all_params, name)) != NULL) {
		myfree(ht->value);
		ht->value = mystrdup(value);
	    } else {
		htable_enter(masterp->all_params, name, mystrdup(value));
	    }
	}
	myfree(copy);
    }
}

/* pcf_check_fields - validate the fixed fields, quoting the raw text */
static void pcf_check_fields(const ARGV *fields, const char *raw_text)
{
    const char *label;
    char   *quoted;
    int     n;

    for (n = MASTER_FIELD_TYPE; n <= MASTER_FIELD_MAXPROC; n++) {
	if ((label = master_field_error(n, fields->argv[n])) != NULL) {
	    quoted = mystrdup(raw_text);
	    for (char *cp = quoted; *cp; cp++)
		if (*cp == '\n')
		    *cp = ' ';
	    msg_fatal("invalid %s field \"%s\" in \"%s\"",
		      label, excerpt(fields->argv[n]), excerpt(quoted));
	}
    }
}

/* pcf_parse_master_entry - parse and normalize one entry */
PCF_MASTER_ENT *pcf_parse_master_entry(const char *text, const char *raw_text,
				               VSTRING *why)
{
    ARGV   *fields = argv_split_quoted(text, CHARS_SPACE, CHARS_BRACE);
    MASTER_ENTRY *entry;
    PCF_MASTER_ENT *masterp;
    int     n;

    if (fields->argc < MASTER_MIN_FIELDS) {
	argv_free(fields);
	vstring_strcpy(why, "bad field count");
	return NULL;
    }
    pcf_check_fields(fields, raw_text);
    if ((entry = master_entry_parse(text, MASTER_CONF_FILE, 0, why)) == NULL)
	msg_panic("pcf_parse_master_entry: %s", vstring_str(why));
    masterp = mymalloc(sizeof(*masterp));
    masterp->argv = argv_alloc(fields->argc);
    for (n = 0; n < MASTER_FIELD_COMMAND; n++)
	argv_add(masterp->argv, fields->argv[n], ARGV_END);
    argv_free(fields);
    pcf_normalize_args(masterp->argv, entry);
    master_entry_free(entry);
    masterp->name_space = concatenate(PCF_MASTER_NAME(masterp), "/",
				      PCF_MASTER_TYPE(masterp), (char *) 0);
    masterp->all_params = NULL;
    masterp->valid_names = NULL;
    masterp->line = 0;
    pcf_collect_params(masterp);
    return masterp;
}

/* pcf_free_master_entry - destroy an entry */
void    pcf_free_master_entry(PCF_MASTER_ENT *masterp)
{
    argv_free(masterp->argv);
    myfree(masterp->name_space);
    if (masterp->all_params)
	htable_free(masterp->all_params, myfree);
    if (masterp->valid_names)
	htable_free(masterp->valid_names, (void (*) (void *)) 0);
    myfree(masterp);
}

/* pcf_read_master - read every master.cf entry */
void    pcf_read_master(int fail_on_open_error)
{
    char   *path;
    VSTREAM *fp;
    VSTRING *line;
    VSTRING *why;
    PCF_MASTER_ENT *masterp;
    size_t  count = 0;
    size_t  alloc = 20;
    int     lineno = 0;
    int     first;
    int     status;

    if (pcf_master_table != NULL)
	msg_panic("pcf_read_master: master.cf was already read");
    pcf_master_table = mymalloc(alloc * sizeof(*pcf_master_table));
    path = concatenate(pcf_config_dir(), "/", MASTER_CONF_FILE, (char *) 0);
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL) {
	if (fail_on_open_error)
	    msg_fatal("open %s: %m", path);
	msg_warn("open %s: %m", path);
    } else {
	line = vstring_alloc(100);
	why = vstring_alloc(100);
	while ((status = readlline(line, fp, &lineno, &first, NULL,
				   MAIL_CONF_LINE_LIMIT)) != READLLINE_EOF) {
	    if (status == READLLINE_TOOLONG)
		continue;
	    if ((masterp = pcf_parse_master_entry(vstring_str(line),
						  vstring_str(line),
						  why)) == NULL)
		msg_fatal("file %s: line %d: %s", path, first, vstring_str(why));
	    masterp->line = first;
	    if (count + 1 >= alloc) {
		alloc *= 2;
		pcf_master_table = myrealloc(pcf_master_table,
					  alloc * sizeof(*pcf_master_table));
	    }
	    pcf_master_table[count++] = masterp;
	}
	if (vstream_ferror(fp))
	    msg_fatal("read %s: %m", path);
	(void) vstream_fclose(fp);
	vstring_free(line);
	vstring_free(why);
    }
    pcf_master_table[count] = NULL;
    myfree(path);
}

/*
 * How postconf shows a master.cf entry. The first eight fields start at
 * the columns of the stock master.cf (pcf_field_start), or one space
 * after the previous field when that runs past the column. The command
 * arguments follow, one space apart. An argument shows braces when it
 * contains white space, except options, and except the first argument
 * that is not an option (Postfix 3.7 leaves those two alone). An option
 * that takes a value is shown and placed together with it, as one item.
 *
 * With -f, lines fold: an "-o name=value" item stands on a line of its
 * own, and any other argument moves to a new line when the line would
 * reach 80 columns with it (counted without the braces that the display
 * adds). Continuation lines start with four spaces.
 *
 * A quirk kept for compatibility: an argument that comes while the line
 * holds at most four characters gets no space before it. This shows in
 * -Fh output, where a short command name runs into its first argument
 * ("pipeflags=R").
 */
static const size_t pcf_field_start[MASTER_MIN_FIELDS] = {
    0, 11, 17, 25, 33, 41, 49, 57,
};

typedef struct PCF_SHOWN_ARG {
    const char *text;			/* as printed */
    size_t  width;			/* columns that count for folding */
    bool    alone;			/* an option with its value */
} PCF_SHOWN_ARG;

typedef struct PCF_ARG_READER {
    char  **next;			/* argument to show next */
    int     mode;			/* PCF_SHOW_EVAL */
    PCF_MASTER_ENT *masterp;		/* scope for $name expansion */
    bool    past_options;		/* a non-option argument was seen */
    VSTRING *text;			/* PCF_SHOWN_ARG text storage */
} PCF_ARG_READER;

/* pcf_show_braced - text as shown, with braces when it has blanks */
static const char *pcf_show_braced(VSTRING *buf, const char *text)
{
    if (!PCF_HAS_BLANKS(text))
	return text;
    vstring_sprintf(buf, "{%s}", text);
    return vstring_str(buf);
}

/* pcf_read_shown_arg - the next argument or option-value item */
static bool pcf_read_shown_arg(PCF_ARG_READER *rp, PCF_SHOWN_ARG *arg)
{
    const char *word = rp->next[0];
    const char *value;

    if (word == NULL)
	return false;
    arg->alone = false;
    arg->width = strlen(word);
    arg->text = word;
    rp->next += 1;
    if (rp->past_options) {
	arg->text = pcf_show_braced(rp->text, word);
    } else if (!PCF_IS_OPTION(word)) {
	rp->past_options = true;
    } else if (PCF_TAKES_VALUE(word) && rp->next[0] != NULL) {
	value = rp->next[0];
	rp->next += 1;
	if (strcmp(word, "-o") == 0 && (rp->mode & PCF_SHOW_EVAL))
	    value = pcf_expand_parameter_value((VSTRING *) 0, rp->mode,
					       value, rp->masterp);
	arg->width += 1 + strlen(value);
	vstring_sprintf(rp->text, "%s ", word);
	if (PCF_HAS_BLANKS(value))
	    vstring_sprintf_append(rp->text, "{%s}", value);
	else
	    vstring_strcat(rp->text, value);
	arg->text = vstring_str(rp->text);
	arg->alone = true;
    }
    return true;
}

/* pcf_shown_arg_gap - what separates an item from the line so far */
static PCF_GAP pcf_shown_arg_gap(const PCF_LINE *line, int mode,
				         const PCF_SHOWN_ARG *arg,
				         bool after_alone)
{
    bool    fold = (mode & PCF_FOLD_LINE) != 0;

    if (arg->alone || after_alone)
	return fold ? PCF_GAP_BREAK : PCF_GAP_SPACE;
    if (line->column <= PCF_INDENT_LEN)
	return PCF_GAP_NONE;			/* the quirk above */
    if (fold && arg->width + 1 >= pcf_line_room(line))
	return PCF_GAP_BREAK;
    return PCF_GAP_SPACE;
}

/* pcf_print_master_args - the arguments after the command name */
static void pcf_print_master_args(PCF_LINE *line, int mode,
				          PCF_MASTER_ENT *masterp)
{
    PCF_ARG_READER reader;
    PCF_SHOWN_ARG arg;
    bool    after_alone = false;

    reader.next = masterp->argv->argv + MASTER_MIN_FIELDS;
    reader.mode = mode;
    reader.masterp = masterp;
    reader.past_options = false;
    reader.text = vstring_alloc(100);
    while (pcf_read_shown_arg(&reader, &arg)) {
	pcf_line_gap(line, pcf_shown_arg_gap(line, mode, &arg, after_alone));
	pcf_line_put(line, arg.text);
	after_alone = arg.alone;
    }
    vstring_free(reader.text);
}

/* pcf_print_master_entry - one entry in master.cf layout */
void    pcf_print_master_entry(VSTREAM *fp, int mode, PCF_MASTER_ENT *masterp)
{
    PCF_LINE line;
    int     field;

    pcf_line_start(&line, fp);
    pcf_line_put(&line, masterp->argv->argv[0]);
    for (field = 1; field < MASTER_MIN_FIELDS; field++) {
	pcf_line_pad_to(&line, pcf_field_start[field]);
	pcf_line_put(&line, masterp->argv->argv[field]);
    }
    pcf_print_master_args(&line, mode, masterp);
    pcf_line_end(&line);
}

typedef struct {
    const char *raw_text;		/* command-line pattern */
    ARGV   *service_pattern;		/* service, type, [field or name] */
    int     field;			/* -F field number */
    int     match_count;
} PCF_MASTER_REQ;

/* pcf_parse_requests - parse command-line patterns */
static PCF_MASTER_REQ *pcf_parse_requests(int argc, char **argv, int max_expr,
					          const char *usage)
{
    PCF_MASTER_REQ *reqs;
    int     n;

    if (argc == 0)
	return NULL;
    reqs = mymalloc(sizeof(*reqs) * argc);
    for (n = 0; n < argc; n++) {
	reqs[n].raw_text = argv[n];
	reqs[n].match_count = 0;
	reqs[n].field = PCF_FIELD_WILDCARD;
	if ((reqs[n].service_pattern =
	     pcf_parse_service_pattern(argv[n], 1, max_expr)) == NULL)
	    msg_fatal("%s", usage);
    }
    return reqs;
}

/* pcf_free_requests - report unmatched patterns and clean up */
static void pcf_free_requests(PCF_MASTER_REQ *reqs, int argc)
{
    int     n;

    for (n = 0; n < argc; n++) {
	if (reqs[n].match_count == 0)
	    msg_warn("unmatched request: \"%s\"", excerpt(reqs[n].raw_text));
	argv_free(reqs[n].service_pattern);
    }
    myfree(reqs);
}

/* pcf_show_master_entries - -M output */
void    pcf_show_master_entries(VSTREAM *fp, int mode, int argc, char **argv)
{
    PCF_MASTER_REQ *reqs;
    PCF_MASTER_ENT **mpp;
    int     n;

    reqs = pcf_parse_requests(argc, argv, 2,
			      "-M option requires service_name[/type]");
    for (mpp = pcf_master_table; *mpp; mpp++) {
	if (argc == 0) {
	    pcf_print_master_entry(fp, mode, *mpp);
	    continue;
	}
	for (n = 0; n < argc; n++) {
	    if (pcf_match_service_pattern(reqs[n].service_pattern,
				    PCF_MASTER_NAME(*mpp), PCF_MASTER_TYPE(*mpp))) {
		reqs[n].match_count++;
		pcf_print_master_entry(fp, mode, *mpp);
	    }
	}
    }
    if (reqs)
	pcf_free_requests(reqs, argc);
}

/* pcf_print_master_field - one "service/type/field = value" line */
static void pcf_print_master_field(VSTREAM *fp, int mode,
				           PCF_MASTER_ENT *masterp, int field)
{
    const char *value = masterp->argv->argv[field];
    PCF_LINE line;
    VSTRING *name;

    if (mode & PCF_HIDE_VALUE) {
	vstream_fprintf(fp, "%s/%s\n", masterp->name_space,
			pcf_field_name(field));
	return;
    }
    pcf_line_start(&line, fp);
    if ((mode & PCF_HIDE_NAME) == 0) {
	name = vstring_alloc(100);
	vstring_sprintf(name, "%s/%s = ", masterp->name_space,
			pcf_field_name(field));
	pcf_line_put(&line, vstring_str(name));
	vstring_free(name);

	/*
	 * A value that would pass 80 columns starts a continuation line,
	 * with or without -f; the space after "=" stays behind.
	 */
	if (line.column + strlen(value) > PCF_LINE_LIMIT)
	    pcf_line_gap(&line, PCF_GAP_BREAK);
    }
    pcf_line_put(&line, value);
    if (field == MASTER_FIELD_COMMAND)
	pcf_print_master_args(&line, mode, masterp);
    pcf_line_end(&line);
}

/* pcf_print_master_fields - one field, or all of them */
static void pcf_print_master_fields(VSTREAM *fp, int mode,
				            PCF_MASTER_ENT *masterp, int field)
{
    if (field != PCF_FIELD_WILDCARD) {
	pcf_print_master_field(fp, mode, masterp, field);
	return;
    }
    for (field = 0; field <= MASTER_FIELD_COMMAND; field++)
	pcf_print_master_field(fp, mode, masterp, field);
}

/* pcf_show_master_fields - -F output */
void    pcf_show_master_fields(VSTREAM *fp, int mode, int argc, char **argv)
{
    PCF_MASTER_REQ *reqs;
    PCF_MASTER_ENT **mpp;
    int     n;

    reqs = pcf_parse_requests(argc, argv, 3,
			      "-F option requires service_name[/type[/field]]");
    for (n = 0; n < argc; n++)
	if ((reqs[n].field = pcf_parse_field_pattern(
				reqs[n].service_pattern->argv[2])) == PCF_FIELD_UNKNOWN)
	    msg_fatal("invalid service attribute name: \"%s\"",
		      excerpt(reqs[n].service_pattern->argv[2]));
    for (mpp = pcf_master_table; *mpp; mpp++) {
	if (argc == 0) {
	    pcf_print_master_fields(fp, mode, *mpp, PCF_FIELD_WILDCARD);
	    continue;
	}
	for (n = 0; n < argc; n++) {
	    if (pcf_match_service_pattern(reqs[n].service_pattern,
				    PCF_MASTER_NAME(*mpp), PCF_MASTER_TYPE(*mpp))) {
		reqs[n].match_count++;
		pcf_print_master_fields(fp, mode, *mpp, reqs[n].field);
	    }
	}
    }
    if (reqs)
	pcf_free_requests(reqs, argc);
}

/* pcf_print_master_param - one "service/type/name = value" line */
static void pcf_print_master_param(VSTREAM *fp, int mode,
				           PCF_MASTER_ENT *masterp,
				           const char *name, const char *value)
{
    if (mode & PCF_HIDE_VALUE) {
	pcf_print_line(fp, mode, "%s/%s\n", masterp->name_space, name);
	return;
    }
    if (mode & PCF_SHOW_EVAL)
	value = pcf_expand_parameter_value((VSTRING *) 0, mode, value, masterp);
    if (mode & PCF_HIDE_NAME)
	pcf_print_line(fp, mode, "%s\n", value);
    else
	pcf_print_line(fp, mode, "%s/%s = %s\n", masterp->name_space,
		       name, value);
}

/* pcf_compare_keys - qsort() callback */
static int pcf_compare_keys(const void *a, const void *b)
{
    const HTABLE_INFO *const *ap = a;
    const HTABLE_INFO *const *bp = b;

    return strcmp((*ap)->key, (*bp)->key);
}

/* pcf_print_master_all_params - every "-o" setting, sorted */
static void pcf_print_master_all_params(VSTREAM *fp, int mode,
					        PCF_MASTER_ENT *masterp)
{
    HTABLE_INFO **list = htable_list(masterp->all_params);
    HTABLE_INFO **ht;

    qsort(list, masterp->all_params->used, sizeof(*list), pcf_compare_keys);
    for (ht = list; *ht; ht++)
	pcf_print_master_param(fp, mode, masterp, (*ht)->key, (*ht)->value);
    myfree(list);
}

/* pcf_show_master_params - -P output */
void    pcf_show_master_params(VSTREAM *fp, int mode, int argc, char **argv)
{
    PCF_MASTER_REQ *reqs;
    PCF_MASTER_ENT **mpp;
    const char *pattern;
    const char *value;
    int     n;

    reqs = pcf_parse_requests(argc, argv, 3,
		      "-P option requires service_name[/type[/parameter]]");
    for (mpp = pcf_master_table; *mpp; mpp++) {
	if ((*mpp)->all_params == NULL)
	    continue;
	if (argc == 0) {
	    pcf_print_master_all_params(fp, mode, *mpp);
	    continue;
	}
	for (n = 0; n < argc; n++) {
	    if (!pcf_match_service_pattern(reqs[n].service_pattern,
				    PCF_MASTER_NAME(*mpp), PCF_MASTER_TYPE(*mpp)))
		continue;
	    pattern = reqs[n].service_pattern->argv[2];
	    if (PCF_MATCH_ANY(pattern)) {
		pcf_print_master_all_params(fp, mode, *mpp);
		reqs[n].match_count++;
	    } else if ((value = htable_find((*mpp)->all_params, pattern)) != NULL) {
		pcf_print_master_param(fp, mode, *mpp, pattern, value);
		reqs[n].match_count++;
	    }
	}
    }
    if (reqs)
	pcf_free_requests(reqs, argc);
}

/* pcf_replace_entry - move a freshly parsed entry into masterp */
static void pcf_replace_entry(PCF_MASTER_ENT *masterp, PCF_MASTER_ENT *fresh)
{
    argv_free(masterp->argv);
    myfree(masterp->name_space);
    if (masterp->all_params)
	htable_free(masterp->all_params, myfree);
    masterp->argv = fresh->argv;
    masterp->name_space = fresh->name_space;
    masterp->all_params = fresh->all_params;
    myfree(fresh);
}

/* pcf_edit_master_field - replace one field of an entry */
void    pcf_edit_master_field(PCF_MASTER_ENT *masterp, int field,
			              const char *new_value)
{
    VSTRING *text;
    VSTRING *why;
    PCF_MASTER_ENT *fresh;
    const char *label;
    int     n;

    if (field == MASTER_FIELD_COMMAND) {
	text = vstring_alloc(100);
	why = vstring_alloc(100);
	for (n = 0; n < MASTER_FIELD_COMMAND; n++)
	    vstring_sprintf_append(text, "%s ", masterp->argv->argv[n]);
	vstring_strcat(text, new_value);
	if ((fresh = pcf_parse_master_entry(vstring_str(text), new_value,
					    why)) == NULL)
	    msg_fatal("invalid command field \"%s\"", excerpt(new_value));
	pcf_replace_entry(masterp, fresh);
	vstring_free(text);
	vstring_free(why);
	return;
    }
    if (field != MASTER_FIELD_SERVICE
	&& (label = master_field_error(field, new_value)) != NULL)
	msg_fatal("invalid %s field \"%s\" in \"%s\"", label,
		  excerpt(new_value), excerpt(new_value));
    argv_replace_one(masterp->argv, field, new_value);
    myfree(masterp->name_space);
    masterp->name_space = concatenate(PCF_MASTER_NAME(masterp), "/",
				      PCF_MASTER_TYPE(masterp), (char *) 0);
}

/* pcf_edit_master_param - update, add or remove "-o name=value" */
void    pcf_edit_master_param(PCF_MASTER_ENT *masterp, int mode,
			              const char *name, const char *value)
{
    ARGV   *argv = masterp->argv;
    size_t  name_len = strlen(name);
    bool    matched = false;
    const char *arg;
    const char *aval;
    char   *setting;
    size_t  field;

    for (field = MASTER_MIN_FIELDS; (arg = argv->argv[field]) != NULL; field++) {
	if (!PCF_IS_OPTION(arg))
	    break;
	if (!PCF_TAKES_VALUE(arg) || (aval = argv->argv[field + 1]) == NULL)
	    continue;
	if (strcmp(arg, "-o") == 0 && strncmp(aval, name, name_len) == 0
	    && aval[name_len] == '=') {
	    matched = true;
	    if (mode & PCF_EDIT_CONF) {
		setting = concatenate(name, "=", value, (char *) 0);
		argv_replace_one(argv, field + 1, setting);
		myfree(setting);
	    } else {
		argv_delete(argv, field, 2);
		field -= 1;			/* the loop adds one */
		continue;
	    }
	}
	field += 1;
    }
    if ((mode & PCF_EDIT_CONF) && !matched) {
	argv_insert_one(argv, field, "-o");
	setting = concatenate(name, "=", value, (char *) 0);
	argv_insert_one(argv, field + 1, setting);
	myfree(setting);
    }

    /* Keep the settings table in step with the entry. */
    if (masterp->all_params)
	htable_free(masterp->all_params, myfree);
    masterp->all_params = NULL;
    pcf_collect_params(masterp);
}
