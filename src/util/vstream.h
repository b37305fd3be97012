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
 *	int	VSTREAM_PUTC(int ch, VSTREAM *fp);
 *	int	vstream_ungetc(VSTREAM *fp, int ch);
 *	size_t	vstream_fread(VSTREAM *fp, void *buf, size_t len);
 *	size_t	vstream_fwrite(VSTREAM *fp, const void *buf, size_t len);
 *	int	vstream_fputs(const char *str, VSTREAM *fp);
 *	int	vstream_fprintf(VSTREAM *fp, const char *fmt, ...);
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
 *	void	vstream_set_timeout(VSTREAM *fp, int seconds);
 *	void	vstream_start_deadline(VSTREAM *fp);
 *	void	vstream_stop_deadline(VSTREAM *fp);
 *	void	vstream_set_io(VSTREAM *fp, VSTREAM_READ_FN rd, VSTREAM_WRITE_FN wr, void *context);
 *
 *	VSTREAM	*VSTREAM_IN, *VSTREAM_OUT, *VSTREAM_ERR;
 *
 * DESCRIPTION
 *	A VSTREAM buffers reads and writes on one file descriptor. Streams
 *	opened for reading and writing keep separate read and write
 *	buffers. Pending output is flushed before the stream blocks for
 *	input, so a request/response protocol needs no explicit flush, while
 *	pipelined output is sent in one write.
 *
 *	On seekable files, reading after writing flushes the output and
 *	writing after reading discards the unread input (seeking back over
 *	it), so the file position stays consistent.
 *
 *	vstream_set_timeout() bounds the wait of each read or write system
 *	call (0 = wait forever); the descriptor is made non-blocking. After
 *	vstream_start_deadline(), the time limit covers the total time of
 *	all I/O until vstream_stop_deadline(): a peer that trickles one byte
 *	at a time cannot keep the stream busy longer than the limit.
 *	A timeout sets both the timeout and the error flags; end of input
 *	sets the EOF flag. VSTREAM_GETC() returns VSTREAM_EOF in either
 *	case. Write errors make later writes fail fast; vstream_fflush()
 *	and vstream_fclose() return VSTREAM_EOF when any write failed.
 *
 *	vstream_set_io() replaces the read and write functions (for TLS);
 *	the replacements must honour the timeout argument (milliseconds,
 *	-1: wait forever, 0: already expired) and return -1 with
 *	errno = ETIMEDOUT on timeout.
 *
 *	vstream_fdclose() flushes and frees the stream without closing the
 *	descriptor. vstream_peek() tells how many unread bytes are buffered.
 *	vstream_peek_data() makes input available (reading when the buffer
 *	is empty) and returns the number of buffered bytes and where they
 *	are, 0 at end of input or error; vstream_skip() then consumes len of
 *	them. Together they let a reader scan input a buffer at a time.
 *
 *	VSTREAM_IN, VSTREAM_OUT and VSTREAM_ERR are the standard streams;
 *	VSTREAM_ERR is unbuffered in effect (flushed after each write).
 *
 * DIAGNOSTICS
 *	Panic: misuse (writing to a read-only stream, etc).
 */
#ifndef VSTREAM_H
#define VSTREAM_H

#include "sys_defs.h"
#include <sys/stat.h>
#include <time.h>

#define VSTREAM_EOF	(-1)

typedef ssize_t (*VSTREAM_READ_FN) (int fd, void *buf, size_t len,
				            int timeout_ms, void *context);
typedef ssize_t (*VSTREAM_WRITE_FN) (int fd, const void *buf, size_t len,
				             int timeout_ms, void *context);

typedef struct VSTREAM {
    int     fd;
    int     flags;			/* VSTREAM_FLAG_* */
    unsigned char *rbuf;		/* read buffer */
    size_t  rpos;			/* next unread byte */
    size_t  rlen;			/* bytes in read buffer */
    size_t  rcap;
    unsigned char *wbuf;		/* write buffer */
    size_t  wlen;			/* pending output bytes */
    size_t  wcap;
    int     timeout;			/* seconds, 0 = none */
    bool    deadline_active;		/* timeout covers all I/O */
    struct timespec deadline;		/* when deadline_active */
    char   *path;			/* for diagnostics */
    VSTREAM_READ_FN read_fn;
    VSTREAM_WRITE_FN write_fn;
    void   *io_context;
} VSTREAM;

#define VSTREAM_FLAG_READ	(1<<0)	/* opened for reading */
#define VSTREAM_FLAG_WRITE	(1<<1)	/* opened for writing */
#define VSTREAM_FLAG_ERR	(1<<2)	/* I/O error seen */
#define VSTREAM_FLAG_EOF	(1<<3)	/* end of input seen */
#define VSTREAM_FLAG_TIMEOUT	(1<<4)	/* time limit exceeded */
#define VSTREAM_FLAG_SEEKABLE	(1<<5)	/* regular file */
#define VSTREAM_FLAG_UNBUF	(1<<6)	/* flush after each write call */
#define VSTREAM_FLAG_STATIC	(1<<7)	/* VSTREAM_IN and friends */

extern int vstream_getc_slow(VSTREAM *fp);
extern int vstream_putc_slow(int ch, VSTREAM *fp);

#define VSTREAM_GETC(fp) \
	((fp)->rpos < (fp)->rlen ? (int) (fp)->rbuf[(fp)->rpos++] \
	 : vstream_getc_slow(fp))
#define VSTREAM_PUTC(ch, fp) \
	((fp)->wlen < (fp)->wcap && !((fp)->flags & VSTREAM_FLAG_UNBUF) \
	 ? (int) ((fp)->wbuf[(fp)->wlen++] = (unsigned char) (ch)) \
	 : vstream_putc_slow((ch), (fp)))

extern VSTREAM *vstream_fopen(const char *path, int flags, mode_t mode);
extern VSTREAM *vstream_fdopen(int fd, int flags);
extern int vstream_fclose(VSTREAM *fp);
extern int vstream_fdclose(VSTREAM *fp);
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
extern void vstream_set_path(VSTREAM *fp, const char *path);
extern void vstream_set_timeout(VSTREAM *fp, int seconds);
extern void vstream_start_deadline(VSTREAM *fp);
extern void vstream_stop_deadline(VSTREAM *fp);
extern void vstream_set_io(VSTREAM *fp, VSTREAM_READ_FN rd,
			           VSTREAM_WRITE_FN wr, void *context);
extern VSTREAM *vstream_std(int fd);

#define vstream_fileno(fp)	((fp)->fd)
#define vstream_path(fp)	((fp)->path ? (fp)->path : "unknown_stream")
#define vstream_ferror(fp)	(((fp)->flags & VSTREAM_FLAG_ERR) != 0)
#define vstream_feof(fp)	(((fp)->flags & VSTREAM_FLAG_EOF) != 0)
#define vstream_ftimeout(fp)	(((fp)->flags & VSTREAM_FLAG_TIMEOUT) != 0)
#define vstream_clearerr(fp) \
	((fp)->flags &= ~(VSTREAM_FLAG_ERR | VSTREAM_FLAG_EOF | VSTREAM_FLAG_TIMEOUT))

#define VSTREAM_IN	vstream_std(0)
#define VSTREAM_OUT	vstream_std(1)
#define VSTREAM_ERR	vstream_std(2)

#endif
