/* smtpd_policy.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd_check.h"
const SMTPD_RESTRICTION smtpd_policy_table[] = {{0}};
