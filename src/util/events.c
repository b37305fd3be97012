/*
 * events - event loop for daemons: descriptors and timers over libevent
 *
 * DESCRIPTION
 *	See events.h.
 *
 *	Each descriptor that was ever enabled has a slot (indexed by the
 *	descriptor number) with two persistent libevent events, one per
 *	direction, created once and then only added and deleted. Slots
 *	are allocated one by one, so the pointers that libevent holds stay
 *	valid when the index array grows.
 *
 *	Each pending timer has an entry in a hash table keyed by the
 *	bytes of (callback, context). Fired and cancelled entries go to a
 *	free list for reuse and are never freed while the loop runs, so a
 *	callback can do anything to any timer, its own included, without
 *	pulling memory from under libevent.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include <event2/event.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "events.h"

typedef struct EVENTS_FD {
    int     fd;
    int     mask;			/* EVENT_READ | EVENT_WRITE */
    EVENTS_NOTIFY_FN callback;
    void   *context;
    struct event *read_ev;
    struct event *write_ev;
} EVENTS_FD;

typedef struct EVENTS_TIMER {
    EVENTS_NOTIFY_FN callback;
    void   *context;
    time_t  when;
    struct event *ev;
    char    key[2 * (sizeof(EVENTS_NOTIFY_FN) + sizeof(void *)) + 1];
    struct EVENTS_TIMER *next_free;
} EVENTS_TIMER;

static struct event_base *events_base_ptr;
static EVENTS_FD **events_fds;		/* indexed by descriptor */
static size_t events_fd_slots;
static HTABLE *events_timers;		/* pending timers by key */
static EVENTS_TIMER *events_free_timers;
static struct event *events_wakeup_ev;	/* bounds events_loop() */

/* events_init - create the event base once */
void    events_init(void)
{
    if (events_base_ptr != NULL)
	return;
    if ((events_base_ptr = event_base_new()) == NULL)
	msg_fatal("events_init: cannot create libevent base");
    events_timers = htable_create(16);
}

/* events_base - the libevent base, for callers that need more */
struct event_base *events_base(void)
{
    events_init();
    return events_base_ptr;
}

/* events_fd_callback - libevent trampoline for descriptors */
static void events_fd_callback(evutil_socket_t fd, short what, void *arg)
{
    EVENTS_FD *slot = arg;

    (void) fd;
    if ((what & EV_READ) && (slot->mask & EVENT_READ))
	slot->callback(EVENT_READ, slot->context);
    else if ((what & EV_WRITE) && (slot->mask & EVENT_WRITE))
	slot->callback(EVENT_WRITE, slot->context);
}

/* events_slot - the slot for fd, created on demand */
static EVENTS_FD *events_slot(int fd, bool create)
{
    EVENTS_FD *slot;
    size_t  new_slots;

    if (fd < 0)
	msg_panic("events: bad file descriptor %d", fd);
    if ((size_t) fd >= events_fd_slots) {
	if (!create)
	    return NULL;
	new_slots = events_fd_slots ? events_fd_slots : 64;
	while (new_slots <= (size_t) fd)
	    new_slots *= 2;
	events_fds = myrealloc(events_fds, new_slots * sizeof(*events_fds));
	memset(events_fds + events_fd_slots, 0,
	       (new_slots - events_fd_slots) * sizeof(*events_fds));
	events_fd_slots = new_slots;
    }
    if ((slot = events_fds[fd]) == NULL && create) {
	slot = mycalloc(1, sizeof(*slot));
	slot->fd = fd;
	slot->read_ev = event_new(events_base_ptr, fd, EV_READ | EV_PERSIST,
				  events_fd_callback, slot);
	slot->write_ev = event_new(events_base_ptr, fd, EV_WRITE | EV_PERSIST,
				   events_fd_callback, slot);
	if (slot->read_ev == NULL || slot->write_ev == NULL)
	    msg_fatal("events: cannot create events for descriptor %d", fd);
	events_fds[fd] = slot;
    }
    return slot;
}

/* events_enable - common part of enable_read and enable_write */
static void events_enable(const char *myname, int fd, int direction,
			          EVENTS_NOTIFY_FN callback, void *context)
{
    EVENTS_FD *slot;

    if (callback == NULL)
	msg_panic("%s: null callback", myname);
    events_init();
    slot = events_slot(fd, true);
    slot->callback = callback;
    slot->context = context;
    if ((slot->mask & direction) == 0) {
	if (event_add(direction == EVENT_READ ? slot->read_ev
		      : slot->write_ev, NULL) < 0)
	    msg_fatal("%s: cannot watch descriptor %d", myname, fd);
	slot->mask |= direction;
    }
}

