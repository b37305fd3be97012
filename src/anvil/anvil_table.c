/*
 * anvil_table - the counters of anvil(8), without any I/O
 *
 * SYNOPSIS
 *	See anvil_table.h.
 *
 * DESCRIPTION
 *	One hash table entry per ident. Rates are counted in fixed
 *	windows: a window starts with the first event of an entry (or the
 *	first event after the previous window ended) and lasts time_unit
 *	seconds. This is the behaviour anvil(8) documents ("the number of
 *	connections per unit time") and what Postfix's anvil shows: a
 *	client that stops for one time unit starts again at 1.
 *
 *	The maxima for the status lines are updated with each counted
 *	value; the cache size maximum only when an entry is made (a table
 *	that only shrinks reports nothing new).
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <limits.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "anvil_table.h"

typedef struct ANVIL_ENTRY {
    int     count;			/* simultaneous connections */
    int     rates[ANVIL_EVENT_COUNT];	/* events in this window */
    time_t  start;			/* start of this window */
} ANVIL_ENTRY;

typedef struct ANVIL_MAX {
    int     value;			/* 0: nothing seen */
    char   *ident;			/* where */
    time_t  when;
} ANVIL_MAX;

struct ANVIL_TABLE {
    HTABLE *entries;			/* ident -> ANVIL_ENTRY */
    int     time_unit;			/* seconds */
    ANVIL_MAX max_rate[ANVIL_EVENT_COUNT];
    ANVIL_MAX max_count;
    size_t  max_size;			/* 0: nothing new */
    time_t  max_size_when;
};

/* The status line label of each rate, in Postfix's order. */
static const char *const anvil_rate_labels[ANVIL_EVENT_COUNT] = {
    "connection", "message", "recipient", "newtls", "auth",
};

/* anvil_table_create - an empty table */
ANVIL_TABLE *anvil_table_create(int time_unit)
{
    ANVIL_TABLE *table = mymalloc(sizeof(*table));

    if (time_unit <= 0)
	msg_panic("anvil_table_create: bad time unit %d", time_unit);
    memset(table, 0, sizeof(*table));
    table->entries = htable_create(100);
    table->time_unit = time_unit;
    return (table);
}

/* anvil_max_free - forget one maximum */
static void anvil_max_free(ANVIL_MAX *max)
{
    if (max->ident)
	myfree(max->ident);
    max->ident = 0;
    max->value = 0;
}

/* anvil_table_free - release everything */
void    anvil_table_free(ANVIL_TABLE *table)
{
    int     i;

    htable_free(table->entries, myfree);
    for (i = 0; i < ANVIL_EVENT_COUNT; i++)
	anvil_max_free(table->max_rate + i);
    anvil_max_free(&table->max_count);
    myfree(table);
}

/* anvil_max_update - remember a larger value */
static void anvil_max_update(ANVIL_MAX *max, int value, const char *ident,
			             time_t now)
{
    if (value > max->value) {
	if (max->ident == 0 || strcmp(max->ident, ident) != 0) {
	    if (max->ident)
		myfree(max->ident);
	    max->ident = mystrdup(ident);
	}
	max->value = value;
	max->when = now;
    }
}

/* anvil_entry_window - start a new window when the old one is over */
static void anvil_entry_window(ANVIL_TABLE *table, ANVIL_ENTRY *entry,
			               time_t now)
{
    if (now - entry->start >= table->time_unit || now < entry->start) {
	memset(entry->rates, 0, sizeof(entry->rates));
	entry->start = now;
    }
}

/* anvil_entry_get - find or make the entry of ident */
static ANVIL_ENTRY *anvil_entry_get(ANVIL_TABLE *table, const char *ident,
				            time_t now)
{
    ANVIL_ENTRY *entry;

    if ((entry = htable_find(table->entries, ident)) == 0) {
	entry = mymalloc(sizeof(*entry));
	memset(entry, 0, sizeof(*entry));
	entry->start = now;
	htable_enter(table->entries, ident, entry);
	if (htable_used(table->entries) > table->max_size) {
	    table->max_size = htable_used(table->entries);
	    table->max_size_when = now;
	}
    } else {
	anvil_entry_window(table, entry, now);
    }
    return (entry);
}

/* anvil_entry_count - count one event of an entry */
static int anvil_entry_count(ANVIL_TABLE *table, ANVIL_ENTRY *entry,
			             ANVIL_EVENT event, const char *ident,
			             time_t now)
{
    if (entry->rates[event] < INT_MAX)
	entry->rates[event] += 1;
    anvil_max_update(table->max_rate + event, entry->rates[event], ident, now);
    return (entry->rates[event]);
}

/* anvil_table_connect - count a new connection */
void    anvil_table_connect(ANVIL_TABLE *table, const char *ident,
			            time_t now, int *count, int *rate)
{
    ANVIL_ENTRY *entry = anvil_entry_get(table, ident, now);

    if (entry->count < INT_MAX)
	entry->count += 1;
    anvil_max_update(&table->max_count, entry->count, ident, now);
    *rate = anvil_entry_count(table, entry, ANVIL_EVENT_CONNECT, ident, now);
    *count = entry->count;
}

