/* smtpd_xclient.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd.h"
int smtpd_cmd_xclient(SMTPD_STATE *state, int argc, char **argv) { return -1; }
int smtpd_cmd_xforward(SMTPD_STATE *state, int argc, char **argv) { return -1; }
void smtpd_xforward_attrs(SMTPD_STATE *state, ARGV *attrs) { }
void smtpd_xforward_reset(SMTPD_STATE *state) { }
