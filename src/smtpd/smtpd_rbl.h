/*
 * smtpd_rbl - DNS list names, reply patterns and reply templates
 *
 * SYNOPSIS
 *	#include "smtpd_rbl.h"
 *
 *	SMTPD_RBL_FILTER *smtpd_rbl_filter_parse(const char *pattern,
 *				size_t *error_offset);
 *	bool	smtpd_rbl_filter_match(const SMTPD_RBL_FILTER *filter,
 *				const unsigned char *addr);
 *	void	smtpd_rbl_filter_free(SMTPD_RBL_FILTER *filter);
 *	bool	smtpd_rbl_reverse_addr(const char *addr, VSTRING *result);
 *	int	smtpd_rbl_reply_split(const char *reply, int *code,
 *				VSTRING *dsn, const char **text);
 *
 * DESCRIPTION
 *	smtpd_rbl_filter_parse() parses the "d.d.d.d" part of
 *	"rbl_domain=d.d.d.d": four octet patterns, each a number or
 *	"[...]" with ";"-separated numbers and number..number ranges. It
 *	returns NULL after a syntax error, with *error_offset (when not
 *	NULL) the offset of the octet pattern or text that is wrong. smtpd_rbl_filter_match() tells
 *	whether an IPv4 address (4 octets, network order) fits.
 *
 *	smtpd_rbl_reverse_addr() writes the DNSBL query prefix of a
 *	printable address: "4.3.2.1" for 1.2.3.4, 32 reversed nibbles for
 *	an IPv6 address (an IPv4-mapped IPv6 address is taken as IPv4).
 *	It returns false for text that is no address.
 *
 *	smtpd_rbl_reply_split() splits an expanded RBL reply template into
 *	its code (4xx or 5xx), enhanced status code (given, or 4.7.1/5.7.1)
 *	and text; -1 when the template does not start with a valid code.
 */
#ifndef SMTPD_RBL_H
#define SMTPD_RBL_H

#include "sys_defs.h"
#include "vstring.h"

typedef struct SMTPD_RBL_FILTER {
    unsigned char octet[4][32];		/* bit map of allowed values */
} SMTPD_RBL_FILTER;

extern SMTPD_RBL_FILTER *smtpd_rbl_filter_parse(const char *pattern,
					               size_t *error_offset);
extern bool smtpd_rbl_filter_match(const SMTPD_RBL_FILTER *filter,
				           const unsigned char *addr);
extern void smtpd_rbl_filter_free(SMTPD_RBL_FILTER *filter);
extern bool smtpd_rbl_reverse_addr(const char *addr, VSTRING *result);
extern int smtpd_rbl_reply_split(const char *reply, int *code, VSTRING *dsn,
				         const char **text);

#endif
