/* smtpd_peer.c: placeholder of the issue-9 integration branch; its owner replaces it. */
#include "smtpd.h"
void smtpd_peer_init(SMTPD_STATE *state) { smtpd_state_set_peer(state, "unknown", "unknown", "127.0.0.1", "0", SMTPD_PEER_CODE_PERM, SMTPD_PEER_CODE_PERM); }
