/*
 * attr_list_private - what the files of the attribute-list library share
 *
 * SYNOPSIS
 *	#include "attr_list_private.h"
 *
 *	bool	attr_list_name_ok(const char *name, size_t len);
 *	void	attr_list_append_copy(ATTR_LIST *list, const ATTR *attr);
 *
 * DESCRIPTION
 *	The public interface is attr_list.h. attr_list.c owns the list
 *	structure; attr_list_io.c (wire format) and attr_proto.c
 *	(greetings and requests) walk it through this header. Nothing
 *	outside attr_list*.c and attr_proto.c includes this file.
 *
 *	attr_list_name_ok() tells whether the len bytes at name are a
 *	valid wire name. attr_list_append_copy() appends a deep copy of
 *	one attribute (of another list) to list.
 */
#ifndef ATTR_LIST_PRIVATE_H
#define ATTR_LIST_PRIVATE_H

#include "attr_list.h"

typedef struct ATTR {
    char   *name;			/* valid wire name */
    ATTR_TYPE type;
    union {
	int     int_value;
	long    long_value;
	struct {			/* string or data, null-terminated */
	    char   *bytes;
	    size_t  len;
	}       buf;
	ATTR_LIST *list;		/* nested list, owned */
    }       u;
} ATTR;

struct ATTR_LIST {
    ATTR   *attrs;
    size_t  count;
    size_t  size;			/* allocated entries */
};

extern bool attr_list_name_ok(const char *name, size_t len);
extern void attr_list_append_copy(ATTR_LIST *list, const ATTR *attr);

#endif
