/*
 * fuzz_cleanup - feed arbitrary client streams to the cleanup(8) service
 *
 * DESCRIPTION
 *	The first input byte is the request's flags (CLEANUP_FLAG_*); the
 *	rest is what the client sends after its request: envelope records,
 *	content, X and Z, or anything else. cleanup_service() serves it
 *	in a private queue directory (incoming/, hold/), with content
 *	checks, canonical and virtual tables configured and small limits
 *	(message_size_limit, header_size_limit, hopcount_limit,
 *	duplicate_filter_limit) so that their paths are reached. A forked
 *	child answers the rewrite protocol on private/rewrite (addresses
 *	without a domain get "@fuzz.example").
 *
 *	Checked after each input: no temporary file is left in incoming/,
 *	and every file that cleanup committed (incoming/ or hold/) is a
 *	complete queue file by queue_file_read(). The files are then
 *	removed.
 */
#include "sys_defs.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_conf.h"
#include "attr_list.h"
#include "rewrite_proto.h"
#include "queue_file_read.h"
#include "cleanup.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_mem_fd;
static int fuzz_null_fd;
static char fuzz_dir[] = "/tmp/fuzz_cleanup.XXXXXX";
static pid_t fuzz_server_pid;
static int fuzz_home_fd;		/* libFuzzer's directory */

static const char fuzz_header_checks[] =
    "/^Subject: reject/ REJECT rejected\n"
    "/^Subject: hold/ HOLD held\n"
    "/^Subject: discard/ DISCARD\n"
    "/^Subject: bcc/ BCC bcc@fuzz.example\n"
    "/^Subject: redirect/ REDIRECT r@fuzz.example\n"
    "/^Subject: filter/ FILTER smtp:x\n"
    "/^Subject: prepend/ PREPEND X-P: 1\n"
    "/^Subject: replace/ REPLACE Subject: replaced\n"
    "/^X-I:/ IGNORE\n"
    "/^Content-Type: x/ REJECT mime\n";
static const char fuzz_body_checks[] =
    "/^reject/ REJECT body\n"
    "/^prepend/ PREPEND prepended\n"
    "/^replace/ REPLACE replaced\n"
    "/^ignore/ IGNORE\n";

/* fuzz_rewrite_serve - answer one rewrite client until it hangs up */
static void fuzz_rewrite_serve(int fd)
{
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);
    ATTR_LIST *request = attr_list_create();
    ATTR_LIST *reply = attr_list_create();
    VSTRING *why = vstring_alloc(100);
    VSTRING *addr = vstring_alloc(100);
    const char *value;

    vstream_set_timeout(fp, 100);
    if (attr_proto_greet(fp, REWRITE_PROTO_NAME, (ATTR_LIST *) 0)) {
	while (attr_list_read(fp, request, (ATTR_LIMITS *) 0, why)) {
	    value = attr_list_find_str(request, REWRITE_ATTR_ADDRESS);
	    vstring_strcpy(addr, value ? value : "");
	    if (strchr(vstring_str(addr), '@') == 0 && VSTRING_LEN(addr) > 0)
		vstring_strcat(addr, "@fuzz.example");
	    attr_list_clear(reply);
	    attr_list_add_int(reply, REWRITE_ATTR_FLAGS, 0);
	    attr_list_add_str(reply, REWRITE_ATTR_ADDRESS, vstring_str(addr));
	    attr_list_add_str(reply, REWRITE_ATTR_TRANSPORT, "smtp");
	    attr_list_add_str(reply, REWRITE_ATTR_NEXTHOP, "fuzz.example");
	    attr_list_add_str(reply, REWRITE_ATTR_RECIPIENT, vstring_str(addr));
	    if (!attr_list_write(fp, reply) || vstream_fflush(fp) != 0)
		break;
	}
    }
    (void) vstream_fclose(fp);
    attr_list_free(request);
    attr_list_free(reply);
    vstring_free(why);
    vstring_free(addr);
}

