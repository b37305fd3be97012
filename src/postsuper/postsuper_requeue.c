/*
 * postsuper_requeue - requeue (-r) and force expiration (-e, -f) of one file
 *
 * SYNOPSIS
 *	#include "postsuper.h"
 *
 *	See postsuper.h.
 *
 * DESCRIPTION
 *	postsuper_requeue() turns a queue file into a maildrop file
 *	(docs/internals/queue-file.md section 6), because pickup(8)
 *	accepts nothing else: Q T F, the attributes a maildrop file may
 *	carry (rewrite_context, encoding, full_name; E and Y become
 *	dsn_envid and dsn_ret), every pending recipient (R, from the
 *	envelope and from after X) before M, the content, X, Z. The file
 *	is made with mail_queue_create(3) and committed before the caller
 *	removes the old one, so a crash leaves a duplicate at worst. Each
 *	record is checked with maildrop_check(3), as pickup(8) will check
 *	it (pickup removes a file it does not accept): an attribute that
 *	fails is left out; a sender, arrival time or recipient that fails
 *	means the message is not requeued and stays where it is.
 *	What the maildrop format cannot carry is lost, as the manual
 *	says: per-recipient DSN NOTIFY and ORCPT, original recipients,
 *	client attributes, content filter and redirect.
 *
 *	postsuper_expire() rewrites the queue flags field of the S record
 *	with one pwrite() of the 65-byte data (only the flag digits
 *	differ) and fsync()s the file.
 *
 * DIAGNOSTICS
 *	The reasons in why: "<queue>/<id>: <damage>", "write maildrop
 *	file: <error>", "not a queue file", "write <path>: <error>".
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"
#include "mail_queue.h"
#include "record.h"
#include "rec_type.h"
#include "queue_file_read.h"
#include "maildrop_check.h"
#include "postsuper.h"

 /* What pass 1 collects. */
typedef struct POSTSUPER_ENVELOPE {
    VSTRING *arrival;
    VSTRING *sender;
    ARGV   *attrs;			/* name=value, maildrop-safe */
    ARGV   *rcpts;
    VSTRING *why;			/* not empty: cannot be requeued */
} POSTSUPER_ENVELOPE;

/* postsuper_set_attr - add name=value, replacing an earlier value */
static void postsuper_set_attr(ARGV *attrs, const char *attr)
{
    size_t  name_len = strcspn(attr, "=") + 1;

    for (size_t i = 0; i < attrs->argc; i++) {
	if (strncmp(attrs->argv[i], attr, name_len) == 0) {
	    myfree(attrs->argv[i]);
	    attrs->argv[i] = mystrdup(attr);
	    return;
	}
    }
    argv_add(attrs, attr, (char *) 0);
}

/* postsuper_envelope - pass 1: the envelope and all pending recipients */
static bool postsuper_envelope(int type, const char *data, size_t len,
			               off_t offset, void *context)
{
    POSTSUPER_ENVELOPE *env = context;

    (void) offset;

    /*
     * pickup(8) removes a maildrop file with a record it does not accept,
     * so every record is checked as pickup will check it: a sender or
     * recipient that fails means the message cannot be requeued (it stays
     * where it is); an attribute that fails is left out.
     */
    if ((type == REC_TYPE_TIME || type == REC_TYPE_FROM
	 || type == REC_TYPE_RCPT)
	&& !maildrop_check_record(type, data, len, env->why))
	return (false);
    if (type == REC_TYPE_ATTR || type == REC_TYPE_DSN_ENVID
	|| type == REC_TYPE_DSN_RET) {
	VSTRING *attr = vstring_alloc(64);
	VSTRING *scratch = vstring_alloc(64);
	bool    ok;

	if (type == REC_TYPE_DSN_ENVID)
	    vstring_sprintf(attr, "%s=%s", MAILDROP_ATTR_DSN_ENVID, data);
	else if (type == REC_TYPE_DSN_RET)
	    vstring_sprintf(attr, "%s=%s", MAILDROP_ATTR_DSN_RET, data);
	else if (strcmp(data, "encoding=8bitmime") == 0)
	    vstring_strcpy(attr, "encoding=8bit");
	else
	    vstring_strncpy(attr, data, len);
	ok = strlen(vstring_str(attr)) == VSTRING_LEN(attr)
	    && maildrop_check_record(REC_TYPE_ATTR, vstring_str(attr),
				     VSTRING_LEN(attr), scratch);
	if (ok)
	    postsuper_set_attr(env->attrs, vstring_str(attr));
	vstring_free(attr);
	vstring_free(scratch);
	return (true);
    }
    switch (type) {
    case REC_TYPE_TIME:
	vstring_strcpy(env->arrival, data);
	break;
    case REC_TYPE_FROM:
	vstring_strcpy(env->sender, data);
	break;
    case REC_TYPE_RCPT:
	argv_add(env->rcpts, data, (char *) 0);
	break;
    }
    return (true);
}

