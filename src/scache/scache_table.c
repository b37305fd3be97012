/*
 * scache_table - the connection cache's two indexes, without I/O
 *
 * SYNOPSIS
 *	See scache_table.h.
 *
 * DESCRIPTION
 *	Endpoints: a hash table from endpoint label to a list of cached
 *	connections, newest first. Every connection is also on one list
 *	of all connections in the order they were saved, so that a full
 *	table gives up its oldest connection in constant time.
 *	Destinations: a hash table from destination label to a list of
 *	bindings (endpoint label, destination properties, expiry),
 *	newest first. A binding names its endpoint by label, not by
 *	pointer: endpoints come and go with their connections, and a
 *	binding may outlive them (a later save_endp makes it useful
 *	again, as in Postfix, where bindings and connections expire
 *	independently).
 *
 *	Expiry walks everything: the tables are small (at most
 *	max_conns connections, and bindings are made only for saved
 *	connections), and expiry runs about once per ttl.
 *
 * DIAGNOSTICS
 *	Panic: a connection list that lost its invariants.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "scache_table.h"

typedef struct SCACHE_CONN {
    int     fd;
    char   *prop;
    time_t  expires;
    struct SCACHE_ENDP *endp;
    struct SCACHE_CONN *next;		/* same endpoint, older */
    struct SCACHE_CONN *prev;
    struct SCACHE_CONN *age_next;	/* all, newer */
    struct SCACHE_CONN *age_prev;
} SCACHE_CONN;

typedef struct SCACHE_ENDP {
    char   *label;			/* the hash key's copy */
    SCACHE_CONN *head;			/* newest */
} SCACHE_ENDP;

typedef struct SCACHE_BIND {
    char   *endp_label;
    char   *dest_prop;
    time_t  expires;
    struct SCACHE_BIND *next;		/* older */
} SCACHE_BIND;

typedef struct SCACHE_DEST {
    SCACHE_BIND *head;			/* newest */
} SCACHE_DEST;

struct SCACHE_TABLE {
    HTABLE *endps;			/* label -> SCACHE_ENDP */
    HTABLE *dests;			/* label -> SCACHE_DEST */
    SCACHE_CONN *oldest;		/* all connections by age */
    SCACHE_CONN *newest;
    int     conn_count;
    int     max_conns;
    SCACHE_CLOSE_FN close_fn;
    void   *context;
    SCACHE_STATS stats;
};

/* scache_table_create - empty tables */
SCACHE_TABLE *scache_table_create(int max_conns, SCACHE_CLOSE_FN close_fn,
				          void *context)
{
    SCACHE_TABLE *table = mymalloc(sizeof(*table));

    if (max_conns < 1)
	msg_panic("%s: bad connection limit %d", __func__, max_conns);
    table->endps = htable_create(10);
    table->dests = htable_create(10);
    table->oldest = table->newest = 0;
    table->conn_count = 0;
    table->max_conns = max_conns;
    table->close_fn = close_fn;
    table->context = context;
    memset(&table->stats, 0, sizeof(table->stats));
    return (table);
}

/* scache_table_peaks - note the current sizes in the peak counters */
static void scache_table_peaks(SCACHE_TABLE *table)
{
    SCACHE_STATS *st = &table->stats;

    if (st->max_dests < (int) htable_used(table->dests))
	st->max_dests = (int) htable_used(table->dests);
    if (st->max_endps < (int) htable_used(table->endps))
	st->max_endps = (int) htable_used(table->endps);
    if (st->max_conns < table->conn_count)
	st->max_conns = table->conn_count;
}

/* scache_table_unlink - take a connection off both lists; returns its fd */
static int scache_table_unlink(SCACHE_TABLE *table, SCACHE_CONN *conn,
			               VSTRING *prop)
{
    SCACHE_ENDP *endp = conn->endp;
    int     fd = conn->fd;

    if (conn->prev)
	conn->prev->next = conn->next;
    else if (endp->head == conn)
	endp->head = conn->next;
    else
	msg_panic("%s: connection not on its endpoint list", __func__);
    if (conn->next)
	conn->next->prev = conn->prev;
    if (conn->age_prev)
	conn->age_prev->age_next = conn->age_next;
    else
	table->oldest = conn->age_next;
    if (conn->age_next)
	conn->age_next->age_prev = conn->age_prev;
    else
	table->newest = conn->age_prev;
    table->conn_count -= 1;
    if (prop)
	vstring_strcpy(prop, conn->prop);
    myfree(conn->prop);
    myfree(conn);
    if (endp->head == 0)
	(void) htable_delete(table->endps, endp->label, myfree);
    return (fd);
}

