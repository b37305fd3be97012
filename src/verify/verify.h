/*
 * verify - private interfaces of the verify(8) daemon
 *
 * SYNOPSIS
 *	#include "verify.h"
 *
 * DESCRIPTION
 *	verify.c is the service (requests, the cache, its cleanup runs);
 *	verify_probe.c sends probes (see there); verify_entry.[ch] is the
 *	cache entry format and its rules, a library of its own for the
 *	unit tests and the fuzz target.
 */
#ifndef VERIFY_H
#define VERIFY_H

#include "sys_defs.h"
#include "vstring.h"

extern bool verify_probe_send(const char *address, VSTRING *why);
extern void verify_probe_sender(VSTRING *buf, long now);

#endif
