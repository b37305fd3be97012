/*
 * sys_exits - what a <sysexits.h> exit status means for a delivery
 *
 * DESCRIPTION
 *	See sys_exits.h. The table holds Postfix's DSN codes and texts,
 *	as local(8) and pipe(8) log them.
 */
#include "sys_defs.h"

#include "sys_exits.h"

static const struct {
    int     code;
    const char *status;
    const char *text;
} sys_exits_table[] = {
    {64, "5.3.0", "command line usage error"},
    {65, "5.6.0", "data format error"},
    {66, "5.3.0", "cannot open input"},
    {67, "5.1.1", "user unknown"},
    {68, "5.1.2", "host name unknown"},
    {69, "5.3.0", "service unavailable"},
    {70, "5.3.0", "internal software error"},
    {71, "4.3.0", "system resource problem"},
    {72, "5.3.0", "critical OS file missing"},
    {73, "5.2.0", "can't create user output file"},
    {74, "5.3.0", "input/output error"},
    {75, "4.3.0", "temporary failure"},
    {76, "5.5.0", "remote error in protocol"},
    {77, "5.7.0", "permission denied"},
    {78, "5.3.5", "local configuration error"},
};

/* sys_exits_status - DSN status and text of an exit status, or NULL */
const char *sys_exits_status(int code, const char **text)
{
    size_t  n;

    for (n = 0; n < sizeof(sys_exits_table) / sizeof(sys_exits_table[0]); n++) {
	if (sys_exits_table[n].code == code) {
	    *text = sys_exits_table[n].text;
	    return (sys_exits_table[n].status);
	}
    }
    return (0);
}
