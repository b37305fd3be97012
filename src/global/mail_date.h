/*
 * mail_date - a date as Postfix writes it in Date: and Received: headers
 *
 * SYNOPSIS
 *	#include "mail_date.h"
 *
 *	VSTRING	*mail_date(VSTRING *buf, time_t when);
 *
 * DESCRIPTION
 *	mail_date() formats when in local time as Postfix 3.7 writes the
 *	dates of the headers it adds (cleanup's Date:, pickup's
 *	Received:): "Sat,  5 Dec 2026 00:23:41 +0000 (UTC)" (day of the
 *	month padded with a space, numeric offset, zone abbreviation in
 *	parentheses when the C library knows one). The result replaces
 *	the contents of buf, which is returned.
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef MAIL_DATE_H
#define MAIL_DATE_H

#include "sys_defs.h"
#include <time.h>
#include "vstring.h"

extern VSTRING *mail_date(VSTRING *buf, time_t when);

#endif
