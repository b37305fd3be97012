/*
 * valid_hostname - syntax checks for host names, addresses and ports
 *
 * DESCRIPTION
 *	See valid_hostname.h. Each checker walks its input once, left to
 *	right, and stops at the first problem; loops are bounded by the
 *	syntax (a label, an octet or a hex group has a maximal length), so
 *	hostile input of any length is cheap to reject.
 */
#include "sys_defs.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "excerpt.h"
#include "valid_hostname.h"

#define IS_ASCII_ALNUM(c)	(isascii(c) && isalnum(c))
#define IS_ASCII_DIGIT(c)	((c) >= '0' && (c) <= '9')
#define IS_ASCII_XDIGIT(c)	(isascii(c) && isxdigit(c))

/* valid_gripe - log what is wrong with the input, when asked to */
static bool PRINTFLIKE(4, 5) valid_gripe(int flags, const char *myname,
					         const char *text,
					         const char *fmt,...)
{
    char    problem[100];		/* our own words, never input */
    va_list ap;

    if (flags & DO_GRIPE) {
	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	msg_warn("%s: %s in \"%s\"", myname, problem, excerpt(text));
    }
    return false;
}

/* bad_char - describe an unexpected character */
static bool bad_char(int flags, const char *myname, const char *text, int ch)
{
    if (isascii(ch) && isgraph(ch))
	return valid_gripe(flags, myname, text, "invalid character '%c'", ch);
    return valid_gripe(flags, myname, text, "invalid character 0x%02x", ch);
}

/* valid_hostname - check host name syntax */
bool    valid_hostname(const char *name, int flags)
{
    const char *myname = "valid_hostname";
    const unsigned char *cp;
    size_t  total = strnlen(name, VALID_HOSTNAME_LEN + 1);
    size_t  label_len = 0;
    bool    numeric = true;
    int     ch;

    if (total == 0)
	return valid_gripe(flags, myname, name, "empty hostname");
    if (total > VALID_HOSTNAME_LEN)
	return valid_gripe(flags, myname, name,
			   "hostname longer than %d characters",
			   VALID_HOSTNAME_LEN);

    for (cp = (const unsigned char *) name; (ch = *cp) != 0; cp++) {
	if (IS_ASCII_ALNUM(ch) || ch == '_' || ch == '-') {
	    if (ch == '-' && (label_len == 0 || cp[1] == '.' || cp[1] == 0))
		return valid_gripe(flags, myname, name, "misplaced hyphen");
	    if (++label_len > VALID_LABEL_LEN)
		return valid_gripe(flags, myname, name,
				   "label longer than %d characters",
				   VALID_LABEL_LEN);
	    if (!IS_ASCII_DIGIT(ch))
		numeric = false;
	} else if (ch == '.') {
	    if (label_len == 0 || cp[1] == 0)
		return valid_gripe(flags, myname, name, "misplaced dot");
	    label_len = 0;
	} else if (ch == '*' && (flags & DO_WILDCARD)) {
	    if (cp != (const unsigned char *) name
		|| (cp[1] != '.' && cp[1] != 0))
		return valid_gripe(flags, myname, name,
				   "'*' allowed only as the first label");
	    label_len = 1;
	    numeric = false;
	} else {
	    return bad_char(flags, myname, name, ch);
	}
    }
    if (numeric)
	return valid_gripe(flags, myname, name, "numeric hostname");
    return true;
}

/* valid_hostaddr - check numeric address syntax, either family */
bool    valid_hostaddr(const char *addr, int flags)
{
    if (*addr == 0)
	return valid_gripe(flags, "valid_hostaddr", addr, "empty address");
    if (strchr(addr, ':') != NULL)
	return valid_ipv6_hostaddr(addr, flags);
    return valid_ipv4_hostaddr(addr, flags);
}

