/*
 * postconf_print - print one logical line, optionally folded
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_print_line(VSTREAM *fp, int mode, const char *fmt, ...);
 *
 * DESCRIPTION
 *	pcf_print_line() formats its arguments and writes the result as
 *	words separated by single spaces: runs of whitespace (space, tab,
 *	CR, newline) become one space, leading and trailing whitespace is
 *	dropped, and a newline ends the output. So "name = a    b" prints
 *	as "name = a b", and "name = " as "name =".
 *
 *	With PCF_FOLD_LINE in mode, a word that would make the line longer
 *	than 80 columns starts a new line indented by four spaces (a word
 *	longer than that is never split).
 *
 *	This is the format of main.cf parameters and of master.cf "-P"
 *	parameters; master.cf entries have their own layout.
 */
#include "sys_defs.h"

#include <string.h>

#include "vstream.h"
#include "vstring.h"
#include "postconf.h"

/* pcf_print_line - print words, optionally folded */
void    pcf_print_line(VSTREAM *fp, int mode, const char *fmt,...)
{
    static VSTRING *buf;
    va_list ap;
    const char *start;
    size_t  word_len;
    size_t  line_len = 0;

    if (buf == NULL)
	buf = vstring_alloc(100);
    va_start(ap, fmt);
    vstring_vsprintf(buf, fmt, ap);
    va_end(ap);

    for (start = vstring_str(buf);
	 *(start += strspn(start, PCF_SEPARATORS)) != 0;
	 start += word_len) {
	word_len = strcspn(start, PCF_SEPARATORS);
	if (line_len > 0) {
	    if ((mode & PCF_FOLD_LINE) == 0
		|| line_len + word_len < PCF_LINE_LIMIT) {
		vstream_fputs(" ", fp);
		line_len += 1;
	    } else {
		vstream_fputs("\n" PCF_INDENT_TEXT, fp);
		line_len = PCF_INDENT_LEN;
	    }
	}
	vstream_fwrite(fp, start, word_len);
	line_len += word_len;
    }
    vstream_fputs("\n", fp);
}
