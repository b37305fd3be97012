/*
 * cleanup_virtual - virtual(5) alias expansion for cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_virtual.h. The limits and warnings follow what
 *	Postfix 3.7 does (docs/internals/cleanup-maps.md):
 *
 *	The original recipient is at depth 0; an address that is reached at
 *	depth virtual_alias_recursion_limit or deeper stops the expansion,
 *	whether or not it has an entry of its own, on every branch.
 *	"<qid>: unreasonable virtual_alias_maps map nesting for <original>
 *	-- message not accepted, try again later".
 *
 *	More than virtual_alias_expansion_limit final recipients:
 *	"<qid>: unreasonable virtual_alias_maps map expansion size for
 *	<original> -- message not accepted, try again later".
 *
 *	A result longer than virtual_alias_address_length_limit:
 *	"<qid>: unreasonable virtual_alias_maps result <address, at most
 *	100 bytes>... -- message not accepted, try again later".
 *
 *	A failing table: "<qid>: virtual_alias_maps map lookup problem for
 *	<original> -- message not accepted, try again later".
 *
 *	All are warnings. The reply for the limits is "4.6.0 Alias
 *	expansion error", for a failing table the daemon's queue file
 *	write error ("4.3.0 queue file write error").
 *
 *	To bound the work on tables whose entries branch and join again,
 *	at most (expansion limit + 1) * (recursion limit + 1) addresses are
 *	visited per recipient; past that, the expansion size warning.
 *
 *	Each recursion level holds its own copy of the lookup value, so
 *	memory is bounded by the recursion limit times the value size
 *	plus the result list, which the expansion limit bounds.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "htable.h"
#include "stringops.h"
#include "maps.h"
#include "tok822.h"
#include "cleanup_maps.h"

 /*
  * Duplicates do not count against the expansion limit, so a table whose
  * entries branch and join again ("diamonds") could make the walk visit
  * exponentially many paths before any limit is reached. Bound the work:
  * at most (expansion limit + 1) times (recursion limit + 1) addresses
  * visited, reported as an expansion size problem.
  */
#define CLEANUP_VIRTUAL_CAP(n)	((n) < 1000000 ? (n) + 1 : 1000001)
#define CLEANUP_VIRTUAL_WORK(cm) \
	(CLEANUP_VIRTUAL_CAP((cm)->virtual_expansion_limit) \
	 * CLEANUP_VIRTUAL_CAP((cm)->virtual_recursion_limit))

 /*
  * State of one expansion.
  */
typedef struct CLEANUP_VIRTUAL_STATE {
    CLEANUP_MAPS *cm;
    const char *original;		/* the recipient being expanded */
    ARGV   *result;			/* final recipients */
    VSTRING *why;
    int     status;			/* CLEANUP_MAP_* */
    long    work;			/* addresses visited */
    long    work_limit;
    HTABLE *seen;			/* final recipients, lower case */
    VSTRING *key;
} CLEANUP_VIRTUAL_STATE;

/* cleanup_virtual_limit - stop the expansion at a limit */
static void cleanup_virtual_limit(CLEANUP_VIRTUAL_STATE *state)
{
    state->status = CLEANUP_MAP_LIMIT;
    if (state->why)
	vstring_strcpy(state->why, "4.6.0 Alias expansion error");
}

/* cleanup_virtual_final - add a final recipient, without duplicates */
static void cleanup_virtual_final(CLEANUP_VIRTUAL_STATE *state,
				          const char *addr)
{
    vstring_strcpy(state->key, addr);
    lowercase(vstring_str(state->key));
    if (htable_find(state->seen, vstring_str(state->key)) != 0)
	return;
    if (state->result->argc >= (size_t) state->cm->virtual_expansion_limit) {
	msg_warn("%sunreasonable %s map expansion size for %s"
		 " -- message not accepted, try again later",
		 cleanup_maps_qid(state->cm), state->cm->virtual_alias->title,
		 state->original);
	cleanup_virtual_limit(state);
	return;
    }
    argv_add(state->result, addr, (char *) 0);
    htable_enter(state->seen, vstring_str(state->key), (void *) state);
}

