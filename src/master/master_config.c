/*
 * master_config - load master.cf, apply reloads, shut services down
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	MASTER_SERV *master_head;
 *
 *	void	master_config_start(void);
 *	bool	master_config_refresh(void);
 *	void	master_config_stop(void);
 *
 * DESCRIPTION
 *	master_config_start() reads $config_directory/master.cf and starts
 *	every service in it: listeners, status channel, wakeup timer, and
 *	the process creation policy. Any problem is fatal at start-up.
 *
 *	With non_bdb_migration_level = enable-reindex, a master.cf without
 *	a "nbdb_reindexd unix" entry gets the implicit entry
 *	"nbdb_reindexd unix - n n - 1 nbdb_reindexd" when
 *	$daemon_directory/nbdb_reindexd exists (docs/internals/non-bdb.md),
 *	so that daemons can have missing hash: and btree: files rebuilt.
 *
 *	Entries that $master_service_disable names are skipped. When two
 *	entries have the same type and endpoint, the last one wins (with
 *	a warning). When $inet_protocols enables no protocol, inet
 *	services are skipped with a warning.
 *
 *	master_config_refresh() is the reload: it reads master.cf again
 *	(the caller has re-read main.cf) and compares by type and
 *	endpoint. New services start. Removed services stop: their
 *	listeners close, their socket files go, and their children get
 *	SIGTERM. Services that remain take the new settings (program,
 *	arguments, limits, wakeup time): their listeners stay open, but
 *	their status channel is replaced, so that the children that run
 *	now exit as soon as they have finished their current client,
 *	and new children start with the new settings. A throttled
 *	service is released (the reload may have fixed it). When the new
 *	master.cf is bad, nothing changes: the function logs why and
 *	returns false. A new service whose listener cannot be opened is
 *	left out, with a warning.
 *
 *	master_config_stop() stops watching all services and closes and
 *	removes their listeners, for shutdown.
 *
 * DIAGNOSTICS
 *	Fatal at start-up, warnings at reload: master.cf syntax errors,
 *	"<file>: line <n>: <reason>" for a bad service, listener errors.
 *	Warnings: "duplicate master.cf entry for service \"<name>\" (<endpoint>)
 *	-- using the last entry", "all network protocols are disabled
 *	(inet_protocols = <value>)", "disabling all type \"inet\" services
 *	in master.cf", "reload failed -- keeping the old master.cf
 *	configuration".
 */
#include "sys_defs.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstring.h"
#include "inet_proto.h"
#include "mail_conf.h"
#include "master_conf.h"
#include "master_proto.h"
#include "nbdb_proto.h"
#include "nbdb_redirect.h"
#include "master.h"

MASTER_SERV *master_head;

#define MASTER_CONFIG_IMPLICIT_NBDB \
	NBDB_SERVICE_NAME " unix - n n - 1 " NBDB_SERVICE_NAME

/* master_config_path - the master.cf path */
static char *master_config_path(void)
{
    return concatenate(var_master_config_dir, "/", MASTER_CONF_FILE, (char *) 0);
}

/* master_config_find - a service by type and endpoint */
static MASTER_SERV *master_config_find(MASTER_SERV *list, const MASTER_SERV *key)
{
    MASTER_SERV *serv;

    for (serv = list; serv != NULL; serv = serv->next)
	if (serv->transport == key->transport
	    && strcmp(serv->endpoint, key->endpoint) == 0)
	    return serv;
    return NULL;
}

/*
 * master_config_implicit - the nbdb_reindexd entry that master.cf lacks.
 * At non_bdb_migration_level = enable-reindex, daemons ask this service
 * to rebuild missing hash: and btree: files; a master.cf from Postfix
 * (Debian's) has no entry for it, so master supplies one.
 */
static MASTER_ENTRY *master_config_implicit(const MASTER_CONF *conf)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_ENTRY *entry = NULL;
    char   *program;
    size_t  n;

    for (n = 0; n < conf->count; n++)
	if (strcmp(conf->entries[n]->service, NBDB_SERVICE_NAME) == 0
	    && strcmp(conf->entries[n]->type, MASTER_XPORT_NAME_UNIX) == 0)
	    break;
    program = concatenate(var_master_daemon_dir, "/", NBDB_SERVICE_NAME,
			  (char *) 0);
    if (n == conf->count && nbdb_level(why) == NBDB_LEVEL_REINDEX
	&& access(program, X_OK) == 0) {
	entry = master_entry_parse(MASTER_CONFIG_IMPLICIT_NBDB,
				   "(implicit)", 0, why);
	if (entry == NULL)
	    msg_panic("master_config_implicit: %s", vstring_str(why));
	if (master_ent_disabled(entry, var_master_disable)) {
	    master_entry_free(entry);
	    entry = NULL;
	}
    }
    myfree(program);
    vstring_free(why);
    return entry;
}

