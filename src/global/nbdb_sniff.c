/*
 * nbdb_sniff - tell an aliases(5) source file from a postmap(1) source file
 *
 * DESCRIPTION
 *	See nbdb_sniff.h. Only the start of each entry matters, so the
 *	scanner looks at physical lines and skips the ones that readlline(3)
 *	would treat as comments, blank lines or continuations.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstream.h"
#include "nbdb_sniff.h"

#define NBDB_SNIFF_SPACE(c)	((c) == ' ' || (c) == '\t' || (c) == '\r')

/* nbdb_sniff_alias_line - does one entry start with "name:" */
static bool nbdb_sniff_alias_line(const char *line, size_t len)
{
    size_t  pos = 0;

    if (line[0] == '"') {
	for (pos = 1; pos < len && line[pos] != '"'; pos++)
	    if (line[pos] == '\\')
		pos++;
	return pos + 1 < len && line[pos + 1] == ':';
    }
    while (pos < len && line[pos] != ':' && !NBDB_SNIFF_SPACE(line[pos]))
	pos++;
    if (pos == 0 || pos == len || line[pos] != ':')
	return false;
    /* The rest of the first word: a second colon means an address. */
    for (pos++; pos < len && !NBDB_SNIFF_SPACE(line[pos]); pos++)
	if (line[pos] == ':')
	    return false;
    return true;
}

/* nbdb_sniff_aliases - is this the text of an aliases file */
bool    nbdb_sniff_aliases(const char *text, size_t len, bool complete)
{
    const char *line = text;
    const char *end = text + len;
    const char *nl;
    const char *cp;
    size_t  line_len;
    int     entries = 0;

    while (line < end && entries < NBDB_SNIFF_ENTRY_LIMIT) {
	if ((nl = memchr(line, '\n', end - line)) == NULL) {
	    if (!complete)
		break;
	    nl = end;
	}
	line_len = nl - line;
	for (cp = line; cp < nl && NBDB_SNIFF_SPACE(*cp); cp++)
	     /* void */ ;
	if (cp < nl && *cp != '#' && cp == line) {
	    if (!nbdb_sniff_alias_line(line, line_len))
		return false;
	    entries++;
	}
	line = nl + 1;
    }
    return entries > 0;
}

/* nbdb_sniff_stream - read the start of a file and look at it */
bool    nbdb_sniff_stream(VSTREAM *fp)
{
    char   *buf = mymalloc(NBDB_SNIFF_BYTE_LIMIT + 1);
    size_t  len;
    bool    complete;
    bool    result;

    len = vstream_fread(fp, buf, NBDB_SNIFF_BYTE_LIMIT + 1);
    complete = len <= NBDB_SNIFF_BYTE_LIMIT;
    if (!complete)
	len = NBDB_SNIFF_BYTE_LIMIT;
    result = !vstream_ferror(fp) && nbdb_sniff_aliases(buf, len, complete);
    myfree(buf);
    return result;
}
