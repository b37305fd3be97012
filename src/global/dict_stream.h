/*
 * dict_stream - open the source text of a pattern table
 *
 * SYNOPSIS
 *	#include "dict_stream.h"
 *
 *	VSTREAM	*dict_stream_open(const char *type, const char *name,
 *				  VSTRING *why);
 *
 * DESCRIPTION
 *	dict_stream_open() returns a read-only stream with the rules of a
 *	regexp:, pcre: or cidr: table. Normally name is a file name. A name
 *	that starts with "{" is an inline table (Postfix 3.7 syntax):
 *	"{ {rule-1}, {rule-2}, ... }". Each rule-N is written as one line
 *	of an in-memory file, with the whitespace after its "{" and before
 *	its "}" removed; rules are separated by comma or whitespace, and
 *	"{}" or "{ , }" give an empty file. The stream's path
 *	(vstream_path()) is name, so readlline(3) messages name the table.
 *
 *	On error the result is NULL and why holds the reason:
 *	"open <name>: <errno text>" or "<type> map: <extpar error>", for
 *	example "regexp map: no '{' at start of text in \"/b/\"".
 *
 *	The caller reads the stream with readlline(3) and closes it with
 *	vstream_fclose(). This module does not parse rules.
 */
#ifndef DICT_STREAM_H
#define DICT_STREAM_H

#include "vstream.h"
#include "vstring.h"

extern VSTREAM *dict_stream_open(const char *type, const char *name,
				         VSTRING *why);

#endif
