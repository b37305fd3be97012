/*
 * postmap_mime - turn a message into lookup keys for postmap -b/-h/-m
 *
 * DESCRIPTION
 *	See postmap_mime.h. The state is: are we in a header block (the
 *	primary header, a body part's header, or an attached message's
 *	header) or in body text; what the current header block says about
 *	its content (Content-Type); and the stack of open multipart
 *	boundaries.
 */
#include "sys_defs.h"

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mail_params.h"
#include "postmap_mime.h"

typedef enum POSTMAP_MIME_KIND {
    POSTMAP_MIME_TEXT,			/* anything without structure */
    POSTMAP_MIME_MULTIPART,		/* body parts between boundaries */
    POSTMAP_MIME_MESSAGE,		/* an attached message */
} POSTMAP_MIME_KIND;

typedef struct POSTMAP_MIME_LEVEL {
    char   *boundary;
    bool    digest;			/* parts default to message/rfc822 */
} POSTMAP_MIME_LEVEL;

struct POSTMAP_MIME {
    int     flags;
    POSTMAP_MIME_FN fn;
    void   *context;
    bool    done;			/* -h only: primary header is over */
    bool    in_header;			/* reading a header block */
    bool    primary;			/* ...the message's primary header */
    VSTRING *header;			/* pending logical header */
    bool    have_header;
    POSTMAP_MIME_KIND kind;		/* content of this header block */
    VSTRING *boundary;			/* when kind is multipart */
    bool    digest;
    POSTMAP_MIME_LEVEL *levels;		/* open multiparts, outermost first */
    size_t  depth;
    size_t  header_limit;
    size_t  nesting_limit;
    size_t  boundary_limit;
};

#define IS_TSPECIAL(c)	(strchr("()<>@,;:\\\"/[]?=", (c)) != NULL)
#define IS_TOKEN(c)	((c) > ' ' && (c) < 0x7f && !IS_TSPECIAL(c))
#define IS_WSP(c)	((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* postmap_mime_create - start reading a message */
POSTMAP_MIME *postmap_mime_create(int flags, POSTMAP_MIME_FN fn, void *context)
{
    POSTMAP_MIME *mp = mycalloc(1, sizeof(*mp));

    mp->flags = flags;
    mp->fn = fn;
    mp->context = context;
    mp->in_header = true;
    mp->primary = true;
    mp->header = vstring_alloc(100);
    mp->boundary = vstring_alloc(100);
    mp->kind = POSTMAP_MIME_TEXT;
    mp->header_limit = VAR_INT(header_size_limit);
    mp->nesting_limit = VAR_INT(mime_nesting_limit);
    mp->boundary_limit = VAR_INT(mime_boundary_length_limit);
    mp->levels = mymalloc(sizeof(*mp->levels) * (mp->nesting_limit + 1));
    return mp;
}

/* postmap_mime_free - release the state */
void    postmap_mime_free(POSTMAP_MIME *mp)
{
    while (mp->depth > 0)
	myfree(mp->levels[--mp->depth].boundary);
    myfree(mp->levels);
    vstring_free(mp->header);
    vstring_free(mp->boundary);
    myfree(mp);
}

/* postmap_mime_header_name - length of the header name, 0 if no header */
static size_t postmap_mime_header_name(const char *line)
{
    const unsigned char *cp = (const unsigned char *) line;
    size_t  len = 0;

    /* A name of printable ASCII, optional blanks, then a colon. */
    while (*cp > ' ' && *cp < 0x7f && *cp != ':')
	cp++, len++;
    if (len == 0)
	return 0;
    while (*cp == ' ' || *cp == '\t')
	cp++;
    return *cp == ':' ? len : 0;
}

/* postmap_mime_skip - skip whitespace and (nested) comments */
static const char *postmap_mime_skip(const char *cp)
{
    int     level;

    for (;;) {
	while (IS_WSP(*cp))
	    cp++;
	if (*cp != '(')
	    return cp;
	for (level = 0; *cp; cp++) {
	    if (*cp == '\\' && cp[1])
		cp++;
	    else if (*cp == '(')
		level++;
	    else if (*cp == ')' && --level == 0) {
		cp++;
		break;
	    }
	}
    }
}

/* postmap_mime_token - copy a token (or quoted string) into buf */
static const char *postmap_mime_token(const char *cp, VSTRING *buf,
				              bool quoted_ok)
{
    VSTRING_RESET(buf);
    if (quoted_ok && *cp == '"') {
	for (cp++; *cp && *cp != '"'; cp++) {
	    if (*cp == '\\' && cp[1])
		cp++;
	    VSTRING_ADDCH(buf, *cp);
	}
	if (*cp == '"')
	    cp++;
    } else {
	while (IS_TOKEN(*cp))
	    VSTRING_ADDCH(buf, *cp++);
    }
    VSTRING_TERMINATE(buf);
    return cp;
}

