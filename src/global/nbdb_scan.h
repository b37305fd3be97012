/*
 * nbdb_scan - the hash: and btree: tables that a configuration names
 *
 * SYNOPSIS
 *	#include "nbdb_scan.h"
 *
 *	ARGV	*nbdb_scan_tables(const char *master_cf);
 *	void	nbdb_scan_value(ARGV *tables, const char *value);
 *
 * DESCRIPTION
 *	nbdb_scan_tables() lists the "hash:/path" and "btree:/path" tables
 *	that the configuration names: in the value of every main.cf
 *	setting, in the built-in default of every string parameter that
 *	main.cf leaves alone (defaults computed at run time, such as
 *	directories, are left out), and in the "-o name=value" overrides of
 *	every master.cf entry when master_cf is not NULL (a file that cannot
 *	be read is a warning). Values are expanded ($name) with the main.cf
 *	settings first (raw parameters excepted; a value that does not
 *	expand is skipped, after the warning of mac_expand(3)). The list
 *	is sorted and has no duplicates.
 *	main.cf must have been read.
 *
 *	nbdb_scan_value() adds the tables of one expanded value to tables:
 *	words separated by commas, whitespace or braces ("unionmap:{...}"),
 *	with any "proxy:" prefixes removed, of type hash or btree, with an
 *	absolute pathname.
 *
 * DIAGNOSTICS
 *	Warning: the master.cf read error.
 */
#ifndef NBDB_SCAN_H
#define NBDB_SCAN_H

#include "sys_defs.h"
#include "argv.h"

extern ARGV *nbdb_scan_tables(const char *master_cf);
extern void nbdb_scan_value(ARGV *tables, const char *value);

#endif
