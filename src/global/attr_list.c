/*
 * attr_list - typed attribute lists: the list object
 *
 * SYNOPSIS
 *	See attr_list.h.
 *
 * DESCRIPTION
 *	An ATTR_LIST is an array of attributes in the order of addition.
 *	Each attribute owns a copy of its name and value; a nested list
 *	belongs to its parent and is freed with it. String and data
 *	values are stored with a null byte after them, so that a data
 *	value that holds text can be used as a C string.
 *
 *	Lookups are linear: the messages of internal services hold a few
 *	dozen attributes at most (the reader's count limit is 1,024).
 *
 *	This file does no I/O (attr_list_io.c) and knows nothing of
 *	protocols (attr_proto.c).
 *
 * DIAGNOSTICS
 *	Panic: an invalid name, or an index or type out of range, from the
 *	program itself. attr_list_take() reports what a peer left out
 *	through its why argument; nothing is logged.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "attr_list.h"
#include "attr_list_private.h"

/* attr_list_name_ok - 1..ATTR_NAME_LIMIT bytes of a-z, 0-9, _ */
bool    attr_list_name_ok(const char *name, size_t len)
{
    size_t  n;

    if (len == 0 || len > ATTR_NAME_LIMIT)
	return false;
    for (n = 0; n < len; n++)
	if (!((name[n] >= 'a' && name[n] <= 'z')
	      || (name[n] >= '0' && name[n] <= '9') || name[n] == '_'))
	    return false;
    return true;
}

/* attr_list_create - an empty list */
ATTR_LIST *attr_list_create(void)
{
    ATTR_LIST *list = mymalloc(sizeof(*list));

    list->attrs = NULL;
    list->count = 0;
    list->size = 0;
    return list;
}

/* attr_list_release - free the value and name of one attribute */
static void attr_list_release(ATTR *attr)
{
    switch (attr->type) {
    case ATTR_TYPE_STR:
    case ATTR_TYPE_DATA:
	myfree(attr->u.buf.bytes);
	break;
    case ATTR_TYPE_LIST:
	attr_list_free(attr->u.list);
	break;
    default:
	break;
    }
    myfree(attr->name);
}

/* attr_list_clear - empty a list for reuse */
void    attr_list_clear(ATTR_LIST *list)
{
    size_t  n;

    for (n = 0; n < list->count; n++)
	attr_list_release(list->attrs + n);
    list->count = 0;
}

/* attr_list_free - free a list and everything in it */
void    attr_list_free(ATTR_LIST *list)
{
    attr_list_clear(list);
    myfree(list->attrs);
    myfree(list);
}

/* attr_list_append - a new attribute at the end, value to be filled in */
static ATTR *attr_list_append(ATTR_LIST *list, const char *name,
			              ATTR_TYPE type)
{
    ATTR   *attr;

    if (name == NULL || !attr_list_name_ok(name, strlen(name)))
	msg_panic("attr_list: invalid attribute name \"%s\"",
		  name ? name : "(null)");
    if (list->count == list->size) {
	list->size = list->size ? 2 * list->size : 8;
	list->attrs = myrealloc(list->attrs, list->size * sizeof(ATTR));
    }
    attr = list->attrs + list->count++;
    attr->name = mystrdup(name);
    attr->type = type;
    return attr;
}

/* attr_list_add_int - append an int */
void    attr_list_add_int(ATTR_LIST *list, const char *name, int value)
{
    attr_list_append(list, name, ATTR_TYPE_INT)->u.int_value = value;
}

/* attr_list_add_long - append a long */
void    attr_list_add_long(ATTR_LIST *list, const char *name, long value)
{
    attr_list_append(list, name, ATTR_TYPE_LONG)->u.long_value = value;
}

/* attr_list_set_bytes - copy len bytes and a null byte into attr */
static void attr_list_set_bytes(ATTR *attr, const void *data, size_t len)
{
    attr->u.buf.bytes = mymalloc(len + 1);
    if (len > 0)
	memcpy(attr->u.buf.bytes, data, len);
    attr->u.buf.bytes[len] = 0;
    attr->u.buf.len = len;
}

