/*
 * vstream - buffered I/O streams over file descriptors, with deadlines
 *
 * DESCRIPTION
 *	See vstream.h. Each system call is preceded by poll() when a time
 *	limit is set, so a stalled peer costs at most the limit. With a
 *	deadline, the limit is the time left until the deadline.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"

#define VSTREAM_BUFSIZE	8192

static VSTREAM *vstream_std_streams[3];

/* vstream_now - monotonic clock */
static struct timespec vstream_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts;
}

/* vstream_wait_ms - milliseconds to wait for I/O, -1 = forever, 0 = expired */
static int vstream_wait_ms(VSTREAM *fp)
{
    struct timespec now;
    long long ms;

    if (fp->timeout <= 0)
	return -1;
    if (!fp->deadline_active)
	return fp->timeout * 1000;
    now = vstream_now();
    ms = (long long) (fp->deadline.tv_sec - now.tv_sec) * 1000
	+ (fp->deadline.tv_nsec - now.tv_nsec) / 1000000;
    if (ms <= 0)
	return 0;
    return ms > INT_MAX ? INT_MAX : (int) ms;
}

/* vstream_poll - wait until fd is ready; false with errno=ETIMEDOUT */
static bool vstream_poll(int fd, short events, int wait_ms)
{
    struct pollfd pfd;
    int     n;

    if (wait_ms < 0)
	return true;
    if (wait_ms == 0) {
	errno = ETIMEDOUT;
	return false;
    }
    pfd.fd = fd;
    pfd.events = events;
    for (;;) {
	n = poll(&pfd, 1, wait_ms);
	if (n > 0)
	    return true;
	if (n == 0) {
	    errno = ETIMEDOUT;
	    return false;
	}
	if (errno != EINTR)
	    return false;
    }
}

/* vstream_plain_read - default read function with time limit */
static ssize_t vstream_plain_read(int fd, void *buf, size_t len,
				          int timeout_ms, void *context)
{
    ssize_t n;

    (void) context;
    for (;;) {
	if (!vstream_poll(fd, POLLIN, timeout_ms))
	    return -1;
	n = read(fd, buf, len);
	if (n >= 0)
	    return n;
	if (errno == EINTR)
	    continue;
	if (errno == EAGAIN && timeout_ms != -1)
	    continue;
	return -1;
    }
}

/* vstream_plain_write - default write function with time limit */
static ssize_t vstream_plain_write(int fd, const void *buf, size_t len,
				           int timeout_ms, void *context)
{
    ssize_t n;

    (void) context;
    for (;;) {
	if (!vstream_poll(fd, POLLOUT, timeout_ms))
	    return -1;
	n = write(fd, buf, len);
	if (n >= 0)
	    return n;
	if (errno == EINTR)
	    continue;
	if (errno == EAGAIN && timeout_ms != -1)
	    continue;
	return -1;
    }
}

/* vstream_alloc - create a stream for an open descriptor */
static VSTREAM *vstream_alloc(int fd, int flags)
{
    VSTREAM *fp = mymalloc(sizeof(*fp));
    struct stat st;
    int     acc = flags & O_ACCMODE;

    memset(fp, 0, sizeof(*fp));
    fp->fd = fd;
    if (acc == O_RDONLY || acc == O_RDWR)
	fp->flags |= VSTREAM_FLAG_READ;
    if (acc == O_WRONLY || acc == O_RDWR)
	fp->flags |= VSTREAM_FLAG_WRITE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
	fp->flags |= VSTREAM_FLAG_SEEKABLE;
    fp->read_fn = vstream_plain_read;
    fp->write_fn = vstream_plain_write;
    return fp;
}

/* vstream_fdopen - create a stream for an open descriptor */
VSTREAM *vstream_fdopen(int fd, int flags)
{
    if (fd < 0)
	msg_panic("vstream_fdopen: bad file descriptor %d", fd);
    return vstream_alloc(fd, flags);
}

/* vstream_fopen - open a file as a stream; NULL with errno on failure */
VSTREAM *vstream_fopen(const char *path, int flags, mode_t mode)
{
    VSTREAM *fp;
    int     fd;

    if ((fd = open(path, flags, mode)) < 0)
	return NULL;
    fp = vstream_alloc(fd, flags);
    fp->path = mystrdup(path);
    return fp;
}

