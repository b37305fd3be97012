/*
 * cleanup_bcc - automatic BCC recipients for cleanup(8)
 *
 * DESCRIPTION
 *	See cleanup_bcc.h. A failing table logs, as Postfix 3.7 does,
 *	"warning: <qid>: <title> map lookup problem -- message not
 *	accepted, try again later" (no address in it), after the table's
 *	own "lookup error" warning.
 */
#include "sys_defs.h"

#include "msg.h"
#include "vstring.h"
#include "maps.h"
#include "cleanup_maps.h"

/* cleanup_bcc_always - the always_bcc address */
const char *cleanup_bcc_always(CLEANUP_MAPS *cm)
{
    return (cm->always_bcc);
}

/* cleanup_bcc_lookup - one BCC table lookup */
static int cleanup_bcc_lookup(CLEANUP_MAPS *cm, MAPS *maps, const char *addr,
			              VSTRING *bcc, VSTRING *why)
{
    const char *value;

    if (maps == 0 || *addr == 0)
	return (CLEANUP_MAP_NONE);
    if ((value = cleanup_maps_find(cm, maps, addr, &cm->match)) != 0) {
	vstring_strcpy(bcc, value);
	return (CLEANUP_MAP_FOUND);
    }
    if (maps->error == DICT_ERR_NONE)
	return (CLEANUP_MAP_NONE);
    msg_warn("%s%s map lookup problem -- message not accepted, try again later",
	     cleanup_maps_qid(cm), maps->title);
    if (why)
	vstring_strcpy(why, "4.3.0 queue file write error");
    return (CLEANUP_MAP_RETRY);
}

/* cleanup_bcc_sender - sender_bcc_maps */
int     cleanup_bcc_sender(CLEANUP_MAPS *cm, const char *sender,
			           VSTRING *bcc, VSTRING *why)
{
    return (cleanup_bcc_lookup(cm, cm->sender_bcc, sender, bcc, why));
}

/* cleanup_bcc_recipient - recipient_bcc_maps */
int     cleanup_bcc_recipient(CLEANUP_MAPS *cm, const char *rcpt,
			              VSTRING *bcc, VSTRING *why)
{
    return (cleanup_bcc_lookup(cm, cm->recipient_bcc, rcpt, bcc, why));
}