/* check_ipv4 - check dotted quad at text; whole is quoted in warnings */
static bool check_ipv4(const char *text, const char *whole,
		               const char *myname, int flags)
{
    const unsigned char *cp = (const unsigned char *) text;
    int     octets = 0;
    int     first_value = 0;
    bool    nonzero_later = false;

    for (;;) {
	const unsigned char *start = cp;
	int     value = 0;

	if (!IS_ASCII_DIGIT(*cp)) {
	    if (*cp == '.' || *cp == 0)
		return valid_gripe(flags, myname, whole, "misplaced dot");
	    return bad_char(flags, myname, whole, *cp);
	}
	while (IS_ASCII_DIGIT(*cp) && cp - start < 4)
	    value = value * 10 + (*cp++ - '0');
	if (cp - start > 3 || value > 255)
	    return valid_gripe(flags, myname, whole,
			       "octet value out of range");
	if (cp - start > 1 && *start == '0')
	    return valid_gripe(flags, myname, whole, "leading zero in octet");
	if (++octets == 1)
	    first_value = value;
	else if (value != 0)
	    nonzero_later = true;
	if (*cp == 0)
	    break;
	if (*cp != '.')
	    return bad_char(flags, myname, whole, *cp);
	if (octets == 4)
	    return valid_gripe(flags, myname, whole, "too many octets");
	cp++;
    }
    if (octets != 4)
	return valid_gripe(flags, myname, whole, "too few octets");
    if (first_value == 0 && nonzero_later)
	return valid_gripe(flags, myname, whole, "bad first octet value 0");
    return true;
}

/* valid_ipv4_hostaddr - check dotted quad syntax */
bool    valid_ipv4_hostaddr(const char *addr, int flags)
{
    const char *myname = "valid_ipv4_hostaddr";

    if (*addr == 0)
	return valid_gripe(flags, myname, addr, "empty address");
    return check_ipv4(addr, addr, myname, flags);
}

/* valid_ipv6_hostaddr - check RFC 4291 text form */
bool    valid_ipv6_hostaddr(const char *addr, int flags)
{
    const char *myname = "valid_ipv6_hostaddr";
    const unsigned char *cp = (const unsigned char *) addr;
    int     groups = 0;
    bool    compressed = false;

#define MAX_GROUPS	(compressed ? 7 : 8)

    if (*cp == 0)
	return valid_gripe(flags, myname, addr, "empty address");
    if (*cp == ':') {
	if (cp[1] != ':')
	    return valid_gripe(flags, myname, addr, "misplaced ':'");
	compressed = true;
	cp += 2;
	if (*cp == 0)
	    return true;
    }
    for (;;) {
	const unsigned char *start = cp;

	while (IS_ASCII_XDIGIT(*cp) && cp - start <= 4)
	    cp++;
	if (*cp == '.') {
	    /* An IPv4 address takes the place of the last two groups. */
	    if (start == (const unsigned char *) addr)
		return valid_gripe(flags, myname, addr, "too few fields");
	    if (groups + 2 > MAX_GROUPS)
		return valid_gripe(flags, myname, addr, "too many fields");
	    if (!check_ipv4((const char *) start, addr, myname, flags))
		return false;
	    groups += 2;
	    break;
	}
	if (cp == start) {
	    if (*cp == 0 || *cp == ':')
		return valid_gripe(flags, myname, addr, "misplaced ':'");
	    return bad_char(flags, myname, addr, *cp);
	}
	if (cp - start > 4)
	    return valid_gripe(flags, myname, addr,
			       "hex field longer than 4 digits");
	if (++groups > MAX_GROUPS)
	    return valid_gripe(flags, myname, addr, "too many fields");
	if (*cp == 0)
	    break;
	if (*cp != ':')
	    return bad_char(flags, myname, addr, *cp);
	if (*++cp == ':') {
	    if (compressed)
		return valid_gripe(flags, myname, addr, "more than one \"::\"");
	    compressed = true;
	    if (groups > MAX_GROUPS)
		return valid_gripe(flags, myname, addr, "too many fields");
	    if (*++cp == 0)
		break;
	}
    }
    if (!compressed && groups < 8)
	return valid_gripe(flags, myname, addr, "too few fields");
    return true;
}

/* valid_hostport - check numeric port syntax */
bool    valid_hostport(const char *port, int flags)
{
    const char *myname = "valid_hostport";
    const unsigned char *cp;
    long    value = 0;

    if (*port == 0)
	return valid_gripe(flags, myname, port, "empty port number");
    for (cp = (const unsigned char *) port; *cp; cp++) {
	if (!IS_ASCII_DIGIT(*cp))
	    return valid_gripe(flags, myname, port, "non-numeric port number");
	if (cp - (const unsigned char *) port >= 5)
	    return valid_gripe(flags, myname, port,
			       "port number out of range");
	value = value * 10 + (*cp - '0');
    }
    if (port[0] == '0' && port[1] != 0)
	return valid_gripe(flags, myname, port, "leading zero in port number");
    if (value > 65535)
	return valid_gripe(flags, myname, port, "port number out of range");
    return true;
}
