/*
 * anvil_table - the counters of anvil(8), without any I/O
 *
 * SYNOPSIS
 *	#include "anvil_table.h"
 *
 *	ANVIL_TABLE *anvil_table_create(int time_unit);
 *	void	anvil_table_free(ANVIL_TABLE *table);
 *	void	anvil_table_connect(ANVIL_TABLE *table, const char *ident,
 *				time_t now, int *count, int *rate);
 *	void	anvil_table_rate_only(ANVIL_TABLE *table, const char *ident,
 *				time_t now, int *rate);
 *	void	anvil_table_disconnect(ANVIL_TABLE *table, const char *ident,
 *				time_t now);
 *	int	anvil_table_event(ANVIL_TABLE *table, ANVIL_EVENT event,
 *				const char *ident, time_t now);
 *	int	anvil_table_peek(ANVIL_TABLE *table, ANVIL_EVENT event,
 *				const char *ident, time_t now);
 *	void	anvil_table_lookup(ANVIL_TABLE *table, const char *ident,
 *				time_t now, int *count, int rates[]);
 *	size_t	anvil_table_expire(ANVIL_TABLE *table, time_t now);
 *	size_t	anvil_table_size(const ANVIL_TABLE *table);
 *	void	anvil_table_status(ANVIL_TABLE *table,
 *				void (*log_fn)(const char *line, void *context),
 *				void *context);
 *
 * DESCRIPTION
 *	An ANVIL_TABLE keeps, for each ident ("service:address"), the
 *	number of simultaneous connections and the number of events of
 *	each kind (ANVIL_EVENT_CONNECT, _MAIL, _RCPT, _NEWTLS, _AUTH) in
 *	the current time unit of time_unit seconds. The time unit of an
 *	entry starts with its first event; an event that comes time_unit
 *	seconds or more after the start begins a new unit, with every
 *	rate back at zero. The caller passes the time; nothing here reads
 *	a clock, so that the unit tests control it.
 *
 *	anvil_table_connect() counts a new connection and one connect
 *	event and returns both counts; anvil_table_rate_only() counts the
 *	connect event only (a client that registers the same connection
 *	again). anvil_table_disconnect() ends a connection (never below
 *	zero). anvil_table_event() counts one event and returns the rate;
 *	anvil_table_peek() returns it without counting (0 for an unknown
 *	ident, which it does not create). anvil_table_lookup() returns
 *	every counter (zeros for an unknown ident) in count and
 *	rates[ANVIL_EVENT_COUNT].
 *
 *	anvil_table_expire() drops the entries that have no connection
 *	and whose time unit is over, so that memory stays bounded by the
 *	clients of the last time unit; it returns the number dropped.
 *
 *	The table remembers the largest value of each rate and of the
 *	connection count, with the ident and time where it was seen, and
 *	the largest number of entries (counted when an entry is made).
 *	anvil_table_status() calls log_fn once per maximum seen since the
 *	last call, with the text anvil(8) logs ("statistics: max
 *	connection rate 3/60s for (smtp:192.0.2.1) at Dec  5 10:00:00"),
 *	and forgets the maxima.
 *
 * DIAGNOSTICS
 *	None; panic on a negative time unit.
 */
#ifndef ANVIL_TABLE_H
#define ANVIL_TABLE_H

#include "sys_defs.h"
#include <time.h>

typedef enum ANVIL_EVENT {
    ANVIL_EVENT_CONNECT,
    ANVIL_EVENT_MAIL,
    ANVIL_EVENT_RCPT,
    ANVIL_EVENT_NEWTLS,
    ANVIL_EVENT_AUTH,
    ANVIL_EVENT_COUNT,
} ANVIL_EVENT;

typedef struct ANVIL_TABLE ANVIL_TABLE;

extern ANVIL_TABLE *anvil_table_create(int time_unit);
extern void anvil_table_free(ANVIL_TABLE *table);
extern void anvil_table_connect(ANVIL_TABLE *table, const char *ident,
				        time_t now, int *count, int *rate);
extern void anvil_table_rate_only(ANVIL_TABLE *table, const char *ident,
				          time_t now, int *rate);
extern void anvil_table_disconnect(ANVIL_TABLE *table, const char *ident,
				           time_t now);
extern int anvil_table_event(ANVIL_TABLE *table, ANVIL_EVENT event,
			             const char *ident, time_t now);
extern int anvil_table_peek(ANVIL_TABLE *table, ANVIL_EVENT event,
			            const char *ident, time_t now);
extern void anvil_table_lookup(ANVIL_TABLE *table, const char *ident,
			               time_t now, int *count, int rates[]);
extern size_t anvil_table_expire(ANVIL_TABLE *table, time_t now);
extern size_t anvil_table_size(const ANVIL_TABLE *table);
extern void anvil_table_status(ANVIL_TABLE *table,
			               void (*log_fn) (const char *line,
					                       void *context),
			               void *context);

#endif