/* attr_list_add_str - append a copy of a string */
void    attr_list_add_str(ATTR_LIST *list, const char *name, const char *value)
{
    if (value == NULL)
	msg_panic("attr_list_add_str: null value for %s", name);
    attr_list_set_bytes(attr_list_append(list, name, ATTR_TYPE_STR),
			value, strlen(value));
}

/* attr_list_add_data - append a copy of len bytes */
void    attr_list_add_data(ATTR_LIST *list, const char *name,
			           const void *data, size_t len)
{
    if (data == NULL && len > 0)
	msg_panic("attr_list_add_data: null data for %s", name);
    attr_list_set_bytes(attr_list_append(list, name, ATTR_TYPE_DATA),
			data, len);
}

/* attr_list_add_list - append an empty nested list, owned by list */
ATTR_LIST *attr_list_add_list(ATTR_LIST *list, const char *name)
{
    ATTR   *attr = attr_list_append(list, name, ATTR_TYPE_LIST);

    return attr->u.list = attr_list_create();
}

/* attr_list_append_copy - append a deep copy of an attribute */
void    attr_list_append_copy(ATTR_LIST *list, const ATTR *attr)
{
    ATTR_LIST *nested;
    size_t  n;

    switch (attr->type) {
    case ATTR_TYPE_INT:
	attr_list_add_int(list, attr->name, attr->u.int_value);
	break;
    case ATTR_TYPE_LONG:
	attr_list_add_long(list, attr->name, attr->u.long_value);
	break;
    case ATTR_TYPE_STR:
	attr_list_add_str(list, attr->name, attr->u.buf.bytes);
	break;
    case ATTR_TYPE_DATA:
	attr_list_add_data(list, attr->name, attr->u.buf.bytes,
			   attr->u.buf.len);
	break;
    case ATTR_TYPE_LIST:
	nested = attr_list_add_list(list, attr->name);
	for (n = 0; n < attr->u.list->count; n++)
	    attr_list_append_copy(nested, attr->u.list->attrs + n);
	break;
    default:
	msg_panic("attr_list_append_copy: bad type %d", (int) attr->type);
    }
}

/* attr_list_count - number of attributes at this level */
size_t  attr_list_count(const ATTR_LIST *list)
{
    return list->count;
}

/* attr_list_at - the attribute at index, or panic */
static const ATTR *attr_list_at(const ATTR_LIST *list, size_t index)
{
    if (index >= list->count)
	msg_panic("attr_list: index %zu out of range (%zu attributes)",
		  index, list->count);
    return list->attrs + index;
}

/* attr_list_name - the name of the attribute at index */
const char *attr_list_name(const ATTR_LIST *list, size_t index)
{
    return attr_list_at(list, index)->name;
}

/* attr_list_type - the type of the attribute at index */
ATTR_TYPE attr_list_type(const ATTR_LIST *list, size_t index)
{
    return attr_list_at(list, index)->type;
}

/* attr_list_list_at - the nested list at index, NULL for another type */
const ATTR_LIST *attr_list_list_at(const ATTR_LIST *list, size_t index)
{
    const ATTR *attr = attr_list_at(list, index);

    return attr->type == ATTR_TYPE_LIST ? attr->u.list : NULL;
}

/* attr_list_lookup - the first attribute with this name and type */
static const ATTR *attr_list_lookup(const ATTR_LIST *list, const char *name,
				            ATTR_TYPE type)
{
    size_t  n;

    for (n = 0; n < list->count; n++)
	if (list->attrs[n].type == type && strcmp(list->attrs[n].name, name) == 0)
	    return list->attrs + n;
    return NULL;
}

/* attr_list_find_int - the first int of that name */
bool    attr_list_find_int(const ATTR_LIST *list, const char *name, int *value)
{
    const ATTR *attr = attr_list_lookup(list, name, ATTR_TYPE_INT);

    if (attr != NULL && value != NULL)
	*value = attr->u.int_value;
    return attr != NULL;
}

