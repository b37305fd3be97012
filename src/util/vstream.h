/*
 * vstream - buffered I/O streams over file descriptors, with deadlines
 *
 * SYNOPSIS
 *	VSTREAM	*vstream_fopen(const char *path, int flags, mode_t mode);
 *	VSTREAM	*vstream_fdopen(int fd, int flags);
 *	int	vstream_fclose(VSTREAM *fp);
 *	int	vstream_fdclose(VSTREAM *fp);
 *
 *	int	VSTREAM_GETC(VSTREAM *fp);
 *	int	vstream_getc(VSTREAM *fp);
 *	int	vstream_ungetc(VSTREAM *fp, int ch);
 *	size_t	vstream_fread(VSTREAM *fp, void *buf, size_t len);
 *	size_t	vstream_fwrite(VSTREAM *fp, const void *buf, size_t len);
 *	int	vstream_fputs(const char *str, VSTREAM *fp);
 *	int	vstream_fprintf(VSTREAM *fp, const char *fmt, ...);
 *	int	vstream_vfprintf(VSTREAM *fp, const char *fmt, va_list ap);
 *	int	vstream_printf(const char *fmt, ...);
 *	int	vstream_fflush(VSTREAM *fp);
 *	int	vstream_fsync(VSTREAM *fp);
 *	off_t	vstream_fseek(VSTREAM *fp, off_t offset, int whence);
 *	off_t	vstream_ftell(VSTREAM *fp);
 *	size_t	vstream_peek(VSTREAM *fp);
 *	size_t	vstream_peek_data(VSTREAM *fp, const unsigned char **data);
 *	void	vstream_skip(VSTREAM *fp, size_t len);
 *
 *	int	vstream_fileno(VSTREAM *fp);
 *	const char *vstream_path(VSTREAM *fp);
 *	bool	vstream_ferror(VSTREAM *fp);
 *	bool	vstream_feof(VSTREAM *fp);
 *	bool	vstream_ftimeout(VSTREAM *fp);
 *	void	vstream_clearerr(VSTREAM *fp);
 *
 *	void	vstream_set_path(VSTREAM *fp, const char *path);
 *	void	vstream_set_write_fd(VSTREAM *fp, int fd);
 *	void	vstream_set_timeout(VSTREAM *fp, int seconds);
 *	void	vstream_start_deadline(VSTREAM *fp);
 *
 *	VSTREAM	*VSTREAM_IN, *VSTREAM_OUT, *VSTREAM_ERR;
 *	VSTREAM	*vstream_std(int fd);
 *
 * DESCRIPTION
 *	A VSTREAM buffers reads and writes on one file descriptor. Streams
 *	opened for reading and writing keep separate read and write
 *	buffers. Pending output is flushed before the stream blocks for
 *	input, so a request/response protocol needs no explicit flush, while
 *	pipelined output is sent in one write. The structure is private to
 *	vstream.c; other modules use the functions listed here.
 *
 *	On seekable files, reading after writing flushes the output and
 *	writing after reading discards the unread input (seeking back over
 *	it), so the file position stays consistent.
 *
 *	VSTREAM_GETC() and vstream_getc() return the next input byte, or
 *	VSTREAM_EOF. vstream_fputs(), vstream_fprintf() and friends report
 *	success (0, or the number of bytes written) or VSTREAM_EOF; writing
 *	nothing is a success, except on a stream with an error.
 *
 *	vstream_set_timeout() bounds the wait of each read or write system
 *	call (0 = wait forever). While a limit is set, a blocking descriptor
 *	(not a regular file) is made non-blocking, so that a write cannot
 *	block past the limit; clearing the limit, vstream_fclose() and
 *	vstream_fdclose() make it blocking again. A descriptor that was
 *	non-blocking already is left as it is; reads and writes on it wait
 *	for it to become ready. After vstream_start_deadline(), the time
 *	limit covers the total time of all I/O from then on (until
 *	vstream_start_deadline() starts a new deadline or
 *	vstream_set_timeout() sets a new limit): a peer that trickles one
 *	byte at a time cannot keep the stream busy longer than the limit.
 *	A timeout sets both the timeout and the error flags; end of input
 *	sets the EOF flag. VSTREAM_GETC() returns VSTREAM_EOF in either
 *	case. Write errors make later writes fail fast; vstream_fflush()
 *	and vstream_fclose() return VSTREAM_EOF when any write failed.
 *
 *	vstream_set_write_fd() sends the output of a stream opened for
 *	reading and writing to another descriptor (as a daemon in
 *	stand-alone mode reads standard input and writes standard output).
 *	Call it before any I/O or time limit. The stream is then not
 *	seekable, and closing it does not close the write descriptor.
 *
 *	vstream_fileno() returns the (read) descriptor, vstream_path() the
 *	name for diagnostics ("unknown_stream" when there is none),
 *	vstream_ferror(), vstream_feof() and vstream_ftimeout() the error,
 *	end-of-input and timeout flags, which vstream_clearerr() clears.
 *
 *	vstream_fdclose() flushes and frees the stream without closing the
 *	descriptor. vstream_peek() tells how many unread bytes are buffered.
 *	vstream_peek_data() makes input available (reading when the buffer
 *	is empty) and returns the number of buffered bytes and where they
 *	are, 0 at end of input or error; vstream_skip() then consumes len of
 *	them. Together they let a reader scan input a buffer at a time.
 *
 *	VSTREAM_IN, VSTREAM_OUT and VSTREAM_ERR (vstream_std(0, 1, 2)) are
 *	the standard streams; VSTREAM_ERR is unbuffered in effect (flushed
 *	after each write).
 *
 *	This module does no character set conversion and no locking.
 *
 * DIAGNOSTICS
 *	Panic: misuse (writing to a read-only stream, etc).
 */
