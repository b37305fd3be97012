/*
 * postconf - private interfaces of the postconf(1) command
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 * DESCRIPTION
 *	This header is shared by the postconf_*.c modules only. It defines
 *	the command mode bits, the parameter table (every name that
 *	postconf knows: built-in, service-defined, user-defined, legacy),
 *	the in-memory copy of master.cf, and the functions of each module:
 *
 *	postconf.c		option parsing and dispatch
 *	postconf_param.c	parameter table, built-in and legacy names,
 *				value lookup and $name expansion
 *	postconf_service.c	service-defined names from master.cf
 *	postconf_user.c		user-defined names, "undefined" warnings
 *	postconf_dbms.c		legacy database client parameters
 *	postconf_unused.c	"unused parameter" warnings
 *	postconf_main.c		main.cf reading and display
 *	postconf_print.c	output lines, folded at 80 columns
 *	postconf_master.c	master.cf reading, normalizing and display
 *	postconf_edit.c		atomic edits of main.cf and master.cf
 *	postconf_misc.c		-a -A -l -m -T -b -t
 *
 *	It does not describe the user interface; see docs/man/man1/postconf.1.
 */
#ifndef POSTCONF_H
#define POSTCONF_H

#include "sys_defs.h"
#include "argv.h"
#include "htable.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_params.h"

 /*
  * Command modes and modifiers. The bit order is the order in which
  * option names appear in "specify one of" diagnostics.
  */
#define PCF_SHOW_SASL_SERV	(1<<0)	/* -a */
#define PCF_SHOW_SASL_CLNT	(1<<1)	/* -A */
#define PCF_EXP_DSN_TEMPL	(1<<2)	/* -b */
#define PCF_SHOW_DEFS		(1<<3)	/* -d */
#define PCF_EDIT_CONF		(1<<4)	/* -e */
#define PCF_FOLD_LINE		(1<<5)	/* -f */
#define PCF_MASTER_FLD		(1<<6)	/* -F */
#define PCF_HIDE_NAME		(1<<7)	/* -h */
#define PCF_HIDE_VALUE		(1<<8)	/* -H */
#define PCF_SHOW_LOCKS		(1<<9)	/* -l */
#define PCF_SHOW_MAPS		(1<<10)	/* -m */
#define PCF_MASTER_ENTRY	(1<<11)	/* -M */
#define PCF_SHOW_NONDEF		(1<<12)	/* -n */
#define PCF_MAIN_OVER		(1<<13)	/* -o */
#define PCF_MAIN_PARAM		(1<<14)	/* -p */
#define PCF_MASTER_PARAM	(1<<15)	/* -P */
#define PCF_DUMP_DSN_TEMPL	(1<<16)	/* -t */
#define PCF_SHOW_TLS		(1<<17)	/* -T */
#define PCF_SHOW_EVAL		(1<<18)	/* -x */
#define PCF_EDIT_EXCL		(1<<19)	/* -X */
#define PCF_COMMENT_OUT		(1<<20)	/* -# */

#define PCF_MASTER_MASK	(PCF_MASTER_ENTRY | PCF_MASTER_FLD | PCF_MASTER_PARAM)
#define PCF_EDIT_MASK	(PCF_EDIT_CONF | PCF_EDIT_EXCL | PCF_COMMENT_OUT)

 /*
  * Output layout (shared by main.cf and master.cf displays and edits).
  */
#define PCF_LINE_LIMIT	80
#define PCF_INDENT_LEN	4
#define PCF_INDENT_TEXT	"    "
#define PCF_SEPARATORS	" \t\r\n"

 /*
  * Parameter classes (selected with -C) and properties.
  */
#define PCF_PARAM_FLAG_BUILTIN	(1<<0)	/* name from mail_params.def */
#define PCF_PARAM_FLAG_SERVICE	(1<<1)	/* master.cf service name + suffix */
#define PCF_PARAM_FLAG_USER	(1<<2)	/* user-defined and in use */
#define PCF_PARAM_FLAG_LEGACY	(1<<3)	/* obsolete name used in defaults */
#define PCF_PARAM_FLAG_DBMS	(1<<4)	/* legacy database client name */
#define PCF_PARAM_FLAG_RAW	(1<<5)	/* never $name-expanded */
#define PCF_PARAM_FLAG_READONLY	(1<<6)	/* cannot be set */

#define PCF_PARAM_MASK_CLASS \
	(PCF_PARAM_FLAG_BUILTIN | PCF_PARAM_FLAG_SERVICE | PCF_PARAM_FLAG_USER)

typedef struct PCF_PARAM {
    int     flags;			/* PCF_PARAM_FLAG_* */
    const MAIL_PARAM *builtin;		/* table entry, or NULL */
    char   *service_default;		/* "$name" for service names */
} PCF_PARAM;

 /*
  * One master.cf entry. argv holds the seven fixed fields, the command
  * and its arguments, with daemon options normalized ("-o" and its value
  * are separate elements, "{name = value}" becomes "name=value").
  */
