/*
 * qp_encode - quoted-printable encoder for body lines
 *
 * DESCRIPTION
 *	See qp_encode.h. A soft line break ends the current output line
 *	once it holds QP_ENCODE_LINE_LIMIT - 3 characters (the fold
 *	Postfix's client uses, so that one more token and the "=" always
 *	fit); a literal space or tab at its end is encoded only when the
 *	input line ends there.
 */
#include "sys_defs.h"

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "mime_state.h"
#include "qp_encode.h"

/*
 * A new output line starts once the current one holds this much, as
 * Postfix's 8-bit conversion folds: the next token (at most 3 bytes)
 * and the soft break still fit in QP_ENCODE_LINE_LIMIT.
 */
#define QP_ENCODE_FOLD		(QP_ENCODE_LINE_LIMIT - 3)

struct QP_ENCODE {
    QP_ENCODE_FN output;
    void   *context;
    VSTRING *line;			/* encoded text of the current line */
    bool    partial;			/* a line is open */
};

/* qp_encode_soft_break - output the buffer with a soft line break */
static void qp_encode_soft_break(QP_ENCODE *qp)
{
    VSTRING_ADDCH(qp->line, '=');
    VSTRING_TERMINATE(qp->line);
    qp->output(qp->context, vstring_str(qp->line), VSTRING_LEN(qp->line));
    VSTRING_RESET(qp->line);
}

/* qp_encode_add - append one encoded token, breaking the line if needed */
static void qp_encode_add(QP_ENCODE *qp, const char *token, size_t len)
{
    if (VSTRING_LEN(qp->line) >= QP_ENCODE_FOLD)
	qp_encode_soft_break(qp);
    vstring_memcat(qp->line, token, len);
    VSTRING_TERMINATE(qp->line);
}

/* qp_encode_hex - append one byte as =XX */
static void qp_encode_hex(QP_ENCODE *qp, unsigned char ch)
{
    static const char hex[] = "0123456789ABCDEF";
    char    token[3];

    token[0] = '=';
    token[1] = hex[ch >> 4];
    token[2] = hex[ch & 15];
    qp_encode_add(qp, token, 3);
}

/* qp_encode_end_line - encode trailing white space, output the line */
static void qp_encode_end_line(QP_ENCODE *qp)
{
    size_t  len = VSTRING_LEN(qp->line);
    unsigned char last;

    if (len > 0) {
	last = (unsigned char) vstring_str(qp->line)[len - 1];
	if (last == ' ' || last == '\t') {
	    vstring_truncate(qp->line, len - 1);
	    VSTRING_TERMINATE(qp->line);
	    qp_encode_hex(qp, last);
	}
    }
    qp->output(qp->context, vstring_str(qp->line), VSTRING_LEN(qp->line));
    VSTRING_RESET(qp->line);
    qp->partial = false;
}

/* qp_encode_update - encode one record */
void    qp_encode_update(QP_ENCODE *qp, int rec_type, const char *text,
			         size_t len)
{
    unsigned char ch;
    size_t  n;

    if (rec_type != MIME_REC_LINE && rec_type != MIME_REC_PART)
	msg_panic("qp_encode_update: bad record type %d", rec_type);
    for (n = 0; n < len; n++) {
	ch = (unsigned char) text[n];
	if ((ch >= 33 && ch <= 126 && ch != '=') || ch == ' ' || ch == '\t')
	    qp_encode_add(qp, text + n, 1);
	else
	    qp_encode_hex(qp, ch);
    }
    qp->partial = true;
    if (rec_type == MIME_REC_LINE)
	qp_encode_end_line(qp);
}

/* qp_encode_create - an encoder */
QP_ENCODE *qp_encode_create(QP_ENCODE_FN output, void *context)
{
    QP_ENCODE *qp = mymalloc(sizeof(*qp));

    qp->output = output;
    qp->context = context;
    qp->line = vstring_alloc(QP_ENCODE_LINE_LIMIT + 1);
    qp->partial = false;
    return qp;
}

/* qp_encode_free - finish an open line, destroy the encoder */
void    qp_encode_free(QP_ENCODE *qp)
{
    if (qp->partial)
	qp_encode_end_line(qp);
    vstring_free(qp->line);
    myfree(qp);
}
