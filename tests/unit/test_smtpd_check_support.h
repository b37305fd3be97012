/*
 * test_smtpd_check_support - a hand-built smtpd session for the tests of
 *	the restriction engine
 *
 * SYNOPSIS
 *	#include "test_smtpd_check_support.h"
 *
 *	void	test_smtpd_session_start(SMTPD_STATE *state,
 *				const char *addr, const char *helo,
 *				const char *sender);
 *	void	test_smtpd_session_end(SMTPD_STATE *state);
 *
 * DESCRIPTION
 *	test_smtpd_session_start() fills state as smtpd(8) would for a
 *	client "client.example[addr]" (also its reverse name) that sent
 *	EHLO helo (NULL: none) and MAIL FROM:<sender> (NULL: none) over
 *	ESMTP, and starts the engine's session (smtpd_check_session_start()).
 *
 *	test_smtpd_session_end() ends the engine's session and frees what
 *	the session and the access actions left in state (namaddr, the
 *	saved FILTER, REDIRECT, BCC and PREPEND values), then zeroes it.
 *
 *	Used by tests/unit/test_smtpd_check.c and
 *	tests/fuzz/fuzz_smtpd_access.c. Static functions: each program
 *	includes this header once.
 */
#ifndef TEST_SMTPD_CHECK_SUPPORT_H
#define TEST_SMTPD_CHECK_SUPPORT_H

#include <string.h>

#include "mymalloc.h"
#include "stringops.h"
#include "argv.h"
#include "smtpd_check.h"

/* test_smtpd_session_start - a client that said EHLO and MAIL FROM */
static void test_smtpd_session_start(SMTPD_STATE *state, const char *addr,
				             const char *helo,
				             const char *sender)
{
    memset(state, 0, sizeof(*state));
    state->name = (char *) "client.example";
    state->reverse_name = state->name;
    state->addr = (char *) addr;
    state->namaddr = concatenate("client.example[", addr, "]", (char *) 0);
    state->helo_name = (char *) helo;
    state->protocol = (char *) "ESMTP";
    state->sender = (char *) sender;
    smtpd_check_session_start(state);
}

/* test_smtpd_session_end - free what the session left */
static void test_smtpd_session_end(SMTPD_STATE *state)
{
    smtpd_check_session_end(state);
    if (state->namaddr)
	myfree(state->namaddr);
    if (state->saved_filter)
	myfree(state->saved_filter);
    if (state->saved_redirect)
	myfree(state->saved_redirect);
    if (state->saved_bcc)
	argv_free(state->saved_bcc);
    if (state->prepend)
	argv_free(state->prepend);
    memset(state, 0, sizeof(*state));
}

#endif