/* vstream_std - the standard streams, created on first use */
VSTREAM *vstream_std(int fd)
{
    static const int modes[] = {O_RDONLY, O_WRONLY, O_WRONLY};

    if (fd < 0 || fd > 2)
	msg_panic("vstream_std: bad descriptor %d", fd);
    if (vstream_std_streams[fd] == NULL) {
	VSTREAM *fp = vstream_alloc(fd, modes[fd]);

	fp->flags |= VSTREAM_FLAG_STATIC;
	if (fd == 2)
	    fp->flags |= VSTREAM_FLAG_UNBUF;
	fp->path = mystrdup(fd == 0 ? "stdin" : fd == 1 ? "stdout" : "stderr");
	vstream_std_streams[fd] = fp;
    }
    return vstream_std_streams[fd];
}

/* vstream_set_path - name the stream for diagnostics */
void    vstream_set_path(VSTREAM *fp, const char *path)
{
    myfree(fp->path);
    fp->path = mystrdup(path);
}

/* vstream_set_timeout - per-call (or deadline) time limit in seconds */
void    vstream_set_timeout(VSTREAM *fp, int seconds)
{
    int     fl;

    fp->timeout = seconds > 0 ? seconds : 0;
    if (fp->timeout > 0 && !(fp->flags & VSTREAM_FLAG_SEEKABLE)
	&& (fl = fcntl(fp->fd, F_GETFL)) >= 0 && !(fl & O_NONBLOCK))
	(void) fcntl(fp->fd, F_SETFL, fl | O_NONBLOCK);
}

/* vstream_start_deadline - make the time limit cover all I/O from now */
void    vstream_start_deadline(VSTREAM *fp)
{
    fp->deadline = vstream_now();
    fp->deadline.tv_sec += fp->timeout;
    fp->deadline_active = true;
}

/* vstream_stop_deadline - back to per-call time limits */
void    vstream_stop_deadline(VSTREAM *fp)
{
    fp->deadline_active = false;
}

/* vstream_set_io - replace the read and write functions */
void    vstream_set_io(VSTREAM *fp, VSTREAM_READ_FN rd, VSTREAM_WRITE_FN wr,
		               void *context)
{
    fp->read_fn = rd ? rd : vstream_plain_read;
    fp->write_fn = wr ? wr : vstream_plain_write;
    fp->io_context = context;
}

/* vstream_note_error - record an I/O error or timeout */
static void vstream_note_error(VSTREAM *fp)
{
    fp->flags |= VSTREAM_FLAG_ERR;
    if (errno == ETIMEDOUT)
	fp->flags |= VSTREAM_FLAG_TIMEOUT;
}

/* vstream_fflush - write pending output */
int     vstream_fflush(VSTREAM *fp)
{
    size_t  done = 0;
    ssize_t n;
    int     wait_ms;

    if (fp->wlen == 0)
	return vstream_ferror(fp) && (fp->flags & VSTREAM_FLAG_WRITE)
	    && !(fp->flags & VSTREAM_FLAG_READ) ? VSTREAM_EOF : 0;
    if (vstream_ferror(fp)) {
	fp->wlen = 0;
	return VSTREAM_EOF;
    }
    while (done < fp->wlen) {
	wait_ms = vstream_wait_ms(fp);
	n = fp->write_fn(fp->fd, fp->wbuf + done, fp->wlen - done,
			 wait_ms, fp->io_context);
	if (n <= 0) {
	    if (n == 0)
		errno = EIO;
	    vstream_note_error(fp);
	    fp->wlen = 0;
	    return VSTREAM_EOF;
	}
	done += n;
    }
    fp->wlen = 0;
    return 0;
}

/* vstream_drop_input - forget unread input, keeping the file position */
static void vstream_drop_input(VSTREAM *fp)
{
    size_t  unread = fp->rlen - fp->rpos;

    if (unread > 0 && (fp->flags & VSTREAM_FLAG_SEEKABLE))
	(void) lseek(fp->fd, -(off_t) unread, SEEK_CUR);
    fp->rpos = fp->rlen = 0;
}

/* vstream_fill - read more input; false at EOF or error */
static bool vstream_fill(VSTREAM *fp)
{
    ssize_t n;
    int     wait_ms;

    if (!(fp->flags & VSTREAM_FLAG_READ))
	msg_panic("vstream_fill: stream %s not open for reading", vstream_path(fp));
    if (fp->flags & (VSTREAM_FLAG_ERR | VSTREAM_FLAG_EOF))
	return false;
    /* Send pending output before we wait for the answer. */
    if (fp->wlen > 0 && vstream_fflush(fp) == VSTREAM_EOF
	&& !(fp->flags & VSTREAM_FLAG_SEEKABLE))
	return false;
    if (fp->rbuf == NULL) {
	fp->rcap = VSTREAM_BUFSIZE;
	fp->rbuf = mymalloc(fp->rcap);
    }
    wait_ms = vstream_wait_ms(fp);
    n = fp->read_fn(fp->fd, fp->rbuf, fp->rcap,
		    wait_ms, fp->io_context);
    if (n < 0) {
	vstream_note_error(fp);
	fp->rpos = fp->rlen = 0;
	return false;
    }
    if (n == 0) {
	fp->flags |= VSTREAM_FLAG_EOF;
	fp->rpos = fp->rlen = 0;
	return false;
    }
    fp->rpos = 0;
    fp->rlen = n;
    return true;
}

