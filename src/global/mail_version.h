/*
 * mail_version - the version this build reports
 *
 * SYNOPSIS
 *	#define MAIL_VERSION_NUMBER "3.11.2"
 *	const char *mail_version_program(void);
 *
 * DESCRIPTION
 *	mail_version and mail_release_date tell administrators and scripts
 *	which Postfix feature level this system implements; the values come
 *	from postel_config.h (set in meson.build). mail_version_program()
 *	returns the "postel <version>" banner that -V style options print.
 */
#ifndef MAIL_VERSION_H
#define MAIL_VERSION_H

#include "postel_config.h"

extern const char *mail_version_program(void);

#endif
