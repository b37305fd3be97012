/*
 * bounce_template - texts of delivery status notifications
 *
 * DESCRIPTION
 *	See bounce_template.h. A template is kept as the text between
 *	"<<EOF" and "EOF" (or the single-line value); it is split into
 *	headers and message lines, and checked, on first use.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "bounce_template.h"

#define BOUNCE_TMPL_BUILTIN	"[built-in]"

 /*
  * Header indexes.
  */
#define BOUNCE_HDR_CHARSET	0
#define BOUNCE_HDR_FROM		1
#define BOUNCE_HDR_SUBJECT	2
#define BOUNCE_HDR_PM_SUBJECT	3
#define BOUNCE_HDR_COUNT	4

static const char *bounce_header_names[BOUNCE_HDR_COUNT] = {
    "Charset", "From", "Subject", "Postmaster-Subject",
};

struct BOUNCE_TEMPLATE {
    int     class;			/* BOUNCE_TMPL_* */
    char   *origin;			/* file name or "[built-in]" */
    char   *text;			/* headers and message, as written */
    bool    compiled;			/* headers and lines are valid */
    char   *headers[BOUNCE_HDR_COUNT];	/* NULL: not applicable */
    ARGV   *lines;			/* message text */
};

struct BOUNCE_TEMPLATES {
    BOUNCE_TEMPLATE *builtin[BOUNCE_TMPL_COUNT];
    BOUNCE_TEMPLATE *loaded[BOUNCE_TMPL_COUNT];
};

 /*
  * The built-in templates. The headers keep the values that mail
  * programs and filters commonly recognize; the message texts are ours.
  */
static const struct {
    const char *name;			/* template class name */
    const char *text;			/* template in file format */
} bounce_builtin_info[BOUNCE_TMPL_COUNT] = {
    {"failure",
	"Charset: us-ascii\n"
	"From: Mail Delivery System <MAILER-DAEMON>\n"
	"Subject: Undelivered Mail Returned to Sender\n"
	"Postmaster-Subject: Postmaster Copy: Undelivered Mail\n"
	"\n"
	"This is the mail system at host $myhostname.\n"
	"\n"
	"Your message could not be delivered to one or more of its\n"
	"recipients. The reasons are listed below, and the message\n"
	"itself is attached.\n"
	"\n"
	"If you need help, write to postmaster and include this report.\n"
	"You may remove your own text from the attached message first.\n"
	"\n"
	"                   The mail system\n"
    },
    {"delay",
	"Charset: us-ascii\n"
	"From: Mail Delivery System <MAILER-DAEMON>\n"
	"Subject: Delayed Mail (still being retried)\n"
	"Postmaster-Subject: Postmaster Warning: Delayed Mail\n"
	"\n"
	"This is the mail system at host $myhostname.\n"
	"\n"
	"*** This is only a warning: there is no need to send your message again. ***\n"
	"\n"
	"Your message has not been delivered for $delay_warning_time_hours hour(s).\n"
	"Delivery will be tried again until the message is\n"
	"$maximal_queue_lifetime_days day(s) old; then it is returned to you.\n"
	"\n"
	"If you need help, write to postmaster and include this report.\n"
	"You may remove your own text from the attached message first.\n"
	"\n"
	"                   The mail system\n"
    },
    {"success",
	"Charset: us-ascii\n"
	"From: Mail Delivery System <MAILER-DAEMON>\n"
	"Subject: Successful Mail Delivery Report\n"
	"\n"
	"This is the mail system at host $myhostname.\n"
	"\n"
	"Your message was delivered to the destinations listed below.\n"
	"For delivery into a mailbox this is the last notice you get;\n"
	"other destinations may still send their own delivery reports.\n"
	"\n"
	"                   The mail system\n"
    },
    {"verify",
	"Charset: us-ascii\n"
	"From: Mail Delivery System <MAILER-DAEMON>\n"
	"Subject: Mail Delivery Status Report\n"
	"\n"
	"This is the mail system at host $myhostname.\n"
	"\n"
	"Here is the delivery report that you asked for.\n"
	"\n"
	"                   The mail system\n"
    },
};

 /*
  * Time parameters that a template may show in a chosen unit.
  */
static const struct {
    const char *name;
    long    max;			/* 0: no limit */
} bounce_time_params[] = {
    {"delay_warning_time", 0},
    {"maximal_queue_lifetime", 8640000},
};

