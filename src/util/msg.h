/*
 * msg - diagnostics with severity levels and pluggable outputs
 *
 * SYNOPSIS
 *	extern int msg_verbose;
 *
 *	void	msg_info(const char *fmt, ...);
 *	void	msg_warn(const char *fmt, ...);
 *	void	msg_error(const char *fmt, ...);
 *	NORETURN msg_fatal(const char *fmt, ...);
 *	NORETURN msg_fatal_status(int status, const char *fmt, ...);
 *	NORETURN msg_panic(const char *fmt, ...);
 *
 *	void	msg_output_add(MSG_OUTPUT_FN fn, void *context);
 *	void	msg_output_remove(MSG_OUTPUT_FN fn, void *context);
 *	void	msg_output_clear(void);
 *	MSG_CLEANUP_FN msg_cleanup(MSG_CLEANUP_FN fn);
 *	void	msg_error_clear(void);
 *	const char *msg_level_label(int level);
 *
 * DESCRIPTION
 *	Every diagnostic goes through this module. The text is formatted
 *	once (glibc printf syntax, including %m), non-printable bytes are
 *	replaced with '?' so that peer data cannot forge log lines, and the
 *	result is handed to every registered output (stderr, syslog, the
 *	postlog client, a test capture buffer...). Outputs add their own
 *	prefixes; msg_level_label() gives "warning", "error", "fatal" or
 *	"panic" ("" for informational messages).
 *
 *	A text longer than 8192 bytes (the size of a log record) is cut to
 *	that length, ending in "...": the last line of defence against huge
 *	input in a log line. Code that quotes input quotes it through
 *	excerpt(3), which keeps each quote short.
 *
 *	msg_verbose is the -v level; callers test it themselves before
 *	calling msg_info() for debug output.
 *
 *	msg_error() counts errors; after 13 of them (as in Postfix) the
 *	process terminates with a fatal error. msg_error_clear() starts the
 *	count again.
 *	msg_fatal() runs the cleanup hook and exits with status 1 (or the
 *	given status); msg_panic() runs the cleanup hook and aborts.
 *
 *	Without any registered output, messages go to standard error with
 *	no program name prefix.
 */
#ifndef MSG_H
#define MSG_H

#include "sys_defs.h"

#define MSG_INFO	0
#define MSG_WARN	1
#define MSG_ERROR	2
#define MSG_FATAL	3
#define MSG_PANIC	4

typedef void (*MSG_OUTPUT_FN) (int level, const char *text, void *context);
typedef void (*MSG_CLEANUP_FN) (void);

extern int msg_verbose;

extern void PRINTFLIKE(1, 2) msg_info(const char *fmt,...);
extern void PRINTFLIKE(1, 2) msg_warn(const char *fmt,...);
extern void PRINTFLIKE(1, 2) msg_error(const char *fmt,...);
extern NORETURN PRINTFLIKE(1, 2) msg_fatal(const char *fmt,...);
extern NORETURN PRINTFLIKE(2, 3) msg_fatal_status(int status, const char *fmt,...);
extern NORETURN PRINTFLIKE(1, 2) msg_panic(const char *fmt,...);
extern void msg_vprintf(int level, const char *fmt, va_list ap);

extern void msg_output_add(MSG_OUTPUT_FN fn, void *context);
extern void msg_output_remove(MSG_OUTPUT_FN fn, void *context);
extern void msg_output_clear(void);
extern MSG_CLEANUP_FN msg_cleanup(MSG_CLEANUP_FN fn);
extern void msg_error_clear(void);
extern const char *msg_level_label(int level);

#endif
