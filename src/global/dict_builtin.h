/*
 * dict_builtin - the lookup table drivers compiled into every program
 *
 * SYNOPSIS
 *	#include "dict_builtin.h"
 *
 *	void	dict_builtin_register(void);
 *
 * DESCRIPTION
 *	dict_builtin_register() registers every built-in driver with
 *	dict_open_register(). dict(3) calls it before the first open. The
 *	list of drivers is the table in dict_builtin.c.
 */
#ifndef DICT_BUILTIN_H
#define DICT_BUILTIN_H

extern void dict_builtin_register(void);

#endif