/* master_config_build - the service list of a master.cf file */
static bool master_config_build(MASTER_SERV **result, bool fatal)
{
    char   *path = master_config_path();
    VSTRING *why = vstring_alloc(100);
    MASTER_CONF *conf;
    MASTER_ENTRY *implicit;
    MASTER_SERV *head = NULL;
    MASTER_SERV **tail = &head;
    MASTER_SERV *serv;
    MASTER_SERV *old;
    MASTER_SERV **pp;
    bool    no_inet = inet_proto_info()->family_list[0] == 0;
    bool    warned_inet = false;
    bool    ok = true;
    size_t  n;

    if ((conf = master_conf_read(path, why)) == NULL) {
	if (fatal)
	    msg_fatal("%s", vstring_str(why));
	msg_warn("%s", vstring_str(why));
	ok = false;
    }
    if (ok && (implicit = master_config_implicit(conf)) != NULL) {
	conf->entries = myrealloc(conf->entries,
				  (conf->count + 1) * sizeof(*conf->entries));
	conf->entries[conf->count++] = implicit;
    }
    for (n = 0; ok && n < conf->count; n++) {
	const MASTER_ENTRY *entry = conf->entries[n];

	if (master_ent_disabled(entry, var_master_disable))
	    continue;
	if (no_inet && strcmp(entry->type, MASTER_XPORT_NAME_INET) == 0) {
	    if (!warned_inet) {
		msg_warn("all network protocols are disabled (%s = %s)",
			 "inet_protocols", excerpt(var_master_inet_protocols));
		msg_warn("disabling all type \"inet\" services in master.cf");
		warned_inet = true;
	    }
	    continue;
	}
	if ((serv = master_ent_create(entry, why)) == NULL) {
	    if (fatal)
		msg_fatal("%s: line %d: %s", path, entry->line, vstring_str(why));
	    msg_warn("%s: line %d: %s", path, entry->line, vstring_str(why));
	    ok = false;
	    break;
	}
	if ((old = master_config_find(head, serv)) != NULL) {
	    msg_warn("duplicate master.cf entry for service \"%s\" (%s) "
		     "-- using the last entry", excerpt(serv->service),
		     excerpt(serv->endpoint));
	    for (pp = &head; *pp != old; pp = &(*pp)->next)
		 /* void */ ;
	    *pp = old->next;
	    if (tail == &old->next)
		tail = pp;
	    master_ent_free(old);
	}
	*tail = serv;
	tail = &serv->next;
    }
    if (conf)
	master_conf_free(conf);
    if (!ok) {
	while ((serv = head) != NULL) {
	    head = serv->next;
	    master_ent_free(serv);
	}
    }
    *result = head;
    vstring_free(why);
    myfree(path);
    return ok;
}

/* master_service_start - open a service and start serving it */
static bool master_service_start(MASTER_SERV *serv, VSTRING *why)
{
    if (!master_listen_init(serv, why))
	return false;
    master_status_init(serv);
    master_wakeup_init(serv);
    master_avail_update(serv);
    return true;
}

/* master_service_stop - close a service and forget it */
static void master_service_stop(MASTER_SERV *serv)
{
    master_wakeup_cleanup(serv);
    master_avail_unthrottle(serv);
    master_listen_cleanup(serv, true);
    master_status_cleanup(serv);
    master_detach_children(serv, SIGTERM);
    master_ent_free(serv);
}

/* master_config_start - the services of master.cf at start-up */
void    master_config_start(void)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_SERV *serv;

    (void) master_config_build(&master_head, true);
    for (serv = master_head; serv != NULL; serv = serv->next)
	if (!master_service_start(serv, why))
	    msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}

/* master_config_update - give a running service new settings */
static void master_config_update(MASTER_SERV *serv, MASTER_SERV *fresh)
{
    char   *tmp_str;
    ARGV   *tmp_argv;

    tmp_str = serv->service;
    serv->service = fresh->service;
    fresh->service = tmp_str;
    tmp_str = serv->program;
    serv->program = fresh->program;
    fresh->program = tmp_str;
    tmp_argv = serv->command;
    serv->command = fresh->command;
    fresh->command = tmp_argv;
    serv->conf_line = fresh->conf_line;
    serv->unprivileged = fresh->unprivileged;
    serv->chroot = fresh->chroot;
    serv->wakeup = fresh->wakeup;
    serv->pool.limit = fresh->pool.limit;
    serv->throttle.delay = fresh->throttle.delay;
    serv->listeners.local_only = fresh->listeners.local_only;

    /* New children only: the running ones finish and go. */
    master_wakeup_cleanup(serv);
    master_status_cleanup(serv);
    master_status_init(serv);
    master_avail_unthrottle(serv);
    master_wakeup_init(serv);
    master_avail_update(serv);
}

/* master_config_refresh - apply a new master.cf */
bool    master_config_refresh(void)
{
    VSTRING *why = vstring_alloc(100);
    MASTER_SERV *fresh_list;
    MASTER_SERV *fresh;
    MASTER_SERV *serv;
    MASTER_SERV **pp;

    if (!master_config_build(&fresh_list, false)) {
	msg_warn("reload failed -- keeping the old master.cf configuration");
	vstring_free(why);
	return false;
    }
    for (serv = master_head; serv != NULL; serv = serv->next)
	serv->stale = true;
    while ((fresh = fresh_list) != NULL) {
	fresh_list = fresh->next;
	fresh->next = NULL;
	if ((serv = master_config_find(master_head, fresh)) != NULL) {
	    serv->stale = false;
	    master_config_update(serv, fresh);
	    master_ent_free(fresh);
	} else if (master_service_start(fresh, why)) {
	    fresh->next = master_head;
	    master_head = fresh;
	} else {
	    msg_warn("%s -- service \"%s\" not started", vstring_str(why),
		     excerpt(fresh->service));
	    master_ent_free(fresh);
	}
    }
    for (pp = &master_head; (serv = *pp) != NULL; /* see below */ ) {
	if (serv->stale) {
	    *pp = serv->next;
	    master_service_stop(serv);
	} else {
	    pp = &serv->next;
	}
    }
    vstring_free(why);
    return true;
}

/* master_config_stop - close every service for shutdown */
void    master_config_stop(void)
{
    MASTER_SERV *serv;

    for (serv = master_head; serv != NULL; serv = serv->next) {
	master_wakeup_cleanup(serv);
	master_listen_cleanup(serv, true);
    }
}
