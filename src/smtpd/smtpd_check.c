/* smtpd_check.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd_check.h"
void smtpd_check_init(void) { }
void smtpd_check_session_start(SMTPD_STATE *state) { }
void smtpd_check_session_end(SMTPD_STATE *state) { }
const char *smtpd_check_client(SMTPD_STATE *state) { return 0; }
const char *smtpd_check_helo(SMTPD_STATE *state, const char *helo) { return 0; }
const char *smtpd_check_mail(SMTPD_STATE *state, const char *sender) { return 0; }
const char *smtpd_check_rcpt(SMTPD_STATE *state, const char *recipient) { return 0; }
const char *smtpd_check_etrn(SMTPD_STATE *state, const char *domain) { return 0; }
const char *smtpd_check_data(SMTPD_STATE *state) { return 0; }
const char *smtpd_check_eod(SMTPD_STATE *state) { return 0; }
const char *smtpd_check_size(SMTPD_STATE *state, long size) { return 0; }
const char *smtpd_check_queue(SMTPD_STATE *state) { return 0; }
const char *smtpd_check_vrfy(SMTPD_STATE *state, const char *recipient) { return 0; }
bool smtpd_check_ehlo_discard(SMTPD_STATE *state, int *mask) { *mask = 0; return false; }