/* postmap_mime_content_type - learn the kind of content from the header */
static void postmap_mime_content_type(POSTMAP_MIME *mp, const char *value)
{
    VSTRING *type = vstring_alloc(20);
    VSTRING *subtype = vstring_alloc(20);
    VSTRING *name = vstring_alloc(20);
    VSTRING *pval = vstring_alloc(100);
    const char *cp;
    bool    have_boundary = false;

    cp = postmap_mime_token(postmap_mime_skip(value), type, false);
    cp = postmap_mime_skip(cp);
    if (*cp == '/')
	cp = postmap_mime_token(postmap_mime_skip(cp + 1), subtype, false);
    while (*(cp = postmap_mime_skip(cp)) == ';') {
	cp = postmap_mime_token(postmap_mime_skip(cp + 1), name, false);
	cp = postmap_mime_skip(cp);
	if (*cp != '=')
	    break;
	cp = postmap_mime_token(postmap_mime_skip(cp + 1), pval, true);
	if (strcasecmp(vstring_str(name), "boundary") == 0
	    && VSTRING_LEN(pval) > 0) {
	    vstring_strncpy(mp->boundary, vstring_str(pval), mp->boundary_limit);
	    have_boundary = true;
	}
    }
    if (strcasecmp(vstring_str(type), "multipart") == 0 && have_boundary) {
	mp->kind = POSTMAP_MIME_MULTIPART;
	mp->digest = strcasecmp(vstring_str(subtype), "digest") == 0;
    } else if (strcasecmp(vstring_str(type), "message") == 0
	       && (strcasecmp(vstring_str(subtype), "rfc822") == 0
		   || strcasecmp(vstring_str(subtype), "global") == 0)) {
	mp->kind = POSTMAP_MIME_MESSAGE;
    } else {
	mp->kind = POSTMAP_MIME_TEXT;
    }
    vstring_free(type);
    vstring_free(subtype);
    vstring_free(name);
    vstring_free(pval);
}

/* postmap_mime_flush - pass on the pending header */
static void postmap_mime_flush(POSTMAP_MIME *mp)
{
    const char *text = vstring_str(mp->header);
    size_t  len;

    if (!mp->have_header)
	return;
    mp->have_header = false;
    if ((mp->flags & POSTMAP_MIME_FLAG_MIME)
	&& (len = postmap_mime_header_name(text)) == strlen("Content-Type")
	&& strncasecmp(text, "Content-Type", len) == 0)
	postmap_mime_content_type(mp, strchr(text, ':') + 1);
    if (mp->flags & POSTMAP_MIME_FLAG_HEADER)
	mp->fn(text, mp->context);
}

/* postmap_mime_body - pass on a body line */
static void postmap_mime_body(POSTMAP_MIME *mp, const char *line)
{
    if (mp->flags & POSTMAP_MIME_FLAG_BODY)
	mp->fn(line, mp->context);
}

/* postmap_mime_start_block - a new header block begins */
static void postmap_mime_start_block(POSTMAP_MIME *mp, bool digest)
{
    mp->in_header = true;
    mp->primary = false;
    mp->kind = digest ? POSTMAP_MIME_MESSAGE : POSTMAP_MIME_TEXT;
}

/* postmap_mime_boundary - handle a line that may be a boundary */
static bool postmap_mime_boundary(POSTMAP_MIME *mp, const char *line)
{
    size_t  n;
    size_t  len;
    bool    digest;

    if (line[0] != '-' || line[1] != '-')
	return false;
    for (n = mp->depth; n > 0; n--) {
	len = strlen(mp->levels[n - 1].boundary);
	if (strncmp(line + 2, mp->levels[n - 1].boundary, len) != 0)
	    continue;
	/* Parts nested inside this one end here. */
	while (mp->depth > n)
	    myfree(mp->levels[--mp->depth].boundary);
	postmap_mime_body(mp, line);
	if (line[2 + len] == '-' && line[3 + len] == '-') {
	    myfree(mp->levels[--mp->depth].boundary);
	} else {
	    digest = mp->levels[n - 1].digest;
	    postmap_mime_start_block(mp, digest);
	}
	return true;
    }
    return false;
}

/* postmap_mime_update - process one line of the message */
bool    postmap_mime_update(POSTMAP_MIME *mp, const char *line)
{
    if (mp->done)
	return false;
    if (mp->in_header) {
	/* A continuation line, while the header is below its limit. */
	if (mp->have_header && (line[0] == ' ' || line[0] == '\t')) {
	    if (VSTRING_LEN(mp->header) < mp->header_limit) {
		VSTRING_ADDCH(mp->header, '\n');
		vstring_strcat(mp->header, line);
	    }
	    return true;
	}
	postmap_mime_flush(mp);
	if (postmap_mime_header_name(line) > 0) {
	    vstring_strcpy(mp->header, line);
	    mp->have_header = true;
	    return true;
	}

	/* The header block ends. */
	if (mp->primary && (mp->flags & (POSTMAP_MIME_FLAG_BODY
					 | POSTMAP_MIME_FLAG_MIME)) == 0) {
	    mp->done = true;
	    return false;
	}
	postmap_mime_body(mp, "");
	if ((mp->flags & POSTMAP_MIME_FLAG_MIME)
	    && mp->kind == POSTMAP_MIME_MESSAGE) {
	    postmap_mime_start_block(mp, false);
	    return *line ? postmap_mime_update(mp, line) : true;
	}
	if ((mp->flags & POSTMAP_MIME_FLAG_MIME)
	    && mp->kind == POSTMAP_MIME_MULTIPART
	    && mp->depth < mp->nesting_limit) {
	    mp->levels[mp->depth].boundary = mystrdup(vstring_str(mp->boundary));
	    mp->levels[mp->depth].digest = mp->digest;
	    mp->depth++;
	}
	mp->in_header = false;
	if (*line == 0)
	    return true;
    }
    if ((mp->flags & POSTMAP_MIME_FLAG_MIME) && postmap_mime_boundary(mp, line))
	return true;
    postmap_mime_body(mp, line);
    return true;
}

/* postmap_mime_end - the message ends */
void    postmap_mime_end(POSTMAP_MIME *mp)
{
    if (!mp->done)
	postmap_mime_flush(mp);
    mp->done = true;
}