#ifndef VSTREAM_H
#define VSTREAM_H

#include "sys_defs.h"
#include <sys/stat.h>

#define VSTREAM_EOF	(-1)

typedef struct VSTREAM VSTREAM;

#define VSTREAM_GETC(fp)	vstream_getc(fp)

extern VSTREAM *vstream_fopen(const char *path, int flags, mode_t mode);
extern VSTREAM *vstream_fdopen(int fd, int flags);
extern int vstream_fclose(VSTREAM *fp);
extern int vstream_fdclose(VSTREAM *fp);
extern int vstream_getc(VSTREAM *fp);
extern int vstream_ungetc(VSTREAM *fp, int ch);
extern size_t vstream_fread(VSTREAM *fp, void *buf, size_t len);
extern size_t vstream_fwrite(VSTREAM *fp, const void *buf, size_t len);
extern int vstream_fputs(const char *str, VSTREAM *fp);
extern int PRINTFLIKE(2, 3) vstream_fprintf(VSTREAM *fp, const char *fmt,...);
extern int vstream_vfprintf(VSTREAM *fp, const char *fmt, va_list ap);
extern int PRINTFLIKE(1, 2) vstream_printf(const char *fmt,...);
extern int vstream_fflush(VSTREAM *fp);
extern int vstream_fsync(VSTREAM *fp);
extern off_t vstream_fseek(VSTREAM *fp, off_t offset, int whence);
extern off_t vstream_ftell(VSTREAM *fp);
extern size_t vstream_peek(VSTREAM *fp);
extern size_t vstream_peek_data(VSTREAM *fp, const unsigned char **data);
extern void vstream_skip(VSTREAM *fp, size_t len);
extern int vstream_fileno(VSTREAM *fp);
extern const char *vstream_path(VSTREAM *fp);
extern bool vstream_ferror(VSTREAM *fp);
extern bool vstream_feof(VSTREAM *fp);
extern bool vstream_ftimeout(VSTREAM *fp);
extern void vstream_clearerr(VSTREAM *fp);
extern void vstream_set_path(VSTREAM *fp, const char *path);
extern void vstream_set_write_fd(VSTREAM *fp, int fd);
extern void vstream_set_timeout(VSTREAM *fp, int seconds);
extern void vstream_start_deadline(VSTREAM *fp);
extern VSTREAM *vstream_std(int fd);

#define VSTREAM_IN	vstream_std(0)
#define VSTREAM_OUT	vstream_std(1)
#define VSTREAM_ERR	vstream_std(2)

#endif