/* vstream_getc_slow - VSTREAM_GETC() when the read buffer is empty */
int     vstream_getc_slow(VSTREAM *fp)
{
    if (!vstream_fill(fp))
	return VSTREAM_EOF;
    return fp->rbuf[fp->rpos++];
}

/* vstream_ungetc - push back one byte */
int     vstream_ungetc(VSTREAM *fp, int ch)
{
    if (ch == VSTREAM_EOF)
	return VSTREAM_EOF;
    if (fp->rpos > 0) {
	fp->rbuf[--fp->rpos] = (unsigned char) ch;
    } else {
	if (fp->rbuf == NULL) {
	    fp->rcap = VSTREAM_BUFSIZE;
	    fp->rbuf = mymalloc(fp->rcap);
	}
	if (fp->rlen == fp->rcap) {
	    fp->rcap *= 2;
	    fp->rbuf = myrealloc(fp->rbuf, fp->rcap);
	}
	memmove(fp->rbuf + 1, fp->rbuf, fp->rlen);
	fp->rbuf[0] = (unsigned char) ch;
	fp->rlen++;
    }
    fp->flags &= ~VSTREAM_FLAG_EOF;
    return ch;
}

/* vstream_prepare_write - set up the write buffer, switching direction */
static bool vstream_prepare_write(VSTREAM *fp)
{
    if (!(fp->flags & VSTREAM_FLAG_WRITE))
	msg_panic("vstream_prepare_write: stream %s not open for writing",
		  vstream_path(fp));
    if (fp->wbuf == NULL) {
	fp->wcap = VSTREAM_BUFSIZE;
	fp->wbuf = mymalloc(fp->wcap);
    }
    if ((fp->flags & VSTREAM_FLAG_SEEKABLE) && fp->rlen > 0)
	vstream_drop_input(fp);
    return !vstream_ferror(fp);
}

/* vstream_putc_slow - VSTREAM_PUTC() when the write buffer is full */
int     vstream_putc_slow(int ch, VSTREAM *fp)
{
    unsigned char c = (unsigned char) ch;

    return vstream_fwrite(fp, &c, 1) == 1 ? c : VSTREAM_EOF;
}

/* vstream_fwrite - buffered write; returns bytes accepted */
size_t  vstream_fwrite(VSTREAM *fp, const void *buf, size_t len)
{
    const unsigned char *cp = buf;
    size_t  left = len;
    size_t  chunk;

    if (!vstream_prepare_write(fp))
	return 0;
    while (left > 0) {
	if (fp->wlen == fp->wcap && vstream_fflush(fp) == VSTREAM_EOF)
	    return len - left;
	chunk = fp->wcap - fp->wlen;
	if (chunk > left)
	    chunk = left;
	memcpy(fp->wbuf + fp->wlen, cp, chunk);
	fp->wlen += chunk;
	cp += chunk;
	left -= chunk;
    }
    if ((fp->flags & VSTREAM_FLAG_UNBUF) && vstream_fflush(fp) == VSTREAM_EOF)
	return 0;
    return len;
}

/* vstream_fread - read up to len bytes; short count at EOF or error */
size_t  vstream_fread(VSTREAM *fp, void *buf, size_t len)
{
    unsigned char *cp = buf;
    size_t  done = 0;
    size_t  chunk;

    if ((fp->flags & VSTREAM_FLAG_SEEKABLE) && fp->wlen > 0)
	(void) vstream_fflush(fp);
    while (done < len) {
	if (fp->rpos == fp->rlen && !vstream_fill(fp))
	    break;
	chunk = fp->rlen - fp->rpos;
	if (chunk > len - done)
	    chunk = len - done;
	memcpy(cp + done, fp->rbuf + fp->rpos, chunk);
	fp->rpos += chunk;
	done += chunk;
    }
    return done;
}

/* vstream_fputs - write a C string */
int     vstream_fputs(const char *str, VSTREAM *fp)
{
    size_t  len = strlen(str);

    return vstream_fwrite(fp, str, len) == len ? 0 : VSTREAM_EOF;
}

