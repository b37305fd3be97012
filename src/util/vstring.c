/*
 * vstring - growable, optionally bounded, null-terminated byte strings
 *
 * DESCRIPTION
 *	See vstring.h. The buffer grows by doubling; with a bound set, it
 *	never grows beyond bound + 1 bytes, which is what makes the
 *	VSTRING_ADDCH() fast path safe without checking the bound.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

/* vstring_alloc - create an empty string */
VSTRING *vstring_alloc(size_t initial_size)
{
    VSTRING *vp = mymalloc(sizeof(*vp));

    if (initial_size < 16)
	initial_size = 16;
    vp->data = mymalloc(initial_size);
    vp->size = initial_size;
    vp->len = 0;
    vp->maxlen = 0;
    vp->overflow = false;
    vp->data[0] = 0;
    return vp;
}

/* vstring_free - destroy a string; returns NULL for convenience */
VSTRING *vstring_free(VSTRING *vp)
{
    if (vp != NULL) {
	myfree(vp->data);
	myfree(vp);
    }
    return NULL;
}

/* vstring_set_maxlen - bound the content length (0 = unbounded) */
void    vstring_set_maxlen(VSTRING *vp, size_t maxlen)
{
    vp->maxlen = maxlen;
    if (maxlen > 0 && vp->len > maxlen) {
	vp->len = maxlen;
	vp->overflow = true;
	VSTRING_TERMINATE(vp);
    }
    /* The VSTRING_ADDCH() fast path relies on size <= maxlen + 1. */
    if (maxlen > 0 && vp->size > maxlen + 1) {
	vp->data = myrealloc(vp->data, maxlen + 1);
	vp->size = maxlen + 1;
    }
}

/* vstring_space - make room for more bytes; false if the bound forbids */
bool    vstring_space(VSTRING *vp, size_t more)
{
    size_t  need;
    size_t  new_size;
    bool    fits = true;

    if (more > SIZE_MAX - vp->len - 1)
	msg_panic("vstring_space: size overflow");
    need = vp->len + more + 1;
    if (vp->maxlen > 0 && need > vp->maxlen + 1) {
	need = vp->maxlen + 1;
	fits = false;
    }
    if (need > vp->size) {
	new_size = vp->size;
	while (new_size < need)
	    new_size = new_size > SIZE_MAX / 2 ? need : new_size * 2;
	if (vp->maxlen > 0 && new_size > vp->maxlen + 1)
	    new_size = vp->maxlen + 1;
	vp->data = myrealloc(vp->data, new_size);
	vp->size = new_size;
    }
    return fits;
}

/* vstring_addch_slow - VSTRING_ADDCH() when the buffer is full */
int     vstring_addch_slow(VSTRING *vp, int ch)
{
    if (!vstring_space(vp, 1)) {
	vp->overflow = true;
	return ch;
    }
    vp->data[vp->len++] = (char) ch;
    return ch;
}

/* vstring_memcat - append bytes, truncating at the bound */
VSTRING *vstring_memcat(VSTRING *vp, const void *src, size_t len)
{
    if (!vstring_space(vp, len)) {
	vp->overflow = true;
	len = vp->size - 1 - vp->len;
    }
    memmove(vp->data + vp->len, src, len);
    vp->len += len;
    VSTRING_TERMINATE(vp);
    return vp;
}

/* vstring_memcpy - replace the content with bytes */
VSTRING *vstring_memcpy(VSTRING *vp, const void *src, size_t len)
{
    const char *s = src;

    /* A source inside our own buffer can only shrink the content. */
    if (s >= vp->data && s < vp->data + vp->size) {
	if ((size_t) (s - vp->data) + len > vp->len)
	    msg_panic("vstring_memcpy: source overlaps beyond content");
	memmove(vp->data, s, len);
	vp->len = len;
	vp->overflow = false;
	VSTRING_TERMINATE(vp);
	return vp;
    }
    vp->len = 0;
    vp->overflow = false;
    return vstring_memcat(vp, src, len);
}

/* vstring_strcpy - replace the content with a C string */
VSTRING *vstring_strcpy(VSTRING *vp, const char *src)
{
    return vstring_memcpy(vp, src, strlen(src));
}

/* vstring_strncpy - replace the content with at most len bytes of src */
VSTRING *vstring_strncpy(VSTRING *vp, const char *src, size_t len)
{
    const char *end = memchr(src, 0, len);

    return vstring_memcpy(vp, src, end ? (size_t) (end - src) : len);
}

