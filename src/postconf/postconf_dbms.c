/*
 * postconf_dbms - legacy database client parameters
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_register_dbms_parameters(const char *value,
 *					     PCF_MASTER_ENT *local_scope);
 *
 * DESCRIPTION
 *	The ldap, mysql, pgsql, sqlite and memcache table clients take
 *	their settings from a configuration file ("ldap:/etc/postfix/x.cf")
 *	or, in the old style, from main.cf parameters named after the table
 *	("ldap:corp" reads corp_server_host, corp_search_base, ...).
 *
 *	pcf_register_dbms_parameters() finds every "type:name" table of
 *	these types in an (already expanded) parameter value, also behind
 *	"proxy:" and inside "{ }" groups such as pipemap:{...}. For a name
 *	that is an absolute path, it reads that file once and warns about
 *	settings that the client does not know. For any other name it marks
 *	"<name>_<setting>" as in use (class user) wherever it is set; such
 *	names never cause "undefined parameter" warnings.
 *
 *	The lists of settings per client are those of Postfix 3.7.
 *
 * DIAGNOSTICS
 *	Warnings: "<type>:<file>: unused parameter: name=value", "open
 *	"<type>" configuration "<file>": <reason>" (not for permission
 *	problems). Fatal: a malformed line in a client configuration file,
 *	in main.cf's words.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "htable.h"
#include "vstring.h"
#include "vstream.h"
#include "readlline.h"
#include "stringops.h"
#include "excerpt.h"
#include "mail_conf.h"
#include "postconf.h"

static const char *pcf_ldap_names[] = {
    "bind", "bind_dn", "bind_pw", "cache", "cache_expiry", "cache_size",
    "chase_referrals", "debuglevel", "dereference", "domain",
    "expansion_limit", "leaf_result_attribute", "query_filter",
    "recursion_limit", "result_attribute", "result_filter",
    "result_format", "sasl_authz_id", "sasl_mechs", "sasl_minssf",
    "sasl_realm", "scope", "search_base", "server_host", "server_port",
    "size_limit", "special_result_attribute", "start_tls",
    "terminal_result_attribute", "timeout", "tls_ca_cert_dir",
    "tls_ca_cert_file", "tls_cert", "tls_cipher_suite", "tls_key",
    "tls_random_file", "tls_require_cert", "version", 0,
};

static const char *pcf_mysql_names[] = {
    "additional_conditions", "dbname", "domain", "expansion_limit", "hosts",
    "option_file", "option_group", "password", "query",
    "require_result_set", "result_format", "select_field", "table",
    "tls_CAfile", "tls_CApath", "tls_cert_file", "tls_ciphers", "tls_key_file",
    "tls_verify_cert", "user", "where_field", 0,
};

static const char *pcf_pgsql_names[] = {
    "additional_conditions", "dbname", "domain", "expansion_limit", "hosts",
    "password", "query", "result_format", "select_field", "select_function",
    "table", "user", "where_field", 0,
};

static const char *pcf_sqlite_names[] = {
    "additional_conditions", "dbpath", "domain", "expansion_limit", "query",
    "result_format", "select_field", "table", "where_field", 0,
};

static const char *pcf_memcache_names[] = {
    "backup", "data_size_limit", "domain", "flags", "key_format",
    "line_size_limit", "max_try", "memcache", "retry_pause", "timeout",
    "ttl", 0,
};

static const struct {
    const char *type;
    const char **names;
} pcf_dbms_info[] = {
    {"ldap", pcf_ldap_names},
    {"mysql", pcf_mysql_names},
    {"pgsql", pcf_pgsql_names},
    {"sqlite", pcf_sqlite_names},
    {"memcache", pcf_memcache_names},
};

static HTABLE *pcf_dbms_files_seen;

/* pcf_dbms_known - is name a setting of this client? */
static bool pcf_dbms_known(const char **names, const char *name)
{
    for (; *names; names++)
	if (strcmp(*names, name) == 0)
	    return true;
    return false;
}

