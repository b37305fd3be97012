/*
 * master - private interfaces of the master(8) program
 *
 * SYNOPSIS
 *	#include "master.h"
 *
 *	Services (master_ent.c):
 *	MASTER_SERV *master_ent_create(const MASTER_ENTRY *entry,
 *				VSTRING *why);
 *	void	master_ent_free(MASTER_SERV *serv);
 *	bool	master_ent_disabled(const MASTER_ENTRY *entry,
 *				const char *disable_list);
 *	bool	master_ent_inet_port(const char *text, VSTRING *port,
 *				VSTRING *why);
 *	ARGV	*master_ent_exec_args(const MASTER_SERV *serv, bool stress);
 *
 *	Configuration (master_config.c):
 *	void	master_config_start(void);
 *	bool	master_config_refresh(void);
 *	void	master_config_stop(void);
 *
 *	Parameters (master_vars.c):
 *	void	master_vars_init(void);
 *
 *	Listeners (master_listen.c):
 *	bool	master_listen_init(MASTER_SERV *serv, VSTRING *why);
 *	void	master_listen_cleanup(MASTER_SERV *serv, bool remove);
 *
 *	When to start children (master_avail.c):
 *	MASTER_AVAIL_STATE master_avail_state(const MASTER_SERV *serv);
 *	void	master_avail_update(MASTER_SERV *serv);
 *	void	master_avail_child_new(MASTER_PROC *proc);
 *	void	master_avail_child_idle(MASTER_PROC *proc);
 *	void	master_avail_child_busy(MASTER_PROC *proc);
 *	void	master_avail_child_retired(MASTER_PROC *proc);
 *	void	master_avail_child_detach(MASTER_PROC *proc);
 *	void	master_avail_child_gone(MASTER_PROC *proc);
 *	void	master_avail_throttle(MASTER_SERV *serv);
 *	void	master_avail_unthrottle(MASTER_SERV *serv);
 *
 *	Child processes (master_spawn.c):
 *	void	master_spawn(MASTER_SERV *serv);
 *	void	master_reap_child(void);
 *	void	master_detach_children(MASTER_SERV *serv, int sig);
 *	void	master_retire_children(MASTER_SERV *serv);
 *	void	master_signal_children(int sig);
 *	int	master_child_count(void);
 *
 *	Status channel (master_status.c):
 *	void	master_status_init(MASTER_SERV *serv);
 *	void	master_status_cleanup(MASTER_SERV *serv);
 *
 *	Wakeup timers (master_wakeup.c):
 *	void	master_wakeup_init(MASTER_SERV *serv);
 *	void	master_wakeup_cleanup(MASTER_SERV *serv);
 *
 *	Signals (master_sig.c):
 *	void	master_sig_init(void);
 *	void	master_sig_reset(void);
 *
 *	Flow control pipe (master_flow.c):
 *	void	master_flow_init(void);
 *
 *	Start-up monitor (master_monitor.c):
 *	int	master_monitor(int time_limit);
 *
 * DESCRIPTION
 *	master(8) keeps one MASTER_SERV per enabled master.cf entry, in a
 *	list, and one MASTER_PROC per child process, in a table keyed by
 *	process id. A service is known by its transport type and its
 *	endpoint: "private/cleanup", "public/pickup", "25",
 *	"[127.0.0.1]:10025"; "service" is the name as written in
 *	master.cf. What changes while master runs is grouped by concern:
 *	the listening sockets and whether master waits for clients on
 *	them (listeners), the children and the process limit (pool), the
 *	pause after start-up failures (throttle), the wakeup timer
 *	(wakeup). See the .c files for each function, and
 *	docs/internals/master-protocol.md for how they work together.
 *
 *	The master_vars globals hold the parameters that master(8) uses,
 *	read from main.cf at start-up and at each reload.
 */
#ifndef MASTER_H
#define MASTER_H

#include "sys_defs.h"
#include <sys/types.h>
#include <time.h>

#include "argv.h"
#include "htable.h"
#include "vstring.h"
#include "master_conf.h"

typedef struct MASTER_LISTENERS {
    int     count;			/* sockets: 1, or one per inet address */
    int    *fds;			/* each -1 while closed */
    ARGV   *inet_addrs;			/* inet: "host:port" of each socket */
    bool    local_only;			/* unix or loopback: no stress mode */
    bool    watched;			/* master waits for clients on them */
} MASTER_LISTENERS;

typedef struct MASTER_POOL {
    int     limit;			/* master.cf process limit, 0: none */
    int     running;			/* children not yet reaped */
    int     idle;			/* children waiting for a client */
    time_t  full_warned;		/* last "reached its process limit" */
    time_t  stress_until;		/* children started before: stress */
} MASTER_POOL;

typedef struct MASTER_THROTTLE {
    bool    active;			/* no new children for now */
    int     delay;			/* seconds, $service_throttle_time */
} MASTER_THROTTLE;

typedef struct MASTER_WAKEUP {
    int     interval;			/* seconds, 0: no wakeup */
    bool    wait_for_child;		/* "N?": start with the first child */
} MASTER_WAKEUP;

typedef struct MASTER_CHANNEL {
    int     master_end;			/* master reads status records */
    int     child_end;			/* shared by the children */
} MASTER_CHANNEL;

