/*
 * mail_parm_split - split a list-valued parameter into its elements
 *
 * SYNOPSIS
 *	#include "mail_parm_split.h"
 *
 *	ARGV	*mail_parm_split(const char *name, const char *value);
 *
 * DESCRIPTION
 *	mail_parm_split() breaks the value of the parameter name (used only
 *	in diagnostics) into elements separated by commas or whitespace, as
 *	Postfix does for import_environment, export_environment and
 *	similar lists. An element written as "{ text }" is kept whole,
 *	without the braces and the whitespace just inside them, so that it
 *	may contain separators ("{ TZ=Europe/Amsterdam }",
 *	"{ LANG = C }"). The caller frees the result with argv_free().
 *
 *	This module does not expand $name references; pass the expanded
 *	value.
 *
 * DIAGNOSTICS
 *	Fatal: "parameter <name>: <problem>" for an element
 *	with unbalanced braces or text after the closing brace.
 */
#ifndef MAIL_PARM_SPLIT_H
#define MAIL_PARM_SPLIT_H

#include "sys_defs.h"
#include "argv.h"

extern ARGV *mail_parm_split(const char *name, const char *value);

#endif
