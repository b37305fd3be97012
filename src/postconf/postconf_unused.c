/*
 * postconf_unused - warn about settings that nothing uses
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_flag_unused_main_parameters(void);
 *	void	pcf_flag_unused_master_parameters(void);
 *
 * DESCRIPTION
 *	Call these after every known name has been registered (built-in,
 *	service-defined and user-defined); they make no sense with -d,
 *	which ignores the user's settings.
 *
 *	pcf_flag_unused_main_parameters() warns about each main.cf setting
 *	(and -o override) whose name is not known: usually a typing error
 *	or a parameter of another Postfix version.
 *	pcf_flag_unused_master_parameters() does the same for the "-o
 *	name=value" settings of each master.cf entry, where a name is also
 *	known when the entry itself uses it.
 *
 *	Standard output is flushed first so that the warnings come after
 *	the normal output. Settings are visited in file order.
 *
 * DIAGNOSTICS
 *	Warnings: "<config_dir>/main.cf: unused parameter: name=value" and
 *	"<config_dir>/master.cf: unused parameter: name=value".
 */
#include "sys_defs.h"

#include "msg.h"
#include "excerpt.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstream.h"
#include "mail_conf.h"
#include "postconf.h"

/* pcf_flag_unused_main_setting - mail_conf_walk() callback */
static void pcf_flag_unused_main_setting(const char *name, const char *value,
					         void *context)
{
    (void) context;
    if (pcf_param_find(name) == NULL) {
	vstream_fflush(VSTREAM_OUT);
	msg_warn("%s/%s: unused parameter: %s=%s",
		 pcf_config_dir(), MAIN_CONF_FILE, excerpt(name), excerpt(value));
    }
}

/* pcf_flag_unused_main_parameters - main.cf settings nothing uses */
void    pcf_flag_unused_main_parameters(void)
{
    if (pcf_param_table == NULL)
	msg_panic("pcf_flag_unused_main_parameters: no parameter table");
    mail_conf_walk(pcf_flag_unused_main_setting, (void *) 0);
}

/* pcf_flag_unused_master_parameters - "-o" settings nothing uses */
void    pcf_flag_unused_master_parameters(void)
{
    PCF_MASTER_ENT **mpp;
    HTABLE_INFO **list;
    HTABLE_INFO **ht;

    if (pcf_master_table == NULL)
	msg_panic("pcf_flag_unused_master_parameters: master.cf not read");
    for (mpp = pcf_master_table; *mpp; mpp++) {
	if ((*mpp)->all_params == NULL)
	    continue;
	list = htable_list((*mpp)->all_params);
	for (ht = list; *ht; ht++) {
	    if (pcf_param_find((*ht)->key) == NULL
		&& ((*mpp)->valid_names == NULL
		    || htable_locate((*mpp)->valid_names, (*ht)->key) == NULL)) {
		vstream_fflush(VSTREAM_OUT);
		msg_warn("%s/%s: unused parameter: %s=%s", pcf_config_dir(),
			 MASTER_CONF_FILE, excerpt((*ht)->key),
			 excerpt((char *) (*ht)->value));
	    }
	}
	myfree(list);
    }
}
