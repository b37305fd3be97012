/*
 * bounce_template - texts of delivery status notifications
 *
 * SYNOPSIS
 *	#include "bounce_template.h"
 *
 *	BOUNCE_TEMPLATES *bounce_templates_create(void);
 *	void	bounce_templates_free(BOUNCE_TEMPLATES *templates);
 *	void	bounce_templates_load(BOUNCE_TEMPLATES *templates, VSTREAM *fp);
 *	const BOUNCE_TEMPLATE *bounce_templates_get(BOUNCE_TEMPLATES *templates,
 *					int class);
 *	void	bounce_templates_dump(VSTREAM *out, BOUNCE_TEMPLATES *templates);
 *	void	bounce_templates_expand(VSTREAM *out, BOUNCE_TEMPLATES *templates);
 *
 *	const char *bounce_template_charset(const BOUNCE_TEMPLATE *tp);
 *	const char *bounce_template_from(const BOUNCE_TEMPLATE *tp);
 *	const char *bounce_template_subject(const BOUNCE_TEMPLATE *tp);
 *	const char *bounce_template_postmaster_subject(const BOUNCE_TEMPLATE *tp);
 *	void	bounce_template_expand(const BOUNCE_TEMPLATE *tp,
 *					BOUNCE_TEMPLATE_LINE_FN fn, void *context);
 *
 * DESCRIPTION
 *	A delivery status notification starts with a text taken from a
 *	template: one for undeliverable mail (BOUNCE_TMPL_FAILURE), delayed
 *	mail (BOUNCE_TMPL_DELAY), successful delivery (BOUNCE_TMPL_SUCCESS)
 *	and address verification (BOUNCE_TMPL_VERIFY). Each template has
 *	headers (Charset, From, Subject and, for failure and delay,
 *	Postmaster-Subject) and message text with $name references. The
 *	file format is described in bounce(5).
 *
 *	bounce_templates_create() returns the four built-in templates.
 *	bounce_templates_load() replaces templates with those of a template
 *	file ("failure_template = <<EOF" ... "EOF"); the stream's path
 *	appears in diagnostics. bounce_templates_free() destroys the set.
 *
 *	bounce_templates_get() returns the template of a class after
 *	checking it: a loaded template with a problem (unknown header, no
 *	message text, 8-bit text with a us-ascii charset...) is reported
 *	and replaced by the built-in one. Headers that a loaded template
 *	does not set keep their built-in values.
 *
 *	bounce_template_charset() and friends return the headers;
 *	bounce_template_postmaster_subject() is NULL for success and verify
 *	templates. bounce_template_expand() calls fn once for each line of
 *	message text (without newline), with $name expanded: main.cf
 *	parameters (expanded recursively), and the time parameters
 *	delay_warning_time and maximal_queue_lifetime with a unit suffix
 *	(_seconds, _minutes, _hours, _days, _weeks), e.g.
 *	$delay_warning_time_hours. "$$" gives "$".
 *
 *	bounce_templates_dump() writes all four templates in template
 *	file format without expansion ("postconf -t");
 *	bounce_templates_expand() writes the expanded texts as
 *	"expanded_<class>_text = <<EOF" ... ("postconf -b").
 *
 *	This module reads main.cf values through mail_conf(3); it does not
 *	compose messages or convert ACE host names.
 *
 * DIAGNOSTICS
 *	Warnings (origin is the file name or "[built-in]"): "<file>, line
 *	<n>: unknown template name: <name> -- ignoring this template",
 *	"<file>, line <n>: missing "EOF" end marker", "<origin>: unknown
 *	"<label>" header label in <class> template -- ignoring this
 *	template", "inapplicable", "empty" and "non-ASCII" header problems,
 *	"missing message text in <class> template", "8-bit message text in
 *	<class> template", time conversion results of zero or of 1000 and
 *	more. Fatal: "<file>, line <n>: missing '=' after attribute name:
 *	...", "missing end marker after <<", "undefined $name in <class>
 *	template: <line>", "bad $name syntax in <class> template: <line>",
 *	"unrecognized suffix "<suffix>" in parameter "<name>"".
 */
#ifndef BOUNCE_TEMPLATE_H
#define BOUNCE_TEMPLATE_H

#include "sys_defs.h"
#include "vstream.h"

#define BOUNCE_TMPL_FAILURE	0
#define BOUNCE_TMPL_DELAY	1
#define BOUNCE_TMPL_SUCCESS	2
#define BOUNCE_TMPL_VERIFY	3
#define BOUNCE_TMPL_COUNT	4

typedef struct BOUNCE_TEMPLATE BOUNCE_TEMPLATE;
typedef struct BOUNCE_TEMPLATES BOUNCE_TEMPLATES;
typedef void (*BOUNCE_TEMPLATE_LINE_FN) (const char *line, void *context);

extern BOUNCE_TEMPLATES *bounce_templates_create(void);
extern void bounce_templates_free(BOUNCE_TEMPLATES *templates);
extern void bounce_templates_load(BOUNCE_TEMPLATES *templates, VSTREAM *fp);
extern const BOUNCE_TEMPLATE *bounce_templates_get(BOUNCE_TEMPLATES *templates,
						           int class);
extern void bounce_templates_dump(VSTREAM *out, BOUNCE_TEMPLATES *templates);
extern void bounce_templates_expand(VSTREAM *out, BOUNCE_TEMPLATES *templates);

extern const char *bounce_template_charset(const BOUNCE_TEMPLATE *tp);
extern const char *bounce_template_from(const BOUNCE_TEMPLATE *tp);
extern const char *bounce_template_subject(const BOUNCE_TEMPLATE *tp);
extern const char *bounce_template_postmaster_subject(const BOUNCE_TEMPLATE *tp);
extern void bounce_template_expand(const BOUNCE_TEMPLATE *tp,
				           BOUNCE_TEMPLATE_LINE_FN fn,
				           void *context);

#endif