/* attr_list_find_long - the first long of that name */
bool    attr_list_find_long(const ATTR_LIST *list, const char *name, long *value)
{
    const ATTR *attr = attr_list_lookup(list, name, ATTR_TYPE_LONG);

    if (attr != NULL && value != NULL)
	*value = attr->u.long_value;
    return attr != NULL;
}

/* attr_list_find_str - the first string of that name, or NULL */
const char *attr_list_find_str(const ATTR_LIST *list, const char *name)
{
    const ATTR *attr = attr_list_lookup(list, name, ATTR_TYPE_STR);

    return attr ? attr->u.buf.bytes : NULL;
}

/* attr_list_find_data - the first data value of that name, or NULL */
const void *attr_list_find_data(const ATTR_LIST *list, const char *name,
				        size_t *len)
{
    const ATTR *attr = attr_list_lookup(list, name, ATTR_TYPE_DATA);

    if (attr == NULL)
	return NULL;
    if (len != NULL)
	*len = attr->u.buf.len;
    return attr->u.buf.bytes;
}

/* attr_list_find_list - the first nested list of that name, or NULL */
const ATTR_LIST *attr_list_find_list(const ATTR_LIST *list, const char *name)
{
    const ATTR *attr = attr_list_lookup(list, name, ATTR_TYPE_LIST);

    return attr ? attr->u.list : NULL;
}

/* attr_list_type_name - a type for "expected <type>" */
static const char *attr_list_type_name(ATTR_TYPE type)
{
    switch (type) {
    case ATTR_TYPE_INT:
	return "int";
    case ATTR_TYPE_LONG:
	return "long";
    case ATTR_TYPE_STR:
	return "string";
    case ATTR_TYPE_DATA:
	return "data";
    case ATTR_TYPE_LIST:
	return "list";
    default:
	msg_panic("attr_list: bad type %d", (int) type);
    }
}

/* attr_list_has_name - some attribute of that name, any type */
static bool attr_list_has_name(const ATTR_LIST *list, const char *name)
{
    size_t  n;

    for (n = 0; n < list->count; n++)
	if (strcmp(list->attrs[n].name, name) == 0)
	    return true;
    return false;
}

/* attr_list_store - copy one attribute's value through want->value */
static void attr_list_store(const ATTR *attr, const ATTR_WANT *want)
{
    ATTR_DATA_REF *ref;

    switch (want->type) {
    case ATTR_TYPE_INT:
	*(int *) want->value = attr->u.int_value;
	break;
    case ATTR_TYPE_LONG:
	*(long *) want->value = attr->u.long_value;
	break;
    case ATTR_TYPE_STR:
	*(const char **) want->value = attr->u.buf.bytes;
	break;
    case ATTR_TYPE_DATA:
	ref = want->value;
	ref->data = attr->u.buf.bytes;
	ref->len = attr->u.buf.len;
	break;
    case ATTR_TYPE_LIST:
	*(const ATTR_LIST **) want->value = attr->u.list;
	break;
    default:
	msg_panic("attr_list_take: bad type %d", (int) want->type);
    }
}

/* attr_list_take - copy several attributes out; false if one is missing */
bool    attr_list_take(const ATTR_LIST *list, const ATTR_WANT *want,
		               size_t count, VSTRING *why)
{
    const ATTR *attr;
    bool    ok = true;
    size_t  n;

    for (n = 0; n < count; n++) {
	(void) attr_list_type_name(want[n].type);	/* panics if bad */
	if (want[n].value == NULL)
	    msg_panic("attr_list_take: null destination for %s", want[n].name);
	if ((attr = attr_list_lookup(list, want[n].name, want[n].type)) != NULL) {
	    attr_list_store(attr, want + n);
	} else if ((want[n].flags & ATTR_REQUIRED) && ok) {
	    ok = false;
	    if (why == NULL)
		continue;
	    if (attr_list_has_name(list, want[n].name))
		vstring_sprintf(why, "attribute %s: expected %s", want[n].name,
				attr_list_type_name(want[n].type));
	    else
		vstring_sprintf(why, "missing attribute %s", want[n].name);
	}
    }
    return ok;
}
