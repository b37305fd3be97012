/*
 * scache_table - the connection cache's two indexes, without I/O
 *
 * SYNOPSIS
 *	#include "scache_table.h"
 *
 *	SCACHE_TABLE *scache_table_create(int max_conns,
 *				SCACHE_CLOSE_FN close_fn, void *context);
 *	void	scache_table_free(SCACHE_TABLE *table);
 *
 *	void	scache_table_save_endp(SCACHE_TABLE *table,
 *				const char *endp_label, const char *endp_prop,
 *				int fd, time_t expires);
 *	int	scache_table_find_endp(SCACHE_TABLE *table,
 *				const char *endp_label, VSTRING *endp_prop);
 *	void	scache_table_save_dest(SCACHE_TABLE *table,
 *				const char *dest_label, const char *dest_prop,
 *				const char *endp_label, time_t expires);
 *	int	scache_table_find_dest(SCACHE_TABLE *table,
 *				const char *dest_label, VSTRING *dest_prop,
 *				VSTRING *endp_prop);
 *	bool	scache_table_drop_fd(SCACHE_TABLE *table, int fd);
 *	time_t	scache_table_expire(SCACHE_TABLE *table, time_t now);
 *	int	scache_table_conn_count(const SCACHE_TABLE *table);
 *
 *	void	scache_table_stats(const SCACHE_TABLE *table,
 *				SCACHE_STATS *stats);
 *	void	scache_table_stats_reset(SCACHE_TABLE *table, time_t now);
 *	void	scache_table_status(SCACHE_TABLE *table, time_t now,
 *				void (*log_fn)(const char *line, void *context),
 *				void *context);
 *
 * DESCRIPTION
 *	The tables of scache(8), as CONNECTION_CACHE_README describes
 *	them: logical destinations point to physical endpoints (each
 *	binding with its own destination properties and expiry time), and
 *	endpoints hold cached connections (a descriptor, its properties
 *	and its expiry time). The labels and properties are opaque.
 *
 *	scache_table_create() makes empty tables that hold at most
 *	max_conns connections; close_fn(fd, context) is how the tables
 *	give up a descriptor they own (expired, displaced, dropped).
 *	scache_table_free() closes every descriptor and frees all.
 *
 *	scache_table_save_endp() takes ownership of fd. When the table
 *	is full, the oldest connection (by time of saving) is closed
 *	first. scache_table_find_endp() hands out (removes) the most
 *	recently saved connection of the endpoint and returns its
 *	descriptor (the caller owns it) with its properties, or -1.
 *
 *	scache_table_save_dest() binds a destination to an endpoint; a
 *	new binding to the same endpoint replaces the old one.
 *	scache_table_find_dest() looks at the destination's bindings,
 *	newest first, and hands out a connection of the first endpoint
 *	that has one, with the binding's destination properties and the
 *	connection's endpoint properties; -1 when none has. The bindings
 *	stay (they expire by themselves).
 *
 *	scache_table_drop_fd() closes a cached connection that the peer
 *	closed (true when fd was cached). scache_table_expire() closes
 *	the connections and drops the bindings whose time has come and
 *	returns the earliest expiry time left (0: nothing left).
 *
 *	scache_table_stats() gives the hit and miss counts of both kinds
 *	of lookup and the peak numbers of destinations, endpoints and
 *	connections since the last scache_table_stats_reset(), which
 *	starts a new interval at now (the peaks restart from the current sizes).
 *	scache_table_status() hands the statistics lines to log_fn, as
 *	Postfix's scache words them, and starts a new interval; nothing
 *	when there was no lookup in the interval:
 *	"statistics: start interval Dec  5 13:17:04",
 *	"statistics: domain lookup hits=3 miss=1 success=75%",
 *	"statistics: address lookup hits=0 miss=1 success=0%",
 *	"statistics: max simultaneous domains=1 addresses=1 connection=1"
 *	(the last only when a connection was cached).
 *
 * DIAGNOSTICS
 *	None; the caller bounds the labels and properties.
 */
#ifndef SCACHE_TABLE_H
#define SCACHE_TABLE_H

#include <time.h>

#include "sys_defs.h"
#include "vstring.h"

typedef struct SCACHE_TABLE SCACHE_TABLE;
typedef void (*SCACHE_CLOSE_FN) (int fd, void *context);

typedef struct SCACHE_STATS {
    time_t  start;			/* interval start */
    long    dest_hits;
    long    dest_misses;
    long    endp_hits;
    long    endp_misses;
    int     max_dests;			/* peak destinations */
    int     max_endps;			/* peak endpoints with connections */
    int     max_conns;			/* peak connections */
} SCACHE_STATS;

extern SCACHE_TABLE *scache_table_create(int max_conns,
				             SCACHE_CLOSE_FN close_fn,
				             void *context);
extern void scache_table_free(SCACHE_TABLE *table);
extern void scache_table_save_endp(SCACHE_TABLE *table, const char *endp_label,
			           const char *endp_prop, int fd, time_t expires);
extern int scache_table_find_endp(SCACHE_TABLE *table, const char *endp_label,
				          VSTRING *endp_prop);
extern void scache_table_save_dest(SCACHE_TABLE *table, const char *dest_label,
				           const char *dest_prop,
				           const char *endp_label, time_t expires);
extern int scache_table_find_dest(SCACHE_TABLE *table, const char *dest_label,
			            VSTRING *dest_prop, VSTRING *endp_prop);
extern bool scache_table_drop_fd(SCACHE_TABLE *table, int fd);
extern time_t scache_table_expire(SCACHE_TABLE *table, time_t now);
extern int scache_table_conn_count(const SCACHE_TABLE *table);
extern void scache_table_stats(const SCACHE_TABLE *table, SCACHE_STATS *stats);
extern void scache_table_stats_reset(SCACHE_TABLE *table, time_t now);
extern void scache_table_status(SCACHE_TABLE *table, time_t now,
			           void (*log_fn) (const char *, void *),
			                void *context);

#endif
