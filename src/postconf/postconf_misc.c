/*
 * postconf_misc - lists of features, TLS versions, bounce templates
 *
 * SYNOPSIS
 *	#include "postconf.h"
 *
 *	void	pcf_show_maps(void);
 *	void	pcf_show_locks(void);
 *	void	pcf_show_sasl(int mode);
 *	int	pcf_show_tls(const char *what);
 *	void	pcf_show_templates(int mode, const char *template_file);
 *
 * DESCRIPTION
 *	pcf_show_maps() lists the lookup table types that dict(3) has
 *	registered (-m), one per line, sorted.
 *
 *	pcf_show_locks() lists the mailbox locking methods (-l): flock,
 *	fcntl and dotlock.
 *
 *	pcf_show_sasl() lists the SASL implementation types that this build
 *	contains (-a: SMTP server, -A: SMTP and LMTP clients), one per line,
 *	as sasl_registry(3) reports them; nothing when there are none.
 *
 *	pcf_show_tls() implements -T: "compile-version" prints the OpenSSL
 *	version of the headers we were built with, "run-version" that of
 *	the library in use (both as "openssl version" does), and
 *	"public-key-algorithms" the public-key algorithms that OpenSSL
 *	supports for certificates, in lower case, one per line. The result
 *	is 0, or 1 for an unknown mode.
 *
 *	pcf_show_templates() implements -t (PCF_DUMP_DSN_TEMPL: the bounce
 *	templates as written) and -b (PCF_EXP_DSN_TEMPL: their message
 *	texts with $name expanded). The templates come from template_file
 *	when it is not NULL (an empty name selects the built-in templates),
 *	else from bounce_template_file. Diagnostics then carry the bounce
 *	daemon's name ("postfix/bounce: warning: ..."), since this is what
 *	that daemon would report.
 *
 * DIAGNOSTICS
 *	Warning: "unknown 'postconf -T' mode: <mode>". Fatal: an unreadable
 *	template file, and template errors (see bounce_template(3)).
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>

#include "msg.h"
#include "msg_output.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "excerpt.h"
#include "vstream.h"
#include "dict.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_params_default.h"
#include "bounce_template.h"
#include "sasl_registry.h"
#include "postconf.h"

/* pcf_show_locks - mailbox locking methods */
void    pcf_show_locks(void)
{
    static const char *methods[] = {"flock", "fcntl", "dotlock"};
    size_t  n;

    for (n = 0; n < ARRAY_LEN(methods); n++)
	vstream_printf("%s\n", methods[n]);
}

/* pcf_print_lines - print each name on a line of its own, free the list */
static void pcf_print_lines(ARGV *names)
{
    size_t  n;

    for (n = 0; n < names->argc; n++)
	vstream_printf("%s\n", names->argv[n]);
    argv_free(names);
}

/* pcf_show_maps - lookup table types */
void    pcf_show_maps(void)
{
    pcf_print_lines(dict_mapnames());
}

/* pcf_show_sasl - SASL implementation types compiled in */
void    pcf_show_sasl(int mode)
{
    if (mode & PCF_SHOW_SASL_SERV)
	pcf_print_lines(sasl_registry_server_types());
    if (mode & PCF_SHOW_SASL_CLNT)
	pcf_print_lines(sasl_registry_client_types());
}

/* pcf_show_tls - OpenSSL versions and algorithms */
int     pcf_show_tls(const char *what)
{
    static const struct {
	const char *name;		/* as postconf prints it */
	const char *openssl_name;	/* key management name */
    } algorithms[] = {
	/* Sorted by the printed name. */
	{"dsa", "DSA"},
	{"ecdsa", "EC"},
	{"rsa", "RSA"},
    };
    EVP_KEYMGMT *keymgmt;
    size_t  n;

    if (strcmp(what, "compile-version") == 0) {
	vstream_printf("%s\n", OPENSSL_VERSION_TEXT);
    } else if (strcmp(what, "run-version") == 0) {
	vstream_printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
    } else if (strcmp(what, "public-key-algorithms") == 0) {
	for (n = 0; n < ARRAY_LEN(algorithms); n++) {
	    if ((keymgmt = EVP_KEYMGMT_fetch((OSSL_LIB_CTX *) 0,
					     algorithms[n].openssl_name,
					     (char *) 0)) != NULL) {
		vstream_printf("%s\n", algorithms[n].name);
		EVP_KEYMGMT_free(keymgmt);
	    }
	}
    } else {
	msg_warn("unknown 'postconf -T' mode: %s", excerpt(what));
	return 1;
    }
    return 0;
}

static char *pcf_bounce_prefix;

/* pcf_bounce_output - stderr output with the bounce daemon's name */
static void pcf_bounce_output(int level, const char *text, void *context)
{
    const char *label = msg_level_label(level);
    char   *line;
    ssize_t ignored;

    (void) context;
    line = *label ? concatenate(pcf_bounce_prefix, ": ", label, ": ", text,
				"\n", (char *) 0) :
	concatenate(pcf_bounce_prefix, ": ", text, "\n", (char *) 0);
    ignored = write(STDERR_FILENO, line, strlen(line));
    (void) ignored;
    myfree(line);
}

/* pcf_show_templates - -t and -b */
void    pcf_show_templates(int mode, const char *template_file)
{
    BOUNCE_TEMPLATES *templates;
    VSTREAM *fp;
    char   *syslog_name;
    char   *path;

    /*
     * Report as the bounce daemon would, with its process name.
     */
    mail_params_set_process_name("bounce");
    syslog_name = mail_conf_expand(mail_conf_lookup_raw("syslog_name"));
    pcf_bounce_prefix = concatenate(syslog_name, "/bounce", (char *) 0);
    myfree(syslog_name);
    msg_stderr_enable(false);
    msg_output_add(pcf_bounce_output, (void *) 0);

    path = template_file ? mystrdup(template_file) :
	mail_conf_expand(mail_conf_lookup_raw("bounce_template_file"));
    templates = bounce_templates_create();
    if (*path != 0) {
	if ((fp = vstream_fopen(path, O_RDONLY, 0)) == NULL)
	    msg_fatal("open %s: %m", path);
	bounce_templates_load(templates, fp);
	(void) vstream_fclose(fp);
    }
    myfree(path);
    if (mode & PCF_DUMP_DSN_TEMPL)
	bounce_templates_dump(VSTREAM_OUT, templates);
    else
	bounce_templates_expand(VSTREAM_OUT, templates);
    bounce_templates_free(templates);
}
