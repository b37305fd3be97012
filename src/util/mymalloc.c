/*
 * mymalloc - memory allocation wrappers that never return NULL
 *
 * DESCRIPTION
 *	See mymalloc.h. Allocation failure is fatal: a mail daemon that
 *	cannot allocate memory cannot make progress, and master restarts it.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"

/* mymalloc - allocate memory or die */
void *mymalloc(size_t len)
{
    void *ptr;

    if (len == 0)
	len = 1;
    if ((ptr = malloc(len)) == NULL)
	msg_fatal("out of memory: malloc(%zu)", len);
    return ptr;
}

/* myrealloc - resize memory or die */
void *myrealloc(void *ptr, size_t len)
{
    void *new_ptr;

    if (len == 0)
	len = 1;
    if ((new_ptr = realloc(ptr, len)) == NULL)
	msg_fatal("out of memory: realloc(%zu)", len);
    return new_ptr;
}

/* mycalloc - allocate zeroed array memory or die */
void *mycalloc(size_t nmemb, size_t size)
{
    void *ptr;

    if (size != 0 && nmemb > SIZE_MAX / size)
	msg_panic("mycalloc: size overflow: %zu * %zu", nmemb, size);
    if ((ptr = calloc(nmemb ? nmemb : 1, size ? size : 1)) == NULL)
	msg_fatal("out of memory: calloc(%zu, %zu)", nmemb, size);
    return ptr;
}

/* myfree - release memory, accepting a null pointer */
void myfree(void *ptr)
{
    free(ptr);
}

/* mystrdup - copy a string */
char *mystrdup(const char *str)
{
    if (str == NULL)
	msg_panic("mystrdup: null pointer argument");
    return mymemdup(str, strlen(str) + 1);
}

/* mystrndup - copy at most len bytes of a string, null-terminated */
char *mystrndup(const char *str, size_t len)
{
    const char *end;
    char   *result;

    if (str == NULL)
	msg_panic("mystrndup: null pointer argument");
    if ((end = memchr(str, 0, len)) != NULL)
	len = end - str;
    if (len == SIZE_MAX)
	msg_panic("mystrndup: size overflow");
    result = mymalloc(len + 1);
    memcpy(result, str, len);
    result[len] = 0;
    return result;
}

/* mymemdup - copy a memory block */
void *mymemdup(const void *ptr, size_t len)
{
    void *result;

    if (ptr == NULL)
	msg_panic("mymemdup: null pointer argument");
    result = mymalloc(len);
    memcpy(result, ptr, len);
    return result;
}
