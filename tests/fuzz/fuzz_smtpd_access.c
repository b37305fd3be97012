/*
 * fuzz_smtpd_access - feed arbitrary access(5) results and addresses to
 *	the smtpd(8) restriction engine
 *
 * DESCRIPTION
 *	The input is "action\nrecipient\nsender\nhelo": the action is
 *	applied as an access table result with smtpd_check_access_action()
 *	(every action word, "NNN d.d.d text", restriction and class names
 *	as a nested list), and the recipient, sender and helo name go
 *	through smtpd_check_rcpt() with check_*_access tables, classes and
 *	generic restrictions configured. Inputs that name restrictions
 *	which wait (sleep) or talk to the network (DNS lists, policy
 *	servers, address verification) are skipped. Checked: no crash,
 *	leak or hang, and every reply the engine gives is "4NN " or "5NN "
 *	followed by text.
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "smtpd_check.h"
#include "fuzz_support.h"
#include "../unit/test_smtpd_check_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Substrings of restrictions that sleep or use the network. */
static const char *const skip[] = {
    "sleep", "policy", "rbl", "rhs", "dnswl", "_mx_", "_ns_", "_a_",
    "unknown", "unverified", "mx_backup", "verify", 0,
};

/* fuzz_reply_ok - whether a reply has the form "[45]NN text" */
static bool fuzz_reply_ok(const char *reply)
{
    return (reply == 0
	    || ((reply[0] == '4' || reply[0] == '5')
		&& reply[1] >= '0' && reply[1] <= '9'
		&& reply[2] >= '0' && reply[2] <= '9' && reply[3] == ' '));
}

/* fuzz_field - the next "\n"-separated field, or "" */
static char *fuzz_field(char **cp)
{
    char   *start = *cp;
    char   *end;

    if ((end = strchr(start, '\n')) != 0) {
	*end = 0;
	*cp = end + 1;
    } else {
	*cp = start + strlen(start);
    }
    return start;
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool init;
    SMTPD_STATE state;
    SMTPD_CHECK_CALL call;
    char   *buf;
    char   *cp;
    char   *action;
    char   *rcpt;
    char   *sender;
    int     n;

    if (!init) {
	fuzz_quiet_init();
	mail_conf_update("mynetworks", "192.0.2.0/24");
	mail_conf_update("smtpd_restriction_classes", "c1 c2");
	mail_conf_update("c1", "check_sender_access inline:{a@b.example=REJECT}");
	mail_conf_update("c2", "c1, defer_if_permit");
	mail_conf_update("smtpd_client_restrictions",
		"check_client_access inline:{198.51.100=DEFER_IF_REJECT x}");
	mail_conf_update("smtpd_helo_restrictions",
			 "check_helo_access inline:{helo.example=HOLD}");
	mail_conf_update("smtpd_recipient_restrictions",
			 "check_recipient_access inline:{{r.example=c2}}, "
			 "warn_if_reject, reject_non_fqdn_recipient, "
			 "permit_mynetworks, reject_unauth_destination");
	mail_params_reset();
	smtpd_check_init();
	init = true;
    }
    buf = mystrndup((const char *) data, size);
    if (strlen(buf) != size) {
	myfree(buf);
	return 0;
    }
    for (n = 0; skip[n]; n++) {
	if (strstr(buf, skip[n]) != 0) {
	    myfree(buf);
	    return 0;
	}
    }
    cp = buf;
    action = fuzz_field(&cp);
    rcpt = fuzz_field(&cp);
    sender = fuzz_field(&cp);
    test_smtpd_session_start(&state, "198.51.100.7", *cp ? cp : 0, sender);

    memset(&call, 0, sizeof(call));
    call.state = &state;
    call.stage = SMTPD_STAGE_RECIPIENT;
    call.restriction = "check_recipient_access";
    call.arg = "inline:{x=y}";
    call.reply_name = rcpt;
    call.reply_class = "Recipient address";
    (void) smtpd_check_access_action(&call, "inline:{x=y}", rcpt, action);
    if (!fuzz_reply_ok(smtpd_check_rcpt(&state, rcpt)))
	abort();
    if (!fuzz_reply_ok(smtpd_check_mail(&state, state.sender)))
	abort();

    test_smtpd_session_end(&state);
    myfree(buf);
    return 0;
}
