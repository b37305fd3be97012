/*
 * fuzz_cleanup_maps - fuzz target for cleanup(8) address mapping
 *
 * DESCRIPTION
 *	The input is a line of addresses (separated by commas) and then
 *	the text of a texthash: table that serves as canonical_maps,
 *	virtual_alias_maps and sender_bcc_maps at once, with small limits
 *	(virtual alias recursion 20, expansion 50, address length 200).
 *	Each address (at most 8) goes through cleanup_canon_addr(),
 *	cleanup_masq_addr(), cleanup_bcc_sender(), cleanup_virtual_expand()
 *	and, parsed as a header, cleanup_canon_tree() and
 *	cleanup_masq_tree(). The target aborts when an invariant breaks:
 * .IP \(bu
 *	every result code is one that the function documents;
 * .IP \(bu
 *	a virtual expansion has at most 50 addresses, each at most 200
 *	bytes, none twice, and none at all after an error;
 * .IP \(bu
 *	an address that was not found comes back unchanged.
 *	The fuzzer's timeout catches unbounded work (loops, branching).
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "stringops.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "tok822.h"
#include "cleanup_maps.h"
#include "fuzz_support.h"

#define FUZZ_MAX_ADDRS	8

/* fuzz_fail - report a broken invariant and abort */
static void fuzz_fail(const char *what, const char *addr, const char *result)
{
    fprintf(stderr, "invariant broken: %s\naddress: [%s]\nresult: [%s]\n",
	    what, addr, result);
    abort();
}

/* fuzz_setup - the parameters and the table file, once */
static int fuzz_setup(void)
{
    static char table[64];
    static int fd = -1;
    char    path[] = "/tmp/fuzz_cleanup_maps_XXXXXX";
    static const char *settings[][2] = {
	{"recipient_delimiter", "+"},
	{"virtual_alias_recursion_limit", "20"},
	{"virtual_alias_expansion_limit", "50"},
	{"virtual_alias_address_length_limit", "200"},
	{"masquerade_domains", "example.com, !a.example.com"},
	{"masquerade_exceptions", "root"},
	{"masquerade_classes", "envelope_sender, envelope_recipient,"
	" header_sender, header_recipient"},
	{"myorigin", "example.com"},
	{"mydestination", "localhost"},
	{"inet_interfaces", "127.0.0.1"},
	{"proxy_interfaces", ""},
    };
    size_t  n;

    if (fd >= 0)
	return fd;
    fuzz_quiet_init();
    if ((fd = mkstemp(path)) < 0 || unlink(path) < 0)
	abort();
    snprintf(table, sizeof(table), "texthash:/dev/fd/%d", fd);
    for (n = 0; n < sizeof(settings) / sizeof(settings[0]); n++)
	mail_conf_update(settings[n][0], settings[n][1]);
    mail_conf_update("canonical_maps", table);
    mail_conf_update("virtual_alias_maps", table);
    mail_conf_update("sender_bcc_maps", table);
    mail_params_reset();
    return fd;
}

/* fuzz_check_virtual - one expansion */
static void fuzz_check_virtual(const char *addr, int status, ARGV *result)
{
    size_t  n;
    size_t  m;

    if (status != CLEANUP_MAP_NONE && status != CLEANUP_MAP_FOUND
	&& status != CLEANUP_MAP_RETRY && status != CLEANUP_MAP_LIMIT)
	fuzz_fail("virtual status", addr, "");
    if (status < 0 && result->argc != 0)
	fuzz_fail("result after an error", addr, result->argv[0]);
    if (status == CLEANUP_MAP_NONE
	&& (result->argc != 1 || strcmp(result->argv[0], addr) != 0))
	fuzz_fail("not found but changed", addr, result->argc ?
		  result->argv[0] : "");
    if (status == CLEANUP_MAP_FOUND && result->argc > 50)
	fuzz_fail("expansion limit", addr, result->argv[0]);
    for (n = 0; n < result->argc; n++) {
	if (status == CLEANUP_MAP_FOUND && strlen(result->argv[n]) > 200)
	    fuzz_fail("length limit", addr, result->argv[n]);
	for (m = 0; m < n; m++)
	    if (strcasecmp(result->argv[m], result->argv[n]) == 0)
		fuzz_fail("duplicate", addr, result->argv[n]);
    }
}

