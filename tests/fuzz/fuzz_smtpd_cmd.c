/*
 * fuzz_smtpd_cmd - fuzz target for the smtpd(8) command parsers
 *
 * DESCRIPTION
 *	Treats the input as one SMTP command line: splits it into words
 *	(smtpd_cmd_split()) and, as MAIL FROM and as RCPT TO, finds the
 *	address (smtpd_mail_split()), converts it to the internal form in
 *	strict and in relaxed mode (smtpd_mail_addr()) and checks the ESMTP
 *	parameters (smtpd_mail_params(), smtpd_rcpt_params()); every word
 *	is also decoded as xtext (smtpd_mail_xtext()). It aborts when an
 *	invariant breaks:
 * .IP \(bu
 *	words are non-empty and together no longer than the line;
 * .IP \(bu
 *	an internal address or decoded xtext is never longer than its
 *	input text, and has no null byte;
 * .IP \(bu
 *	a strict parse that succeeds gives the same address as a relaxed
 *	one;
 * .IP \(bu
 *	a parameter parser that accepts its input returns no reply, one
 *	that rejects it a reply with a 5XX code.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "argv.h"
#include "smtpd.h"
#include "fuzz_support.h"

/* fuzz_fail - report a broken invariant and abort */
static void fuzz_fail(const char *what, const char *in)
{
    fprintf(stderr, "invariant broken: %s\ninput: [%s]\n", what, in);
    abort();
}

/* fuzz_reply_ok - a rejection reply looks like "5NN ..." */
static void fuzz_reply_ok(const char *reply, const char *in)
{
    if (reply != NULL && (reply[0] != '5' || strlen(reply) < 4))
	fuzz_fail("malformed parameter reply", in);
}

/* fuzz_address - the address and parameters as keyword (FROM:/TO:) */
static void fuzz_address(ARGV *argv, const char *keyword, const char *in,
			         VSTRING *relaxed, VSTRING *strict)
{
    const char *text;
    int     first;
    SMTPD_MAIL_ARGS margs;
    SMTPD_RCPT_ARGS rargs;

    if (smtpd_mail_split((int) argv->argc, argv->argv, keyword, &text,
			 &first) < 0)
	return;
    if (first > (int) argv->argc)
	fuzz_fail("parameter index past the end", in);
    if (smtpd_mail_addr(text, false, relaxed) == 0) {
	if (VSTRING_LEN(relaxed) > strlen(text)
	    || strlen(vstring_str(relaxed)) != VSTRING_LEN(relaxed))
	    fuzz_fail("internal address too long", in);
	if (smtpd_mail_addr(text, true, strict) == 0
	    && strcmp(vstring_str(strict), vstring_str(relaxed)) != 0)
	    fuzz_fail("strict and relaxed parse differ", in);
    }
    fuzz_reply_ok(smtpd_mail_params(argv->argv + first, false, &margs), in);
    smtpd_mail_args_free(&margs);
    fuzz_reply_ok(smtpd_mail_params(argv->argv + first, true, &margs), in);
    if (margs.verp && strlen(margs.verp) != 2)
	fuzz_fail("XVERP delimiters not two characters", in);
    smtpd_mail_args_free(&margs);
    fuzz_reply_ok(smtpd_rcpt_params(argv->argv + first, &rargs), in);
    smtpd_rcpt_args_free(&rargs);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char   *in = mystrndup((const char *) data, size);
    VSTRING *relaxed = vstring_alloc(100);
    VSTRING *strict = vstring_alloc(100);
    VSTRING *xtext = vstring_alloc(100);
    ARGV   *argv;
    size_t  total = 0;
    char  **cpp;

    fuzz_quiet_init();
    argv = smtpd_cmd_split(in);
    for (cpp = argv->argv; *cpp; cpp++) {
	if (**cpp == 0)
	    fuzz_fail("empty word", in);
	total += strlen(*cpp);
	if (smtpd_mail_xtext(xtext, *cpp) == 0
	    && VSTRING_LEN(xtext) > strlen(*cpp))
	    fuzz_fail("xtext output too long", in);
    }
    if (total > strlen(in))
	fuzz_fail("words longer than the line", in);
    fuzz_address(argv, "FROM:", in, relaxed, strict);
    fuzz_address(argv, "TO:", in, relaxed, strict);
    argv_free(argv);
    vstring_free(relaxed);
    vstring_free(strict);
    vstring_free(xtext);
    myfree(in);
    return 0;
}
