/*
 * fuzz_smtpd_xclient - feed arbitrary XCLIENT and XFORWARD attributes
 *
 * DESCRIPTION
 *	The input is split at spaces into at most 64 words, as the command
 *	dispatcher splits a command line, and given to
 *	smtpd_xclient_parse() and smtpd_xforward_parse(). Checked: a
 *	failure is a 501 reply; on success, XCLIENT addresses are
 *	"unknown" or text that inet_pton() takes, ports 1 to 5 digits or
 *	"unknown", PROTO SMTP or ESMTP, names valid host names or
 *	"unknown"; XFORWARD values have no control character, space or
 *	non-ASCII byte and at most 255 bytes.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "valid_hostname.h"
#include "smtpd_xclient.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_addr - "unknown" or an address that inet_pton() takes */
static void check_addr(const char *addr)
{
    unsigned char buf[16];

    if (addr == 0 || strcmp(addr, "unknown") == 0)
	return;
    if (inet_pton(AF_INET, addr, buf) != 1 && inet_pton(AF_INET6, addr, buf) != 1)
	abort();
}

/* check_port - "unknown" or 1 to 5 digits */
static void check_port(const char *port)
{
    size_t  len;

    if (port == 0 || strcmp(port, "unknown") == 0)
	return;
    len = strlen(port);
    if (len == 0 || len > 5 || strspn(port, "0123456789") != len)
	abort();
}

/* check_name - "unknown" or a valid host name */
static void check_name(const char *name)
{
    if (name && strcmp(name, "unknown") != 0 && !valid_hostname(name, DONT_GRIPE))
	abort();
}

/* words - the input as command words (argv[0] is the command) */
static ARGV *words(const uint8_t *data, size_t size, const char *command)
{
    ARGV   *argv = argv_alloc(10);
    char   *text = mymalloc(size + 1);
    char   *cp;
    char   *word;

    memcpy(text, data, size);
    text[size] = 0;
    argv_add(argv, command, (char *) 0);
    for (cp = text; argv->argc < 64 && (word = strsep(&cp, " ")) != 0;)
	if (*word)
	    argv_add(argv, word, (char *) 0);
    myfree(text);
    return (argv);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    SMTPD_XCLIENT_ARGS xc;
    SMTPD_XFORWARD_ARGS xf;
    const char *err;
    const unsigned char *cp;
    ARGV   *argv;
    int     i;

    fuzz_quiet_init();
    if (memchr(data, 0, size) != 0)
	return 0;
    argv = words(data, size, "XCLIENT");
    if ((err = smtpd_xclient_parse((int) argv->argc, argv->argv, &xc)) != 0) {
	if (strncmp(err, "501 5.5.4 ", 10) != 0)
	    abort();
    } else {
	check_addr(xc.addr);
	check_addr(xc.destaddr);
	check_port(xc.port);
	check_port(xc.destport);
	check_name(xc.name);
	check_name(xc.reverse_name);
	if (xc.proto && strcmp(xc.proto, "SMTP") != 0
	    && strcmp(xc.proto, "ESMTP") != 0)
	    abort();
    }
    smtpd_xclient_args_free(&xc);
    argv_free(argv);

    argv = words(data, size, "XFORWARD");
    if ((err = smtpd_xforward_parse((int) argv->argc, argv->argv, &xf)) != 0) {
	if (strncmp(err, "501 5.5.4 ", 10) != 0)
	    abort();
    } else {
	for (i = 0; i < SMTPD_XFORWARD_COUNT; i++) {
	    if (xf.value[i] == 0)
		continue;
	    if (strlen(xf.value[i]) > 255)
		abort();
	    for (cp = (const unsigned char *) xf.value[i]; *cp; cp++)
		if (*cp <= ' ' || *cp >= 0x7f)
		    abort();
	}
	check_addr(xf.value[SMTPD_XFORWARD_ADDR]);
	check_port(xf.value[SMTPD_XFORWARD_PORT]);
	check_name(xf.value[SMTPD_XFORWARD_NAME]);
    }
    smtpd_xforward_args_free(&xf);
    argv_free(argv);
    return 0;
}
