/*
 * fuzz_mail_server_args - feed arbitrary command lines to the skeletons
 *
 * DESCRIPTION
 *	The input is split at newline bytes into an argument vector (the
 *	first element is the program name) for mail_server_args_parse().
 *	Checked: a parse either succeeds with sane results (socket count
 *	at least 1, every setting "name=value" with a non-empty name,
 *	nothing lost from the leftover arguments) or fails with an error
 *	text; applying the settings never fails.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "mail_conf.h"
#include "mail_server.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool initialized;
    char   *text = mymalloc(size + 1);
    ARGV   *argv;
    MAIL_SERVER_ARGS args;
    VSTRING *why = vstring_alloc(100);
    size_t  n;

    if (!initialized) {
	fuzz_quiet_init();
	initialized = true;
    }
    memcpy(text, data, size);
    text[size] = 0;
    if (strlen(text) != size) {			/* no null bytes */
	myfree(text);
	vstring_free(why);
	return 0;
    }
    argv = argv_alloc(8);
    argv_add(argv, "prog", (char *) 0);
    argv_split_append(argv, text, "\n");
    if (mail_server_args_parse(&args, (int) argv->argc, argv->argv, why)) {
	if (args.socket_count < 1 || args.service_name == NULL)
	    abort();
	for (n = 0; n < args.settings->argc; n++)
	    if (args.settings->argv[n][0] == '='
		|| strchr(args.settings->argv[n], '=') == NULL)
		abort();
	if (args.args->argc > argv->argc)
	    abort();
	mail_server_args_apply(&args);
	mail_conf_clear();
    } else if (VSTRING_LEN(why) == 0) {
	abort();
    }
    mail_server_args_free(&args);
    argv_free(argv);
    vstring_free(why);
    myfree(text);
    return 0;
}
