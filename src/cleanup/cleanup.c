/*
 * cleanup - canonicalize and enqueue mail: the cleanup(8) daemon
 *
 * SYNOPSIS
 *	cleanup [generic daemon options]
 *
 * DESCRIPTION
 *	cleanup(8) serves one client connection at a time (single_server
 *	skeleton; master.cf "cleanup unix n - n - 0 cleanup", process limit
 *	0: MAIL_SERVER_FLAG_UNLIMITED). Each connection is one message:
 *	cleanup_service() (cleanup_service.c) creates the queue file,
 *	reads the client's records, writes and commits the file, and
 *	answers with a status. The phases are listed in cleanup.h.
 *
 *	The tables (cleanup_maps(3)) are opened once per process, before
 *	any chroot; so is /proc/self/mountinfo read, to learn whether the
 *	file system of incoming/ commits names in order
 *	(mail_queue_names_ordered(3)).
 *
 *	Flow control: before each new message cleanup takes a token from
 *	the master's flow pipe, or pauses $in_flow_delay when there is none
 *	(MAIL_SERVER_FLAG_IN_FLOW_DELAY), as Postfix's cleanup does; qmgr
 *	puts the tokens in (mail_flow(3)).
 *
 *	Options that the client forwards from receive_override_options
 *	arrive as request flags (no_header_body_checks clears
 *	CLEANUP_FLAG_FILTER, no_address_mappings clears
 *	CLEANUP_FLAG_MAP_OK and CLEANUP_FLAG_BCC_OK); cleanup itself does
 *	not read that parameter.
 *
 *	A client that sets CLEANUP_FLAG_BOUNCE (pickup) gets a content
 *	rejection turned into a non-delivery notification to the sender
 *	(cleanup_bounce.c).
 *
 *	Not done here: milters; bouncing a message_size_limit rejection
 *	(it is returned to the client like the other rejections).
 *
 * DIAGNOSTICS
 *	See cleanup_service.c and the phase modules. Info: the message-id
 *	lines and content check actions.
 */
#include "sys_defs.h"

#include <signal.h>

#include "single_server.h"
#include "mail_queue.h"
#include "cleanup.h"

/* cleanup_pre_init - open the tables, probe the queue's file system */
static void cleanup_pre_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    cleanup_maps = cleanup_maps_create();
    /* The answer is cached: after a chroot /proc may be out of reach. */
    (void) mail_queue_names_ordered(MAIL_QUEUE_INCOMING);
}

/* cleanup_post_init - process-wide settings */
static void cleanup_post_init(const char *service, char **argv)
{
    (void) service;
    (void) argv;
    signal(SIGPIPE, SIG_IGN);
}

/* main - hand over to the single_server skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.flags = MAIL_SERVER_FLAG_UNLIMITED | MAIL_SERVER_FLAG_IN_FLOW_DELAY,
	.pre_init = cleanup_pre_init,
	.post_init = cleanup_post_init,
    };

    single_server_main(argc, argv, cleanup_service, &opts);
}
