/*
 * vstring_vstream - read lines and records from a VSTREAM into a VSTRING
 *
 * DESCRIPTION
 *	See vstring_vstream.h. One worker function implements every variant.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstring_vstream.h"

#define GET_KEEP_TERM	1		/* store the terminator too */

/* vstring_get_worker - read up to a terminator or bound */
static int vstring_get_worker(VSTRING *vp, VSTREAM *fp, int term,
			              int flags, size_t bound)
{
    const unsigned char *data;
    const unsigned char *end;
    size_t  avail;
    size_t  count = 0;
    int     ch = VSTREAM_EOF;

    /* Scan the stream's buffer instead of going byte by byte. */
    VSTRING_RESET(vp);
    while (bound == 0 || count < bound) {
	if ((avail = vstream_peek_data(fp, &data)) == 0)
	    break;
	if (bound != 0 && avail > bound - count)
	    avail = bound - count;
	if ((end = memchr(data, term, avail)) != NULL) {
	    vstring_memcat(vp, data, end - data);
	    if (flags & GET_KEEP_TERM)
		VSTRING_ADDCH(vp, term);
	    vstream_skip(fp, end - data + 1);
	    VSTRING_TERMINATE(vp);
	    return term;
	}
	vstring_memcat(vp, data, avail);
	vstream_skip(fp, avail);
	count += avail;
    }
    VSTRING_TERMINATE(vp);
    if (VSTRING_LEN(vp) > 0)
	ch = (unsigned char) vstring_end(vp)[-1];
    return ch;
}

/* vstring_get - read a line including the newline */
int     vstring_get(VSTRING *vp, VSTREAM *fp)
{
    return vstring_get_worker(vp, fp, '\n', GET_KEEP_TERM, 0);
}

/* vstring_get_nonl - read a line, stripping the newline */
int     vstring_get_nonl(VSTRING *vp, VSTREAM *fp)
{
    return vstring_get_worker(vp, fp, '\n', 0, 0);
}

/* vstring_get_null - read a null-terminated record */
int     vstring_get_null(VSTRING *vp, VSTREAM *fp)
{
    return vstring_get_worker(vp, fp, 0, 0, 0);
}

/* vstring_get_nonl_bound - read a bounded line, stripping the newline */
int     vstring_get_nonl_bound(VSTRING *vp, VSTREAM *fp, size_t bound)
{
    return vstring_get_worker(vp, fp, '\n', 0, bound ? bound : 1);
}
