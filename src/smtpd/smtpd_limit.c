/* smtpd_limit.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd.h"
const char *smtpd_limit_connect(SMTPD_STATE *state) { return 0; }
void smtpd_limit_disconnect(SMTPD_STATE *state) { }
const char *smtpd_limit_mail(SMTPD_STATE *state) { return 0; }
const char *smtpd_limit_rcpt(SMTPD_STATE *state) { return 0; }
