/*
 * mail_version - the Postfix version this build reports
 *
 * SYNOPSIS
 *	#include "mail_version.h"
 *
 *	#define MAIL_VERSION_NUMBER "3.11.2"
 *	#define MAIL_RELEASE_DATE "20261121"
 *
 * DESCRIPTION
 *	mail_version and mail_release_date tell administrators and scripts
 *	which Postfix feature level this system implements; the values come
 *	from postel_config.h (set in meson.build). Postfix commands have no
 *	version option: "postconf mail_version" is how one asks.
 */
#ifndef MAIL_VERSION_H
#define MAIL_VERSION_H

#include "postel_config.h"

#endif
