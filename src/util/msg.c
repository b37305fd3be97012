/*
 * msg - diagnostics with severity levels and pluggable outputs
 *
 * DESCRIPTION
 *	See msg.h. The formatting buffer is reused between calls. A message
 *	that is logged while another message is being delivered (an output
 *	that fails, say) is written straight to standard error instead, so
 *	that logging can never recurse without bound.
 */
#include "sys_defs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"

#define MSG_MAX_OUTPUTS	8
#define MSG_TEXT_LIMIT	8192		/* longest text we log */
#define MSG_ERROR_LIMIT	13		/* errors that make msg_error() fatal */

typedef struct {
    MSG_OUTPUT_FN fn;
    void   *context;
} MSG_OUTPUT;

int     msg_verbose = 0;

static MSG_OUTPUT msg_outputs[MSG_MAX_OUTPUTS];
static int msg_output_count;
static MSG_CLEANUP_FN msg_cleanup_fn;
static int msg_error_count;
static int msg_depth;

/* msg_level_label - the word that Postfix prints before a message */
const char *msg_level_label(int level)
{
    static const char *labels[] = {"", "warning", "error", "fatal", "panic"};

    if (level < MSG_INFO || level > MSG_PANIC)
	return "unknown";
    return labels[level];
}

/* msg_sanitize - replace bytes that would garble a log line */
static void msg_sanitize(char *text)
{
    unsigned char *cp;

    for (cp = (unsigned char *) text; *cp; cp++)
	if (*cp < 0x20 || *cp == 0x7f)
	    *cp = '?';
}

/* msg_emergency - last-resort output, used for nested messages */
static void msg_emergency(int level, const char *text)
{
    const char *label = msg_level_label(level);
    ssize_t ignored;

    if (*label) {
	ignored = write(STDERR_FILENO, label, strlen(label));
	ignored = write(STDERR_FILENO, ": ", 2);
    }
    ignored = write(STDERR_FILENO, text, strlen(text));
    ignored = write(STDERR_FILENO, "\n", 1);
    (void) ignored;
}

/* msg_vprintf - format a message and send it to every output */
void msg_vprintf(int level, const char *fmt, va_list ap)
{
    static char *buf;
    static size_t buf_size;
    int     saved_errno = errno;
    va_list ap2;
    int     len;
    int     n;

    if (buf == NULL) {
	buf_size = 1024;
	if ((buf = malloc(buf_size)) == NULL) {
	    msg_emergency(level, "out of memory while logging");
	    return;
	}
    }
    va_copy(ap2, ap);
    errno = saved_errno;
    len = vsnprintf(buf, buf_size, fmt, ap2);
    va_end(ap2);
    if (len >= 0 && (size_t) len >= buf_size && buf_size <= MSG_TEXT_LIMIT) {
	size_t  want = (len > MSG_TEXT_LIMIT ? MSG_TEXT_LIMIT : len) + 1;
	char   *bigger = realloc(buf, want);

	if (bigger != NULL) {
	    buf = bigger;
	    buf_size = want;
	    errno = saved_errno;
	    (void) vsnprintf(buf, buf_size, fmt, ap);
	}
    }
    /* A text cut short says so (the buffer has room for the marker). */
    if (len >= 0 && (size_t) len >= buf_size && buf_size > 4)
	memcpy(buf + buf_size - 4, "...", 4);
    msg_sanitize(buf);

    if (msg_depth > 0) {
	msg_emergency(level, buf);
    } else {
	msg_depth++;
	if (msg_output_count == 0)
	    msg_emergency(level, buf);
	for (n = 0; n < msg_output_count; n++)
	    msg_outputs[n].fn(level, buf, msg_outputs[n].context);
	msg_depth--;
    }
    errno = saved_errno;
}

/* msg_info - informational message */
void msg_info(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_INFO, fmt, ap);
    va_end(ap);
}

/* msg_warn - warning: something unexpected, but we continue */
void msg_warn(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_WARN, fmt, ap);
    va_end(ap);
}

/* msg_error - recoverable error; too many of them is fatal */
void msg_error(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_ERROR, fmt, ap);
    va_end(ap);
    if (++msg_error_count >= MSG_ERROR_LIMIT)
	msg_fatal("too many errors - program terminated");
}

/* msg_run_cleanup - run the cleanup hook at most once */
static void msg_run_cleanup(void)
{
    MSG_CLEANUP_FN fn = msg_cleanup_fn;

    msg_cleanup_fn = NULL;
    if (fn != NULL)
	fn();
}

/* msg_fatal - unrecoverable error: clean up and exit 1 */
NORETURN msg_fatal(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_FATAL, fmt, ap);
    va_end(ap);
    msg_run_cleanup();
    sleep(0);
    exit(1);
}

/* msg_fatal_status - unrecoverable error with a chosen exit status */
NORETURN msg_fatal_status(int status, const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_FATAL, fmt, ap);
    va_end(ap);
    msg_run_cleanup();
    exit(status);
}

/* msg_panic - broken internal assumption: clean up and abort */
NORETURN msg_panic(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    msg_vprintf(MSG_PANIC, fmt, ap);
    va_end(ap);
    msg_run_cleanup();
    abort();
}

/* msg_output_add - register one more output */
void msg_output_add(MSG_OUTPUT_FN fn, void *context)
{
    int     n;

    for (n = 0; n < msg_output_count; n++)
	if (msg_outputs[n].fn == fn && msg_outputs[n].context == context)
	    return;
    if (msg_output_count >= MSG_MAX_OUTPUTS)
	msg_panic("msg_output_add: too many outputs");
    msg_outputs[msg_output_count].fn = fn;
    msg_outputs[msg_output_count].context = context;
    msg_output_count++;
}

/* msg_output_remove - unregister one output */
void msg_output_remove(MSG_OUTPUT_FN fn, void *context)
{
    int     n;

    for (n = 0; n < msg_output_count; n++) {
	if (msg_outputs[n].fn == fn && msg_outputs[n].context == context) {
	    memmove(msg_outputs + n, msg_outputs + n + 1,
		    (msg_output_count - n - 1) * sizeof(msg_outputs[0]));
	    msg_output_count--;
	    return;
	}
    }
}

/* msg_output_clear - unregister all outputs */
void msg_output_clear(void)
{
    msg_output_count = 0;
}

/* msg_cleanup - set the hook run before fatal exit; returns the old one */
MSG_CLEANUP_FN msg_cleanup(MSG_CLEANUP_FN fn)
{
    MSG_CLEANUP_FN old = msg_cleanup_fn;

    msg_cleanup_fn = fn;
    return old;
}

/* msg_error_clear - forget the errors counted so far */
void    msg_error_clear(void)
{
    msg_error_count = 0;
}
