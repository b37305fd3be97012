/*
 * exclusive_wait - idle wait of a single-server process that wakes one
 *	process per new client
 *
 * DESCRIPTION
 *	See exclusive_wait.h. Linux only (EPOLLEXCLUSIVE, kernel 4.5 and
 *	later); elsewhere exclusive_wait_create() returns NULL.
 */
#include "sys_defs.h"

#include <errno.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "exclusive_wait.h"

#ifdef __linux__
#include <sys/epoll.h>
#endif

#define EXCLUSIVE_WAIT_EVENTS	8	/* per epoll_wait() call */

struct EXCLUSIVE_WAIT {
    int     epoll_fd;
};

#if defined(__linux__) && defined(EPOLLEXCLUSIVE)

/* exclusive_wait_add - one descriptor into the set */
static int exclusive_wait_add(int epoll_fd, int fd, unsigned events)
{
    struct epoll_event ev;

    ev.events = events;
    ev.data.fd = fd;
    return epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* exclusive_wait_create - the set of listeners and the status channel */
EXCLUSIVE_WAIT *exclusive_wait_create(int first_fd, int count, int status_fd)
{
    EXCLUSIVE_WAIT *wait;
    int     epoll_fd;
    int     fd;

    if ((epoll_fd = epoll_create1(EPOLL_CLOEXEC)) < 0) {
	msg_warn("epoll_create1: %m; waiting for clients without it");
	return NULL;
    }
    for (fd = first_fd; fd < first_fd + count; fd++) {
	if (exclusive_wait_add(epoll_fd, fd, EPOLLIN | EPOLLEXCLUSIVE) < 0) {
	    /* An old kernel refuses the flag: not an error, just slower. */
	    if (errno != EINVAL)
		msg_warn("epoll_ctl descriptor %d: %m", fd);
	    (void) close(epoll_fd);
	    return NULL;
	}
    }
    if (exclusive_wait_add(epoll_fd, status_fd, EPOLLIN) < 0) {
	msg_warn("epoll_ctl descriptor %d: %m", status_fd);
	(void) close(epoll_fd);
	return NULL;
    }
    wait = (EXCLUSIVE_WAIT *) mymalloc(sizeof(*wait));
    wait->epoll_fd = epoll_fd;
    return wait;
}

/* exclusive_wait - sleep until a client or the master needs us */
int     exclusive_wait(EXCLUSIVE_WAIT *wait, int timeout_ms, int *ready,
		               int ready_size)
{
    struct epoll_event ev[EXCLUSIVE_WAIT_EVENTS];
    int     n;
    int     i;

    if (ready_size > EXCLUSIVE_WAIT_EVENTS)
	ready_size = EXCLUSIVE_WAIT_EVENTS;
    if ((n = epoll_wait(wait->epoll_fd, ev, ready_size, timeout_ms)) < 0) {
	if (errno == EINTR)
	    return 0;
	msg_fatal("epoll_wait: %m");
    }
    for (i = 0; i < n; i++)
	ready[i] = ev[i].data.fd;
    return n;
}

#else

/* exclusive_wait_create - not available here */
EXCLUSIVE_WAIT *exclusive_wait_create(int first_fd, int count, int status_fd)
{
    (void) first_fd;
    (void) count;
    (void) status_fd;
    return NULL;
}

/* exclusive_wait - never called without a set */
int     exclusive_wait(EXCLUSIVE_WAIT *wait, int timeout_ms, int *ready,
		               int ready_size)
{
    (void) wait;
    (void) timeout_ms;
    (void) ready;
    (void) ready_size;
    msg_panic("exclusive_wait: not supported on this system");
}

#endif

/* exclusive_wait_free - close the set */
void    exclusive_wait_free(EXCLUSIVE_WAIT *wait)
{
    (void) close(wait->epoll_fd);
    myfree(wait);
}
