/*
 * anvil_proto - names of the anvil(8) protocol
 *
 * SYNOPSIS
 *	#include "anvil_proto.h"
 *
 * DESCRIPTION
 *	The protocol name, requests and attribute names of the anvil
 *	service (docs/internals/protocols.md, "anvil"). anvil_client.h is
 *	the client; src/anvil/ the server.
 */
#ifndef ANVIL_PROTO_H
#define ANVIL_PROTO_H

#define ANVIL_PROTO_NAME	"anvil"
#define ANVIL_SERVICE		"anvil"		/* private/anvil */

#define ANVIL_REQ_CONNECT	"connect"
#define ANVIL_REQ_DISCONNECT	"disconnect"
#define ANVIL_REQ_MESSAGE	"message"
#define ANVIL_REQ_RECIPIENT	"recipient"
#define ANVIL_REQ_NEWTLS	"newtls"
#define ANVIL_REQ_NEWTLS_REPORT	"newtls_report"
#define ANVIL_REQ_AUTH		"auth"
#define ANVIL_REQ_LOOKUP	"lookup"

#define ANVIL_ATTR_IDENT	"ident"		/* service:address */
#define ANVIL_ATTR_COUNT	"count"
#define ANVIL_ATTR_RATE		"rate"
#define ANVIL_ATTR_MAIL		"mail"
#define ANVIL_ATTR_RCPT		"rcpt"
#define ANVIL_ATTR_NEWTLS	"newtls"
#define ANVIL_ATTR_AUTH		"auth"

#define ANVIL_IDENT_LIMIT	1024		/* bytes in an ident */

#endif