/* vstring_strcat - append a C string */
VSTRING *vstring_strcat(VSTRING *vp, const char *src)
{
    return vstring_memcat(vp, src, strlen(src));
}

/* vstring_strncat - append at most len bytes of a C string */
VSTRING *vstring_strncat(VSTRING *vp, const char *src, size_t len)
{
    const char *end = memchr(src, 0, len);

    return vstring_memcat(vp, src, end ? (size_t) (end - src) : len);
}

/* vstring_insert - insert bytes at an offset */
VSTRING *vstring_insert(VSTRING *vp, size_t pos, const void *buf, size_t len)
{
    size_t  tail;

    if (pos > vp->len)
	msg_panic("vstring_insert: position %zu beyond length %zu", pos, vp->len);
    if (!vstring_space(vp, len)) {
	vp->overflow = true;
	if (len > vp->size - 1 - vp->len) {
	    /* Keep the inserted part, drop the tail beyond the bound. */
	    size_t  room = vp->size - 1 - pos;

	    if (len > room)
		len = room;
	    memmove(vp->data + pos, buf, len);
	    vp->len = pos + len;
	    VSTRING_TERMINATE(vp);
	    return vp;
	}
    }
    tail = vp->len - pos;
    memmove(vp->data + pos + len, vp->data + pos, tail);
    memmove(vp->data + pos, buf, len);
    vp->len += len;
    VSTRING_TERMINATE(vp);
    return vp;
}

/* vstring_prepend - insert bytes at the start */
VSTRING *vstring_prepend(VSTRING *vp, const char *src, size_t len)
{
    return vstring_insert(vp, 0, src, len);
}

/* vstring_truncate - shorten the content (never lengthens it) */
VSTRING *vstring_truncate(VSTRING *vp, size_t len)
{
    if (len < vp->len) {
	vp->len = len;
	VSTRING_TERMINATE(vp);
    }
    return vp;
}

/* vstring_vsprintf_append - append formatted text */
VSTRING *vstring_vsprintf_append(VSTRING *vp, const char *fmt, va_list ap)
{
    va_list ap2;
    int     need;
    size_t  avail;

    va_copy(ap2, ap);
    avail = vp->size - vp->len;
    need = vsnprintf(vp->data + vp->len, avail, fmt, ap2);
    va_end(ap2);
    if (need < 0)
	msg_panic("vstring_vsprintf_append: bad format \"%s\"", fmt);
    if ((size_t) need >= avail) {
	if (!vstring_space(vp, need))
	    vp->overflow = true;
	avail = vp->size - vp->len;
	(void) vsnprintf(vp->data + vp->len, avail, fmt, ap);
	vp->len += (size_t) need < avail ? (size_t) need : avail - 1;
    } else {
	vp->len += need;
    }
    VSTRING_TERMINATE(vp);
    return vp;
}

/* vstring_vsprintf - replace the content with formatted text */
VSTRING *vstring_vsprintf(VSTRING *vp, const char *fmt, va_list ap)
{
    VSTRING_RESET(vp);
    return vstring_vsprintf_append(vp, fmt, ap);
}

/* vstring_sprintf - replace the content with formatted text */
VSTRING *vstring_sprintf(VSTRING *vp, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(vp, fmt, ap);
    va_end(ap);
    return vp;
}

/* vstring_sprintf_append - append formatted text */
VSTRING *vstring_sprintf_append(VSTRING *vp, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf_append(vp, fmt, ap);
    va_end(ap);
    return vp;
}

/* vstring_sprintf_prepend - insert formatted text at the start */
VSTRING *vstring_sprintf_prepend(VSTRING *vp, const char *fmt,...)
{
    VSTRING *tmp = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(tmp, fmt, ap);
    va_end(ap);
    vstring_insert(vp, 0, vstring_str(tmp), VSTRING_LEN(tmp));
    vstring_free(tmp);
    return vp;
}

/* vstring_export - hand over the buffer and destroy the VSTRING */
char   *vstring_export(VSTRING *vp)
{
    char   *data = vp->data;

    myfree(vp);
    return data;
}

/* vstring_import - wrap a heap-allocated C string in a VSTRING */
VSTRING *vstring_import(char *str)
{
    VSTRING *vp = mymalloc(sizeof(*vp));
    size_t  len = strlen(str);

    vp->data = str;
    vp->len = len;
    vp->size = len + 1;
    vp->maxlen = 0;
    vp->overflow = false;
    return vp;
}
