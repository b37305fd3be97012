/*
 * mail_params - typed access to every main.cf parameter
 *
 * SYNOPSIS
 *	#include "mail_params.h"
 *
 *	const char *VAR_STR(name);	e.g. VAR_STR(myhostname)
 *	long	VAR_INT(name);		e.g. VAR_INT(line_length_limit)
 *	bool	VAR_BOOL(name);		e.g. VAR_BOOL(biff)
 *	int	VAR_TIME(name);		e.g. VAR_TIME(ipc_timeout), seconds
 *	const char *PARAM_NAME(name);	the name as a string
 *
 *	extern const MAIL_PARAM mail_param_table[MAIL_PARAM_COUNT];
 *	const MAIL_PARAM *mail_param_find(const char *name);
 *	const char *mail_param_default_text(const MAIL_PARAM *param);
 *	bool	mail_param_is_readonly(const char *name);
 *	void	mail_params_reset(void);
 *
 * DESCRIPTION
 *	The parameter table comes from mail_params.def. Each parameter is
 *	evaluated on first use: its main.cf value (or default) is expanded,
 *	converted and range-checked, and the result is cached until
 *	mail_params_reset() (call it after re-reading main.cf). A program
 *	therefore fails only on the bad parameters that it actually uses,
 *	as Postfix programs do.
 *
 *	The VAR_* macros check at compile time that the parameter exists and
 *	has the requested type (STR also covers RAW and computed strings).
 *	Strings returned by VAR_STR() stay valid until mail_params_reset().
 *
 *	mail_param_find() returns the table entry for a name, or NULL.
 *	mail_param_default_text() returns the unexpanded default (computing
 *	host-dependent defaults such as myhostname). process_id,
 *	process_name and service_name are read-only: main.cf cannot set them.
 *
 * DIAGNOSTICS
 *	Fatal errors with Postfix's wording: "bad numerical configuration:
 *	name = value", "invalid name parameter value N < MIN", "bad boolean
 *	configuration: name = value", "parameter name: bad time value or
 *	unit: value", "invalid name: N (min MIN)", "bad string length N <
 *	MIN: name = value".
 */
#ifndef MAIL_PARAMS_H
#define MAIL_PARAMS_H

#include "sys_defs.h"

typedef enum MAIL_PARAM_TYPE {
    MAIL_PARAM_STR,			/* string, $name expanded */
    MAIL_PARAM_RAW,			/* string, not expanded */
    MAIL_PARAM_INT,			/* long integer */
    MAIL_PARAM_BOOL,			/* yes/no */
    MAIL_PARAM_TIME,			/* seconds, with unit suffix */
} MAIL_PARAM_TYPE;

typedef struct MAIL_PARAM {
    const char *name;
    MAIL_PARAM_TYPE type;
    const char *defval;			/* NULL: computed by defval_fn */
    const char *(*defval_fn) (void);
    long    min;			/* value or length; */
    long    max;			/* 0 = no upper limit */
    int     time_unit;			/* 's', 'm', 'h', 'd', 'w' */
} MAIL_PARAM;

/* Table indices, in table order. */
enum {
#define STR(n, d, lo, hi)	PARAM_IDX_##n,
#define RAW(n, d, lo, hi)	PARAM_IDX_##n,
#define STR_FN(n, f, lo, hi)	PARAM_IDX_##n,
#define INT(n, d, lo, hi)	PARAM_IDX_##n,
#define BOOL(n, d)		PARAM_IDX_##n,
#define TIME(n, d, u, lo, hi)	PARAM_IDX_##n,
#include "mail_params.def"
#undef STR
#undef RAW
#undef STR_FN
#undef INT
#undef BOOL
#undef TIME
    MAIL_PARAM_COUNT
};

/* Typed aliases so that VAR_INT(myhostname) does not compile. */
enum {
#define STR(n, d, lo, hi)	STR_PARAM_##n = PARAM_IDX_##n,
#define RAW(n, d, lo, hi)	STR_PARAM_##n = PARAM_IDX_##n,
#define STR_FN(n, f, lo, hi)	STR_PARAM_##n = PARAM_IDX_##n,
#define INT(n, d, lo, hi)	INT_PARAM_##n = PARAM_IDX_##n,
#define BOOL(n, d)		BOOL_PARAM_##n = PARAM_IDX_##n,
#define TIME(n, d, u, lo, hi)	TIME_PARAM_##n = PARAM_IDX_##n,
#include "mail_params.def"
#undef STR
#undef RAW
#undef STR_FN
#undef INT
#undef BOOL
#undef TIME
    MAIL_PARAM_ALIAS_END
};

extern const MAIL_PARAM mail_param_table[MAIL_PARAM_COUNT];

extern const char *mail_param_str(int idx);
extern long mail_param_int(int idx);
extern bool mail_param_bool(int idx);
extern int mail_param_time(int idx);
extern const MAIL_PARAM *mail_param_find(const char *name);
extern const char *mail_param_default_text(const MAIL_PARAM *param);
extern bool mail_param_is_readonly(const char *name);
extern void mail_params_reset(void);

#define VAR_STR(n)	mail_param_str(STR_PARAM_##n)
#define VAR_INT(n)	mail_param_int(INT_PARAM_##n)
#define VAR_BOOL(n)	mail_param_bool(BOOL_PARAM_##n)
#define VAR_TIME(n)	mail_param_time(TIME_PARAM_##n)
#define PARAM_NAME(n)	(mail_param_table[PARAM_IDX_##n].name)

#endif