typedef struct MASTER_SERV {
    struct MASTER_SERV *next;		/* master_head list */
    char   *service;			/* master.cf service name */
    char   *endpoint;			/* see above */
    int     transport;			/* MASTER_XPORT_* */
    int     conf_line;			/* master.cf line */
    char   *program;			/* $daemon_directory/command */
    ARGV   *command;			/* command name and arguments */
    bool    unprivileged;		/* child option -u */
    bool    chroot;			/* child option -c */
    MASTER_WAKEUP wakeup;
    MASTER_LISTENERS listeners;
    MASTER_POOL pool;
    MASTER_THROTTLE throttle;
    MASTER_CHANNEL status;		/* both -1 when closed */
    bool    stale;			/* reload: gone from master.cf */
} MASTER_SERV;

typedef struct MASTER_PROC {
    pid_t   pid;
    unsigned generation;		/* unique per child, see master_proto */
    MASTER_SERV *serv;			/* NULL: the service is gone */
    char   *program;			/* for diagnostics */
    bool    idle;			/* waiting for a client */
    int     served;			/* clients finished */
    bool    retired;			/* old status channel: finishing */
    int     kill_signal;		/* signal that master sent, or 0 */
} MASTER_PROC;

/* master_vars.c */
extern char *var_master_config_dir;	/* $config_directory */
extern char *var_master_daemon_dir;	/* $daemon_directory */
extern char *var_master_queue_dir;	/* $queue_directory */
extern char *var_master_data_dir;	/* $data_directory */
extern char *var_master_owner;		/* $mail_owner */
extern char *var_master_disable;	/* $master_service_disable */
extern char *var_master_inet_interfaces;/* as at start-up */
extern char *var_master_inet_protocols;	/* as at start-up */
extern char *var_master_known_ports;	/* $known_tcp_ports */
extern uid_t var_master_owner_uid;
extern gid_t var_master_owner_gid;
extern int var_master_proc_limit;	/* $default_process_limit */
extern int var_master_throttle_time;	/* $service_throttle_time */
extern bool master_privileged;		/* running as root */
extern bool master_detach;		/* children get -d when false */
extern bool master_init_mode;		/* -i: we are PID 1 */
extern void master_vars_init(void);

/* master_ent.c */
extern MASTER_SERV *master_ent_create(const MASTER_ENTRY *entry,
				              VSTRING *why);
extern void master_ent_free(MASTER_SERV *serv);
extern bool master_ent_disabled(const MASTER_ENTRY *entry,
				        const char *disable_list);
extern bool master_ent_inet_port(const char *text, VSTRING *port,
				         VSTRING *why);
extern ARGV *master_ent_exec_args(const MASTER_SERV *serv, bool stress);

/* master_config.c */
extern MASTER_SERV *master_head;	/* all services */
extern void master_config_start(void);
extern bool master_config_refresh(void);
extern void master_config_stop(void);

/* master_listen.c */
extern bool master_listen_init(MASTER_SERV *serv, VSTRING *why);
extern void master_listen_cleanup(MASTER_SERV *serv, bool remove);

/* master_avail.c */
typedef enum MASTER_AVAIL_STATE {
    MASTER_AVAIL_WANTED,		/* a client would get a new child */
    MASTER_AVAIL_IDLE_CHILD,		/* an idle child takes the client */
    MASTER_AVAIL_THROTTLED,		/* start-up failures: pausing */
    MASTER_AVAIL_FULL,			/* every allowed child is busy */
} MASTER_AVAIL_STATE;

extern MASTER_AVAIL_STATE master_avail_state(const MASTER_SERV *serv);
extern void master_avail_update(MASTER_SERV *serv);
extern void master_avail_child_new(MASTER_PROC *proc);
extern void master_avail_child_idle(MASTER_PROC *proc);
extern void master_avail_child_busy(MASTER_PROC *proc);
extern void master_avail_child_retired(MASTER_PROC *proc);
extern void master_avail_child_detach(MASTER_PROC *proc);
extern void master_avail_child_gone(MASTER_PROC *proc);
extern void master_avail_throttle(MASTER_SERV *serv);
extern void master_avail_unthrottle(MASTER_SERV *serv);

/* master_spawn.c */
extern void master_spawn(MASTER_SERV *serv);
extern void master_reap_child(void);
extern void master_detach_children(MASTER_SERV *serv, int sig);
extern void master_retire_children(MASTER_SERV *serv);
extern void master_signal_children(int sig);
extern int master_child_count(void);
extern HTABLE *master_child_table;

/* master_status.c */
extern void master_status_init(MASTER_SERV *serv);
extern void master_status_cleanup(MASTER_SERV *serv);

/* master_wakeup.c */
extern void master_wakeup_init(MASTER_SERV *serv);
extern void master_wakeup_cleanup(MASTER_SERV *serv);

/* master_sig.c */
extern volatile int master_gotsighup;
extern volatile int master_gotsigchld;
extern volatile int master_gotsigdeath;	/* signal number, or 0 */
extern void master_sig_init(void);
extern void master_sig_reset(void);

/* master_flow.c */
extern int master_flow_pipe[2];
extern void master_flow_init(void);

/* master_monitor.c */
extern int master_monitor(int time_limit);

#endif
