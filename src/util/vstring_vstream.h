/*
 * vstring_vstream - read lines and records from a VSTREAM into a VSTRING
 *
 * SYNOPSIS
 *	int	vstring_get(VSTRING *vp, VSTREAM *fp);
 *	int	vstring_get_nonl(VSTRING *vp, VSTREAM *fp);
 *	int	vstring_get_null(VSTRING *vp, VSTREAM *fp);
 *	int	vstring_get_nonl_bound(VSTRING *vp, VSTREAM *fp, size_t bound);
 *
 * DESCRIPTION
 *	vstring_get() reads one line, including the newline. The _nonl
 *	variants strip the newline; vstring_get_null() reads up to and not
 *	including a null byte. Each replaces the content of vp.
 *
 *	vstring_get_nonl_bound() reads at most bound bytes (not counting the
 *	terminator that is stripped): when the limit is reached first, the
 *	rest of the line stays in the stream and the result is the last byte
 *	stored, not the newline. This is how every reader of untrusted input
 *	limits memory.
 *
 *	The result is the last byte read (the newline or null terminator
 *	for complete records), or VSTREAM_EOF when nothing was read before
 *	end of input or error. A last line without newline is returned with
 *	its last byte as result.
 */
#ifndef VSTRING_VSTREAM_H
#define VSTRING_VSTREAM_H

#include "vstring.h"
#include "vstream.h"

extern int vstring_get(VSTRING *vp, VSTREAM *fp);
extern int vstring_get_nonl(VSTRING *vp, VSTREAM *fp);
extern int vstring_get_null(VSTRING *vp, VSTREAM *fp);
extern int vstring_get_nonl_bound(VSTRING *vp, VSTREAM *fp, size_t bound);

#endif
