/*
 * delivered_hdr - the Delivered-To: headers of a queued message
 *
 * SYNOPSIS
 *	See delivered_hdr.h.
 *
 * DESCRIPTION
 *	The header is read record by record: L ends a line, P continues
 *	it. Only whole logical lines that start with "Delivered-To:"
 *	matter; folded continuation lines are joined first, so that a
 *	folded header still compares equal.
 *
 * DIAGNOSTICS
 *	See delivered_hdr.h.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "htable.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "rec_type.h"
#include "record.h"
#include "delivered_hdr.h"

#define DELIVERED_HDR_NAME	"Delivered-To:"
#define DELIVERED_HDR_RECORD_MAX (64 * 1024)	/* bytes in one record */

struct DELIVERED_HDR {
    HTABLE *table;			/* lowercased addresses */
};

/* delivered_hdr_remember - keep one logical header line if it matters */
static void delivered_hdr_remember(DELIVERED_HDR *info, VSTRING *line)
{
    size_t  name_len = strlen(DELIVERED_HDR_NAME);
    char   *value;
    char   *cp;

    if (VSTRING_LEN(line) < name_len
	|| strncasecmp(vstring_str(line), DELIVERED_HDR_NAME, name_len) != 0)
	return;
    value = mystrdup(vstring_str(line) + name_len);
    for (cp = value; *cp; cp++)
	if (*cp == '\n' || *cp == '\r' || *cp == '\t')
	    *cp = ' ';
    cp = trim_whitespace(value);
    lowercase(cp);
    if (htable_locate(info->table, cp) == 0)
	htable_enter(info->table, cp, (void *) 0);
    myfree(value);
}

/* delivered_hdr_init - read the primary header, keep Delivered-To: values */
DELIVERED_HDR *delivered_hdr_init(VSTREAM *fp, off_t offset, size_t limit)
{
    DELIVERED_HDR *info = mymalloc(sizeof(*info));
    VSTRING *rec = vstring_alloc(100);
    VSTRING *line = vstring_alloc(100);	/* the logical header line */
    VSTRING *phys = vstring_alloc(100);	/* the physical line so far */
    size_t  total = 0;
    int     prev_type = REC_TYPE_LINE;
    int     type;

    info->table = htable_create(5);
    if (vstream_fseek(fp, offset, SEEK_SET) < 0) {
	msg_warn("%s: seek to message content: %m", vstream_path(fp));
	goto done;
    }
    while ((type = record_get(fp, rec, DELIVERED_HDR_RECORD_MAX)) > 0) {
	if (type == REC_TYPE_MESSAGE)
	    continue;
	if (type != REC_TYPE_LINE && type != REC_TYPE_PART)
	    break;				/* end of content */
	if ((total += VSTRING_LEN(rec)) > limit)
	    break;
	if (prev_type == REC_TYPE_LINE)
	    VSTRING_RESET(phys);
	vstring_memcat(phys, vstring_str(rec), VSTRING_LEN(rec));
	prev_type = type;
	if (type == REC_TYPE_PART)
	    continue;
	/* A whole physical line: end of header, continuation, or new. */
	if (VSTRING_LEN(phys) == 0)
	    break;
	if (vstring_str(phys)[0] == ' ' || vstring_str(phys)[0] == '\t') {
	    vstring_memcat(line, vstring_str(phys), VSTRING_LEN(phys));
	    continue;
	}
	delivered_hdr_remember(info, line);
	vstring_memcpy(line, vstring_str(phys), VSTRING_LEN(phys));
    }
    if (type < 0 && type != RECORD_EOF)
	msg_warn("%s: %s while reading message headers",
		 vstream_path(fp), record_error(type));
    delivered_hdr_remember(info, line);

done:
    vstring_free(rec);
    vstring_free(line);
    vstring_free(phys);
    return info;
}

/* delivered_hdr_find - was this address in a Delivered-To: header? */
bool    delivered_hdr_find(DELIVERED_HDR *info, const char *address)
{
    char   *key = lowercase(mystrdup(address));
    bool    found = htable_locate(info->table, key) != 0;

    myfree(key);
    return found;
}

/* delivered_hdr_free - release the address set */
void    delivered_hdr_free(DELIVERED_HDR *info)
{
    htable_free(info->table, (void (*) (void *)) 0);
    myfree(info);
}
