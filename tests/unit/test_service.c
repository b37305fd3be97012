/*
 * test_service - a fake internal service for the tests of its clients
 *
 * DESCRIPTION
 *	See test_service.h.
 */
#include "sys_defs.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "iostuff.h"
#include "listen.h"
#include "test_support.h"
#include "test_service.h"

/* test_service_dir - a queue directory with public/ or private/ */
char   *test_service_dir(const char *class, const char *name, char **queue_dir)
{
    char   *class_dir;
    char   *path;

    *queue_dir = test_tempdir();
    class_dir = concatenate(*queue_dir, "/", class, (char *) 0);
    if (mkdir(class_dir, strcmp(class, "public") == 0 ? 0755 : 0700) < 0)
	fail_msg("mkdir %s: %m", class_dir);
    path = concatenate(class_dir, "/", name, (char *) 0);
    myfree(class_dir);
    return path;
}

/* test_service_start - listen and fork the fake service */
pid_t   test_service_start(const char *path,
			           void (*serve) (int listen_fd, void *context),
			           void *context)
{
    VSTRING *why = vstring_alloc(10);
    pid_t   pid;
    int     fd;

    if ((fd = unix_listen(path, 5, BLOCKING, why)) < 0)
	fail_msg("listen %s: %s", path, vstring_str(why));
    if ((pid = fork()) < 0)
	fail_msg("fork: %m");
    if (pid == 0) {
	serve(fd, context);
	_exit(0);
    }
    close(fd);
    vstring_free(why);
    return pid;
}

/* test_service_wait - wait for the fake service; its exit status */
int     test_service_wait(pid_t pid, const char *path)
{
    int     status;

    if (waitpid(pid, &status, 0) < 0)
	fail_msg("waitpid: %m");
    (void) unlink(path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* test_service_kill - end a fake service that serves forever */
bool    test_service_kill(pid_t pid, const char *path)
{
    int     status;

    (void) kill(pid, SIGKILL);
    if (waitpid(pid, &status, 0) < 0)
	fail_msg("waitpid: %m");
    (void) unlink(path);
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}