static const struct {
    const char *suffix;
    long    divisor;
} bounce_time_units[] = {
    {"seconds", 1},
    {"minutes", 60},
    {"hours", 3600},
    {"days", 86400},
    {"weeks", 604800},
};

/* bounce_template_alloc - a template of a class with text */
static BOUNCE_TEMPLATE *bounce_template_alloc(int class, const char *origin,
					              const char *text)
{
    BOUNCE_TEMPLATE *tp = mymalloc(sizeof(*tp));
    int     n;

    tp->class = class;
    tp->origin = mystrdup(origin);
    tp->text = mystrdup(text);
    tp->compiled = false;
    for (n = 0; n < BOUNCE_HDR_COUNT; n++)
	tp->headers[n] = NULL;
    tp->lines = NULL;
    return tp;
}

/* bounce_template_reset - forget the compiled form */
static void bounce_template_reset(BOUNCE_TEMPLATE *tp)
{
    int     n;

    for (n = 0; n < BOUNCE_HDR_COUNT; n++) {
	myfree(tp->headers[n]);
	tp->headers[n] = NULL;
    }
    if (tp->lines)
	argv_free(tp->lines);
    tp->lines = NULL;
    tp->compiled = false;
}

/* bounce_template_free - destroy a template */
static void bounce_template_free(BOUNCE_TEMPLATE *tp)
{
    if (tp == NULL)
	return;
    bounce_template_reset(tp);
    myfree(tp->origin);
    myfree(tp->text);
    myfree(tp);
}

/* bounce_class_name - "failure", "delay", ... */
static const char *bounce_class_name(int class)
{
    return bounce_builtin_info[class].name;
}

/* bounce_header_label_len - length of "Label" in "Label: value", or 0 */
static size_t bounce_header_label_len(const char *line)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *) line; *cp > ' ' && *cp < 0x7f && *cp != ':'; cp++)
	 /* void */ ;
    return (*cp == ':') ? (size_t) (cp - (const unsigned char *) line) : 0;
}

/* bounce_template_compile - split and check; false when unusable */
static bool bounce_template_compile(BOUNCE_TEMPLATE *tp,
				            const BOUNCE_TEMPLATE *defaults)
{
    const char *class = bounce_class_name(tp->class);
    ARGV   *lines = argv_alloc(20);
    const char *start;
    const char *end;
    const char *line;
    const char *value;
    size_t  label_len;
    size_t  n;
    int     hdr;
    bool    postmaster_copy = (tp->class == BOUNCE_TMPL_FAILURE
			       || tp->class == BOUNCE_TMPL_DELAY);

    /* Lines of the template text; the text ends in a newline. */
    for (start = tp->text; *start; start = end + 1) {
	if ((end = strchr(start, '\n')) == NULL)
	    end = start + strlen(start);
	argv_addn(lines, start, end - start);
	if (*end == 0)
	    break;
    }
    for (hdr = 0; hdr < BOUNCE_HDR_COUNT; hdr++)
	tp->headers[hdr] = (defaults && defaults->headers[hdr]) ?
	    mystrdup(defaults->headers[hdr]) : NULL;

    /* Headers come first. */
    for (n = 0; n < lines->argc; n++) {
	line = lines->argv[n];
	if ((label_len = bounce_header_label_len(line)) == 0)
	    break;
	for (hdr = 0; hdr < BOUNCE_HDR_COUNT; hdr++)
	    if (strlen(bounce_header_names[hdr]) == label_len
		&& strncasecmp(line, bounce_header_names[hdr], label_len) == 0)
		break;
	if (hdr == BOUNCE_HDR_COUNT) {
	    msg_warn("%s: unknown \"%s\" header label in %s template "
		     "-- ignoring this template", tp->origin,
		     excerpt_len(line, label_len), class);
	    goto bad;
	}
	if (hdr == BOUNCE_HDR_PM_SUBJECT && !postmaster_copy) {
	    msg_warn("%s: inapplicable \"%s\" header label in %s template "
		     "-- ignoring this template", tp->origin,
		     bounce_header_names[hdr], class);
	    goto bad;
	}
	for (value = line + label_len + 1; isspace((unsigned char) *value); value++)
	     /* void */ ;
	if (*value == 0) {
	    msg_warn("%s: empty \"%s\" header value in %s template "
		     "-- ignoring this template", tp->origin,
		     bounce_header_names[hdr], class);
	    goto bad;
	}
	if (!allascii(value)) {
	    msg_warn("%s: non-ASCII \"%s\" header value in %s template "
		     "-- ignoring this template", tp->origin,
		     bounce_header_names[hdr], class);
	    goto bad;
	}
	myfree(tp->headers[hdr]);
	tp->headers[hdr] = mystrdup(value);
    }

    /* One empty line separates headers and message text. */
    if (n < lines->argc && *lines->argv[n] == 0)
	n++;
    if (n >= lines->argc) {
	msg_warn("%s: missing message text in %s template "
		 "-- ignoring this template", tp->origin, class);
	goto bad;
    }
    tp->lines = argv_alloc(lines->argc - n);
    for (; n < lines->argc; n++)
	argv_add(tp->lines, lines->argv[n], ARGV_END);
    for (hdr = 0; hdr < BOUNCE_HDR_COUNT; hdr++) {
	if (tp->headers[hdr] == NULL
	    && (hdr != BOUNCE_HDR_PM_SUBJECT || postmaster_copy))
	    msg_panic("%s: %s template has no %s header",
		      tp->origin, class, bounce_header_names[hdr]);
    }
    if (strcasecmp(tp->headers[BOUNCE_HDR_CHARSET], "us-ascii") == 0) {
	for (n = 0; n < tp->lines->argc; n++) {
	    if (!allascii(tp->lines->argv[n])) {
		msg_warn("%s: 8-bit message text in %s template",
			 tp->origin, class);
		msg_warn("please specify a charset value other than us-ascii");
		msg_warn("-- ignoring this template for now");
		goto bad;
	    }
	}
    }
    argv_free(lines);
    tp->compiled = true;
    return true;

bad:
    argv_free(lines);
    bounce_template_reset(tp);
    return false;
}

