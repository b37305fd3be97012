/*
 * qmgr_slots - the preemptive scheduler's arithmetic, VERP senders
 *
 * SYNOPSIS
 *	#include "qmgr.h"
 *
 *	int	qmgr_slots_accumulated(int counter, int cost);
 *	int	qmgr_slots_potential(int counter, int remaining, int cost);
 *	bool	qmgr_slots_may_preempt(int accumulated, int needed,
 *				int loan, int discount);
 *
 *	bool	qmgr_refill_due(long free_slots, long refill_limit,
 *				long since_last, long refill_delay,
 *				bool starved);
 *	long	qmgr_refill_budget(long slots, long in_core, long minimum);
 *
 *	const char *qmgr_verp_sender(VSTRING *buf, const char *sender,
 *				const char *delims, const char *recipient);
 *
 * DESCRIPTION
 *	Pure functions, without I/O or globals, so that the unit tests
 *	(tests/unit/test_qmgr_slots.c) drive them directly.
 *
 *	A job's delivery slot counter goes up by one for each entry of
 *	the job handed to an agent, and down by cost times the entries
 *	of a job that preempts it (SCHEDULER_README: "the counter is
 *	incremented every time an entry is selected and it is divided by
 *	k when it is used"). qmgr_slots_accumulated() is the number of
 *	whole slots in a counter (rounded down, also below zero, where a
 *	loan is being paid back). qmgr_slots_potential() is how many
 *	slots a job may still have at most when its remaining entries
 *	are delivered too: a job whose potential stays below
 *	$<transport>_minimum_delivery_slots is never preempted, and a
 *	candidate must need fewer slots than that.
 *
 *	qmgr_slots_may_preempt() tells whether a candidate that needs
 *	needed slots may preempt a job that has accumulated accumulated:
 *	it may when no more than discount percent of needed, plus loan
 *	slots, remain to be accumulated (postconf(5),
 *	default_delivery_slot_discount and _loan).
 *
 *	qmgr_refill_due() tells whether a message should read more of
 *	its recipients now for a job with free_slots free recipient
 *	slots: at least refill_limit are free, or some are free and
 *	refill_delay seconds have passed since the last read, or some
 *	are free and the job has nothing left to deliver (starved).
 *	qmgr_refill_budget() is how many recipients the next read may
 *	take: the slots of the message's jobs plus
 *	$qmgr_message_recipient_minimum, less those in memory (0 when
 *	none).
 *
 *	qmgr_verp_sender() writes into buf the sender that a VERP
 *	delivery to recipient uses, and returns it: for the sender
 *	local@domain, the recipient user@rdomain and the delimiters xy,
 *	local<x>user<y>rdomain@domain. A sender without a domain keeps
 *	none; a recipient without a domain adds only <x>user. The sender
 *	is split at its last "@", the recipient at its last "@".
 *
 * DIAGNOSTICS
 *	None.
 */
#include "sys_defs.h"

#include <string.h>

#include "qmgr.h"

/* qmgr_slots_accumulated - whole slots in a counter, rounded down */
int     qmgr_slots_accumulated(int counter, int cost)
{
    if (cost < 1)
	return 0;
    if (counter >= 0)
	return counter / cost;
    return -((-counter + cost - 1) / cost);
}

/* qmgr_slots_potential - the most slots a job may still accumulate */
int     qmgr_slots_potential(int counter, int remaining, int cost)
{
    long    total = (long) counter + (remaining > 0 ? remaining : 0);

    if (cost < 1 || total <= 0)
	return 0;
    return (int) (total / cost);
}

/* qmgr_slots_may_preempt - enough slots, with loan and discount? */
bool    qmgr_slots_may_preempt(int accumulated, int needed, int loan,
			               int discount)
{
    long    missing;

    if (discount < 0)
	discount = 0;
    if (discount > 100)
	discount = 100;
    if (loan < 0)
	loan = 0;
    /* missing <= needed * discount / 100 + loan, without rounding. */
    missing = (long) needed - accumulated;
    return missing * 100 <= (long) needed * discount + (long) loan * 100;
}

/* qmgr_refill_due - should a message read more recipients now? */
bool    qmgr_refill_due(long free_slots, long refill_limit, long since_last,
			        long refill_delay, bool starved)
{
    if (free_slots <= 0)
	return false;
    return free_slots >= refill_limit || since_last >= refill_delay
	|| starved;
}

/* qmgr_refill_budget - recipients the next read may take */
long    qmgr_refill_budget(long slots, long in_core, long minimum)
{
    long    budget = slots + minimum - in_core;

    return budget > 0 ? budget : 0;
}

/* qmgr_verp_sender - the sender of a VERP delivery */
const char *qmgr_verp_sender(VSTRING *buf, const char *sender,
			             const char *delims, const char *recipient)
{
    const char *sender_at = strrchr(sender, '@');
    const char *rcpt_at = strrchr(recipient, '@');

    if (sender_at)
	vstring_strncpy(buf, sender, (size_t) (sender_at - sender));
    else
	vstring_strcpy(buf, sender);
    VSTRING_ADDCH(buf, delims[0]);
    if (rcpt_at) {
	vstring_strncat(buf, recipient, (size_t) (rcpt_at - recipient));
	VSTRING_ADDCH(buf, delims[1]);
	vstring_strcat(buf, rcpt_at + 1);
    } else {
	vstring_strcat(buf, recipient);
    }
    if (sender_at)
	vstring_strcat(buf, sender_at);
    VSTRING_TERMINATE(buf);
    return vstring_str(buf);
}
