/*
 * vstring - growable, optionally bounded, null-terminated byte strings
 *
 * SYNOPSIS
 *	VSTRING	*vstring_alloc(size_t initial_size);
 *	VSTRING	*vstring_free(VSTRING *vp);
 *	void	vstring_set_maxlen(VSTRING *vp, size_t maxlen);
 *	bool	vstring_overflowed(const VSTRING *vp);
 *
 *	char	*vstring_str(VSTRING *vp);
 *	size_t	VSTRING_LEN(VSTRING *vp);
 *	char	*vstring_end(VSTRING *vp);
 *	void	VSTRING_ADDCH(VSTRING *vp, int ch);
 *	void	VSTRING_TERMINATE(VSTRING *vp);
 *	void	VSTRING_RESET(VSTRING *vp);
 *
 *	VSTRING	*vstring_strcpy(VSTRING *vp, const char *src);
 *	VSTRING	*vstring_strncpy(VSTRING *vp, const char *src, size_t len);
 *	VSTRING	*vstring_strcat(VSTRING *vp, const char *src);
 *	VSTRING	*vstring_strncat(VSTRING *vp, const char *src, size_t len);
 *	VSTRING	*vstring_memcpy(VSTRING *vp, const void *src, size_t len);
 *	VSTRING	*vstring_memcat(VSTRING *vp, const void *src, size_t len);
 *	VSTRING	*vstring_insert(VSTRING *vp, size_t pos, const void *buf, size_t len);
 *	VSTRING	*vstring_prepend(VSTRING *vp, const char *src, size_t len);
 *	VSTRING	*vstring_truncate(VSTRING *vp, size_t len);
 *	VSTRING	*vstring_sprintf(VSTRING *vp, const char *fmt, ...);
 *	VSTRING	*vstring_sprintf_append(VSTRING *vp, const char *fmt, ...);
 *	VSTRING	*vstring_sprintf_prepend(VSTRING *vp, const char *fmt, ...);
 *	VSTRING	*vstring_vsprintf(VSTRING *vp, const char *fmt, va_list ap);
 *	VSTRING	*vstring_vsprintf_append(VSTRING *vp, const char *fmt, va_list ap);
 *	char	*vstring_export(VSTRING *vp);
 *	VSTRING	*vstring_import(char *str);
 *
 * DESCRIPTION
 *	A VSTRING holds arbitrary bytes (null bytes included) and keeps a
 *	null terminator after the last byte, so vstring_str() can be used as
 *	a C string when the content has no null bytes.
 *
 *	vstring_set_maxlen() bounds the content length. Writes past the
 *	bound are silently truncated and set the overflow flag, which
 *	vstring_overflowed() reports; VSTRING_RESET() and the copy functions
 *	clear it. Use this for every buffer that holds peer data. The bound
 *	also caps the memory allocated for the string.
 *
 *	vstring_export() returns the buffer (caller frees with myfree) and
 *	destroys the VSTRING; vstring_import() wraps a mystrdup()ed string.
 *	The printf functions use the C library formatter (glibc syntax).
 *
 * DIAGNOSTICS
 *	Panic: invalid arguments (offset past the end, etc). Fatal: out of
 *	memory.
 */
#ifndef VSTRING_H
#define VSTRING_H

#include "sys_defs.h"

typedef struct VSTRING {
    char   *data;			/* content, null terminated */
    size_t  len;			/* content length */
    size_t  size;			/* allocated bytes, > len */
    size_t  maxlen;			/* content bound, 0 = none */
    bool    overflow;			/* a write was truncated */
} VSTRING;

extern VSTRING *vstring_alloc(size_t initial_size);
extern VSTRING *vstring_free(VSTRING *vp);
extern void vstring_set_maxlen(VSTRING *vp, size_t maxlen);
extern bool vstring_space(VSTRING *vp, size_t more);
extern int vstring_addch_slow(VSTRING *vp, int ch);

#define vstring_str(vp)		((vp)->data)
#define VSTRING_LEN(vp)		((vp)->len)
#define vstring_end(vp)		((vp)->data + (vp)->len)
#define vstring_overflowed(vp)	((vp)->overflow)
#define VSTRING_ADDCH(vp, ch) \
	((vp)->len + 1 < (vp)->size \
	 ? ((vp)->data[(vp)->len++] = (char) (ch)) \
	 : vstring_addch_slow((vp), (ch)))
#define VSTRING_TERMINATE(vp)	((vp)->data[(vp)->len] = 0)
#define VSTRING_RESET(vp)	((vp)->len = 0, (vp)->overflow = false, \
				 (vp)->data[0] = 0)

extern VSTRING *vstring_strcpy(VSTRING *vp, const char *src);
extern VSTRING *vstring_strncpy(VSTRING *vp, const char *src, size_t len);
extern VSTRING *vstring_strcat(VSTRING *vp, const char *src);
extern VSTRING *vstring_strncat(VSTRING *vp, const char *src, size_t len);
extern VSTRING *vstring_memcpy(VSTRING *vp, const void *src, size_t len);
extern VSTRING *vstring_memcat(VSTRING *vp, const void *src, size_t len);
extern VSTRING *vstring_insert(VSTRING *vp, size_t pos, const void *buf, size_t len);
extern VSTRING *vstring_prepend(VSTRING *vp, const char *src, size_t len);
extern VSTRING *vstring_truncate(VSTRING *vp, size_t len);
extern VSTRING *PRINTFLIKE(2, 3) vstring_sprintf(VSTRING *vp, const char *fmt,...);
extern VSTRING *PRINTFLIKE(2, 3) vstring_sprintf_append(VSTRING *vp, const char *fmt,...);
extern VSTRING *PRINTFLIKE(2, 3) vstring_sprintf_prepend(VSTRING *vp, const char *fmt,...);
extern VSTRING *vstring_vsprintf(VSTRING *vp, const char *fmt, va_list ap);
extern VSTRING *vstring_vsprintf_append(VSTRING *vp, const char *fmt, va_list ap);
extern char *vstring_export(VSTRING *vp);
extern VSTRING *vstring_import(char *str);

#endif
