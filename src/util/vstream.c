/*
 * vstream - buffered I/O streams over file descriptors, with deadlines
 *
 * DESCRIPTION
 *	See vstream.h. Each read is preceded by poll() when a time limit
 *	is set, so a stalled peer costs at most the limit; a write goes
 *	first to the descriptor (non-blocking then) and waits in poll()
 *	only when there is no room. With a
 *	deadline, the limit is the time left until the deadline. Reads and
 *	writes share one path (vstream_transfer() over vstream_syscall()):
 *	the wait for the descriptor, the retry after EINTR and EAGAIN, and
 *	the error and timeout flags.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "vstream.h"

#define VSTREAM_BUFSIZE	8192

struct VSTREAM {
    int     fd;				/* read (and write) descriptor */
    int     write_fd;			/* write descriptor, normally fd */
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
    off_t   kpos;			/* seekable: kernel file offset, -1
					 * unknown (see vstream_ftell) */
};

#define VSTREAM_FLAG_READ	(1<<0)	/* opened for reading */
#define VSTREAM_FLAG_WRITE	(1<<1)	/* opened for writing */
#define VSTREAM_FLAG_ERR	(1<<2)	/* I/O error seen */
#define VSTREAM_FLAG_EOF	(1<<3)	/* end of input seen */
#define VSTREAM_FLAG_TIMEOUT	(1<<4)	/* time limit exceeded */
#define VSTREAM_FLAG_SEEKABLE	(1<<5)	/* regular file */
#define VSTREAM_FLAG_UNBUF	(1<<6)	/* flush after each write call */
#define VSTREAM_FLAG_STATIC	(1<<7)	/* VSTREAM_IN and friends */
#define VSTREAM_FLAG_NBLOCK_FD	(1<<8)	/* we made fd non-blocking */
#define VSTREAM_FLAG_NBLOCK_WFD	(1<<9)	/* we made write_fd non-blocking */
#define VSTREAM_FLAG_APPEND	(1<<10)	/* O_APPEND: offset not tracked */

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

/* vstream_poll - wait until fd is ready (-1: no limit); false with errno */
static bool vstream_poll(int fd, short events, int wait_ms)
{
    struct pollfd pfd;
    int     n;

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

/* vstream_syscall - one read (wbuf NULL) or write within wait_ms */
static ssize_t vstream_syscall(int fd, void *rbuf, const void *wbuf,
			               size_t len, int wait_ms, bool nonblocking)
{
    short   events = wbuf ? POLLOUT : POLLIN;
    bool    wait_first = wait_ms == 0
    || (wait_ms > 0 && !(wbuf && nonblocking));
    ssize_t n;

    /*
     * Without a limit the descriptor is normally blocking and we go
     * straight to the system call; one that is non-blocking anyway (the
     * caller's choice) is waited for after EAGAIN. With a limit, a
     * write to a descriptor that we made non-blocking is tried first:
     * there is usually room, and EAGAIN leads to the wait. A deadline
     * that has passed fails the call without trying.
     */
    for (;;) {
	if (wait_first && !vstream_poll(fd, events, wait_ms))
	    return -1;
	n = wbuf ? write(fd, wbuf, len) : read(fd, rbuf, len);
	if (n >= 0)
	    return n;
	if (errno == EAGAIN || errno == EWOULDBLOCK)
	    wait_first = true;
	else if (errno != EINTR)
	    return -1;
    }
}

/* vstream_transfer - read into rbuf or write wbuf; -1 sets the error flags */
static ssize_t vstream_transfer(VSTREAM *fp, void *rbuf, const void *wbuf,
				        size_t len)
{
    ssize_t n;

    n = vstream_syscall(wbuf ? fp->write_fd : fp->fd, rbuf, wbuf, len,
			vstream_wait_ms(fp),
			(fp->flags & (fp->write_fd != fp->fd ?
				      VSTREAM_FLAG_NBLOCK_WFD :
				      VSTREAM_FLAG_NBLOCK_FD)) != 0);
    if (n > 0 && fp->kpos >= 0)
	fp->kpos += n;
    if (n == 0 && wbuf != NULL) {
	errno = EIO;
	n = -1;
    }
    if (n < 0) {
	fp->flags |= VSTREAM_FLAG_ERR;
	if (errno == ETIMEDOUT)
	    fp->flags |= VSTREAM_FLAG_TIMEOUT;
    }
    return n;
}

/* vstream_nonblock - switch fd to non-blocking or back; flag marks our switch */
static void vstream_nonblock(VSTREAM *fp, int fd, int flag, bool on)
{
    int     fl;

    if (on == ((fp->flags & flag) != 0) || (fl = fcntl(fd, F_GETFL)) < 0)
	return;
    if (!on) {
	(void) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	fp->flags &= ~flag;
    } else if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0) {
	fp->flags |= flag;
    }
}

