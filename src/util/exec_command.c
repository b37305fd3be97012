/*
 * exec_command - replace the process with a command line
 *
 * DESCRIPTION
 *	See exec_command.h.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "argv.h"
#include "vstring.h"
#include "exec_command.h"

#define EXEC_COMMAND_META	"\"'\\$`|&;<>(){}[]*?~#!=^\n\r"
#define EXEC_COMMAND_SPACE	" \t"

/* exec_command_needs_shell - does the command use shell syntax? */
bool    exec_command_needs_shell(const char *command)
{
    return command[strcspn(command, EXEC_COMMAND_META)] != 0;
}

/* exec_command_try - exec the command; returns only on failure */
void    exec_command_try(const char *command, VSTRING *why)
{
    ARGV   *argv;
    int     err;

    if (why == NULL)
	msg_panic("exec_command_try: null error buffer");
    if (exec_command_needs_shell(command)) {
	(void) execl(EXEC_COMMAND_SHELL, "sh", "-c", command, (char *) 0);
	err = errno;
	vstring_sprintf(why, "execl %s: %m", EXEC_COMMAND_SHELL);
	errno = err;
	return;
    }
    argv = argv_split(command, EXEC_COMMAND_SPACE);
    if (argv->argc == 0) {
	argv_free(argv);
	vstring_strcpy(why, "empty command");
	errno = EINVAL;
	return;
    }
    (void) execvp(argv->argv[0], argv->argv);
    err = errno;
    vstring_sprintf(why, "execvp %s: %m", argv->argv[0]);
    argv_free(argv);
    errno = err;
}

/* exec_command - exec the command or terminate */
NORETURN exec_command(const char *command)
{
    VSTRING *why = vstring_alloc(100);

    exec_command_try(command, why);
    msg_fatal("%s", vstring_str(why));
}
