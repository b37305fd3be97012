/*
 * scache_client - SCAFFOLDING for issue 11 (replaced by its owner)
 */
#include "sys_defs.h"
#include "msg.h"
#include "scache_client.h"

/* SCAFFOLDING: not yet written */
SCACHE_CLIENT *scache_client_open(const char *service)
{
    (void) service;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
void scache_client_close(SCACHE_CLIENT *sc)
{
    (void) sc;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int scache_save_endp(SCACHE_CLIENT *sc, int ttl, const char *endp_label, const char *endp_prop, int fd)
{
    (void) sc;
    (void) ttl;
    (void) endp_label;
    (void) endp_prop;
    (void) fd;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int scache_find_endp(SCACHE_CLIENT *sc, const char *endp_label, VSTRING *endp_prop)
{
    (void) sc;
    (void) endp_label;
    (void) endp_prop;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int scache_save_dest(SCACHE_CLIENT *sc, int ttl, const char *dest_label, const char *dest_prop, const char *endp_label)
{
    (void) sc;
    (void) ttl;
    (void) dest_label;
    (void) dest_prop;
    (void) endp_label;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}

/* SCAFFOLDING: not yet written */
int scache_find_dest(SCACHE_CLIENT *sc, const char *dest_label, VSTRING *dest_prop, VSTRING *endp_prop)
{
    (void) sc;
    (void) dest_label;
    (void) dest_prop;
    (void) endp_prop;
    msg_panic("%s: issue-11 scaffolding, not yet written", __func__);
}