/* postsuper_content - pass 2: copy the content records */
static bool postsuper_content(int type, const char *data, size_t len,
			              off_t offset, void *context)
{
    VSTREAM *out = context;

    (void) offset;
    if (type == REC_TYPE_LINE || type == REC_TYPE_PART)
	return (record_put(out, type, data, len) != RECORD_ERROR);
    return (true);
}

/* postsuper_requeue - write the message as a new maildrop file */
bool    postsuper_requeue(const char *queue, const char *id, VSTREAM *fp,
			          VSTRING *why)
{
    POSTSUPER_ENVELOPE env;
    QUEUE_FILE_INFO info;
    MAIL_QUEUE_FILE *qf;
    bool    ok = false;

    env.arrival = vstring_alloc(32);
    env.sender = vstring_alloc(64);
    env.attrs = argv_alloc(8);
    env.rcpts = argv_alloc(8);
    env.why = vstring_alloc(32);
    queue_file_info_init(&info);
    if (vstream_fseek(fp, 0, SEEK_SET) < 0
	|| !queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			    postsuper_envelope, &env, &info)) {
	vstring_sprintf(why, "%s/%s: %s", queue, id,
			info.error == QUEUE_FILE_ERR_CALLER ?
			vstring_str(env.why) : VSTRING_LEN(info.why) ?
			vstring_str(info.why) : "read error");
	goto done;
    }
    if ((qf = mail_queue_create(MAIL_QUEUE_MAILDROP, 0600, why)) == 0)
	goto done;
    record_puts(qf->fp, REC_TYPE_FORMAT, REC_FORMAT_TEXT);
    record_puts(qf->fp, REC_TYPE_TIME, vstring_str(env.arrival));
    record_puts(qf->fp, REC_TYPE_FROM, vstring_str(env.sender));
    for (size_t i = 0; i < env.attrs->argc; i++)
	record_puts(qf->fp, REC_TYPE_ATTR, env.attrs->argv[i]);
    for (size_t i = 0; i < env.rcpts->argc; i++)
	record_puts(qf->fp, REC_TYPE_RCPT, env.rcpts->argv[i]);
    record_puts(qf->fp, REC_TYPE_MESSAGE, "");
    queue_file_info_free(&info);
    queue_file_info_init(&info);
    if (vstream_fseek(fp, 0, SEEK_SET) < 0
	|| !queue_file_read(fp, QUEUE_FILE_KIND_QUEUE, QUEUE_FILE_LIMIT,
			    postsuper_content, qf->fp, &info)) {
	vstring_sprintf(why, "%s/%s: %s", queue, id,
			info.error == QUEUE_FILE_ERR_CALLER ?
			"write maildrop file" : vstring_str(info.why));
	mail_queue_abort(qf);
	goto done;
    }
    record_puts(qf->fp, REC_TYPE_EXTRACT, "");
    record_puts(qf->fp, REC_TYPE_END, "");
    if (vstream_ferror(qf->fp)) {
	vstring_sprintf(why, "write maildrop file %s: %m", qf->path);
	mail_queue_abort(qf);
	goto done;
    }
    ok = mail_queue_commit(qf, why);

done:
    queue_file_info_free(&info);
    vstring_free(env.arrival);
    vstring_free(env.sender);
    argv_free(env.attrs);
    argv_free(env.rcpts);
    vstring_free(env.why);
    return (ok);
}

/* postsuper_expire - set the forced-expiration flag in the S record */
bool    postsuper_expire(const char *queue, const char *id, VSTREAM *fp,
			         VSTRING *why)
{
    VSTRING *data = vstring_alloc(QUEUE_FILE_SIZE_LEN + 1);
    QUEUE_FILE_SIZE size;
    off_t   data_offset;
    bool    ok = false;
    int     type;

    if (vstream_fseek(fp, 0, SEEK_SET) < 0
	|| record_get(fp, data, QUEUE_FILE_LIMIT) != REC_TYPE_FORMAT
	|| strcmp(vstring_str(data), REC_FORMAT_TEXT) != 0) {
	vstring_sprintf(why, "%s/%s: not a queue file", queue, id);
	goto done;
    }
    /* The S data starts after "S65 ". */
    data_offset = vstream_ftell(fp) + 4;
    if ((type = record_get(fp, data, QUEUE_FILE_SIZE_LEN)) != REC_TYPE_SIZE
	|| !queue_file_size_parse(vstring_str(data), VSTRING_LEN(data), &size)) {
	vstring_sprintf(why, "%s/%s: bad size record", queue, id);
	goto done;
    }
    size.qflags |= QUEUE_FILE_FLAG_EXPIRE;
    queue_file_size_format(data, &size);
    if (pwrite(vstream_fileno(fp), vstring_str(data), VSTRING_LEN(data),
	       data_offset) != (ssize_t) VSTRING_LEN(data)
	|| fsync(vstream_fileno(fp)) < 0) {
	vstring_sprintf(why, "write %s/%s: %m", queue, id);
	goto done;
    }
    ok = true;

done:
    vstring_free(data);
    return (ok);
}
