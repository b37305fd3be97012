/*
 * fuzz_hostaddr - feed arbitrary strings to the host and address parsers
 *
 * DESCRIPTION
 *	The input (cut at the first null byte) goes to valid_hostname(3)
 *	(with and without DO_WILDCARD), valid_hostaddr(3) and friends,
 *	host_port(3) and cidr_match(3). Diagnostics are discarded, but
 *	griping is on, so the warning code runs too. Checked: whatever
 *	valid_ipv4_hostaddr() or valid_ipv6_hostaddr() accepts, inet_pton()
 *	accepts; host_port() results lie inside the buffer or are the
 *	defaults; an accepted CIDR pattern's canonical text parses again
 *	to the same network, and the network address matches itself.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "valid_hostname.h"
#include "host_port.h"
#include "cidr_match.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_inside - pointer into buf[0..len] */
static bool fuzz_inside(const char *ptr, const char *buf, size_t len)
{
    return ptr >= buf && ptr <= buf + len;
}

/* fuzz_check_addr - validators agree with inet_pton() */
static void fuzz_check_addr(const char *text)
{
    unsigned char bytes[16];

    if (valid_ipv4_hostaddr(text, DO_GRIPE)
	&& inet_pton(AF_INET, text, bytes) != 1)
	abort();
    if (valid_ipv6_hostaddr(text, DO_GRIPE)
	&& inet_pton(AF_INET6, text, bytes) != 1)
	abort();
    (void) valid_hostaddr(text, DO_GRIPE);
    (void) valid_hostname(text, DO_GRIPE);
    (void) valid_hostname(text, DO_GRIPE | DO_WILDCARD);
    (void) valid_hostport(text, DO_GRIPE);
}

/* fuzz_check_host_port - split with and without defaults */
static void fuzz_check_host_port(const char *text, VSTRING *scratch)
{
    size_t  len = strlen(text);
    char   *buf = mystrdup(text);
    const char *host;
    const char *port;

    if (host_port(buf, &host, "default-host", &port, "25") == NULL) {
	if (!fuzz_inside(host, buf, len) && strcmp(host, "default-host") != 0)
	    abort();
	if (!fuzz_inside(port, buf, len) && strcmp(port, "25") != 0)
	    abort();
	host_port_format(scratch, host, port);
    }
    memcpy(buf, text, len + 1);
    if (host_port(buf, &host, NULL, &port, NULL) == NULL) {
	if (host != NULL && !fuzz_inside(host, buf, len))
	    abort();
	if (port != NULL && !fuzz_inside(port, buf, len))
	    abort();
    }
    myfree(buf);
}

/* fuzz_check_cidr - parse, round trip, match */
static void fuzz_check_cidr(const char *text, VSTRING *why, VSTRING *canon)
{
    CIDR_MATCH info;
    CIDR_MATCH again;
    char    net[INET6_ADDRSTRLEN];

    if (!cidr_match_parse(&info, text, CIDR_MATCH_TRUE, why)) {
	if (VSTRING_LEN(why) == 0)
	    abort();
	return;
    }
    cidr_match_format(canon, &info);
    if (!cidr_match_parse(&again, vstring_str(canon), CIDR_MATCH_TRUE, why)
	|| again.family != info.family || again.prefix_len != info.prefix_len
	|| memcmp(again.net_bytes, info.net_bytes, info.byte_count) != 0)
	abort();
    if (inet_ntop(info.family, info.net_bytes, net, sizeof(net)) == NULL
	|| !cidr_match_execute(&info, net))
	abort();
    (void) cidr_match_execute(&info, text);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static VSTRING *scratch;
    static VSTRING *why;
    char   *text;

    if (scratch == NULL) {
	msg_output_clear();
	fuzz_quiet_init();
	scratch = vstring_alloc(100);
	why = vstring_alloc(100);
    }
    text = mystrndup((const char *) data, size);
    fuzz_check_addr(text);
    fuzz_check_host_port(text, scratch);
    fuzz_check_cidr(text, why, scratch);
    myfree(text);
    return 0;
}
