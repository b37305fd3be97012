/*
 * dict_texthash - lookup table read from a postmap(1) source file
 *
 * DESCRIPTION
 *	See dict_texthash.h. The entries go into an in-memory table
 *	(dict_ht(3)) that carries the "texthash" type name.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "dict.h"
#include "dict_ht.h"
#include "split_qnameval.h"
#include "dict_texthash.h"

/* dict_texthash_load - read every entry; NULL or a surrogate reason */
static char *dict_texthash_load(DICT *dict, VSTREAM *fp, const char *path,
				        int dict_flags)
{
    VSTRING *line = vstring_alloc(100);
    VSTRING *why = NULL;
    int     lineno = 0;
    int     first;
    int     status;
    char   *key;
    char   *value;
    const char *folded;
    const char *err;

    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       DICT_TEXTHASH_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if ((err = split_qnameval_space(vstring_str(line), &key, &value)) != NULL) {
	    if (strcmp(err, "expected format: key whitespace value") == 0)
		msg_warn("%s, line %d: %s -- ignoring this line",
			 path, first, err);
	    else
		msg_warn("%s, line %d: %s in '%s' -- ignoring this line",
			 path, first, err, excerpt(vstring_str(line)));
	    continue;
	}
	if (key[strlen(key) - 1] == ':')
	    msg_warn("%s, line %d: record is in \"key: value\" format;"
		     " is this an alias file?", path, first);
	folded = dict_fold_key(dict, key);
	if (dict_ht_insert(dict, folded, value,
			   (dict_flags & DICT_FLAG_DUP_REPLACE) != 0))
	    continue;
	if (dict_flags & (DICT_FLAG_DUP_IGNORE | DICT_FLAG_DUP_REPLACE))
	    continue;
	if (dict_flags & DICT_FLAG_DUP_WARN) {
	    msg_warn("%s, line %d: duplicate entry: \"%s\"", path, first,
		     excerpt(key));
	    continue;
	}
	why = vstring_alloc(100);
	vstring_sprintf(why, "%s, line %d: duplicate entry: \"%s\"",
			path, first, excerpt(key));
	break;
    }
    if (why == NULL && vstream_ferror(fp)) {
	why = vstring_alloc(100);
	vstring_sprintf(why, "read %s: %s", path, strerror(errno));
    }
    vstring_free(line);
    return why ? vstring_export(why) : NULL;
}

/* dict_texthash_open - read a text table into memory */
DICT   *dict_texthash_open(const char *path, int open_flags, int dict_flags)
{
    VSTREAM *fp;
    DICT   *dict;
    char   *why;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	return dict_surrogate(DICT_TYPE_TEXTHASH, path, open_flags, dict_flags,
			      "open database %s: %s", path, strerror(errno));
    dict = dict_ht_create(DICT_TYPE_TEXTHASH, path, open_flags, dict_flags,
			  false);
    if ((why = dict_texthash_load(dict, fp, path, dict_flags)) != NULL) {
	(void) vstream_fclose(fp);
	dict_close(dict);
	dict = dict_surrogate(DICT_TYPE_TEXTHASH, path, open_flags, dict_flags,
			      "%s", why);
	myfree(why);
	return dict;
    }
    dict_watch_file(dict, path, vstream_fileno(fp));
    (void) vstream_fclose(fp);
    return dict;
}
