/* dns_rr.c: placeholder of the issue-9 integration branch; its owner replaces it. */