/* anvil_table_rate_only - count a connect event of a known connection */
void    anvil_table_rate_only(ANVIL_TABLE *table, const char *ident,
			              time_t now, int *rate)
{
    ANVIL_ENTRY *entry = anvil_entry_get(table, ident, now);

    *rate = anvil_entry_count(table, entry, ANVIL_EVENT_CONNECT, ident, now);
}

/* anvil_table_disconnect - end a connection */
void    anvil_table_disconnect(ANVIL_TABLE *table, const char *ident,
			               time_t now)
{
    ANVIL_ENTRY *entry;

    (void) now;
    if ((entry = htable_find(table->entries, ident)) != 0 && entry->count > 0)
	entry->count -= 1;
}

/* anvil_table_event - count one event, return its rate */
int     anvil_table_event(ANVIL_TABLE *table, ANVIL_EVENT event,
			          const char *ident, time_t now)
{
    ANVIL_ENTRY *entry;

    if ((unsigned) event >= ANVIL_EVENT_COUNT)
	msg_panic("anvil_table_event: bad event %d", (int) event);
    entry = anvil_entry_get(table, ident, now);
    return (anvil_entry_count(table, entry, event, ident, now));
}

/* anvil_table_peek - the rate of an event, not counting one */
int     anvil_table_peek(ANVIL_TABLE *table, ANVIL_EVENT event,
			         const char *ident, time_t now)
{
    ANVIL_ENTRY *entry;

    if ((unsigned) event >= ANVIL_EVENT_COUNT)
	msg_panic("anvil_table_peek: bad event %d", (int) event);
    if ((entry = htable_find(table->entries, ident)) == 0)
	return (0);
    anvil_entry_window(table, entry, now);
    return (entry->rates[event]);
}

/* anvil_table_lookup - every counter of an ident */
void    anvil_table_lookup(ANVIL_TABLE *table, const char *ident,
			           time_t now, int *count, int rates[])
{
    ANVIL_ENTRY *entry;

    if ((entry = htable_find(table->entries, ident)) == 0) {
	*count = 0;
	memset(rates, 0, sizeof(entry->rates));
	return;
    }
    anvil_entry_window(table, entry, now);
    *count = entry->count;
    memcpy(rates, entry->rates, sizeof(entry->rates));
}

/* anvil_table_expire - drop idle entries whose window is over */
size_t  anvil_table_expire(ANVIL_TABLE *table, time_t now)
{
    HTABLE_INFO *info;
    HTABLE_INFO *next;
    ANVIL_ENTRY *entry;
    size_t  dropped = 0;

    for (info = table->entries->seq_head; info != 0; info = next) {
	next = info->seq_next;
	entry = (ANVIL_ENTRY *) info->value;
	if (entry->count == 0
	    && (now - entry->start >= table->time_unit || now < entry->start)) {
	    (void) htable_delete(table->entries, info->key, myfree);
	    dropped++;
	}
    }
    return (dropped);
}

/* anvil_table_size - the number of entries */
size_t  anvil_table_size(const ANVIL_TABLE *table)
{
    return (htable_used(table->entries));
}

/* anvil_status_time - the time of day as the status lines show it */
static const char *anvil_status_time(VSTRING *buf, time_t when)
{
    struct tm *tm = localtime(&when);
    char    text[64];

    if (tm == 0 || strftime(text, sizeof(text), "%b %e %H:%M:%S", tm) == 0)
	vstring_sprintf(buf, "%ld", (long) when);
    else
	vstring_strcpy(buf, text);
    return (vstring_str(buf));
}

/* anvil_table_status - report and forget the maxima */
void    anvil_table_status(ANVIL_TABLE *table,
			           void (*log_fn) (const char *line,
					                   void *context),
			           void *context)
{
    VSTRING *line = vstring_alloc(100);
    VSTRING *date = vstring_alloc(30);
    ANVIL_MAX *max;
    int     i;

    /* Postfix's order: connection rate, connection count, the others. */
    for (i = 0; i < ANVIL_EVENT_COUNT; i++) {
	max = table->max_rate + i;
	if (max->value > 0) {
	    vstring_sprintf(line, "statistics: max %s rate %d/%ds for (%s) at %s",
			    anvil_rate_labels[i], max->value, table->time_unit,
			    max->ident, anvil_status_time(date, max->when));
	    log_fn(vstring_str(line), context);
	    anvil_max_free(max);
	}
	if (i == ANVIL_EVENT_CONNECT && table->max_count.value > 0) {
	    max = &table->max_count;
	    vstring_sprintf(line, "statistics: max connection count %d for (%s) at %s",
			    max->value, max->ident,
			    anvil_status_time(date, max->when));
	    log_fn(vstring_str(line), context);
	    anvil_max_free(max);
	}
    }
    if (table->max_size > 0) {
	vstring_sprintf(line, "statistics: max cache size %lu at %s",
			(unsigned long) table->max_size,
			anvil_status_time(date, table->max_size_when));
	log_fn(vstring_str(line), context);
	table->max_size = 0;
    }
    vstring_free(line);
    vstring_free(date);
}
