/* smtpd_data.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd.h"
int smtpd_cmd_data(SMTPD_STATE *state, int argc, char **argv) { return -1; }
int smtpd_cmd_bdat(SMTPD_STATE *state, int argc, char **argv) { return -1; }
const char *smtpd_data_open(SMTPD_STATE *state) { return "451 4.3.0 Error: queue file write error"; }
void smtpd_data_rcpt(SMTPD_STATE *state, const char *recipient, const char *orcpt, int notify) { }
void smtpd_data_abort(SMTPD_STATE *state) { }
