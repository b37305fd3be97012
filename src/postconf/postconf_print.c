/*
 * postconf_print - output lines that fold at 80 columns
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_print_line(VSTREAM *fp, int mode, const char *fmt, ...);
 *
 *	void	pcf_line_start(PCF_LINE *line, VSTREAM *fp);
 *	void	pcf_line_put(PCF_LINE *line, const char *text);
 *	void	pcf_line_gap(PCF_LINE *line, PCF_GAP gap);
 *	void	pcf_line_pad_to(PCF_LINE *line, size_t column);
 *	void	pcf_line_end(PCF_LINE *line);
 *	size_t	pcf_line_room(const PCF_LINE *line);
 *
 * DESCRIPTION
 *	All of postconf's "name = value" output goes through
 *	pcf_print_line(); the master.cf layout of postconf_master(3) uses
 *	the PCF_LINE primitives below it.
 *
 *	pcf_print_line() formats its arguments and prints the words of the
 *	result (runs of characters other than space, tab, carriage return
 *	and newline), one space between two words, then a newline: white
 *	space at either end disappears, so that "name = " prints as
 *	"name =". With PCF_FOLD_LINE in mode, output lines are at most 80
 *	columns wide: a word that does not fit after a space on the
 *	current line goes to a continuation line, which starts with four
 *	spaces. A word wider than a line is not split; it gets a
 *	continuation line of its own (unless it is the first word).
 *
 *	A PCF_LINE is an output line under construction, which knows how
 *	many columns it already holds. pcf_line_start() begins at column
 *	0 of stream fp; pcf_line_put() appends text. pcf_line_gap() writes
 *	what separates two words: PCF_GAP_NONE nothing, PCF_GAP_SPACE one
 *	space, PCF_GAP_BREAK the end of the line and the four spaces that
 *	start a continuation line. pcf_line_pad_to() appends spaces up to a
 *	column, and at least one. pcf_line_end() writes the final newline.
 *	pcf_line_room() is the number of columns left before the 80-column
 *	limit (0 when the line is already longer).
 *
 *	This module does not decide where master.cf entries break: their
 *	rules differ (see postconf_master(3)).
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "postconf.h"

/* pcf_line_start - an empty line on a stream */
void    pcf_line_start(PCF_LINE *line, VSTREAM *fp)
{
    line->fp = fp;
    line->column = 0;
}

/* pcf_line_put - append text to the line */
void    pcf_line_put(PCF_LINE *line, const char *text)
{
    vstream_fputs(text, line->fp);
    line->column += strlen(text);
}

/* pcf_line_gap - separate the next word from the line so far */
void    pcf_line_gap(PCF_LINE *line, PCF_GAP gap)
{
    switch (gap) {
    case PCF_GAP_NONE:
	break;
    case PCF_GAP_SPACE:
	pcf_line_put(line, " ");
	break;
    case PCF_GAP_BREAK:
	vstream_fputs("\n" PCF_INDENT_TEXT, line->fp);
	line->column = PCF_INDENT_LEN;
	break;
    default:
	msg_panic("pcf_line_gap: bad gap %d", (int) gap);
    }
}

/* pcf_line_pad_to - spaces up to a column, at least one */
void    pcf_line_pad_to(PCF_LINE *line, size_t column)
{
    size_t  count = column > line->column ? column - line->column : 1;

    vstream_fprintf(line->fp, "%*s", (int) count, "");
    line->column += count;
}

/* pcf_line_end - finish the line */
void    pcf_line_end(PCF_LINE *line)
{
    vstream_fputs("\n", line->fp);
    line->column = 0;
}

/* pcf_line_room - columns left before the limit */
size_t  pcf_line_room(const PCF_LINE *line)
{
    return line->column < PCF_LINE_LIMIT ? PCF_LINE_LIMIT - line->column : 0;
}

/* pcf_print_line - the words of a formatted text, optionally folded */
void    pcf_print_line(VSTREAM *fp, int mode, const char *fmt,...)
{
    static VSTRING *text;
    va_list ap;
    PCF_LINE line;
    PCF_GAP gap;
    char   *cursor;
    char   *word;

    if (text == NULL)
	text = vstring_alloc(100);
    va_start(ap, fmt);
    vstring_vsprintf(text, fmt, ap);
    va_end(ap);

    pcf_line_start(&line, fp);
    cursor = vstring_str(text);
    for (gap = PCF_GAP_NONE; (word = mystrtok(&cursor, PCF_SEPARATORS)) != NULL;
	 gap = PCF_GAP_SPACE) {

	/*
	 * A word fits when the line, a space and the word take at most 80
	 * columns. The first word stays where it is: a continuation line
	 * would be no wider.
	 */
	if (gap == PCF_GAP_SPACE && (mode & PCF_FOLD_LINE)
	    && strlen(word) >= pcf_line_room(&line))
	    gap = PCF_GAP_BREAK;
	pcf_line_gap(&line, gap);
	pcf_line_put(&line, word);
    }
    pcf_line_end(&line);
}
