/*
 * fuzz_smtp_dest - feed arbitrary next hops to the SMTP/LMTP client
 *
 * DESCRIPTION
 *	The input (cut at the first null byte) goes to smtp_dest_parse()
 *	in SMTP mode and in LMTP mode, and to smtp_dest_list(). Checked:
 *	an accepted destination has a host that passes valid_hostname()
 *	or valid_hostaddr() (or, LMTP unix:, a path that fits sun_path),
 *	a port in 1..65535 for TCP, the MX flag set for brackets,
 *	addresses and every LMTP destination, and "unix" only in LMTP
 *	mode; a refused one has a reason and no strings left; every list
 *	element is a non-empty part of the input without separators.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "argv.h"
#include "valid_hostname.h"
#include "smtp_dest.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_check_dest - one parse and its invariants */
static void fuzz_check_dest(const char *text, int lmtp, VSTRING *why)
{
    struct sockaddr_un sun;
    SMTP_DEST dest;

    if (smtp_dest_parse(text, lmtp, lmtp ? "24" : "smtp", &dest, why) < 0) {
	if (VSTRING_LEN(why) == 0 || dest.host != NULL || dest.service != NULL)
	    abort();
	return;
    }
    if (dest.host == NULL || dest.service == NULL)
	abort();
    if (dest.is_unix) {
	if (!lmtp || *dest.host == 0 || strlen(dest.host) >= sizeof(sun.sun_path)
	    || dest.port != 0)
	    abort();
    } else {
	if (!valid_hostname(dest.host, DONT_GRIPE)
	    && !valid_hostaddr(dest.host, DONT_GRIPE))
	    abort();
	if (dest.port == 0 || dest.port > 65535)
	    abort();
	if (dest.is_addr != valid_hostaddr(dest.host, DONT_GRIPE))
	    abort();
	if ((text[0] == '[' || dest.is_addr || lmtp) && !dest.no_mx)
	    abort();
    }
    smtp_dest_free(&dest);
    if (dest.host != NULL)
	abort();
}

/* fuzz_check_list - the relay list split */
static void fuzz_check_list(const char *text)
{
    ARGV   *argv = smtp_dest_list(text);
    size_t  n;

    for (n = 0; n < argv->argc; n++)
	if (*argv->argv[n] == 0 || strpbrk(argv->argv[n], ", \t\r\n") != NULL
	    || strstr(text, argv->argv[n]) == NULL)
	    abort();
    argv_free(argv);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static VSTRING *why;
    char   *text;

    if (why == NULL) {
	msg_output_clear();
	fuzz_quiet_init();
	why = vstring_alloc(100);
    }
    text = mystrndup((const char *) data, size);
    fuzz_check_dest(text, 0, why);
    fuzz_check_dest(text, 1, why);
    fuzz_check_list(text);
    myfree(text);
    return 0;
}
