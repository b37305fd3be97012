/*
 * attr_list - typed attribute lists, the message format of internal services
 *
 * SYNOPSIS
 *	#include "attr_list.h"
 *
 *	ATTR_LIST *attr_list_create(void);
 *	void	attr_list_free(ATTR_LIST *list);
 *	void	attr_list_clear(ATTR_LIST *list);
 *
 *	void	attr_list_add_int(ATTR_LIST *list, const char *name, int value);
 *	void	attr_list_add_long(ATTR_LIST *list, const char *name, long value);
 *	void	attr_list_add_str(ATTR_LIST *list, const char *name,
 *				const char *value);
 *	void	attr_list_add_data(ATTR_LIST *list, const char *name,
 *				const void *data, size_t len);
 *	ATTR_LIST *attr_list_add_list(ATTR_LIST *list, const char *name);
 *
 *	size_t	attr_list_count(const ATTR_LIST *list);
 *	const char *attr_list_name(const ATTR_LIST *list, size_t index);
 *	ATTR_TYPE attr_list_type(const ATTR_LIST *list, size_t index);
 *	const ATTR_LIST *attr_list_list_at(const ATTR_LIST *list,
 *				size_t index);
 *
 *	bool	attr_list_find_int(const ATTR_LIST *list, const char *name,
 *				int *value);
 *	bool	attr_list_find_long(const ATTR_LIST *list, const char *name,
 *				long *value);
 *	const char *attr_list_find_str(const ATTR_LIST *list, const char *name);
 *	const void *attr_list_find_data(const ATTR_LIST *list,
 *				const char *name, size_t *len);
 *	const ATTR_LIST *attr_list_find_list(const ATTR_LIST *list,
 *				const char *name);
 *	bool	attr_list_take(const ATTR_LIST *list, const ATTR_WANT *want,
 *				size_t count, VSTRING *why);
 *
 *	(attr_list_io.c)
 *	extern const ATTR_LIMITS attr_default_limits;
 *	bool	attr_list_write(VSTREAM *fp, const ATTR_LIST *list);
 *	bool	attr_list_read(VSTREAM *fp, ATTR_LIST *list,
 *				const ATTR_LIMITS *limits, VSTRING *why);
 *
 *	(attr_proto.c)
 *	ATTR_LIST *attr_proto_request(const char *protocol,
 *				const char *request);
 *	bool	attr_proto_greet(VSTREAM *fp, const char *protocol,
 *				const ATTR_LIST *more);
 *	bool	attr_proto_expect(VSTREAM *fp, const char *protocol,
 *				ATTR_LIST *greeting, VSTRING *why);
 *	bool	attr_proto_check(const ATTR_LIST *request, const char *protocol,
 *				VSTRING *why);
 *
 * DESCRIPTION
 *	An ATTR_LIST is an ordered list of named, typed values: int,
 *	long, string, data (bytes of any value) and nested lists. The
 *	same name may occur more than once. The wire format and the
 *	conversation rules are in docs/internals/protocols.md ("Attribute
 *	lists"); each service's protocol header names its attributes.
 *
 *	attr_list_create() makes an empty list; attr_list_free() frees a
 *	list and everything in it; attr_list_clear() empties a list for
 *	reuse. The attr_list_add_*() functions append a copy of a value.
 *	Names must be valid wire names (1..ATTR_NAME_LIMIT bytes of a-z,
 *	0-9, _); anything else is a panic (names are program constants).
 *	attr_list_add_list() appends an empty nested list and returns it;
 *	the parent owns it.
 *
 *	attr_list_count(), attr_list_name() and attr_list_type() walk a
 *	list in order; attr_list_list_at() gives the nested list at an
 *	index (NULL when that attribute is not a list), for repeated
 *	lists of one name.
 *
 *	The attr_list_find_*() functions return the first attribute of
 *	that name and type: false or NULL when there is none (an attribute
 *	of that name with another type does not count). Strings returned
 *	stay valid until the list is changed or freed.
 *
 *	attr_list_take() copies several attributes out at once, as a
 *	reader of a request does: for each ATTR_WANT entry it looks up the
 *	name with the given type and stores the value through the pointer
 *	(int *, long *, const char **, ATTR_DATA_REF *, const ATTR_LIST **).
 *	An entry flagged ATTR_REQUIRED that is missing, or present with
 *	another type, makes the result false with "missing attribute
 *	<name>" or "attribute <name>: expected <type>" in why; optional
 *	entries that are missing leave their destination alone.
 *	Attributes that no entry names are skipped.
 *
 *	attr_list_write() writes a list in the wire format; it does not
 *	flush (vstream_fflush() does, and a read flushes too). The result
 *	is false after a write error or timeout of the stream.
 *
 *	attr_list_read() empties list, then reads one message into it
 *	under limits (attr_default_limits when NULL: values of at most
 *	65,536 bytes, 1,024 attributes, lists nested 4 deep). On malformed
 *	input, a limit exceeded, a timeout, or the end of input, it returns
 *	false with the reason in why ("timeout", "end of input", "attribute
 *	<name>: value longer than N bytes", "bad type byte 0x..", ...); the
 *	stream is then not usable for more messages.
 *
 *	attr_proto_request() creates a list that starts with the protocol
 *	attribute and, when request is not NULL, the request attribute.
 *	attr_proto_greet() sends a server's announcement (protocol first,
 *	then the attributes of more, when not NULL) and flushes.
 *	attr_proto_expect() reads a greeting into greeting and checks the
 *	protocol name; attr_proto_check() checks a request's first
 *	attribute. Both return false with the reason in why.
 *
 * DIAGNOSTICS
 *	Panic: invalid attribute name or type from the program itself.
 *	Everything that comes from a peer is reported through why, never
 *	logged here.
 */
