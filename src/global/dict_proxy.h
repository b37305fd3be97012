/*
 * dict_proxy - lookup tables served by proxymap(8)
 *
 * SYNOPSIS
 *	#include "dict_proxy.h"
 *
 *	DICT	*dict_proxy_open(const char *name, int open_flags,
 *				 int dict_flags);
 *
 *	Protocol helpers (also for proxymap(8) and tests):
 *	const char *dict_proxy_strip(const char *name);
 *	ATTR_LIST *dict_proxy_request(const char *request, const char *table,
 *				 int dict_flags);
 *	int	dict_proxy_error(int status);
 *
 * DESCRIPTION
 *	dict_proxy_open() opens "proxy:type:name": every operation is sent
 *	to the proxymap(8) service ($proxymap_service_name) or, when the
 *	table is opened for writing (O_WRONLY or O_RDWR), to the
 *	proxywrite service ($proxywrite_service_name). One connection per
 *	service is shared by all proxy tables of the process; it is opened
 *	on first use, and a request that meets a lost connection, a
 *	timeout ($ipc_timeout) or a malformed reply is sent once more on a
 *	new connection. When that fails too, the operation fails with
 *	DICT_ERR_RETRY (a warning says why), so that the caller defers.
 *
 *	The open request tells the client whether the table is of the
 *	fixed-string or pattern kind (key folding depends on it). When the
 *	service cannot be reached at open time, the open is repeated
 *	before the next operation. A table that proxymap(8) refuses because
 *	it is not listed in $proxy_read_maps (or $proxy_write_maps) is a
 *	fatal error, as with Postfix: "<service> service is not configured
 *	for table \"type:name\"".
 *
 *	With DICT_FLAG_NO_PROXY (a security-sensitive use of the table),
 *	the table is opened directly, without the service. Repeated
 *	"proxy:" prefixes ("proxy:proxy:type:name") are ignored.
 *
 *	dict_proxy_strip() returns name without any leading "proxy:"
 *	prefixes. dict_proxy_request() creates the attribute list of a
 *	request that names a table and the client's flags.
 *	dict_proxy_error() maps a PROXY_STAT_* status to a DICT_ERR_* code.
 *
 * DIAGNOSTICS
 *	Warnings: "<service> service: <reason>" when a request fails
 *	twice; "<service> service: table <type:name>: bad request" when
 *	the service calls a request malformed. Fatal: unapproved table.
 */
#ifndef DICT_PROXY_H
#define DICT_PROXY_H

#include "dict.h"
#include "attr_list.h"

#define DICT_TYPE_PROXY	"proxy"

extern DICT *dict_proxy_open(const char *name, int open_flags, int dict_flags);
extern const char *dict_proxy_strip(const char *name);
extern ATTR_LIST *dict_proxy_request(const char *request, const char *table,
				             int dict_flags);
extern int dict_proxy_error(int status);

#endif