/* bounce_templates_create - the built-in templates */
BOUNCE_TEMPLATES *bounce_templates_create(void)
{
    BOUNCE_TEMPLATES *ts = mymalloc(sizeof(*ts));
    int     class;

    for (class = 0; class < BOUNCE_TMPL_COUNT; class++) {
	ts->builtin[class] = bounce_template_alloc(class, BOUNCE_TMPL_BUILTIN,
					     bounce_builtin_info[class].text);
	if (!bounce_template_compile(ts->builtin[class], (BOUNCE_TEMPLATE *) 0))
	    msg_panic("bad built-in %s template", bounce_class_name(class));
	ts->loaded[class] = NULL;
    }
    return ts;
}

/* bounce_templates_free - destroy a set */
void    bounce_templates_free(BOUNCE_TEMPLATES *ts)
{
    int     class;

    for (class = 0; class < BOUNCE_TMPL_COUNT; class++) {
	bounce_template_free(ts->builtin[class]);
	bounce_template_free(ts->loaded[class]);
    }
    myfree(ts);
}

/* bounce_templates_load - templates from a template file */
void    bounce_templates_load(BOUNCE_TEMPLATES *ts, VSTREAM *fp)
{
    const char *path = vstream_path(fp);
    VSTRING *line = vstring_alloc(100);
    VSTRING *text = vstring_alloc(1000);
    char   *cp;
    char   *name;
    char   *value;
    char   *marker;
    const char *err;
    bool    found;
    int     lineno = 0;
    int     class;
    size_t  len;

    /*
     * Diagnostics name the line after the last one read, as Postfix does.
     */
    while (vstring_get_nonl(line, fp) != VSTREAM_EOF) {
	lineno++;
	for (cp = vstring_str(line); isspace((unsigned char) *cp); cp++)
	     /* void */ ;
	if (*cp == '#' || *cp == 0)
	    continue;
	if ((err = split_nameval(vstring_str(line), &name, &value)) != NULL)
	    msg_fatal("%s, line %d: %s: \"%s\"", path, lineno + 1, err,
		      excerpt(vstring_str(line)));
	name = mystrdup(name);
	VSTRING_RESET(text);
	if (value[0] == '<' && value[1] == '<') {
	    for (cp = value + 2; isspace((unsigned char) *cp); cp++)
		 /* void */ ;
	    if (*cp == 0)
		msg_fatal("%s, line %d: missing end marker after <<",
			  path, lineno + 1);
	    marker = mystrdup(cp);
	    found = false;
	    while (vstring_get_nonl(line, fp) != VSTREAM_EOF) {
		lineno++;
		if (strcmp(vstring_str(line), marker) == 0) {
		    found = true;
		    break;
		}
		vstring_strcat(text, vstring_str(line));
		VSTRING_ADDCH(text, '\n');
	    }
	    if (!found)
		msg_warn("%s, line %d: missing \"%s\" end marker",
			 path, lineno + 1, excerpt(marker));
	    myfree(marker);
	} else {
	    vstring_strcpy(text, value);
	    VSTRING_ADDCH(text, '\n');
	}
	VSTRING_TERMINATE(text);
	for (class = 0; class < BOUNCE_TMPL_COUNT; class++) {
	    len = strlen(bounce_class_name(class));
	    if (strncmp(name, bounce_class_name(class), len) == 0
		&& strcmp(name + len, "_template") == 0)
		break;
	}
	if (class == BOUNCE_TMPL_COUNT) {
	    msg_warn("%s, line %d: unknown template name: %s "
		     "-- ignoring this template", path, lineno + 1,
		     excerpt(name));
	} else {
	    bounce_template_free(ts->loaded[class]);
	    ts->loaded[class] = bounce_template_alloc(class, path,
						      vstring_str(text));
	}
	myfree(name);
    }
    vstring_free(line);
    vstring_free(text);
}

