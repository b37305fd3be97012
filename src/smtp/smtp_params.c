/*
 * smtp_params - the smtp_ or lmtp_ twin of a client parameter
 *
 * SYNOPSIS
 *	#include "smtp.h"
 *
 *	int	smtp_mode;
 *	void	smtp_params_init(const char *service, const char *argv0);
 *	const char *smtp_param_str(int smtp_idx, int lmtp_idx);
 *	long	smtp_param_int(int smtp_idx, int lmtp_idx);
 *	bool	smtp_param_bool(int smtp_idx, int lmtp_idx);
 *	int	smtp_param_time(int smtp_idx, int lmtp_idx);
 *
 * DESCRIPTION
 *	smtp(8) and lmtp(8) are one program. smtp_params_init() decides
 *	once, at start-up, which protocol it speaks: LMTP when the
 *	program runs under the name "lmtp" (the last component of
 *	argv0, as master(8) starts it from the master.cf command field),
 *	SMTP otherwise. As in Postfix, the master.cf service name does
 *	not choose the protocol (a "relay" service runs smtp); it is
 *	used only when argv0 is NULL or empty (tests).
 *
 *	The smtp_param_*() functions return the value of the parameter
 *	whose table index (mail_params.h, STR_PARAM_smtp_xxx ...) fits
 *	the mode: smtp_idx in SMTP mode, lmtp_idx in LMTP mode. A
 *	negative lmtp_idx means "the parameter has no lmtp_ twin": then
 *	smtp_idx is used in both modes. The SMTP_STR(name) ... macros of
 *	smtp.h spell both indexes from the common suffix; twins whose
 *	suffixes differ (smtp_helo_name / lmtp_lhlo_name,
 *	smtp_helo_timeout / lmtp_lhlo_timeout,
 *	smtp_discard_ehlo_keywords / lmtp_discard_lhlo_keywords) are
 *	asked for with both indexes explicitly. Parameters that neither
 *	program prefixes (relayhost, soft_bounce ...) are read with the
 *	VAR_*() macros directly. Values come from mail_params(3), so that
 *	main.cf and master.cf "-o" overrides work as for any daemon.
 *
 * DIAGNOSTICS
 *	Those of mail_params(3) for bad values; a panic for an index
 *	of the wrong type.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mail_params.h"
#include "smtp.h"

int     smtp_mode = 1;

/* smtp_params_basename - the last path component of a program name */
static const char *smtp_params_basename(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* smtp_params_init - SMTP or LMTP, from the program name */
void    smtp_params_init(const char *service, const char *argv0)
{
    const char *name;

    if (argv0 != 0 && *argv0 != 0)
	name = smtp_params_basename(argv0);
    else
	name = service ? service : "";
    smtp_mode = strcmp(name, "lmtp") != 0;
    if (msg_verbose)
	msg_info("%s: %s mode", __func__, smtp_mode ? "SMTP" : "LMTP");
}

/* smtp_param_idx - the table index for the current mode */
static int smtp_param_idx(int smtp_idx, int lmtp_idx)
{
    return (smtp_mode || lmtp_idx < 0) ? smtp_idx : lmtp_idx;
}

/* smtp_param_str - a string parameter, smtp_ or lmtp_ */
const char *smtp_param_str(int smtp_idx, int lmtp_idx)
{
    return mail_param_str(smtp_param_idx(smtp_idx, lmtp_idx));
}

/* smtp_param_int - an integer parameter, smtp_ or lmtp_ */
long    smtp_param_int(int smtp_idx, int lmtp_idx)
{
    return mail_param_int(smtp_param_idx(smtp_idx, lmtp_idx));
}

/* smtp_param_bool - a boolean parameter, smtp_ or lmtp_ */
bool    smtp_param_bool(int smtp_idx, int lmtp_idx)
{
    return mail_param_bool(smtp_param_idx(smtp_idx, lmtp_idx));
}

/* smtp_param_time - a time parameter in seconds, smtp_ or lmtp_ */
int     smtp_param_time(int smtp_idx, int lmtp_idx)
{
    return mail_param_time(smtp_param_idx(smtp_idx, lmtp_idx));
}
