/* smtpd_haproxy.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd.h"
const char *smtpd_haproxy_read(SMTPD_STATE *state) { return "not available"; }