/* fuzz_rewrite_server - a child that serves private/rewrite */
static void fuzz_rewrite_server(void)
{
    struct sockaddr_un sun;
    int     listen_fd;
    int     fd;

    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/private/rewrite",
	     fuzz_dir);
    if ((listen_fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0
	|| bind(listen_fd, (struct sockaddr *) &sun, sizeof(sun)) < 0
	|| listen(listen_fd, 5) < 0)
	abort();
    if ((fuzz_server_pid = fork()) < 0)
	abort();
    if (fuzz_server_pid == 0) {
	(void) prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* No zombies: each connection has a process, as trivial-rewrite
	 * serves many clients at once; one that the client left open
	 * must not keep the next one waiting. */
	(void) signal(SIGCHLD, SIG_IGN);
	for (;;) {
	    if ((fd = accept(listen_fd, (struct sockaddr *) 0, 0)) < 0)
		continue;
	    switch (fork()) {
	    case 0:
		(void) prctl(PR_SET_PDEATHSIG, SIGKILL);
		(void) close(listen_fd);
		fuzz_rewrite_serve(fd);
		_exit(0);
	    default:
		(void) close(fd);
		break;
	    }
	}
    }
    (void) close(listen_fd);
}

/* fuzz_write_file - a table file in the private directory */
static void fuzz_write_file(const char *name, const char *text)
{
    FILE   *fp = fopen(name, "w");

    if (fp == 0 || fputs(text, fp) == EOF || fclose(fp) != 0)
	abort();
}

/* fuzz_remove_dir - remove the private directory at exit */
static void fuzz_remove_dir(void)
{
    char    command[100];

    if (fuzz_server_pid > 0)
	(void) kill(fuzz_server_pid, SIGKILL);
    snprintf(command, sizeof(command), "rm -rf %s", fuzz_dir);
    if (system(command) != 0)
	return;
}

/* fuzz_init - the queue directory, tables, settings, rewrite service */
static void fuzz_init(void)
{
    static const char *const dirs[] = {"incoming", "hold", "private",
    "public"};
    size_t  i;
    char   *table;

    fuzz_quiet_init();
    signal(SIGPIPE, SIG_IGN);
    /* libFuzzer reads its corpus by relative names: come back after. */
    if ((fuzz_home_fd = open(".", O_RDONLY | O_DIRECTORY)) < 0
	|| mkdtemp(fuzz_dir) == 0 || chdir(fuzz_dir) < 0)
	abort();
    for (i = 0; i < ARRAY_LEN(dirs); i++)
	if (mkdir(dirs[i], 0700) < 0)
	    abort();
    atexit(fuzz_remove_dir);
    fuzz_write_file("header_checks", fuzz_header_checks);
    fuzz_write_file("body_checks", fuzz_body_checks);
    mail_conf_update("queue_directory", fuzz_dir);
    mail_conf_update("myhostname", "fuzz.example");
    mail_conf_update("mydomain", "example");
    mail_conf_update("message_size_limit", "20000");
    mail_conf_update("header_size_limit", "1000");
    mail_conf_update("hopcount_limit", "5");
    mail_conf_update("duplicate_filter_limit", "10");
    mail_conf_update("header_address_token_limit", "40");
    mail_conf_update("queue_file_attribute_count_limit", "20");
    mail_conf_update("mime_nesting_limit", "5");
    mail_conf_update("message_reject_characters", "\\7");
    mail_conf_update("message_strip_characters", "\\0");
    mail_conf_update("undisclosed_recipients_header",
		     "To: undisclosed-recipients:;");
    mail_conf_update("local_header_rewrite_clients", "permit_mynetworks");
    mail_conf_update("mynetworks", "127.0.0.0/8");
    table = concatenate("regexp:", fuzz_dir, "/header_checks", (char *) 0);
    mail_conf_update("header_checks", table);
    myfree(table);
    table = concatenate("regexp:", fuzz_dir, "/body_checks", (char *) 0);
    mail_conf_update("body_checks", table);
    myfree(table);
    mail_conf_update("canonical_maps", "inline:{ c@fuzz.example=d@fuzz.example }");
    mail_conf_update("virtual_alias_maps",
	       "inline:{ {v@fuzz.example=a@fuzz.example, b@fuzz.example}, "
		     "l1@fuzz.example=l2@fuzz.example, "
		     "l2@fuzz.example=l1@fuzz.example }");
    mail_conf_update("masquerade_domains", "fuzz.example");
    /* Each rewrite exchange with the stand-in server is bounded: a smoke
     * run once waited 14 s for a reply from it (cause not found: the
     * client was reading, the stand-in's child did not answer). With a
     * 1 s limit the client retries on a new connection instead. */
    mail_conf_update("ipc_timeout", "1s");
    mail_conf_update("always_bcc", "always@fuzz.example");
    cleanup_maps = cleanup_maps_create();
    fuzz_rewrite_server();
    if ((fuzz_mem_fd = memfd_create("fuzz_cleanup", 0)) < 0
	|| (fuzz_null_fd = open("/dev/null", O_WRONLY)) < 0
	|| fchdir(fuzz_home_fd) < 0)
	abort();
}

