/*
 * mymalloc - memory allocation wrappers that never return NULL
 *
 * SYNOPSIS
 *	void	*mymalloc(size_t len);
 *	void	*myrealloc(void *ptr, size_t len);
 *	void	*mycalloc(size_t nmemb, size_t size);
 *	void	myfree(void *ptr);
 *	char	*mystrdup(const char *str);
 *	char	*mystrndup(const char *str, size_t len);
 *	void	*mymemdup(const void *ptr, size_t len);
 *
 * DESCRIPTION
 *	Each allocator terminates the process with a fatal error when memory
 *	is exhausted or when the requested size overflows, so callers never
 *	test for NULL. myfree() accepts a null pointer. mystrndup() copies
 *	at most len bytes and always null-terminates.
 *
 * DIAGNOSTICS
 *	Fatal: out of memory. Panic: impossible sizes (overflow).
 */
#ifndef MYMALLOC_H
#define MYMALLOC_H

#include "sys_defs.h"

extern void *mymalloc(size_t len);
extern void *myrealloc(void *ptr, size_t len);
extern void *mycalloc(size_t nmemb, size_t size);
extern void myfree(void *ptr);
extern char *mystrdup(const char *str);
extern char *mystrndup(const char *str, size_t len);
extern void *mymemdup(const void *ptr, size_t len);

#endif