/* events_enable_read - call back when fd is readable */
void    events_enable_read(int fd, EVENTS_NOTIFY_FN callback, void *context)
{
    events_enable("events_enable_read", fd, EVENT_READ, callback, context);
}

/* events_enable_write - call back when fd is writable */
void    events_enable_write(int fd, EVENTS_NOTIFY_FN callback, void *context)
{
    events_enable("events_enable_write", fd, EVENT_WRITE, callback, context);
}

/* events_disable_readwrite - stop watching fd */
void    events_disable_readwrite(int fd)
{
    EVENTS_FD *slot;

    if ((slot = events_slot(fd, false)) == NULL)
	return;
    if (slot->mask & EVENT_READ)
	(void) event_del(slot->read_ev);
    if (slot->mask & EVENT_WRITE)
	(void) event_del(slot->write_ev);
    slot->mask = 0;
    slot->callback = NULL;
    slot->context = NULL;
}

/* events_timer_key - hash key for (callback, context) */
static void events_timer_key(char *key, EVENTS_NOTIFY_FN callback,
			             void *context)
{
    unsigned char bytes[sizeof(callback) + sizeof(context)];
    size_t  n;

    memcpy(bytes, &callback, sizeof(callback));
    memcpy(bytes + sizeof(callback), &context, sizeof(context));
    for (n = 0; n < sizeof(bytes); n++)
	snprintf(key + 2 * n, 3, "%02x", bytes[n]);
}

/* events_timer_callback - libevent trampoline for timers */
static void events_timer_callback(evutil_socket_t fd, short what, void *arg)
{
    EVENTS_TIMER *timer = arg;
    EVENTS_NOTIFY_FN callback = timer->callback;
    void   *context = timer->context;

    (void) fd;
    (void) what;
    (void) htable_delete(events_timers, timer->key, NULL);
    timer->next_free = events_free_timers;
    events_free_timers = timer;
    callback(EVENT_TIME, context);
}

/* events_request_timer - schedule or move a (callback, context) timer */
time_t  events_request_timer(EVENTS_NOTIFY_FN callback, void *context,
			             int delay)
{
    char    key[sizeof(((EVENTS_TIMER *) 0)->key)];
    EVENTS_TIMER *timer;
    struct timeval tv;

    if (callback == NULL)
	msg_panic("events_request_timer: null callback");
    if (delay < 0)
	msg_panic("events_request_timer: bad delay %d", delay);
    events_init();
    events_timer_key(key, callback, context);
    if ((timer = htable_find(events_timers, key)) == NULL) {
	if ((timer = events_free_timers) != NULL) {
	    events_free_timers = timer->next_free;
	} else {
	    timer = mycalloc(1, sizeof(*timer));
	    if ((timer->ev = evtimer_new(events_base_ptr, events_timer_callback,
					 timer)) == NULL)
		msg_fatal("events_request_timer: cannot create timer");
	}
	timer->callback = callback;
	timer->context = context;
	memcpy(timer->key, key, sizeof(key));
	htable_enter(events_timers, timer->key, timer);
    }
    timer->when = events_time() + delay;
    tv.tv_sec = delay;
    tv.tv_usec = 0;
    if (evtimer_add(timer->ev, &tv) < 0)
	msg_fatal("events_request_timer: cannot schedule timer");
    return timer->when;
}

/* events_cancel_timer - remove a pending timer */
int     events_cancel_timer(EVENTS_NOTIFY_FN callback, void *context)
{
    char    key[sizeof(((EVENTS_TIMER *) 0)->key)];
    EVENTS_TIMER *timer;
    time_t  left;

    if (events_base_ptr == NULL)
	return -1;
    events_timer_key(key, callback, context);
    if ((timer = htable_find(events_timers, key)) == NULL)
	return -1;
    (void) evtimer_del(timer->ev);
    left = timer->when - events_time();
    (void) htable_delete(events_timers, key, NULL);
    timer->next_free = events_free_timers;
    events_free_timers = timer;
    return left < 0 ? 0 : (int) left;
}

