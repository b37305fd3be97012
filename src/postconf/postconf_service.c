/*
 * postconf_service - parameter names derived from master.cf services
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_register_service_parameters(void);
 *
 * DESCRIPTION
 *	The queue manager and some delivery agents read per-transport
 *	parameters whose names start with the master.cf service name:
 *	"relay_destination_concurrency_limit" for a service "relay" that
 *	runs smtp(8), "maildrop_time_limit" for a pipe(8) service named
 *	"maildrop". pcf_register_service_parameters() enters these names
 *	for every master.cf entry whose command is one of local, error,
 *	virtual, smtp, lmtp, pipe (scheduler parameters; pipe also gets
 *	_time_limit) or spawn (_time_limit only). Each default is
 *	"$<global parameter>", e.g. "$default_destination_concurrency_limit".
 *
 *	A name that is already built in (local_destination_concurrency_limit
 *	has its own default) keeps its default but becomes service-defined,
 *	as with Postfix.
 *
 *	The command name must match exactly (a path such as /usr/lib/smtp
 *	does not count), and the service type does not matter.
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "postconf.h"

typedef struct {
    const char *suffix;
    const char *default_param;
} PCF_SERVICE_PARAM;

/* Scheduler parameters of delivery transports; pipe(8) adds _time_limit. */
static const PCF_SERVICE_PARAM pcf_pipe_params[] = {
    {"_time_limit", "command_time_limit"},
#define pcf_transport_params (pcf_pipe_params + 1)
    {"_destination_recipient_limit", "default_destination_recipient_limit"},
    {"_recipient_limit", "default_recipient_limit"},
    {"_extra_recipient_limit", "default_extra_recipient_limit"},
    {"_recipient_refill_limit", "default_recipient_refill_limit"},
    {"_recipient_refill_delay", "default_recipient_refill_delay"},
    {"_delivery_slot_cost", "default_delivery_slot_cost"},
    {"_delivery_slot_loan", "default_delivery_slot_loan"},
    {"_delivery_slot_discount", "default_delivery_slot_discount"},
    {"_minimum_delivery_slots", "default_minimum_delivery_slots"},
    {"_initial_destination_concurrency", "initial_destination_concurrency"},
    {"_destination_concurrency_limit", "default_destination_concurrency_limit"},
    {"_destination_concurrency_positive_feedback",
    "default_destination_concurrency_positive_feedback"},
    {"_destination_concurrency_negative_feedback",
    "default_destination_concurrency_negative_feedback"},
    {"_destination_concurrency_failed_cohort_limit",
    "default_destination_concurrency_failed_cohort_limit"},
    {"_destination_rate_delay", "default_destination_rate_delay"},
    {"_transport_rate_delay", "default_transport_rate_delay"},
    {0, 0},
};

static const PCF_SERVICE_PARAM pcf_spawn_params[] = {
    {"_time_limit", "command_time_limit"},
    {0, 0},
};

static const struct {
    const char *program;
    const PCF_SERVICE_PARAM *params;
} pcf_service_programs[] = {
    {"local", pcf_transport_params},
    {"error", pcf_transport_params},
    {"virtual", pcf_transport_params},
    {"smtp", pcf_transport_params},
    {"lmtp", pcf_transport_params},
    {"pipe", pcf_pipe_params},
    {"spawn", pcf_spawn_params},
};

/* pcf_register_service_parameter - enter one name */
static void pcf_register_service_parameter(const char *service,
					           const PCF_SERVICE_PARAM *sp)
{
    char   *name = concatenate(service, sp->suffix, (char *) 0);
    PCF_PARAM *param;

    if ((param = pcf_param_find(name)) != NULL)
	pcf_param_set_class(param, PCF_PARAM_FLAG_SERVICE);
    else
	pcf_param_enter(name, PCF_PARAM_FLAG_SERVICE, NULL, sp->default_param);
    myfree(name);
}

/* pcf_register_service_parameters - names for every delivery service */
void    pcf_register_service_parameters(void)
{
    PCF_MASTER_ENT **mpp;
    const PCF_SERVICE_PARAM *sp;
    const char *command;
    size_t  n;

    if (pcf_master_table == NULL)
	msg_panic("pcf_register_service_parameters: master.cf not read");
    for (mpp = pcf_master_table; *mpp; mpp++) {
	command = (*mpp)->argv->argv[7];
	for (n = 0; n < ARRAY_LEN(pcf_service_programs); n++) {
	    if (strcmp(command, pcf_service_programs[n].program) == 0) {
		for (sp = pcf_service_programs[n].params; sp->suffix; sp++)
		    pcf_register_service_parameter(PCF_MASTER_NAME(*mpp), sp);
		break;
	    }
	}
    }
}
