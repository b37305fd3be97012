/*
 * rewrite_query - ask the rewrite service about addresses
 *
 * SYNOPSIS
 *	rewrite-query [-v] [-c config_dir] [-e endpoint]
 *		rewrite local|remote address ...
 *	rewrite-query [-v] [-c config_dir] [-e endpoint] [-f sender]
 *		resolve|resolve_verify|resolve_sender address ...
 *
 * DESCRIPTION
 *	rewrite-query sends each address to a running trivial-rewrite(8)
 *	through rewrite_client(3) (private/rewrite under $queue_directory
 *	of the configuration in config_dir, or endpoint: an absolute
 *	socket path or one relative to $queue_directory) and prints the
 *	answer on standard output. It is the "postmap -q" of the rewrite
 *	service, for tests and for administrators who want to know how an
 *	address would be routed. It is installed in $daemon_directory, not
 *	in the command directory: Postfix has no such command.
 *
 *	For rewrite, one line per address: the rewritten address.
 *
 *	For the resolve requests, four lines per address and an empty
 *	line after each group:
 *
 *	    flags: final,local		(names of the bits, or "none")
 *	    transport: local
 *	    nexthop: host.example.com
 *	    recipient: user@host.example.com
 *
 *	Flag names: final, routed, error, fail (RESOLVE_FLAG_*) and the
 *	class: local, alias, virtual, relay, default (RESOLVE_CLASS_*).
 *	Addresses are in internal (unquoted) form; "" is the null address.
 *
 *	Options:
 * .IP "-c config_dir"
 *	Read main.cf from config_dir.
 * .IP "-e endpoint"
 *	Talk to this endpoint instead of private/rewrite.
 * .IP "-f sender"
 *	The sender for sender-dependent routing (default: empty).
 * .IP -v
 *	Verbose logging to standard error.
 *
 *	This program does not rewrite or resolve anything itself.
 *
 * DIAGNOSTICS
 *	Exit status 0 when every query was answered, 1 when one failed (a
 *	warning names the reason), 2 for a usage error.
 */
#include "sys_defs.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "msg_output.h"
#include "open_std_fds.h"
#include "vstring.h"
#include "vstream.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "rewrite_proto.h"
#include "rewrite_client.h"

/* rewrite_query_usage - complain and exit */
static NORETURN rewrite_query_usage(const char *progname)
{
    msg_warn("usage: %s [-v] [-c config_dir] [-e endpoint] [-f sender] "
	     "rewrite local|remote | resolve | resolve_verify | resolve_sender "
	     "address ...", progname);
    exit(2);
}


/* main - parse the command line, ask, print */
int     main(int argc, char **argv)
{
    const char *progname = "rewrite-query";
    const char *sender = "";
    const char *endpoint = NULL;
    const char *request;
    const char *rule = NULL;
    RESOLVE_REPLY reply;
    VSTRING *result;
    VSTRING *buf;
    int     status = 0;
    int     ch;

    open_std_fds();
    msg_stderr_init(progname);
    argv[0] = (char *) progname;
    while ((ch = getopt(argc, argv, "+c:e:f:v")) != -1) {
	switch (ch) {
	case 'c':
	    mail_conf_set_dir(optarg);
	    break;
	case 'e':
	    endpoint = optarg;
	    break;
	case 'f':
	    sender = optarg;
	    break;
	case 'v':
	    msg_verbose++;
	    break;
	default:
	    rewrite_query_usage(progname);
	}
    }
    if (argc - optind < 2)
	rewrite_query_usage(progname);
    request = argv[optind++];
    if (strcmp(request, REWRITE_REQ_REWRITE) == 0) {
	rule = argv[optind++];
	if (optind >= argc)
	    rewrite_query_usage(progname);
    } else if (strcmp(request, REWRITE_REQ_RESOLVE) != 0
	       && strcmp(request, REWRITE_REQ_RESOLVE_VERIFY) != 0
	       && strcmp(request, REWRITE_REQ_RESOLVE_SENDER) != 0) {
	rewrite_query_usage(progname);
    }
    mail_conf_read();
    signal(SIGPIPE, SIG_IGN);
    if (endpoint)
	rewrite_client_set_endpoint(endpoint);

    result = vstring_alloc(100);
    buf = vstring_alloc(100);
    resolve_reply_init(&reply);
    for (; optind < argc; optind++) {
	if (rule != NULL) {
	    if (!rewrite_client_rewrite(rule, argv[optind], result)) {
		status = 1;
		continue;
	    }
	    vstream_printf("%s\n", vstring_str(result));
	} else {
	    if (!rewrite_client_resolve(request, sender, argv[optind], &reply)) {
		status = 1;
		continue;
	    }
	    vstream_printf("flags: %s\ntransport: %s\nnexthop: %s\n"
			   "recipient: %s\n\n",
			   resolve_flag_names(buf, reply.flags),
			   vstring_str(reply.transport),
			   vstring_str(reply.nexthop),
			   vstring_str(reply.recipient));
	}
	if (vstream_fflush(VSTREAM_OUT) != 0)
	    msg_fatal("write standard output: %m");
    }
    resolve_reply_free(&reply);
    vstring_free(result);
    vstring_free(buf);
    exit(status);
}
