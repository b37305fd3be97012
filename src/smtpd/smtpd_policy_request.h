/*
 * smtpd_policy_request - the request to an SMTPD access policy server
 *
 * SYNOPSIS
 *	#include "smtpd_policy_request.h"
 *
 *	void	smtpd_policy_request_format(SMTPD_CHECK_CALL *call,
 *				const char *context, VSTRING *request);
 *
 * DESCRIPTION
 *	See smtpd_policy_request.c. The restriction itself,
 *	check_policy_service, is reached through smtpd_policy_table
 *	(smtpd_check.h).
 */
#ifndef SMTPD_POLICY_REQUEST_H
#define SMTPD_POLICY_REQUEST_H

#include "smtpd_check.h"

extern void smtpd_policy_request_format(SMTPD_CHECK_CALL *call,
					        const char *context,
					        VSTRING *request);

#endif
