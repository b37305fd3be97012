/*
 * test_dnsq - run one lookup of the DNS library, for the system tests
 *
 * SYNOPSIS
 *	test_dnsq [-v] [-o name=value]... [-f flag]... type name
 *
 * DESCRIPTION
 *	Looks up name with dns_lookup() (type is a record type name such
 *	as MX), with dns_lookup_types() (type is a comma-separated list:
 *	"A,AAAA"), or with dns_lookup_ptr() (type "ADDR": name is an IPv4
 *	or IPv6 address), or with dns_native_lookup() (type "NATIVE": name
 *	is a host name), and prints the result on standard output:
 *
 *	status DNS_xxx
 *	fqdn <final name>		(dns_lookup, dns_lookup_types)
 *	why <reason>			(when the status is not DNS_OK)
 *	rr <owner> <ttl> <TYPE> <data> [validated] [truncated]
 *
 *	one "rr" line per record, after dns_rr_sort_mx() for MX and SRV.
 *	Data: addresses as text, "pref host" for MX, "prio weight port
 *	host" for SRV, "usage selector mtype hex" for TLSA, "host minimum"
 *	for SOA, TXT text as it is, names for the others.
 *
 *	-o name=value sets a main.cf parameter (dns_resolver_address,
 *	dns_lookup_timeout, disable_dns_lookups...); main.cf itself is
 *	not read. -f dnssec|nocname|soa sets DNS_REQ_DNSSEC,
 *	DNS_REQ_NO_CNAME or DNS_REQ_SOA. -v turns on verbose logging (the
 *	library then says why a lookup failed, e.g. "timeout"). Not
 *	installed. Diagnostics go to standard error.
 *
 * DIAGNOSTICS
 *	Exit status 0 when the lookup ran (whatever it found), 1 for
 *	usage errors.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"
#include "argv.h"
#include "mail_conf.h"
#include "dns.h"
#include "dns_native.h"

/* print_rr - one "rr" line */

static void print_rr(const DNS_RR *rr)
{
    VSTRING *buf = vstring_alloc(100);
    size_t  i;

    printf("rr %s %u %s ", rr->rname, rr->ttl, dns_type_name(rr->type));
    switch (rr->type) {
    case DNS_T_A:
    case DNS_T_AAAA:
	printf("%s", dns_rr_to_pa(rr, buf));
	break;
    case DNS_T_MX:
	printf("%u %s", rr->pref, rr->data);
	break;
    case DNS_T_SRV:
	printf("%u %u %u %s", rr->pref, rr->weight, rr->port, rr->data);
	break;
    case DNS_T_TLSA:
	printf("%u %u %u ", rr->tlsa_usage, rr->tlsa_selector, rr->tlsa_mtype);
	for (i = 0; i < rr->data_len; i++)
	    printf("%02x", (unsigned char) rr->data[i]);
	break;
    case DNS_T_SOA:
	printf("%s %u", rr->data, rr->soa_minimum);
	break;
    default:
	printf("%s", rr->data);
	break;
    }
    if (rr->flags & DNS_RR_FLAG_VALIDATED)
	printf(" validated");
    if (rr->flags & DNS_RR_FLAG_TRUNCATED)
	printf(" truncated");
    printf("\n");
    vstring_free(buf);
}

/* usage - complain and exit */

static void usage(void)
{
    fprintf(stderr, "usage: test_dnsq [-v] [-o name=value] [-f dnssec|nocname|soa]"
	    " type name\n");
    _exit(1);
}

int     main(int argc, char **argv)
{
    VSTRING *fqdn = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    DNS_RR *list = NULL;
    DNS_RR *rr;
    ARGV   *types;
    int    *codes;
    int     flags = 0;
    int     status;
    int     ch;
    int     ptr_lookup = 0;
    int     native_lookup = 0;
    char   *eq;
    size_t  i;

    while ((ch = getopt(argc, argv, "vo:f:")) > 0) {
	switch (ch) {
	case 'v':
	    msg_verbose++;
	    break;
	case 'o':
	    if ((eq = strchr(optarg, '=')) == NULL)
		usage();
	    *eq = 0;
	    mail_conf_update(optarg, eq + 1);
	    break;
	case 'f':
	    if (strcmp(optarg, "dnssec") == 0)
		flags |= DNS_REQ_DNSSEC;
	    else if (strcmp(optarg, "nocname") == 0)
		flags |= DNS_REQ_NO_CNAME;
	    else if (strcmp(optarg, "soa") == 0)
		flags |= DNS_REQ_SOA;
	    else
		usage();
	    break;
	default:
	    usage();
	}
    }
    if (argc - optind != 2)
	usage();
    types = argv_split(argv[optind], ",");
    codes = mycalloc(types->argc + 1, sizeof(*codes));
    for (i = 0; i < (size_t) types->argc; i++) {
	if (strcmp(types->argv[i], "ADDR") == 0)
	    ptr_lookup = 1;
	else if (strcmp(types->argv[i], "NATIVE") == 0)
	    native_lookup = 1;
	else if ((codes[i] = dns_type_code(types->argv[i])) == 0)
	    usage();
    }
    if (ptr_lookup) {
	status = dns_lookup_ptr(argv[optind + 1], &list, why);
    } else if (native_lookup) {
	status = dns_native_lookup(argv[optind + 1], &list, why);
    } else if (types->argc == 1) {
	status = dns_lookup(argv[optind + 1], codes[0], flags, &list, fqdn, why);
    } else {
	status = dns_lookup_types(argv[optind + 1], codes, flags, &list,
				  fqdn, why);
    }
    printf("status %s\n", dns_status_name(status));
    if (!ptr_lookup && !native_lookup)
	printf("fqdn %s\n", vstring_str(fqdn));
    if (status != DNS_OK)
	printf("why %s\n", vstring_str(why));
    if (list != NULL && (list->type == DNS_T_MX || list->type == DNS_T_SRV))
	list = dns_rr_sort_mx(list);
    for (rr = list; rr != NULL; rr = rr->next)
	print_rr(rr);
    fflush(stdout);
    dns_rr_free(list);
    dns_reset();
    argv_free(types);
    myfree(codes);
    vstring_free(fqdn);
    vstring_free(why);
    return (0);
}
