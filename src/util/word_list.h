#ifndef _WORD_LIST_H_INCLUDED_
#define _WORD_LIST_H_INCLUDED_

/*
 * word_list - is a word in a comma/space separated list
 *
 * SYNOPSIS
 *	#include "word_list.h"
 *
 *	bool	word_list_has(const char *list, const char *word);
 *
 * DESCRIPTION
 *	word_list_has() tells whether list, words separated by commas and
 *	white space (a main.cf list value such as $notify_classes), has
 *	word in it, compared without regard to case. The list is not
 *	modified.
 *
 *	What it does not do: expand $name references or look words up in
 *	tables (see name_mask(3) for lists that map to bit masks).
 */
#include <stdbool.h>

extern bool word_list_has(const char *, const char *);

#endif
