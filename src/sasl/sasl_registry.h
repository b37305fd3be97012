/*
 * sasl_registry - the SASL implementations that this build contains
 *
 * SYNOPSIS
 *	#include "sasl_registry.h"
 *
 *	ARGV	*sasl_registry_server_types(void);
 *	ARGV	*sasl_registry_client_types(void);
 *
 * DESCRIPTION
 *	This module is the one place that knows which SASL implementations
 *	are compiled in: those of the SMTP server (the values that
 *	smtpd_sasl_type accepts) and those of the SMTP and LMTP clients
 *	(smtp_sasl_type, lmtp_sasl_type). "postconf -a" and "postconf -A"
 *	print these lists, and the server and client code will pick an
 *	implementation by name from the same tables, so that what postconf
 *	reports is what the daemons can use.
 *
 *	sasl_registry_server_types() and sasl_registry_client_types() return
 *	a new ARGV with the type names in table order; the caller frees it
 *	with argv_free().
 *
 *	This build has no SASL implementation yet: both lists are empty,
 *	which is also what Postfix reports when it is built without SASL
 *	support. An implementation is added by adding its entry to the
 *	server or client table in sasl_registry.c.
 *
 *	This module does not talk SASL, read configuration or load plug-ins.
 *
 * DIAGNOSTICS
 *	None.
 */
#ifndef SASL_REGISTRY_H
#define SASL_REGISTRY_H

#include "sys_defs.h"
#include "argv.h"

extern ARGV *sasl_registry_server_types(void);
extern ARGV *sasl_registry_client_types(void);

#endif
