/*
 * mail_endpoint - where an internal service's endpoint is
 *
 * DESCRIPTION
 *	See mail_endpoint.h. Two stat() calls per lookup; endpoints are
 *	looked up once per connection.
 */
#include "sys_defs.h"

#include <sys/stat.h>

#include "mymalloc.h"
#include "stringops.h"
#include "mail_params.h"
#include "mail_endpoint.h"

/* mail_endpoint_path - the pathname of a service endpoint */
char   *mail_endpoint_path(const char *endpoint)
{
    const char *queue_dir = VAR_STR(queue_directory);
    struct stat queue_st;
    struct stat cwd_st;

    if (*endpoint == '/')
	return mystrdup(endpoint);
    if (stat(queue_dir, &queue_st) < 0
	|| (stat(".", &cwd_st) == 0 && cwd_st.st_dev == queue_st.st_dev
	    && cwd_st.st_ino == queue_st.st_ino))
	return mystrdup(endpoint);
    return concatenate(queue_dir, "/", endpoint, (char *) 0);
}
