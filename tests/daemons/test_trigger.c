/*
 * test_trigger - trigger_server(3) example daemon, for the system tests
 *
 * SYNOPSIS
 *	test_trigger [generic daemon options] file
 *
 * DESCRIPTION
 *	Appends one line "<pid> <service> <length> <text>" to file for
 *	each trigger that it receives (control characters in the text
 *	become '?'), and logs "trigger <text>". The file is opened
 *	before the privilege drop. Not installed.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "trigger_server.h"

static int test_trigger_fd = -1;

/* test_trigger_service - record one trigger */
static void test_trigger_service(char *buf, ssize_t len, const char *service,
				         char **argv)
{
    VSTRING *line = vstring_alloc(100);
    char   *text = mymalloc((size_t) len + 1);

    (void) argv;
    memcpy(text, buf, (size_t) len);
    text[len] = 0;
    printable(text, '?');
    vstring_sprintf(line, "%ld %s %ld %s\n", (long) getpid(), service,
		    (long) len, text);
    if (write(test_trigger_fd, vstring_str(line), VSTRING_LEN(line)) < 0)
	msg_warn("write: %m");
    msg_info("trigger %s", text);
    myfree(text);
    vstring_free(line);
}

/* test_trigger_pre_init - open the output file */
static void test_trigger_pre_init(const char *service, char **argv)
{
    (void) service;
    if (argv[0] == NULL)
	msg_fatal("usage: test_trigger [options] file");
    if ((test_trigger_fd = open(argv[0], O_WRONLY | O_APPEND | O_CREAT
				| O_CLOEXEC, 0644)) < 0)
	msg_fatal("open %s: %m", argv[0]);
}

/* main - hand over to the skeleton */
int     main(int argc, char **argv)
{
    static const MAIL_SERVER_OPTS opts = {
	.pre_init = test_trigger_pre_init,
    };

    trigger_server_main(argc, argv, test_trigger_service, &opts);
}