/* bounce_templates_get - the usable template of a class */
const BOUNCE_TEMPLATE *bounce_templates_get(BOUNCE_TEMPLATES *ts, int class)
{
    BOUNCE_TEMPLATE *tp;

    if (class < 0 || class >= BOUNCE_TMPL_COUNT)
	msg_panic("bounce_templates_get: bad class %d", class);
    if ((tp = ts->loaded[class]) != NULL && !tp->compiled
	&& !bounce_template_compile(tp, ts->builtin[class])) {
	bounce_template_free(tp);
	ts->loaded[class] = tp = NULL;
    }
    return tp ? tp : ts->builtin[class];
}

/* bounce_template_charset - the Charset: header */
const char *bounce_template_charset(const BOUNCE_TEMPLATE *tp)
{
    return tp->headers[BOUNCE_HDR_CHARSET];
}

/* bounce_template_from - the From: header */
const char *bounce_template_from(const BOUNCE_TEMPLATE *tp)
{
    return tp->headers[BOUNCE_HDR_FROM];
}

/* bounce_template_subject - the Subject: header */
const char *bounce_template_subject(const BOUNCE_TEMPLATE *tp)
{
    return tp->headers[BOUNCE_HDR_SUBJECT];
}

/* bounce_template_postmaster_subject - Postmaster-Subject:, or NULL */
const char *bounce_template_postmaster_subject(const BOUNCE_TEMPLATE *tp)
{
    return tp->headers[BOUNCE_HDR_PM_SUBJECT];
}

typedef struct {
    const BOUNCE_TEMPLATE *tp;
    VSTRING *value;			/* last lookup result */
    bool    undefined;			/* a used name had no value */
} BOUNCE_EXPAND_CTX;

/* bounce_time_value - time parameter in a unit, as text */
static const char *bounce_time_value(BOUNCE_EXPAND_CTX *ctx, const char *name,
				             size_t param, const char *suffix)
{
    const char *class = bounce_class_name(ctx->tp->class);
    const MAIL_PARAM *mp;
    size_t  n;
    int     seconds;
    long    result;

    for (n = 0; n < ARRAY_LEN(bounce_time_units); n++)
	if (strcmp(suffix, bounce_time_units[n].suffix) == 0)
	    break;
    if (n == ARRAY_LEN(bounce_time_units))
	msg_fatal("%s: unrecognized suffix \"%s\" in parameter \"%s\"",
		  ctx->tp->origin, excerpt(suffix), excerpt(name));
    if ((mp = mail_param_find(bounce_time_params[param].name)) == NULL)
	msg_panic("bounce_time_value: unknown parameter %s",
		  bounce_time_params[param].name);
    seconds = mail_conf_get_time(mp->name, mail_param_default_text(mp),
				 mp->time_unit, 0,
				 bounce_time_params[param].max);
    result = seconds / bounce_time_units[n].divisor;
    if (result == 0 && seconds != 0) {
	msg_warn("%s: zero result in %s template conversion of parameter \"%s\"",
		 ctx->tp->origin, class, name);
	msg_warn("please reduce time unit \"%s\" of \"%s\" in %s template",
		 suffix, name, class);
	msg_warn("for instructions see the bounce(5) manual");
    } else if (result >= 1000) {
	msg_warn("%s: excessive result \"%ld\" in %s template conversion "
		 "of parameter \"%s\"", ctx->tp->origin, result, class, name);
	msg_warn("please increase time unit \"%s\" of \"%s\" in %s template",
		 suffix, name, class);
	msg_warn("for instructions see the bounce(5) manual");
    }
    vstring_sprintf(ctx->value, "%ld", result);
    return vstring_str(ctx->value);
}

