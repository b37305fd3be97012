/*
 * test_attr_service - the request loop of a fake attribute-list service
 *
 * SYNOPSIS
 *	#include "test_attr_service.h"
 *
 *	typedef struct TEST_ATTR_SERVICE {
 *	    const char *greeting;
 *	    const char *protocol;
 *	    bool    (*answer)(VSTREAM *fp, const ATTR_LIST *request,
 *				int requests, int connections, void *context);
 *	    void    (*closed)(int connections, void *context);
 *	    void   *context;
 *	} TEST_ATTR_SERVICE;
 *
 *	NORETURN test_attr_service_loop(int listen_fd,
 *				const TEST_ATTR_SERVICE *service);
 *
 *	pid_t	test_attr_service_start(const char *path,
 *				const TEST_ATTR_SERVICE *service);
 *
 * DESCRIPTION
 *	test_attr_service_loop() is the body of a fake internal service
 *	started with test_service_start(3) that speaks attribute lists
 *	(attr_list(3)): it accepts connections one after the other (each
 *	with a 10-second I/O limit), greets each with the protocol name
 *	greeting, and reads requests until end of input. A request whose
 *	first attribute does not name protocol ends the process with
 *	status 4; no connection within 20 seconds ends it with status 2.
 *	answer() replies to each request (requests and connections count
 *	from 1 over the life of the process) and returns false to close
 *	the connection without reading more. closed(), when not NULL,
 *	runs after each connection is closed.
 *
 *	test_attr_service_start() is test_service_start(3) with that loop
 *	as the child: it listens on path and returns the child's PID.
 *
 * DIAGNOSTICS
 *	Exit statuses 2 and 4 as above (test_service_wait(3) reports them).
 */
#ifndef TEST_ATTR_SERVICE_H
#define TEST_ATTR_SERVICE_H

#include "sys_defs.h"

#include <sys/types.h>

#include "vstream.h"
#include "attr_list.h"

typedef struct TEST_ATTR_SERVICE {
    const char *greeting;		/* protocol announced */
    const char *protocol;		/* protocol of each request */
    bool    (*answer) (VSTREAM *fp, const ATTR_LIST *request,
		               int requests, int connections, void *context);
    void    (*closed) (int connections, void *context);
    void   *context;			/* for answer() and closed() */
} TEST_ATTR_SERVICE;

extern NORETURN test_attr_service_loop(int listen_fd,
				               const TEST_ATTR_SERVICE *service);
extern pid_t test_attr_service_start(const char *path,
				             const TEST_ATTR_SERVICE *service);

#endif
