/*
 * pattern_file - the patterns of a "/file/name" entry in a list
 *
 * DESCRIPTION
 *	See pattern_file.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>

#include "argv.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "pattern_file.h"

/* pattern_file_read - append the patterns of a file; false: unreadable */
bool    pattern_file_read(const char *path, ARGV *patterns)
{
    VSTREAM *fp;
    VSTRING *line;
    ARGV   *words;
    size_t  n;
    int     lineno = 0;
    int     status;
    bool    ok;
    int     saved_errno;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	return false;
    line = vstring_alloc(100);
    while ((status = readlline(line, fp, &lineno, NULL, NULL,
			       PATTERN_FILE_LINE_LIMIT)) != READLLINE_EOF) {
	if (status != READLLINE_OK)
	    continue;
	words = argv_split(vstring_str(line), CHARS_COMMA_SP);
	for (n = 0; n < words->argc && words->argv[n][0] != '#'; n++)
	    argv_add(patterns, words->argv[n], ARGV_END);
	argv_free(words);
    }
    vstring_free(line);
    ok = !vstream_ferror(fp);
    saved_errno = errno;
    (void) vstream_fclose(fp);
    errno = saved_errno;
    return ok;
}
