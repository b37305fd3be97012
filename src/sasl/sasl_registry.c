/*
 * sasl_registry - the SASL implementations that this build contains
 *
 * DESCRIPTION
 *	See sasl_registry.h.
 */
#include "sys_defs.h"

#include "argv.h"
#include "sasl_registry.h"

 /*
  * One entry per compiled-in implementation. The SASL code adds its
  * entries here (with the functions that create a server or client
  * instance); each table ends with a null name.
  */
typedef struct SASL_REGISTRY_ENTRY {
    const char *type;			/* smtpd_sasl_type etc. value */
} SASL_REGISTRY_ENTRY;

static const SASL_REGISTRY_ENTRY sasl_registry_servers[] = {
    {0},
};

static const SASL_REGISTRY_ENTRY sasl_registry_clients[] = {
    {0},
};

/* sasl_registry_types - the type names of one table */
static ARGV *sasl_registry_types(const SASL_REGISTRY_ENTRY *table)
{
    ARGV   *types = argv_alloc(1);

    for (; table->type != 0; table++)
	argv_add(types, table->type, (char *) 0);
    return types;
}

/* sasl_registry_server_types - SMTP server implementations */
ARGV   *sasl_registry_server_types(void)
{
    return sasl_registry_types(sasl_registry_servers);
}

/* sasl_registry_client_types - SMTP and LMTP client implementations */
ARGV   *sasl_registry_client_types(void)
{
    return sasl_registry_types(sasl_registry_clients);
}