/* fuzz_check_status - a mapping result code */
static void fuzz_check_status(const char *what, const char *addr,
			              int status, const char *before,
			              const char *after)
{
    if (status != CLEANUP_MAP_NONE && status != CLEANUP_MAP_FOUND
	&& status != CLEANUP_MAP_RETRY)
	fuzz_fail(what, addr, "bad status");
    if (status == CLEANUP_MAP_NONE && before && strcmp(before, after) != 0)
	fuzz_fail(what, before, after);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int     fd = fuzz_setup();
    const uint8_t *nl = memchr(data, '\n', size);
    size_t  line_len = nl ? (size_t) (nl - data) : size;
    char   *line = mystrndup((const char *) data, line_len);
    ARGV   *addrs = argv_split(line, ",");
    CLEANUP_MAPS *cm;
    VSTRING *addr = vstring_alloc(100);
    VSTRING *before = vstring_alloc(100);
    VSTRING *bcc = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    ARGV   *result = argv_alloc(10);
    TOK822 *tree;
    TOK822 **nodes;
    size_t  n;
    size_t  a;
    int     status;
    int     classes[] = {CLEANUP_CLASS_ENV_SENDER, CLEANUP_CLASS_ENV_RCPT};

    if (ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) != 0)
	abort();
    if (nl && size > line_len + 1
	&& write(fd, nl + 1, size - line_len - 1)
	!= (ssize_t) (size - line_len - 1))
	abort();
    cm = cleanup_maps_create();
    cm->queue_id = "QID";
    for (n = 0; n < addrs->argc && n < FUZZ_MAX_ADDRS; n++) {
	const char *in = addrs->argv[n];

	/* Envelope: canonical, masquerading, BCC, virtual. */
	vstring_strcpy(addr, in);
	vstring_strcpy(before, in);
	status = cleanup_canon_addr(cm, classes[n % 2], addr, why);
	fuzz_check_status("canon", in, status, vstring_str(before),
			  vstring_str(addr));
	vstring_strcpy(before, vstring_str(addr));
	status = cleanup_masq_addr(cm, classes[n % 2], addr, why);
	fuzz_check_status("masq", in, status, vstring_str(before),
			  vstring_str(addr));
	status = cleanup_bcc_sender(cm, vstring_str(addr), bcc, why);
	fuzz_check_status("bcc", in, status, (char *) 0, "");
	argv_truncate(result, 0);
	status = cleanup_virtual_expand(cm, vstring_str(addr), result, why);
	fuzz_check_virtual(vstring_str(addr), status, result);

	/* Header: the same as parsed addresses. */
	tree = tok822_parse(in);
	nodes = tok822_grep(tree, TOK822_ADDR);
	for (a = 0; nodes[a]; a++) {
	    status = cleanup_canon_tree(cm, CLEANUP_CLASS_HDR_SENDER,
					nodes[a], why);
	    fuzz_check_status("canon tree", in, status, (char *) 0, "");
	    status = cleanup_masq_tree(cm, CLEANUP_CLASS_HDR_RCPT, nodes[a],
				       why);
	    fuzz_check_status("masq tree", in, status, (char *) 0, "");
	}
	myfree(nodes);
	tok822_free_tree(tree);
    }
    cleanup_maps_free(cm);
    argv_free(result);
    vstring_free(addr);
    vstring_free(before);
    vstring_free(bcc);
    vstring_free(why);
    argv_free(addrs);
    myfree(line);
    return 0;
}
