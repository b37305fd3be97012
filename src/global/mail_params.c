/*
 * mail_params - typed access to every main.cf parameter
 *
 * DESCRIPTION
 *	See mail_params.h. The table is built from mail_params.def; values
 *	are evaluated through mail_conf(3) on first use and cached.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "mail_conf.h"
#include "mail_params_default.h"
#include "mail_params.h"

const MAIL_PARAM mail_param_table[MAIL_PARAM_COUNT] = {
#define STR(n, d, lo, hi)	{#n, MAIL_PARAM_STR, d, NULL, lo, hi, 0},
#define RAW(n, d, lo, hi)	{#n, MAIL_PARAM_RAW, d, NULL, lo, hi, 0},
#define STR_FN(n, f, lo, hi)	{#n, MAIL_PARAM_STR, NULL, f, lo, hi, 0},
#define INT(n, d, lo, hi)	{#n, MAIL_PARAM_INT, d, NULL, lo, hi, 0},
#define BOOL(n, d)		{#n, MAIL_PARAM_BOOL, d, NULL, 0, 0, 0},
#define TIME(n, d, u, lo, hi)	{#n, MAIL_PARAM_TIME, d, NULL, lo, hi, u},
#include "mail_params.def"
#undef STR
#undef RAW
#undef STR_FN
#undef INT
#undef BOOL
#undef TIME
};

typedef union {
    char   *str;
    long    num;
    bool    flag;
} MAIL_PARAM_VALUE;

static MAIL_PARAM_VALUE mail_param_values[MAIL_PARAM_COUNT];
static bool mail_param_loaded[MAIL_PARAM_COUNT];
static HTABLE *mail_param_index;

static const char *mail_param_readonly[] = {
    "process_id", "process_name", "service_name",
};

/* mail_param_find - look up a parameter by name */
const MAIL_PARAM *mail_param_find(const char *name)
{
    size_t  n;

    if (mail_param_index == NULL) {
	mail_param_index = htable_create(MAIL_PARAM_COUNT * 2);
	for (n = 0; n < MAIL_PARAM_COUNT; n++)
	    htable_enter(mail_param_index, mail_param_table[n].name,
			 (void *) (mail_param_table + n));
    }
    return htable_find(mail_param_index, name);
}

/* mail_param_default_text - unexpanded default, computed when needed */
const char *mail_param_default_text(const MAIL_PARAM *param)
{
    return param->defval ? param->defval : param->defval_fn();
}

/* mail_param_is_readonly - names that main.cf cannot set */
bool    mail_param_is_readonly(const char *name)
{
    size_t  n;

    for (n = 0; n < ARRAY_LEN(mail_param_readonly); n++)
	if (strcmp(name, mail_param_readonly[n]) == 0)
	    return true;
    return false;
}

/* mail_param_check - validate an index and its type */
static const MAIL_PARAM *mail_param_check(int idx, MAIL_PARAM_TYPE type)
{
    const MAIL_PARAM *param;

    if (idx < 0 || idx >= MAIL_PARAM_COUNT)
	msg_panic("mail_param: bad index %d", idx);
    param = mail_param_table + idx;
    if (param->type != type
	&& !(type == MAIL_PARAM_STR && param->type == MAIL_PARAM_RAW))
	msg_panic("mail_param: %s has type %d, not %d", param->name,
		  param->type, type);
    return param;
}

/* mail_param_str - the expanded value of a string parameter */
const char *mail_param_str(int idx)
{
    const MAIL_PARAM *param = mail_param_check(idx, MAIL_PARAM_STR);

    if (!mail_param_loaded[idx]) {
	mail_param_values[idx].str = param->type == MAIL_PARAM_RAW ?
	    mail_conf_get_raw(param->name, mail_param_default_text(param),
			      param->min, param->max) :
	    mail_conf_get_str(param->name, mail_param_default_text(param),
			      param->min, param->max);
	mail_param_loaded[idx] = true;
    }
    return mail_param_values[idx].str;
}

/* mail_param_int - the value of an integer parameter */
long    mail_param_int(int idx)
{
    const MAIL_PARAM *param = mail_param_check(idx, MAIL_PARAM_INT);

    if (!mail_param_loaded[idx]) {
	mail_param_values[idx].num =
	    mail_conf_get_int(param->name, param->defval, param->min, param->max);
	mail_param_loaded[idx] = true;
    }
    return mail_param_values[idx].num;
}

/* mail_param_bool - the value of a boolean parameter */
bool    mail_param_bool(int idx)
{
    const MAIL_PARAM *param = mail_param_check(idx, MAIL_PARAM_BOOL);

    if (!mail_param_loaded[idx]) {
	mail_param_values[idx].flag = mail_conf_get_bool(param->name, param->defval);
	mail_param_loaded[idx] = true;
    }
    return mail_param_values[idx].flag;
}

/* mail_param_time - the value of a time parameter, in seconds */
int     mail_param_time(int idx)
{
    const MAIL_PARAM *param = mail_param_check(idx, MAIL_PARAM_TIME);

    if (!mail_param_loaded[idx]) {
	mail_param_values[idx].num =
	    mail_conf_get_time(param->name, param->defval, param->time_unit,
			       param->min, param->max);
	mail_param_loaded[idx] = true;
    }
    return (int) mail_param_values[idx].num;
}

/* mail_params_reset - forget cached values after a configuration change */
void    mail_params_reset(void)
{
    size_t  n;

    for (n = 0; n < MAIL_PARAM_COUNT; n++) {
	if (mail_param_loaded[n] && (mail_param_table[n].type == MAIL_PARAM_STR
				  || mail_param_table[n].type == MAIL_PARAM_RAW))
	    myfree(mail_param_values[n].str);
	mail_param_loaded[n] = false;
    }
}
