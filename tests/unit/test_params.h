/*
 * test_params - change main.cf settings in a unit test
 *
 * SYNOPSIS
 *	#include "test_params.h"
 *
 *	void	test_set_param(const char *name, const char *value);
 *
 * DESCRIPTION
 *	test_set_param() sets one main.cf parameter, as "-o name=value"
 *	would, and makes the parameter table pick it up: VAR_STR() and
 *	friends return the new value from then on.
 *
 *	A static function in this header, for tests that link the mail
 *	library (src/global), which the shared test_support library does
 *	not.
 */
#ifndef TEST_PARAMS_H
#define TEST_PARAMS_H

#include "sys_defs.h"
#include "mail_conf.h"
#include "mail_params.h"

/* test_set_param - change one main.cf setting */
static UNUSED void test_set_param(const char *name, const char *value)
{
    mail_conf_update(name, value);
    mail_params_reset();
}

#endif
