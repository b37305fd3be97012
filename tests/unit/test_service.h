/*
 * test_service - a fake internal service for the tests of its clients
 *
 * SYNOPSIS
 *	#include "test_service.h"
 *
 *	char	*test_service_dir(const char *class, const char *name,
 *				char **queue_dir);
 *	pid_t	test_service_start(const char *path,
 *				void (*serve)(int listen_fd, void *context),
 *				void *context);
 *	int	test_service_wait(pid_t pid, const char *path);
 *	bool	test_service_kill(pid_t pid, const char *path);
 *
 * DESCRIPTION
 *	test_service_dir() makes a fresh queue directory (test_tempdir())
 *	with the subdirectory class ("public", mode 0755, or "private",
 *	mode 0700), stores its path in *queue_dir (free with myfree(), the
 *	tree with test_remove_tree()), and returns the path of the
 *	endpoint class/name (free with myfree()). It does not set
 *	queue_directory; the caller does when its client needs it.
 *
 *	test_service_start() listens on the UNIX-domain socket path and
 *	forks; the child calls serve() with the listening socket and
 *	context, and exits with status 0 when serve() returns (serve()
 *	may _exit() with a status of its own, which is how a fake service
 *	reports a request that it did not expect). The parent closes its
 *	copy of the socket and returns the child's PID.
 *
 *	test_service_wait() waits for the child and removes the socket; it
 *	returns the child's exit status, or -1 when a signal ended it.
 *	test_service_kill() ends a child that serves forever: SIGKILL, wait,
 *	remove the socket; true when the SIGKILL ended it (false: it had
 *	already exited, as a fake service does after a bad request).
 *
 * DIAGNOSTICS
 *	cmocka failures for setup errors (mkdir, listen, fork, waitpid).
 */
#ifndef TEST_SERVICE_H
#define TEST_SERVICE_H

#include "sys_defs.h"

#include <sys/types.h>

extern char *test_service_dir(const char *class, const char *name,
			              char **queue_dir);
extern pid_t test_service_start(const char *path,
			               void (*serve) (int listen_fd, void *context),
				        void *context);
extern int test_service_wait(pid_t pid, const char *path);
extern bool test_service_kill(pid_t pid, const char *path);

#endif