#ifndef ATTR_LIST_H
#define ATTR_LIST_H

#include "sys_defs.h"
#include "vstream.h"
#include "vstring.h"

typedef enum ATTR_TYPE {
    ATTR_TYPE_INT = 'i',
    ATTR_TYPE_LONG = 'l',
    ATTR_TYPE_STR = 's',
    ATTR_TYPE_DATA = 'd',
    ATTR_TYPE_LIST = 'h',
} ATTR_TYPE;

#define ATTR_NAME_LIMIT		64	/* bytes in a name */
#define ATTR_PROTOCOL		"protocol"	/* first attribute */
#define ATTR_REQUEST		"request"	/* second, when any */
#define ATTR_STATUS		"status"	/* common reply attributes */
#define ATTR_REASON		"reason"

typedef struct ATTR_LIST ATTR_LIST;

typedef struct ATTR_DATA_REF {		/* a data value found in a list */
    const void *data;
    size_t  len;
} ATTR_DATA_REF;

#define ATTR_REQUIRED	(1<<0)
#define ATTR_OPTIONAL	0

typedef struct ATTR_WANT {
    const char *name;
    ATTR_TYPE type;
    int     flags;			/* ATTR_REQUIRED or ATTR_OPTIONAL */
    void   *value;			/* int *, long *, const char **, ... */
} ATTR_WANT;

typedef struct ATTR_LIMITS {
    size_t  value_limit;		/* bytes in a string or data value */
    size_t  count_limit;		/* attributes in a message, nested too */
    int     depth_limit;		/* nesting of lists */
} ATTR_LIMITS;

extern const ATTR_LIMITS attr_default_limits;

extern ATTR_LIST *attr_list_create(void);
extern void attr_list_free(ATTR_LIST *list);
extern void attr_list_clear(ATTR_LIST *list);
extern void attr_list_add_int(ATTR_LIST *list, const char *name, int value);
extern void attr_list_add_long(ATTR_LIST *list, const char *name, long value);
extern void attr_list_add_str(ATTR_LIST *list, const char *name,
			              const char *value);
extern void attr_list_add_data(ATTR_LIST *list, const char *name,
			               const void *data, size_t len);
extern ATTR_LIST *attr_list_add_list(ATTR_LIST *list, const char *name);
extern size_t attr_list_count(const ATTR_LIST *list);
extern const char *attr_list_name(const ATTR_LIST *list, size_t index);
extern ATTR_TYPE attr_list_type(const ATTR_LIST *list, size_t index);
extern const ATTR_LIST *attr_list_list_at(const ATTR_LIST *list,
					          size_t index);
extern bool attr_list_find_int(const ATTR_LIST *list, const char *name,
			               int *value);
extern bool attr_list_find_long(const ATTR_LIST *list, const char *name,
				        long *value);
extern const char *attr_list_find_str(const ATTR_LIST *list, const char *name);
extern const void *attr_list_find_data(const ATTR_LIST *list,
				               const char *name, size_t *len);
extern const ATTR_LIST *attr_list_find_list(const ATTR_LIST *list,
					            const char *name);
extern bool attr_list_take(const ATTR_LIST *list, const ATTR_WANT *want,
			           size_t count, VSTRING *why);

extern bool attr_list_write(VSTREAM *fp, const ATTR_LIST *list);
extern bool attr_list_read(VSTREAM *fp, ATTR_LIST *list,
			           const ATTR_LIMITS *limits, VSTRING *why);

extern ATTR_LIST *attr_proto_request(const char *protocol, const char *request);
extern bool attr_proto_greet(VSTREAM *fp, const char *protocol,
			             const ATTR_LIST *more);
extern bool attr_proto_expect(VSTREAM *fp, const char *protocol,
			              ATTR_LIST *greeting, VSTRING *why);
extern bool attr_proto_check(const ATTR_LIST *request, const char *protocol,
			             VSTRING *why);

#endif
