/*
 * open_std_fds - make sure descriptors 0, 1 and 2 are open
 *
 * SYNOPSIS
 *	#include "open_std_fds.h"
 *
 *	void	open_std_fds(void);
 *
 * DESCRIPTION
 *	open_std_fds() opens /dev/null on each of standard input, output and
 *	error that is closed. Every program calls it first: a program
 *	started with a closed descriptor would otherwise give that number to
 *	the first file it opens, and later write diagnostics into that file
 *	(or read a table file as its input).
 *
 * DIAGNOSTICS
 *	Fatal: /dev/null cannot be opened on the closed descriptor.
 */
#ifndef OPEN_STD_FDS_H
#define OPEN_STD_FDS_H

extern void open_std_fds(void);

#endif
