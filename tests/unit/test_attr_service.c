/*
 * test_attr_service - the request loop of a fake attribute-list service
 *
 * DESCRIPTION
 *	See test_attr_service.h.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <unistd.h>

#include "vstream.h"
#include "vstring.h"
#include "iostuff.h"
#include "sane_accept.h"
#include "attr_list.h"
#include "test_service.h"
#include "test_attr_service.h"

/* test_attr_service_loop - serve connections one after the other */
NORETURN test_attr_service_loop(int listen_fd, const TEST_ATTR_SERVICE *service)
{
    ATTR_LIST *request = attr_list_create();
    VSTRING *why = vstring_alloc(10);
    int     connections = 0;
    int     requests = 0;
    VSTREAM *fp;
    int     fd;

    for (;;) {
	if (read_wait(listen_fd, 20) < 0
	    || (fd = sane_accept(listen_fd, NULL, NULL)) < 0)
	    _exit(2);
	connections++;
	fp = vstream_fdopen(fd, O_RDWR);
	vstream_set_timeout(fp, 10);
	attr_proto_greet(fp, service->greeting, NULL);
	while (attr_list_read(fp, request, NULL, why)) {
	    requests++;
	    if (!attr_proto_check(request, service->protocol, why))
		_exit(4);
	    if (!service->answer(fp, request, requests, connections,
				 service->context))
		break;
	}
	vstream_fclose(fp);
	if (service->closed != NULL)
	    service->closed(connections, service->context);
    }
}

/* test_attr_service_child - the child of test_attr_service_start() */
static void test_attr_service_child(int listen_fd, void *context)
{
    test_attr_service_loop(listen_fd, (const TEST_ATTR_SERVICE *) context);
}

/* test_attr_service_start - listen on path, fork the request loop */
pid_t   test_attr_service_start(const char *path,
				        const TEST_ATTR_SERVICE *service)
{
    return test_service_start(path, test_attr_service_child,
			      (void *) service);
}
