/*
 * cleanup_canon - canonical(5) address mapping for cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_canon.h. The warnings keep Postfix's words (observed
 *	with Postfix 3.7, see docs/internals/cleanup-maps.md):
 *
 *	<qid>: <title> map lookup problem for <addr> -- message not
 *	accepted, try again later
 *	<qid>: unreasonable <title> map nesting for <addr> -- message not
 *	accepted, try again later
 *	<qid>: multi-valued <title> entry for <addr>
 *
 *	The nesting warning is only a warning: Postfix 3.7 keeps the
 *	address reached after 100 rewrites and accepts the message, and so
 *	do we.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "maps.h"
#include "tok822.h"
#include "cleanup_maps.h"

#define CLEANUP_CANON_MAX_NESTING	100

/* cleanup_canon_first - the first address of a canonical lookup value */
static void cleanup_canon_first(CLEANUP_MAPS *cm, MAPS *maps,
				        const char *addr, const char *value,
				        VSTRING *first)
{
    ARGV   *addrs;

    if (*value == '@') {			/* "@otherdomain" as a whole */
	vstring_strcpy(first, value);
	return;
    }
    addrs = cleanup_maps_addr_split(value);
    if (addrs->argc > 1)
	msg_warn("%smulti-valued %s entry for %s",
		 cleanup_maps_qid(cm), maps->title, addr);
    if (addrs->argc > 0)
	vstring_strcpy(first, addrs->argv[0]);
    else
	vstring_strcpy(first, value);
    argv_free(addrs);
}

/* cleanup_canon_map - apply one canonical table list, recursively */
int     cleanup_canon_map(CLEANUP_MAPS *cm, MAPS *maps, VSTRING *addr,
			          VSTRING *why)
{
    VSTRING *first = vstring_alloc(100);
    VSTRING *result = vstring_alloc(100);
    const char *value;
    int     changes = 0;
    int     status = CLEANUP_MAP_NONE;
    bool    propagate = (cm->propagate & CLEANUP_PROPAGATE_CANONICAL) != 0;

    if (VSTRING_LEN(addr) == 0)
	goto done;
    for (;;) {
	value = cleanup_maps_find(cm, maps, vstring_str(addr), &cm->match);
	if (value == 0) {
	    if (maps->error != DICT_ERR_NONE) {
		msg_warn("%s%s map lookup problem for %s"
			 " -- message not accepted, try again later",
			 cleanup_maps_qid(cm), maps->title, vstring_str(addr));
		if (why)
		    vstring_strcpy(why, "4.3.0 queue file write error");
		status = CLEANUP_MAP_RETRY;
	    }
	    break;
	}
	cleanup_canon_first(cm, maps, vstring_str(addr), value, first);
	cleanup_maps_result(cm, result, &cm->match, vstring_str(first),
			    propagate);
	if (strcmp(vstring_str(result), vstring_str(addr)) == 0)
	    break;
	if (changes >= CLEANUP_CANON_MAX_NESTING) {
	    msg_warn("%sunreasonable %s map nesting for %s"
		     " -- message not accepted, try again later",
		     cleanup_maps_qid(cm), maps->title, vstring_str(addr));
	    break;
	}
	vstring_strcpy(addr, vstring_str(result));
	changes++;
	status = CLEANUP_MAP_FOUND;
    }
done:
    vstring_free(first);
    vstring_free(result);
    if (status == CLEANUP_MAP_NONE && changes > 0)
	status = CLEANUP_MAP_FOUND;
    return (status);
}

/* cleanup_canon_apply - one table list, when the class is enabled */
static int cleanup_canon_apply(CLEANUP_MAPS *cm, MAPS *maps, int classes,
			               int class, VSTRING *addr, VSTRING *why,
			               int *status)
{
    int     result;

    if (maps == 0 || (class & classes) == 0)
	return (0);
    result = cleanup_canon_map(cm, maps, addr, why);
    if (result == CLEANUP_MAP_RETRY) {
	*status = CLEANUP_MAP_RETRY;
	return (-1);
    }
    if (result == CLEANUP_MAP_FOUND)
	*status = CLEANUP_MAP_FOUND;
    return (0);
}

/* cleanup_canon_addr - all canonical tables for one address */
int     cleanup_canon_addr(CLEANUP_MAPS *cm, int class, VSTRING *addr,
			           VSTRING *why)
{
    int     status = CLEANUP_MAP_NONE;

    if (class & CLEANUP_CLASS_SENDER) {
	if (cleanup_canon_apply(cm, cm->sender_canonical,
				cm->sender_canonical_classes,
				class, addr, why, &status) < 0)
	    return (status);
    } else if (class & CLEANUP_CLASS_RCPT) {
	if (cleanup_canon_apply(cm, cm->recipient_canonical,
				cm->recipient_canonical_classes,
				class, addr, why, &status) < 0)
	    return (status);
    }
    (void) cleanup_canon_apply(cm, cm->canonical, cm->canonical_classes,
			       class, addr, why, &status);
    return (status);
}

/* cleanup_canon_tree - all canonical tables for one header address */
int     cleanup_canon_tree(CLEANUP_MAPS *cm, int class, TOK822 *addr,
			           VSTRING *why)
{
    VSTRING *text = vstring_alloc(100);
    int     status;

    cleanup_maps_tree_get(addr, text);
    status = cleanup_canon_addr(cm, class, text, why);
    if (status == CLEANUP_MAP_FOUND)
	cleanup_maps_tree_set(addr, vstring_str(text));
    vstring_free(text);
    return (status);
}
