/* smtpd_xclient.c: placeholder of the issue-9 integration branch; its owner replaces it. */
