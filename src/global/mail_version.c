/*
 * mail_version - the version this build reports
 *
 * DESCRIPTION
 *	See mail_version.h.
 */
#include "sys_defs.h"

#include "mail_version.h"

/* mail_version_program - program banner */
const char *mail_version_program(void)
{
    return "postel " POSTEL_VERSION " (Postfix " MAIL_VERSION_NUMBER " compatible)";
}