typedef struct PCF_MASTER_ENT {
    ARGV   *argv;
    char   *name_space;			/* "service/type" */
    HTABLE *all_params;			/* "-o" settings, or NULL */
    HTABLE *valid_names;		/* names used in this scope, or NULL */
    int     line;			/* first line in master.cf */
} PCF_MASTER_ENT;

#define PCF_MASTER_NAME(m)	((m)->argv->argv[0])
#define PCF_MASTER_TYPE(m)	((m)->argv->argv[1])

extern HTABLE *pcf_param_table;
extern PCF_MASTER_ENT **pcf_master_table;	/* null-terminated */

 /*
  * postconf_param.c
  */
extern void pcf_param_init(void);
extern PCF_PARAM *pcf_param_find(const char *name);
extern PCF_PARAM *pcf_param_enter(const char *name, int flags,
				          const MAIL_PARAM *builtin,
				          const char *service_default);
extern void pcf_param_set_class(PCF_PARAM *param, int class);
extern const char *pcf_param_default(const PCF_PARAM *param);
extern void pcf_register_builtin_parameters(void);
extern const char *pcf_lookup_parameter_value(int mode, const char *name,
					              PCF_MASTER_ENT *local_scope,
					              PCF_PARAM *param);
extern const char *pcf_expand_parameter_value(VSTRING *buf, int mode,
					              const char *value,
					              PCF_MASTER_ENT *local_scope);
extern const char *pcf_config_dir(void);

 /*
  * postconf_service.c, postconf_user.c, postconf_dbms.c,
  * postconf_unused.c
  */
extern void pcf_register_service_parameters(void);
extern void pcf_register_user_parameters(void);
extern void pcf_flag_user_parameter(const char *name, int class,
				            PCF_MASTER_ENT *local_scope);
extern void pcf_register_dbms_parameters(const char *value,
				             PCF_MASTER_ENT *local_scope);
extern void pcf_flag_unused_main_parameters(void);
extern void pcf_flag_unused_master_parameters(void);

 /*
  * postconf_main.c
  */
extern void pcf_read_parameters(ARGV *overrides);
extern void pcf_show_parameters(VSTREAM *fp, int mode, int param_class,
				        char **names);

 /*
  * postconf_print.c: an output line under construction.
  */
typedef struct PCF_LINE {
    VSTREAM *fp;
    size_t  column;			/* characters since the newline */
} PCF_LINE;

typedef enum PCF_GAP {
    PCF_GAP_NONE,			/* words run together */
    PCF_GAP_SPACE,			/* one space */
    PCF_GAP_BREAK,			/* a new, indented line */
} PCF_GAP;

extern void PRINTFLIKE(3, 4) pcf_print_line(VSTREAM *fp, int mode,
					            const char *fmt,...);
extern void pcf_line_start(PCF_LINE *line, VSTREAM *fp);
extern void pcf_line_put(PCF_LINE *line, const char *text);
extern void pcf_line_gap(PCF_LINE *line, PCF_GAP gap);
extern void pcf_line_pad_to(PCF_LINE *line, size_t column);
extern void pcf_line_end(PCF_LINE *line);
extern size_t pcf_line_room(const PCF_LINE *line);

 /*
  * postconf_master.c
  */
#define PCF_FAIL_ON_OPEN_ERROR	1
#define PCF_WARN_ON_OPEN_ERROR	0

extern void pcf_read_master(int fail_on_open_error);
extern PCF_MASTER_ENT *pcf_parse_master_entry(const char *text,
					              const char *raw_text,
					              VSTRING *why);
extern void pcf_free_master_entry(PCF_MASTER_ENT *masterp);
extern void pcf_print_master_entry(VSTREAM *fp, int mode,
				           PCF_MASTER_ENT *masterp);
extern void pcf_show_master_entries(VSTREAM *fp, int mode, int argc,
				            char **argv);
extern void pcf_show_master_fields(VSTREAM *fp, int mode, int argc,
				           char **argv);
extern void pcf_show_master_params(VSTREAM *fp, int mode, int argc,
				           char **argv);
extern void pcf_edit_master_field(PCF_MASTER_ENT *masterp, int field,
				          const char *new_value);
extern void pcf_edit_master_param(PCF_MASTER_ENT *masterp, int mode,
				          const char *name, const char *value);
extern ARGV *pcf_parse_service_pattern(const char *pattern, int min_expr,
				               int max_expr);
extern bool pcf_match_service_pattern(const ARGV *pattern, const char *name,
				              const char *type);
extern int pcf_parse_field_pattern(const char *name);
extern const char *pcf_field_name(int field);

#define PCF_MATCH_ANY(p)	(strcmp((p), "*") == 0)
#define PCF_FIELD_WILDCARD	(-1)
#define PCF_FIELD_UNKNOWN	(-2)

 /*
  * postconf_edit.c
  */
extern void pcf_edit_main(int mode, int argc, char **argv);
extern void pcf_edit_master(int mode, int argc, char **argv);

 /*
  * postconf_misc.c
  */
extern void pcf_show_maps(void);
extern void pcf_show_locks(void);
extern void pcf_show_sasl(int mode);
extern int pcf_show_tls(const char *what);
extern void pcf_show_templates(int mode, const char *template_file);

#endif