/* fuzz_check_queue - check and remove what cleanup left in a queue */
static void fuzz_check_queue(const char *queue)
{
    DIR    *dir = opendir(queue);
    struct dirent *dp;
    char    path[300];
    VSTREAM *fp;
    QUEUE_FILE_INFO info;

    if (dir == 0)
	abort();
    while ((dp = readdir(dir)) != 0) {
	if (dp->d_name[0] == '.')
	    continue;
	if (strncmp(dp->d_name, "tmp.", 4) == 0)
	    abort();				/* a temporary file survived */
	snprintf(path, sizeof(path), "%s/%s", queue, dp->d_name);
	if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
	    abort();
	queue_file_info_init(&info);
	if (!queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			     0, 0, &info))
	    abort();				/* cleanup committed a bad file */
	queue_file_info_free(&info);
	(void) vstream_fclose(fp);
	if (unlink(path) < 0)
	    abort();
    }
    (void) closedir(dir);
}

/* LLVMFuzzerTestOneInput - one client conversation */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    static char *argv[] = {0};
    VSTRING *stream = vstring_alloc(100 + size);
    VSTREAM *fp;
    char    flags[20];

    if (!initialized) {
	fuzz_init();
	initialized = true;
    }
    if (chdir(fuzz_dir) < 0)
	abort();
    snprintf(flags, sizeof(flags), "%d", size > 0 ? data[0] : 0);
    /* The request: s protocol NUL cleanup NUL i flags NUL <n> NUL . */
    vstring_strcpy(stream, "s" ATTR_PROTOCOL);
    vstring_memcat(stream, "", 1);
    vstring_strcat(stream, CLEANUP_PROTO_NAME);
    vstring_memcat(stream, "", 1);
    vstring_strcat(stream, "i" CLEANUP_ATTR_FLAGS);
    vstring_memcat(stream, "", 1);
    vstring_strcat(stream, flags);
    vstring_memcat(stream, "", 1);
    vstring_strcat(stream, ".");
    if (size > 1)
	vstring_memcat(stream, data + 1, size - 1);
    /* A read-write stream on the memory file; output goes nowhere. */
    if (ftruncate(fuzz_mem_fd, 0) < 0 || lseek(fuzz_mem_fd, 0, SEEK_SET) != 0
	|| write(fuzz_mem_fd, vstring_str(stream), VSTRING_LEN(stream))
	!= (ssize_t) VSTRING_LEN(stream)
	|| lseek(fuzz_mem_fd, 0, SEEK_SET) != 0)
	abort();
    fp = vstream_fdopen(fuzz_mem_fd, O_RDWR);
    vstream_set_path(fp, "client");
    vstream_set_write_fd(fp, fuzz_null_fd);
    cleanup_service(fp, "cleanup", argv);
    (void) vstream_fdclose(fp);
    fuzz_check_queue("incoming");
    fuzz_check_queue("hold");
    vstring_free(stream);
    if (fchdir(fuzz_home_fd) < 0)
	abort();
    return 0;
}