/* bounce_expand_lookup - mac_expand() callback */
static const char *bounce_expand_lookup(const char *name, int mode,
					        void *context)
{
    BOUNCE_EXPAND_CTX *ctx = context;
    const char *raw;
    char   *expanded;
    size_t  len;
    size_t  n;

    for (n = 0; n < ARRAY_LEN(bounce_time_params); n++) {
	len = strlen(bounce_time_params[n].name);
	if (strncmp(name, bounce_time_params[n].name, len) == 0
	    && name[len] == '_')
	    return bounce_time_value(ctx, name, n, name + len + 1);
    }
    if ((raw = mail_conf_lookup_raw(name)) == NULL) {
	if (mode == MAC_EXP_MODE_USE)
	    ctx->undefined = true;
	return NULL;
    }
    expanded = mail_conf_expand(raw);
    vstring_strcpy(ctx->value, expanded);
    myfree(expanded);
    return vstring_str(ctx->value);
}

/* bounce_template_expand - each message line with $name expanded */
void    bounce_template_expand(const BOUNCE_TEMPLATE *tp,
			               BOUNCE_TEMPLATE_LINE_FN fn, void *context)
{
    BOUNCE_EXPAND_CTX ctx;
    VSTRING *buf = vstring_alloc(100);
    const char *line;
    size_t  n;
    int     status;

    ctx.tp = tp;
    ctx.value = vstring_alloc(100);
    for (n = 0; n < tp->lines->argc; n++) {
	line = tp->lines->argv[n];
	ctx.undefined = false;
	status = mac_expand(buf, line, MAC_EXP_FLAG_NONE, (char *) 0,
			    bounce_expand_lookup, &ctx);
	if (status & MAC_PARSE_ERROR)
	    msg_fatal("%s: bad $name syntax in %s template: %s",
		      tp->origin, bounce_class_name(tp->class), excerpt(line));
	if (ctx.undefined)
	    msg_fatal("%s: undefined $name in %s template: %s",
		      tp->origin, bounce_class_name(tp->class), excerpt(line));
	fn(vstring_str(buf), context);
    }
    vstring_free(ctx.value);
    vstring_free(buf);
}

/* bounce_templates_dump - all templates in file format */
void    bounce_templates_dump(VSTREAM *out, BOUNCE_TEMPLATES *ts)
{
    const BOUNCE_TEMPLATE *tp;
    int     class;
    int     hdr;
    size_t  n;

    for (class = 0; class < BOUNCE_TMPL_COUNT; class++) {
	tp = bounce_templates_get(ts, class);
	if (class > 0)
	    vstream_fputs("\n", out);
	vstream_fprintf(out, "%s_template = <<EOF\n", bounce_class_name(class));
	for (hdr = 0; hdr < BOUNCE_HDR_COUNT; hdr++)
	    if (tp->headers[hdr])
		vstream_fprintf(out, "%s: %s\n", bounce_header_names[hdr],
				tp->headers[hdr]);
	vstream_fputs("\n", out);
	for (n = 0; n < tp->lines->argc; n++)
	    vstream_fprintf(out, "%s\n", tp->lines->argv[n]);
	vstream_fputs("EOF\n", out);
    }
}

/* bounce_expand_print - bounce_template_expand() callback */
static void bounce_expand_print(const char *line, void *context)
{
    vstream_fprintf((VSTREAM *) context, "%s\n", line);
}

/* bounce_templates_expand - all message texts, expanded */
void    bounce_templates_expand(VSTREAM *out, BOUNCE_TEMPLATES *ts)
{
    int     class;

    for (class = 0; class < BOUNCE_TMPL_COUNT; class++) {
	if (class > 0)
	    vstream_fputs("\n", out);
	vstream_fprintf(out, "expanded_%s_text = <<EOF\n",
			bounce_class_name(class));
	bounce_template_expand(bounce_templates_get(ts, class),
			       bounce_expand_print, (void *) out);
	vstream_fputs("EOF\n", out);
    }
}