/* vstream_update_blocking - descriptor modes that match the time limit */
static void vstream_update_blocking(VSTREAM *fp)
{
    bool    nonblocking = fp->timeout > 0
    && !(fp->flags & VSTREAM_FLAG_SEEKABLE);

    vstream_nonblock(fp, fp->fd, VSTREAM_FLAG_NBLOCK_FD, nonblocking);
    if (fp->write_fd != fp->fd)
	vstream_nonblock(fp, fp->write_fd, VSTREAM_FLAG_NBLOCK_WFD,
			 nonblocking);
}

/* vstream_alloc - create a stream for an open descriptor */
static VSTREAM *vstream_alloc(int fd, int flags)
{
    VSTREAM *fp = mymalloc(sizeof(*fp));
    struct stat st;
    int     acc = flags & O_ACCMODE;

    memset(fp, 0, sizeof(*fp));
    fp->fd = fp->write_fd = fd;
    fp->kpos = -1;
    if (acc == O_RDONLY || acc == O_RDWR)
	fp->flags |= VSTREAM_FLAG_READ;
    if (acc == O_WRONLY || acc == O_RDWR)
	fp->flags |= VSTREAM_FLAG_WRITE;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
	fp->flags |= VSTREAM_FLAG_SEEKABLE;
    if ((fp->flags & VSTREAM_FLAG_SEEKABLE)
	&& (fcntl(fd, F_GETFL) & O_APPEND) != 0)
	fp->flags |= VSTREAM_FLAG_APPEND;
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

/* vstream_set_write_fd - send the output to another descriptor */
void    vstream_set_write_fd(VSTREAM *fp, int fd)
{
    if (!(fp->flags & VSTREAM_FLAG_WRITE) || fd < 0)
	msg_panic("vstream_set_write_fd: stream %s: bad request for fd %d",
		  vstream_path(fp), fd);
    if (fp->wlen > 0 || fp->timeout > 0)
	msg_panic("vstream_set_write_fd: stream %s: output or time limit "
		  "already set", vstream_path(fp));
    fp->write_fd = fd;
    if (fd != fp->fd)
	fp->flags &= ~VSTREAM_FLAG_SEEKABLE;
}

/* vstream_set_timeout - per-call time limit in seconds, ends a deadline */
void    vstream_set_timeout(VSTREAM *fp, int seconds)
{
    fp->timeout = seconds > 0 ? seconds : 0;
    fp->deadline_active = false;
    vstream_update_blocking(fp);
}

/* vstream_start_deadline - make the time limit cover all I/O from now */
void    vstream_start_deadline(VSTREAM *fp)
{
    fp->deadline = vstream_now();
    fp->deadline.tv_sec += fp->timeout;
    fp->deadline_active = true;
}

/* vstream_fileno - the read descriptor */
int     vstream_fileno(VSTREAM *fp)
{
    return fp->fd;
}

/* vstream_path - the name for diagnostics */
const char *vstream_path(VSTREAM *fp)
{
    return fp->path ? fp->path : "unknown_stream";
}

/* vstream_ferror - an I/O error or timeout was seen */
bool    vstream_ferror(VSTREAM *fp)
{
    return (fp->flags & VSTREAM_FLAG_ERR) != 0;
}

/* vstream_feof - end of input was seen */
bool    vstream_feof(VSTREAM *fp)
{
    return (fp->flags & VSTREAM_FLAG_EOF) != 0;
}

/* vstream_ftimeout - a time limit was exceeded */
bool    vstream_ftimeout(VSTREAM *fp)
{
    return (fp->flags & VSTREAM_FLAG_TIMEOUT) != 0;
}

/* vstream_clearerr - forget errors, timeouts and end of input */
void    vstream_clearerr(VSTREAM *fp)
{
    fp->flags &= ~(VSTREAM_FLAG_ERR | VSTREAM_FLAG_EOF | VSTREAM_FLAG_TIMEOUT);
}

/* vstream_fflush - write pending output */
int     vstream_fflush(VSTREAM *fp)
{
    size_t  done = 0;
    ssize_t n;

    if (fp->wlen == 0)
	return vstream_ferror(fp) && (fp->flags & VSTREAM_FLAG_WRITE)
	    && !(fp->flags & VSTREAM_FLAG_READ) ? VSTREAM_EOF : 0;
    if (vstream_ferror(fp)) {
	fp->wlen = 0;
	return VSTREAM_EOF;
    }
    while (done < fp->wlen) {
	if ((n = vstream_transfer(fp, NULL, fp->wbuf + done,
				  fp->wlen - done)) < 0) {
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
	fp->kpos = lseek(fp->fd, -(off_t) unread, SEEK_CUR);
    fp->rpos = fp->rlen = 0;
}

/* vstream_fill - read more input; false at EOF or error */
static bool vstream_fill(VSTREAM *fp)
{
    ssize_t n;

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
    if ((n = vstream_transfer(fp, fp->rbuf, NULL, fp->rcap)) <= 0) {
	if (n == 0)
	    fp->flags |= VSTREAM_FLAG_EOF;
	fp->rpos = fp->rlen = 0;
	return false;
    }
    fp->rpos = 0;
    fp->rlen = n;
    return true;
}

/* vstream_getc - next input byte, or VSTREAM_EOF */
int     vstream_getc(VSTREAM *fp)
{
    if (fp->rpos == fp->rlen && !vstream_fill(fp))
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

/* vstream_write_all - write len bytes (maybe none); false on error */
static bool vstream_write_all(VSTREAM *fp, const void *buf, size_t len)
{
    /* A complete write leaves no error flag, so this also covers len 0. */
    return vstream_fwrite(fp, buf, len) == len && !vstream_ferror(fp);
}

/* vstream_fputs - write a C string */
int     vstream_fputs(const char *str, VSTREAM *fp)
{
    return vstream_write_all(fp, str, strlen(str)) ? 0 : VSTREAM_EOF;
}

/* vstream_vfprintf - formatted output; returns bytes written or EOF */
int     vstream_vfprintf(VSTREAM *fp, const char *fmt, va_list ap)
{
    static VSTRING *buf;
    size_t  len;
    bool    ok;

    /* A nested call (from a signal handler) would corrupt a shared buffer. */
    VSTRING *mine = buf ? buf : vstring_alloc(256);

    buf = NULL;
    vstring_vsprintf(mine, fmt, ap);
    len = VSTRING_LEN(mine);
    ok = vstream_write_all(fp, vstring_str(mine), len);
    if (buf == NULL)
	buf = mine;
    else
	vstring_free(mine);
    return ok ? (int) len : VSTREAM_EOF;
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
    if (fsync(fp->write_fd) < 0) {
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
    return fp->kpos = lseek(fp->fd, offset, whence);
}

/*
 * vstream_ftell - current logical position of a seekable stream
 *
 * The kernel's offset is asked once and then followed through our own
 * reads, writes and seeks, so that a caller may ask for the position
 * after every record (cleanup's size limit) without a system call each
 * time. A file opened with O_APPEND is asked every time: its writes go
 * to wherever the end is.
 */
off_t   vstream_ftell(VSTREAM *fp)
{
    off_t   pos;

    if (fp->kpos >= 0 && !(fp->flags & VSTREAM_FLAG_APPEND))
	pos = fp->kpos;
    else if ((pos = fp->kpos = lseek(fp->fd, 0, SEEK_CUR)) < 0)
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
    /* The descriptors may live on (or be shared): leave them blocking. */
    fp->timeout = 0;
    vstream_update_blocking(fp);
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