/* vstream_vfprintf - formatted output; returns bytes written or EOF */
int     vstream_vfprintf(VSTREAM *fp, const char *fmt, va_list ap)
{
    static VSTRING *buf;
    size_t  len;

    /* A nested call (from a signal handler) would corrupt a shared buffer. */
    VSTRING *mine = buf ? buf : vstring_alloc(256);

    buf = NULL;
    vstring_vsprintf(mine, fmt, ap);
    len = VSTRING_LEN(mine);
    len = vstream_fwrite(fp, vstring_str(mine), len) == len ? len : 0;
    if (buf == NULL)
	buf = mine;
    else
	vstring_free(mine);
    return len > 0 || *fmt == 0 ? (int) len : VSTREAM_EOF;
}

/* vstream_fprintf - formatted output */
int     vstream_fprintf(VSTREAM *fp, const char *fmt,...)
{
    va_list ap;
    int     ret;

    va_start(ap, fmt);
    ret = vstream_vfprintf(fp, fmt, ap);
    va_end(ap);
    return ret;
}

/* vstream_printf - formatted output to VSTREAM_OUT */
int     vstream_printf(const char *fmt,...)
{
    va_list ap;
    int     ret;

    va_start(ap, fmt);
    ret = vstream_vfprintf(VSTREAM_OUT, fmt, ap);
    va_end(ap);
    return ret;
}

/* vstream_fsync - flush and commit to stable storage */
int     vstream_fsync(VSTREAM *fp)
{
    if (vstream_fflush(fp) == VSTREAM_EOF)
	return VSTREAM_EOF;
    if (fsync(fp->fd) < 0) {
	fp->flags |= VSTREAM_FLAG_ERR;
	return VSTREAM_EOF;
    }
    return 0;
}

/* vstream_fseek - reposition a seekable stream */
off_t   vstream_fseek(VSTREAM *fp, off_t offset, int whence)
{
    if (!(fp->flags & VSTREAM_FLAG_SEEKABLE)) {
	errno = ESPIPE;
	return -1;
    }
    if (fp->wlen > 0 && vstream_fflush(fp) == VSTREAM_EOF)
	return -1;
    if (whence == SEEK_CUR)
	offset -= (off_t) (fp->rlen - fp->rpos);
    fp->rpos = fp->rlen = 0;
    fp->flags &= ~VSTREAM_FLAG_EOF;
    return lseek(fp->fd, offset, whence);
}

/* vstream_ftell - current logical position of a seekable stream */
off_t   vstream_ftell(VSTREAM *fp)
{
    off_t   pos;

    if ((pos = lseek(fp->fd, 0, SEEK_CUR)) < 0)
	return -1;
    return pos - (off_t) (fp->rlen - fp->rpos) + (off_t) fp->wlen;
}

/* vstream_peek - unread bytes in the read buffer */
size_t  vstream_peek(VSTREAM *fp)
{
    return fp->rlen - fp->rpos;
}

/* vstream_peek_data - buffered input, reading more when there is none */
size_t  vstream_peek_data(VSTREAM *fp, const unsigned char **data)
{
    if (fp->rpos == fp->rlen) {
	if ((fp->flags & VSTREAM_FLAG_SEEKABLE) && fp->wlen > 0)
	    (void) vstream_fflush(fp);
	if (!vstream_fill(fp))
	    return 0;
    }
    *data = fp->rbuf + fp->rpos;
    return fp->rlen - fp->rpos;
}

/* vstream_skip - consume bytes returned by vstream_peek_data() */
void    vstream_skip(VSTREAM *fp, size_t len)
{
    if (len > fp->rlen - fp->rpos)
	msg_panic("vstream_skip: %zu bytes requested, %zu available",
		  len, fp->rlen - fp->rpos);
    fp->rpos += len;
}

/* vstream_release - flush and free; close the descriptor if asked */
static int vstream_release(VSTREAM *fp, bool close_fd)
{
    int     err = 0;

    if ((fp->flags & VSTREAM_FLAG_WRITE) && vstream_fflush(fp) == VSTREAM_EOF)
	err = VSTREAM_EOF;
    if ((fp->flags & VSTREAM_FLAG_WRITE) && vstream_ferror(fp))
	err = VSTREAM_EOF;
    if (close_fd && close(fp->fd) < 0 && (fp->flags & VSTREAM_FLAG_WRITE))
	err = VSTREAM_EOF;
    if (fp->flags & VSTREAM_FLAG_STATIC) {
	vstream_std_streams[fp->fd] = NULL;
    }
    myfree(fp->rbuf);
    myfree(fp->wbuf);
    myfree(fp->path);
    myfree(fp);
    return err;
}

/* vstream_fclose - flush, close and free; VSTREAM_EOF on write error */
int     vstream_fclose(VSTREAM *fp)
{
    return vstream_release(fp, true);
}

/* vstream_fdclose - flush and free, leaving the descriptor open */
int     vstream_fdclose(VSTREAM *fp)
{
    return vstream_release(fp, false);
}