/* cleanup_virtual_values - the addresses of one lookup value */
static ARGV *cleanup_virtual_values(CLEANUP_MAPS *cm, const char *value,
				            bool propagate)
{
    ARGV   *values = argv_alloc(2);
    VSTRING *result = vstring_alloc(100);
    ARGV   *addrs;
    size_t  n;

    if (*value == '@') {
	/* "@otherdomain": the whole value goes after the local part. */
	cleanup_maps_result(cm, result, &cm->match, value, propagate);
	argv_add(values, vstring_str(result), (char *) 0);
    } else {
	addrs = cleanup_maps_addr_split(value);
	for (n = 0; n < addrs->argc; n++) {
	    cleanup_maps_result(cm, result, &cm->match, addrs->argv[n],
				propagate);
	    argv_add(values, vstring_str(result), (char *) 0);
	}
	argv_free(addrs);
    }
    vstring_free(result);
    return (values);
}

/* cleanup_virtual_walk - expand one address, depth first */
static void cleanup_virtual_walk(CLEANUP_VIRTUAL_STATE *state,
				         const char *addr, long depth)
{
    CLEANUP_MAPS *cm = state->cm;
    MAPS   *maps = cm->virtual_alias;
    const char *value;
    ARGV   *values;
    size_t  n;

    if (++state->work > state->work_limit) {
	msg_warn("%sunreasonable %s map expansion size for %s"
		 " -- message not accepted, try again later",
		 cleanup_maps_qid(cm), maps->title, state->original);
	cleanup_virtual_limit(state);
	return;
    }
    if (depth >= cm->virtual_recursion_limit) {
	msg_warn("%sunreasonable %s map nesting for %s"
		 " -- message not accepted, try again later",
		 cleanup_maps_qid(cm), maps->title, state->original);
	cleanup_virtual_limit(state);
	return;
    }
    if ((value = cleanup_maps_find(cm, maps, addr, &cm->match)) == 0) {
	if (maps->error != DICT_ERR_NONE) {
	    msg_warn("%s%s map lookup problem for %s"
		     " -- message not accepted, try again later",
		     cleanup_maps_qid(cm), maps->title, state->original);
	    state->status = CLEANUP_MAP_RETRY;
	    if (state->why)
		vstring_strcpy(state->why, "4.3.0 queue file write error");
	} else {
	    cleanup_virtual_final(state, addr);
	}
	return;
    }
    if (depth == 0 && state->status == CLEANUP_MAP_NONE)
	state->status = CLEANUP_MAP_FOUND;
    values = cleanup_virtual_values(cm, value,
			     (cm->propagate & CLEANUP_PROPAGATE_VIRTUAL) != 0);
    for (n = 0; n < values->argc && state->status >= 0; n++) {
	const char *next = values->argv[n];

	if ((long) strlen(next) > cm->virtual_length_limit) {
	    msg_warn("%sunreasonable %s result %.100s..."
		     " -- message not accepted, try again later",
		     cleanup_maps_qid(cm), maps->title, next);
	    cleanup_virtual_limit(state);
	} else if (strcasecmp(next, addr) == 0) {
	    cleanup_virtual_final(state, next);	/* maps to itself */
	} else {
	    cleanup_virtual_walk(state, next, depth + 1);
	}
    }
    argv_free(values);
}

/* cleanup_virtual_expand - expand one recipient */
int     cleanup_virtual_expand(CLEANUP_MAPS *cm, const char *addr,
			               ARGV *result, VSTRING *why)
{
    CLEANUP_VIRTUAL_STATE state;

    if (cm->virtual_alias == 0 || *addr == 0) {
	argv_add(result, addr, (char *) 0);
	return (CLEANUP_MAP_NONE);
    }
    state.cm = cm;
    state.original = addr;
    state.result = result;
    state.why = why;
    state.status = CLEANUP_MAP_NONE;
    state.work = 0;
    state.work_limit = CLEANUP_VIRTUAL_WORK(cm);
    state.seen = htable_create(16);
    state.key = vstring_alloc(100);
    cleanup_virtual_walk(&state, addr, 0);
    htable_free(state.seen, (void (*) (void *)) 0);
    vstring_free(state.key);
    if (state.status < 0)
	argv_truncate(result, 0);
    return (state.status);
}
