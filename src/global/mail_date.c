/*
 * mail_date - a date as Postfix writes it in Date: and Received: headers
 *
 * SYNOPSIS
 *	See mail_date.h.
 *
 * DESCRIPTION
 *	The offset from UTC is computed from localtime_r() and gmtime_r()
 *	of the same instant, so that it needs no tm_gmtoff.
 *
 *	What it does not do: parse dates.
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <time.h>

#include "vstring.h"
#include "mail_date.h"

/* mail_date - "Sat,  5 Dec 2026 00:23:41 +0000 (UTC)" in local time */
VSTRING *mail_date(VSTRING *buf, time_t when)
{
    struct tm local;
    struct tm utc;
    long    offset;
    char    text[100];
    char    zone[64];

    localtime_r(&when, &local);
    gmtime_r(&when, &utc);
    offset = (long) (local.tm_hour - utc.tm_hour) * 60
	+ (local.tm_min - utc.tm_min);
    if (local.tm_year != utc.tm_year)
	offset += (local.tm_year < utc.tm_year ? -24 * 60 : 24 * 60);
    else if (local.tm_yday != utc.tm_yday)
	offset += (local.tm_yday < utc.tm_yday ? -24 * 60 : 24 * 60);
    if (strftime(text, sizeof(text), "%a, %e %b %Y %H:%M:%S ", &local) == 0)
	text[0] = 0;
    if (strftime(zone, sizeof(zone), "%Z", &local) == 0)
	zone[0] = 0;
    vstring_sprintf(buf, "%s%c%02ld%02ld", text, offset < 0 ? '-' : '+',
		    (offset < 0 ? -offset : offset) / 60,
		    (offset < 0 ? -offset : offset) % 60);
    if (zone[0])
	vstring_sprintf_append(buf, " (%s)", zone);
    return buf;
}