/* events_timer_when - due time of a pending timer */
time_t  events_timer_when(EVENTS_NOTIFY_FN callback, void *context)
{
    char    key[sizeof(((EVENTS_TIMER *) 0)->key)];
    EVENTS_TIMER *timer;

    if (events_base_ptr == NULL)
	return -1;
    events_timer_key(key, callback, context);
    if ((timer = htable_find(events_timers, key)) == NULL)
	return -1;
    return timer->when;
}

/* events_next_due - due time of the earliest pending timer */
time_t  events_next_due(void)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    time_t  due = -1;
    time_t  when;

    if (events_base_ptr == NULL)
	return -1;
    list = htable_list(events_timers);
    for (ht = list; *ht != NULL; ht++) {
	when = ((EVENTS_TIMER *) (*ht)->value)->when;
	if (due < 0 || when < due)
	    due = when;
    }
    myfree(list);
    return due;
}

/* events_wakeup - no-op callback that ends a bounded wait */
static void events_wakeup(evutil_socket_t fd, short what, void *arg)
{
    (void) fd;
    (void) what;
    (void) arg;
}

/* events_loop - one iteration, waiting at most max_delay seconds */
void    events_loop(int max_delay)
{
    struct timeval tv;

    events_init();
    if (max_delay == 0) {
	(void) event_base_loop(events_base_ptr, EVLOOP_ONCE | EVLOOP_NONBLOCK);
	return;
    }
    if (max_delay > 0) {
	if (events_wakeup_ev == NULL
	    && (events_wakeup_ev = evtimer_new(events_base_ptr, events_wakeup,
					       NULL)) == NULL)
	    msg_fatal("events_loop: cannot create timer");
	tv.tv_sec = max_delay;
	tv.tv_usec = 0;
	if (evtimer_add(events_wakeup_ev, &tv) < 0)
	    msg_fatal("events_loop: cannot schedule timer");
    }
    (void) event_base_loop(events_base_ptr, EVLOOP_ONCE);
    if (events_wakeup_ev != NULL)
	(void) evtimer_del(events_wakeup_ev);
}

/* events_time - current time, cached during callbacks */
time_t  events_time(void)
{
    struct timeval tv;

    if (events_base_ptr == NULL
	|| event_base_gettimeofday_cached(events_base_ptr, &tv) < 0)
	return time(NULL);
    return tv.tv_sec;
}

/* events_fork - re-initialize the kernel side after fork() */
void    events_fork(void)
{
    if (events_base_ptr != NULL && event_reinit(events_base_ptr) < 0)
	msg_fatal("events_fork: cannot re-initialize the event base");
}

/* events_free_timer_entry - htable walker helper */
static void events_free_timer_entry(void *value)
{
    EVENTS_TIMER *timer = value;

    event_free(timer->ev);
    myfree(timer);
}

/* events_free - release everything */
void    events_free(void)
{
    EVENTS_TIMER *timer;
    size_t  n;

    if (events_base_ptr == NULL)
	return;
    for (n = 0; n < events_fd_slots; n++) {
	if (events_fds[n] != NULL) {
	    event_free(events_fds[n]->read_ev);
	    event_free(events_fds[n]->write_ev);
	    myfree(events_fds[n]);
	}
    }
    myfree(events_fds);
    events_fds = NULL;
    events_fd_slots = 0;
    htable_free(events_timers, events_free_timer_entry);
    events_timers = NULL;
    while ((timer = events_free_timers) != NULL) {
	events_free_timers = timer->next_free;
	event_free(timer->ev);
	myfree(timer);
    }
    if (events_wakeup_ev != NULL) {
	event_free(events_wakeup_ev);
	events_wakeup_ev = NULL;
    }
    event_base_free(events_base_ptr);
    events_base_ptr = NULL;
}

/* events_fd_mask - directions enabled for fd */
int     events_fd_mask(int fd)
{
    EVENTS_FD *slot;

    if (fd < 0 || (slot = events_slot(fd, false)) == NULL)
	return 0;
    return slot->mask;
}

/* events_fd_lookup - callback and context of an enabled descriptor */
bool    events_fd_lookup(int fd, EVENTS_NOTIFY_FN *callback, void **context)
{
    EVENTS_FD *slot;

    if (fd < 0 || (slot = events_slot(fd, false)) == NULL || slot->mask == 0)
	return false;
    *callback = slot->callback;
    *context = slot->context;
    return true;
}