/* scache_table_close - give up one connection */
static void scache_table_close(SCACHE_TABLE *table, SCACHE_CONN *conn)
{
    int     fd = scache_table_unlink(table, conn, (VSTRING *) 0);

    table->close_fn(fd, table->context);
}

/* scache_table_save_endp - cache a connection under its endpoint */
void    scache_table_save_endp(SCACHE_TABLE *table, const char *endp_label,
			               const char *endp_prop, int fd,
			               time_t expires)
{
    SCACHE_ENDP *endp;
    SCACHE_CONN *conn;
    HTABLE_INFO *info;

    while (table->conn_count >= table->max_conns)
	scache_table_close(table, table->oldest);
    if ((endp = htable_find(table->endps, endp_label)) == 0) {
	endp = mymalloc(sizeof(*endp));
	endp->head = 0;
	info = htable_enter(table->endps, endp_label, endp);
	endp->label = info->key;	/* freed with the entry */
    }
    conn = mymalloc(sizeof(*conn));
    conn->fd = fd;
    conn->prop = mystrdup(endp_prop);
    conn->expires = expires;
    conn->endp = endp;
    conn->prev = 0;
    conn->next = endp->head;
    if (endp->head)
	endp->head->prev = conn;
    endp->head = conn;
    conn->age_next = 0;
    conn->age_prev = table->newest;
    if (table->newest)
	table->newest->age_next = conn;
    else
	table->oldest = conn;
    table->newest = conn;
    table->conn_count += 1;
    scache_table_peaks(table);
}

/* scache_table_take - hand out the newest connection of an endpoint */
static int scache_table_take(SCACHE_TABLE *table, const char *endp_label,
			             VSTRING *endp_prop)
{
    SCACHE_ENDP *endp = htable_find(table->endps, endp_label);

    if (endp == 0 || endp->head == 0)
	return (-1);
    return (scache_table_unlink(table, endp->head, endp_prop));
}

/* scache_table_find_endp - a connection to a physical endpoint */
int     scache_table_find_endp(SCACHE_TABLE *table, const char *endp_label,
			               VSTRING *endp_prop)
{
    int     fd = scache_table_take(table, endp_label, endp_prop);

    if (fd >= 0)
	table->stats.endp_hits += 1;
    else
	table->stats.endp_misses += 1;
    return (fd);
}

/* scache_table_free_dest - free a destination and its bindings */
static void scache_table_free_dest(void *ptr)
{
    SCACHE_DEST *dest = ptr;
    SCACHE_BIND *bind;

    while ((bind = dest->head) != 0) {
	dest->head = bind->next;
	myfree(bind->endp_label);
	myfree(bind->dest_prop);
	myfree(bind);
    }
    myfree(dest);
}

/* scache_table_save_dest - bind a destination to an endpoint */
void    scache_table_save_dest(SCACHE_TABLE *table, const char *dest_label,
			               const char *dest_prop,
			               const char *endp_label, time_t expires)
{
    SCACHE_DEST *dest;
    SCACHE_BIND *bind;
    SCACHE_BIND **pp;

    if ((dest = htable_find(table->dests, dest_label)) == 0) {
	dest = mymalloc(sizeof(*dest));
	dest->head = 0;
	htable_enter(table->dests, dest_label, dest);
    }
    for (pp = &dest->head; (bind = *pp) != 0; pp = &bind->next) {
	if (strcmp(bind->endp_label, endp_label) == 0) {
	    *pp = bind->next;
	    myfree(bind->endp_label);
	    myfree(bind->dest_prop);
	    myfree(bind);
	    break;
	}
    }
    bind = mymalloc(sizeof(*bind));
    bind->endp_label = mystrdup(endp_label);
    bind->dest_prop = mystrdup(dest_prop);
    bind->expires = expires;
    bind->next = dest->head;
    dest->head = bind;
    scache_table_peaks(table);
}

/* scache_table_find_dest - a connection to a logical destination */
int     scache_table_find_dest(SCACHE_TABLE *table, const char *dest_label,
			               VSTRING *dest_prop, VSTRING *endp_prop)
{
    SCACHE_DEST *dest = htable_find(table->dests, dest_label);
    SCACHE_BIND *bind;
    int     fd;

    if (dest != 0) {
	for (bind = dest->head; bind != 0; bind = bind->next) {
	    if ((fd = scache_table_take(table, bind->endp_label,
					endp_prop)) >= 0) {
		vstring_strcpy(dest_prop, bind->dest_prop);
		table->stats.dest_hits += 1;
		return (fd);
	    }
	}
    }
    table->stats.dest_misses += 1;
    return (-1);
}

