/*
 * master_proto - the protocol between master(8) and the daemons it runs
 *
 * SYNOPSIS
 *	#include "master_proto.h"
 *
 *	#define MASTER_FLOW_READ	3
 *	#define MASTER_FLOW_WRITE	4
 *	#define MASTER_STATUS_FD	5
 *	#define MASTER_LISTEN_FD	6
 *	#define MASTER_GEN_NAME		"GENERATION"
 *
 *	typedef struct MASTER_STATUS {
 *	    int	    pid;
 *	    unsigned gen;
 *	    int	    avail;		MASTER_STAT_TAKEN or MASTER_STAT_AVAIL
 *	} MASTER_STATUS;
 *
 *	int	master_notify(int pid, unsigned generation, int avail);
 *	bool	master_generation_parse(const char *text, unsigned *gen);
 *	int	master_xport_code(const char *name);
 *	const char *master_xport_name(int code);
 *
 * DESCRIPTION
 *	This header is the contract between master(8) and the daemon
 *	skeletons (single_server, multi_server, trigger_server); see
 *	docs/internals/master-protocol.md for the whole protocol.
 *
 *	A child inherits fixed descriptors: the two ends of the mail
 *	flow-control pipe (3 and 4, see mail_flow(3)), its end of the
 *	service's status channel (5), and the service's listening
 *	endpoints (6, 7, ..., as many as the -s option says). Its
 *	generation number, unique for each process that master starts,
 *	is passed in the environment variable GENERATION, in octal.
 *
 *	master_notify() writes one MASTER_STATUS record (this process's
 *	pid, its generation and MASTER_STAT_TAKEN or MASTER_STAT_AVAIL)
 *	on the status channel, and returns 0, or -1 with errno when the
 *	record could not be written whole (the master went away).
 *
 *	master_generation_parse() converts the GENERATION text (octal
 *	digits only) and returns false for anything else.
 *
 *	master_xport_code() maps a master.cf service type name ("inet",
 *	"unix", "unix-dgram", "fifo", "pass") to its MASTER_XPORT_* code,
 *	or returns -1; master_xport_name() is the reverse (NULL for an
 *	unknown code). MASTER_XPORT_MASK(code) is the bit that a skeleton
 *	uses in the set of transports that it supports.
 *
 * DIAGNOSTICS
 *	None: errors are returned.
 */
#ifndef MASTER_PROTO_H
#define MASTER_PROTO_H

#include "sys_defs.h"

#define MASTER_FLOW_READ	3	/* mail flow tokens: read end */
#define MASTER_FLOW_WRITE	4	/* mail flow tokens: write end */
#define MASTER_STATUS_FD	5	/* status channel to the master */
#define MASTER_LISTEN_FD	6	/* first listening endpoint */

#define MASTER_GEN_NAME		"GENERATION"

typedef struct MASTER_STATUS {
    int     pid;			/* sender's process id */
    unsigned gen;			/* sender's generation */
    int     avail;			/* MASTER_STAT_* */
} MASTER_STATUS;

#define MASTER_STAT_TAKEN	0	/* busy with a client */
#define MASTER_STAT_AVAIL	1	/* idle, ready for a client */

#define MASTER_XPORT_INET	0
#define MASTER_XPORT_UNIX	1
#define MASTER_XPORT_UNIX_DGRAM	2
#define MASTER_XPORT_FIFO	3
#define MASTER_XPORT_PASS	4
#define MASTER_XPORT_MASK(code)	(1 << (code))

#define MASTER_XPORT_NAME_INET		"inet"
#define MASTER_XPORT_NAME_UNIX		"unix"
#define MASTER_XPORT_NAME_UNIX_DGRAM	"unix-dgram"
#define MASTER_XPORT_NAME_FIFO		"fifo"
#define MASTER_XPORT_NAME_PASS		"pass"

#define MASTER_TRIGGER_WAKEUP	'W'	/* what a wakeup trigger sends */

extern int master_notify(int pid, unsigned generation, int avail);
extern bool master_generation_parse(const char *text, unsigned *gen);
extern int master_xport_code(const char *name);
extern const char *master_xport_name(int code);

#endif
