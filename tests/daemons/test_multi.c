/*
 * test_multi - multi_server(3) example daemon, for the system tests
 *
 * SYNOPSIS
 *	test_multi [generic daemon options]
 *
 * DESCRIPTION
 *	A counter shared by all clients of one process. Each request is
 *	one line, and gets one line back:
 *
 *	inc		adds one; answers "<count> <pid>"
 *	clients		the number of open client connections
 *	param <name>	the value of a main.cf parameter
 *	quit		"bye", then the server closes the connection
 *
 *	Anything else gets "error". Not installed.
 */
#include "sys_defs.h"

#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "vstring.h"
#include "vstream.h"
#include "vstring_vstream.h"
#include "mail_conf.h"
#include "multi_server.h"

static long test_multi_count;

/* test_multi_service - one request */
static void test_multi_service(VSTREAM *client, const char *service,
			               char **argv)
{
    static VSTRING *line;
    const char *value;
    char   *arg;

    (void) service;
    (void) argv;
    if (line == NULL)
	line = vstring_alloc(100);
    if (vstring_get_nonl_bound(line, client, 1000) == VSTREAM_EOF) {
	multi_server_disconnect(client);
	return;
    }
    arg = strchr(vstring_str(line), ' ');
    if (arg)
	*arg++ = 0;
    if (strcmp(vstring_str(line), "inc") == 0) {
	vstream_fprintf(client, "%ld %ld\n", ++test_multi_count, (long) getpid());
    } else if (strcmp(vstring_str(line), "clients") == 0) {
	vstream_fprintf(client, "%d\n", multi_server_client_count());
    } else if (strcmp(vstring_str(line), "param") == 0 && arg) {
	value = mail_conf_lookup_raw(arg);
	vstream_fprintf(client, "%s\n", value ? mail_conf_eval(value) : "");
    } else if (strcmp(vstring_str(line), "quit") == 0) {
	vstream_fprintf(client, "bye\n");
	(void) vstream_fflush(client);
	multi_server_disconnect(client);
	return;
    } else {
	vstream_fprintf(client, "error\n");
    }
    if (vstream_fflush(client) != 0)
	multi_server_disconnect(client);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    multi_server_main(argc, argv, test_multi_service, NULL);
}