/* scache_table_drop_fd - close a cached connection that went bad */
bool    scache_table_drop_fd(SCACHE_TABLE *table, int fd)
{
    SCACHE_CONN *conn;

    for (conn = table->oldest; conn != 0; conn = conn->age_next) {
	if (conn->fd == fd) {
	    scache_table_close(table, conn);
	    return (true);
	}
    }
    return (false);
}

/* scache_table_expire_dests - drop expired bindings; the earliest left */
static time_t scache_table_expire_dests(SCACHE_TABLE *table, time_t now)
{
    HTABLE_INFO **list = htable_list(table->dests);
    HTABLE_INFO **ht;
    SCACHE_DEST *dest;
    SCACHE_BIND *bind;
    SCACHE_BIND **pp;
    time_t  next = 0;

    for (ht = list; *ht; ht++) {
	dest = (*ht)->value;
	for (pp = &dest->head; (bind = *pp) != 0; /* see below */ ) {
	    if (bind->expires <= now) {
		*pp = bind->next;
		myfree(bind->endp_label);
		myfree(bind->dest_prop);
		myfree(bind);
	    } else {
		if (next == 0 || bind->expires < next)
		    next = bind->expires;
		pp = &bind->next;
	    }
	}
	if (dest->head == 0)
	    (void) htable_delete(table->dests, (*ht)->key,
				 scache_table_free_dest);
    }
    myfree(list);
    return (next);
}

/* scache_table_expire - close and drop what has timed out */
time_t  scache_table_expire(SCACHE_TABLE *table, time_t now)
{
    SCACHE_CONN *conn;
    SCACHE_CONN *next_conn;
    time_t  next = scache_table_expire_dests(table, now);

    for (conn = table->oldest; conn != 0; conn = next_conn) {
	next_conn = conn->age_next;
	if (conn->expires <= now)
	    scache_table_close(table, conn);
	else if (next == 0 || conn->expires < next)
	    next = conn->expires;
    }
    return (next);
}

/* scache_table_conn_count - the number of cached connections */
int     scache_table_conn_count(const SCACHE_TABLE *table)
{
    return (table->conn_count);
}

/* scache_table_stats - the counters of this interval */
void    scache_table_stats(const SCACHE_TABLE *table, SCACHE_STATS *stats)
{
    *stats = table->stats;
}

/* scache_table_stats_reset - start a new interval */
void    scache_table_stats_reset(SCACHE_TABLE *table, time_t now)
{
    memset(&table->stats, 0, sizeof(table->stats));
    table->stats.start = now;
    scache_table_peaks(table);
}

/* scache_table_percent - hits as a whole percentage of all lookups */
static long scache_table_percent(long hits, long misses)
{
    return (hits + misses > 0 ? (hits * 100) / (hits + misses) : 0);
}

/* scache_table_status - the statistics lines of this interval */
void    scache_table_status(SCACHE_TABLE *table, time_t now,
			            void (*log_fn) (const char *, void *),
			            void *context)
{
    SCACHE_STATS *st = &table->stats;
    VSTRING *line;
    char    when[64];
    struct tm *tm;

    if (st->dest_hits + st->dest_misses + st->endp_hits
	+ st->endp_misses == 0) {
	scache_table_stats_reset(table, now);
	return;
    }
    line = vstring_alloc(100);
    tm = localtime(&st->start);
    if (tm == 0 || strftime(when, sizeof(when), "%b %e %H:%M:%S", tm) == 0)
	strcpy(when, "(unknown)");
    vstring_sprintf(line, "statistics: start interval %s", when);
    log_fn(vstring_str(line), context);
    vstring_sprintf(line, "statistics: domain lookup hits=%ld miss=%ld "
		    "success=%ld%%", st->dest_hits, st->dest_misses,
		    scache_table_percent(st->dest_hits, st->dest_misses));
    log_fn(vstring_str(line), context);
    vstring_sprintf(line, "statistics: address lookup hits=%ld miss=%ld "
		    "success=%ld%%", st->endp_hits, st->endp_misses,
		    scache_table_percent(st->endp_hits, st->endp_misses));
    log_fn(vstring_str(line), context);
    if (st->max_conns > 0) {
	vstring_sprintf(line, "statistics: max simultaneous domains=%d "
			"addresses=%d connection=%d", st->max_dests,
			st->max_endps, st->max_conns);
	log_fn(vstring_str(line), context);
    }
    vstring_free(line);
    scache_table_stats_reset(table, now);
}

/* scache_table_free - close everything and free */
void    scache_table_free(SCACHE_TABLE *table)
{
    while (table->oldest)
	scache_table_close(table, table->oldest);
    htable_free(table->endps, myfree);
    htable_free(table->dests, scache_table_free_dest);
    myfree(table);
}