/* pcf_dbms_check_file - warn about unknown settings in a client file */
static void pcf_dbms_check_file(const char *type, const char **names,
				        const char *path)
{
    char   *spec = concatenate(type, ":", path, (char *) 0);
    VSTREAM *fp;
    VSTRING *line;
    int     lineno = 0;
    int     first;
    int     status;
    char   *name;
    char   *value;
    const char *err;

    if (pcf_dbms_files_seen == NULL)
	pcf_dbms_files_seen = htable_create(10);
    if (htable_locate(pcf_dbms_files_seen, spec) != NULL) {
	myfree(spec);
	return;
    }
    htable_enter(pcf_dbms_files_seen, spec, (void *) 0);
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL) {
	if (errno != EACCES)
	    msg_warn("open \"%s\" configuration \"%s\": %m", type, path);
	myfree(spec);
	return;
    }
    line = vstring_alloc(100);
    while ((status = readlline(line, fp, &lineno, &first, NULL,
			       MAIL_CONF_LINE_LIMIT)) != READLLINE_EOF) {
	if (status == READLLINE_TOOLONG)
	    continue;
	if ((err = split_nameval(vstring_str(line), &name, &value)) != NULL)
	    msg_fatal("%s, line %d: %s: \"%s\"", path, first, err,
		      excerpt(vstring_str(line)));
	if (!pcf_dbms_known(names, name))
	    msg_warn("%s: unused parameter: %s=%s", spec, excerpt(name),
		     excerpt(value));
    }
    (void) vstream_fclose(fp);
    vstring_free(line);
    myfree(spec);
}

/* pcf_dbms_flag_names - mark <name>_<setting> as in use */
static void pcf_dbms_flag_names(const char **names, const char *prefix,
				        PCF_MASTER_ENT *local_scope)
{
    VSTRING *buf = vstring_alloc(100);

    for (; *names; names++) {
	vstring_sprintf(buf, "%s_%s", prefix, *names);
	pcf_flag_user_parameter(vstring_str(buf),
			     PCF_PARAM_FLAG_USER | PCF_PARAM_FLAG_DBMS,
				local_scope);
    }
    vstring_free(buf);
}

/* pcf_dbms_scan - find type:name tables in text (modified in place) */
static void pcf_dbms_scan(char *text, PCF_MASTER_ENT *local_scope, int depth)
{
    char   *bufp = text;
    char   *token;
    char   *type;
    char   *name;
    size_t  n;

    if (depth > 20)
	return;
    while ((token = mystrtokq(&bufp, CHARS_COMMA_SP, CHARS_BRACE)) != NULL) {
	if (*token == '{') {
	    if (extpar(&token, CHARS_BRACE, EXTPAR_FLAG_STRIP) == NULL)
		pcf_dbms_scan(token, local_scope, depth + 1);
	    continue;
	}
	type = token;
	while ((name = split_at(type, ':')) != NULL && strcmp(type, "proxy") == 0)
	    type = name;
	if (name == NULL)
	    continue;
	for (n = 0; n < ARRAY_LEN(pcf_dbms_info); n++)
	    if (strcmp(type, pcf_dbms_info[n].type) == 0)
		break;
	if (n < ARRAY_LEN(pcf_dbms_info)) {
	    if (*name == '/')
		pcf_dbms_check_file(type, pcf_dbms_info[n].names, name);
	    else if (*name != 0)
		pcf_dbms_flag_names(pcf_dbms_info[n].names, name, local_scope);
	} else if (*name == '{') {
	    /* pipemap:{...}, unionmap:{...} and similar composite tables. */
	    if (extpar(&name, CHARS_BRACE, EXTPAR_FLAG_STRIP) == NULL)
		pcf_dbms_scan(name, local_scope, depth + 1);
	}
    }
}

/* pcf_register_dbms_parameters - legacy client names in one value */
void    pcf_register_dbms_parameters(const char *value,
				             PCF_MASTER_ENT *local_scope)
{
    char   *copy;

    if (strchr(value, ':') == NULL)
	return;
    copy = mystrdup(value);
    pcf_dbms_scan(copy, local_scope, 0);
    myfree(copy);
}
