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
 *	Process creation policy (master_avail.c):
 *	void	master_avail_listen(MASTER_SERV *serv);
 *	void	master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc);
 *	void	master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc);
 *
 *	Child processes (master_spawn.c):
 *	void	master_spawn(MASTER_SERV *serv);
 *	void	master_reap_child(void);
 *	void	master_detach_children(MASTER_SERV *serv, int sig);
 *	void	master_retire_children(MASTER_SERV *serv);
 *	void	master_signal_children(int sig);
 *	int	master_child_count(void);
 *	void	master_throttle(MASTER_SERV *serv);
 *	void	master_unthrottle(MASTER_SERV *serv);
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
 *	process id. A service is identified by its type and its endpoint
 *	name (name): "private/cleanup", "public/pickup", "25",
 *	"[127.0.0.1]:10025"; ext_name is the name as written in
 *	master.cf. See the .c files for each function.
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

typedef struct MASTER_SERV {
    struct MASTER_SERV *next;
    int     flags;			/* MASTER_FLAG_* */
    char   *ext_name;			/* master.cf service name */
    char   *name;			/* endpoint, see above */
    int     type;			/* MASTER_XPORT_* */
    int     line;			/* master.cf line */
    bool    private_flag;		/* master.cf private field */
    bool    unprivileged;		/* master.cf unprivileged field */
    bool    chroot;			/* master.cf chroot field */
    int     wakeup_time;		/* seconds, 0: none */
    int     max_proc;			/* 0: no limit */
    char   *path;			/* $daemon_directory/command */
    ARGV   *args;			/* command and arguments, see below */
    ARGV   *listen_addrs;		/* inet: "host:port" for each socket */
    int     listen_fd_count;
    int    *listen_fd;			/* -1 when closed */
    int     status_fd[2];		/* master end, child end */
    int     avail_proc;			/* idle children */
    int     total_proc;			/* all children */
    int     throttle_delay;		/* seconds */
    time_t  busy_warn_time;		/* last "process limit" warning */
    time_t  stress_expire_time;		/* stress mode until then */
} MASTER_SERV;

#define MASTER_FLAG_THROTTLE	(1<<0)	/* process creation suspended */
#define MASTER_FLAG_MARK	(1<<1)	/* reload: not seen in master.cf */
#define MASTER_FLAG_CONDWAKE	(1<<2)	/* wakeup only after first use */
#define MASTER_FLAG_LISTEN	(1<<3)	/* master watches the listeners */
#define MASTER_FLAG_LOCAL_ONLY	(1<<4)	/* no stress mode */

#define MASTER_THROTTLED(s)	(((s)->flags & MASTER_FLAG_THROTTLE) != 0)
#define MASTER_LISTENING(s)	(((s)->flags & MASTER_FLAG_LISTEN) != 0)
#define MASTER_LIMIT_OK(limit, count) ((limit) == 0 || (count) < (limit))

typedef struct MASTER_PROC {
    pid_t   pid;
    unsigned gen;			/* generation, unique per child */
    MASTER_SERV *serv;			/* NULL: service is gone */
    char   *path;			/* program, for diagnostics */
    int     avail;			/* MASTER_STAT_* */
    int     use_count;			/* times reported available */
    bool    retired;			/* status channel replaced */
    int     kill_signal;		/* signal we sent, or 0 */
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
extern void master_avail_listen(MASTER_SERV *serv);
extern void master_avail_more(MASTER_SERV *serv, MASTER_PROC *proc);
extern void master_avail_less(MASTER_SERV *serv, MASTER_PROC *proc);

/* master_spawn.c */
extern void master_spawn(MASTER_SERV *serv);
extern void master_reap_child(void);
extern void master_detach_children(MASTER_SERV *serv, int sig);
extern void master_retire_children(MASTER_SERV *serv);
extern void master_signal_children(int sig);
extern int master_child_count(void);
extern void master_throttle(MASTER_SERV *serv);
extern void master_unthrottle(MASTER_SERV *serv);
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
