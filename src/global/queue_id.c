/*
 * queue_id - make, check and hash queue IDs
 *
 * DESCRIPTION
 *	See queue_id.h and docs/internals/queue-file.md section 7.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>

#include "vstring.h"
#include "queue_id.h"

/* The 52 digits of long IDs: no vowels; base 51 for the inode omits "z". */
static const char queue_id_digits[] =
    "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";

#define QUEUE_ID_BASE		52
#define QUEUE_ID_INODE_BASE	51
#define QUEUE_ID_SEC_DIGITS	6
#define QUEUE_ID_USEC_DIGITS	4
#define QUEUE_ID_SEPARATOR	'z'

/* queue_id_encode - append value in base, at least width digits */
static void queue_id_encode(VSTRING *buf, unsigned long long value,
			            unsigned base, int width)
{
    char    tmp[64];
    int     n = 0;

    do {
	tmp[n++] = queue_id_digits[value % base];
	value /= base;
    } while (value > 0 && n < (int) sizeof(tmp));
    while (n < width && n < (int) sizeof(tmp))
	tmp[n++] = '0';
    while (n > 0)
	VSTRING_ADDCH(buf, tmp[--n]);
}

/* queue_id_make - the ID of a file with this inode created at tv */
const char *queue_id_make(VSTRING *buf, ino_t inode,
			          const struct timeval *tv, bool long_form)
{
    unsigned long usec = (unsigned long) tv->tv_usec % 1000000UL;

    VSTRING_RESET(buf);
    if (long_form) {
	queue_id_encode(buf, (unsigned long long) tv->tv_sec, QUEUE_ID_BASE,
			QUEUE_ID_SEC_DIGITS);
	queue_id_encode(buf, usec, QUEUE_ID_BASE, QUEUE_ID_USEC_DIGITS);
	VSTRING_ADDCH(buf, QUEUE_ID_SEPARATOR);
	queue_id_encode(buf, (unsigned long long) inode, QUEUE_ID_INODE_BASE,
			1);
	VSTRING_TERMINATE(buf);
    } else {
	vstring_sprintf(buf, "%05lX%llX", usec, (unsigned long long) inode);
    }
    return vstring_str(buf);
}

/* queue_id_valid - is a file name a queue ID */
bool    queue_id_valid(const char *name)
{
    size_t  len = 0;
    const char *cp;

    for (cp = name; *cp; cp++, len++) {
	if (len >= QUEUE_ID_MAX_LEN)
	    return false;
	if (!((*cp >= '0' && *cp <= '9') || (*cp >= 'A' && *cp <= 'Z')
	      || (*cp >= 'a' && *cp <= 'z')))
	    return false;
    }
    return len >= QUEUE_ID_MIN_LEN;
}

/* queue_id_is_long - does an ID have the long form */
bool    queue_id_is_long(const char *id)
{
    const char *cp;

    for (cp = id; *cp; cp++)
	if (*cp >= 'a' && *cp <= 'z')
	    return true;
    return false;
}

/* queue_id_long_usec - decode the microseconds of a long ID, or -1 */
static long queue_id_long_usec(const char *id)
{
    const char *sep = strrchr(id, QUEUE_ID_SEPARATOR);	/* inode has no z */
    const char *cp;
    const char *digit;
    long    usec = 0;

    /* The separator follows 6+ seconds digits and 4 microsecond digits. */
    if (sep == 0 || sep - id < QUEUE_ID_SEC_DIGITS + QUEUE_ID_USEC_DIGITS)
	return -1;
    for (cp = sep - QUEUE_ID_USEC_DIGITS; cp < sep; cp++) {
	if ((digit = strchr(queue_id_digits, *cp)) == 0 || *cp == 0)
	    return -1;
	usec = usec * QUEUE_ID_BASE + (digit - queue_id_digits);
    }
    return usec;
}

/* queue_id_hash - the hashed directory part of an ID */
const char *queue_id_hash(VSTRING *buf, const char *id, int depth)
{
    char    hex[16];
    const char *src = id;
    long    usec;
    int     n;

    VSTRING_RESET(buf);
    if (depth > QUEUE_ID_HASH_MAX)
	depth = QUEUE_ID_HASH_MAX;
    if (queue_id_is_long(id) && (usec = queue_id_long_usec(id)) >= 0) {
	snprintf(hex, sizeof(hex), "%05lX", usec % 1000000L);
	src = hex;
    }
    for (n = 0; n < depth && src[n] != 0; n++) {
	VSTRING_ADDCH(buf, src[n]);
	VSTRING_ADDCH(buf, '/');
    }
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}
