/*
 * qp_encode - quoted-printable encoder for body lines
 *
 * SYNOPSIS
 *	#include "qp_encode.h"
 *
 *	QP_ENCODE *qp_encode_create(QP_ENCODE_FN output, void *context);
 *	void	qp_encode_update(QP_ENCODE *qp, int rec_type,
 *				const char *text, size_t len);
 *	void	qp_encode_free(QP_ENCODE *qp);
 *
 * DESCRIPTION
 *	This module encodes body text as quoted-printable (RFC 2045
 *	section 6.7), for the SMTP client's conversion of 8-bit content
 *	to 7-bit when the next hop lacks 8BITMIME. It is fed the same
 *	records as mime_state(3) reports (MIME_REC_LINE ends a line,
 *	MIME_REC_PART continues in the next record) and calls
 *	output(context, text, len) once per encoded line, without the
 *	line break.
 *
 *	Printable ASCII other than "=" passes unchanged; "=", control
 *	characters (also a bare CR or a null byte) and 8-bit bytes
 *	become "=XX" (upper-case hex). A space or tab stays literal except
 *	at the end of a line, where it becomes "=20" or "=09". Encoded
 *	lines hold at most 76 characters: a longer line is broken with a
 *	soft line break ("=" at the end of the output line).
 *
 *	qp_encode_create() returns an encoder; qp_encode_free() outputs a
 *	line that the last record left unfinished (a PART record without
 *	its LINE) and destroys the encoder.
 *
 *	This module does not change message headers (the caller rewrites
 *	Content-Transfer-Encoding), does not decode, and does not protect
 *	"From " or "." at the start of a line (SMTP dot-stuffing does the
 *	latter).
 *
 * DIAGNOSTICS
 *	Panic: an invalid rec_type.
 */
#ifndef QP_ENCODE_H
#define QP_ENCODE_H

#include "sys_defs.h"

typedef struct QP_ENCODE QP_ENCODE;
typedef void (*QP_ENCODE_FN) (void *context, const char *text, size_t len);

/* The longest encoded line, soft line break included (RFC 2045). */
#define QP_ENCODE_LINE_LIMIT	76

extern QP_ENCODE *qp_encode_create(QP_ENCODE_FN output, void *context);
extern void qp_encode_update(QP_ENCODE *qp, int rec_type, const char *text,
			             size_t len);
extern void qp_encode_free(QP_ENCODE *qp);

#endif
