/*
 * dict_stream - open the source text of a pattern table
 *
 * DESCRIPTION
 *	See dict_stream.h. Inline rules go into an anonymous memory file
 *	(memfd_create(2)), so that they are read by the same code, with the
 *	same limits, as rules in a real file.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "vstream.h"
#include "dict_stream.h"

/* dict_stream_inline_text - the rules of "{ {rule}, ... }", one a line */
static const char *dict_stream_inline_text(const char *name, VSTRING *text)
{
    char   *saved = mystrdup(name);
    char   *bp = saved;
    char   *rule;
    const char *err;

    VSTRING_RESET(text);
    err = extpar(&bp, CHARS_BRACE, EXTPAR_FLAG_NONE);
    while (err == NULL && (rule = mystrtokq(&bp, CHARS_COMMA_SP, CHARS_BRACE)) != NULL) {
	if (*rule != CHARS_BRACE[0]) {
	    vstring_sprintf(text, "no '%c' at start of text in \"%s\"",
			    CHARS_BRACE[0], excerpt(rule));
	    myfree(saved);
	    return vstring_str(text);
	}
	if ((err = extpar(&rule, CHARS_BRACE, EXTPAR_FLAG_STRIP)) == NULL)
	    vstring_sprintf_append(text, "%s\n", rule);
    }
    myfree(saved);
    if (err != NULL)
	vstring_strcpy(text, err);
    return err ? vstring_str(text) : NULL;
}

/* dict_stream_memory - a read-only stream over bytes in memory */
static VSTREAM *dict_stream_memory(const char *name, const char *data,
				           size_t len, VSTRING *why)
{
    int     fd;
    VSTREAM *fp;

    if ((fd = memfd_create("dict_stream", MFD_CLOEXEC)) < 0) {
	vstring_sprintf(why, "open %s: memfd_create: %s", name, strerror(errno));
	return NULL;
    }
    if ((len > 0 && write(fd, data, len) != (ssize_t) len)
	|| lseek(fd, 0, SEEK_SET) != 0) {
	vstring_sprintf(why, "open %s: write memory file: %s", name,
			strerror(errno));
	(void) close(fd);
	return NULL;
    }
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, name);
    return fp;
}

/* dict_stream_open - open a pattern table file or inline text */
VSTREAM *dict_stream_open(const char *type, const char *name, VSTRING *why)
{
    VSTRING *text;
    VSTREAM *fp;
    const char *err;

    if (*name != CHARS_BRACE[0]) {
	if ((fp = vstream_fopen(name, O_RDONLY | O_CLOEXEC, 0)) == NULL)
	    vstring_sprintf(why, "open %s: %s", name, strerror(errno));
	return fp;
    }
    text = vstring_alloc(100);
    if ((err = dict_stream_inline_text(name, text)) != NULL) {
	vstring_sprintf(why, "%s map: %s", type, err);
	fp = NULL;
    } else {
	fp = dict_stream_memory(name, vstring_str(text), VSTRING_LEN(text), why);
    }
    vstring_free(text);
    return fp;
}
