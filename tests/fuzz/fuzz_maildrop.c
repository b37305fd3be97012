/*
 * fuzz_maildrop - pickup(8)'s checks of a maildrop file
 *
 * DESCRIPTION
 *	The input is a maildrop file as a user could write it into the
 *	maildrop directory. pickup_check() reads and checks it; when it
 *	passes, pickup_copy() reads it again and writes the records for
 *	cleanup(8) to a second memory file, which must then be a well-
 *	formed record stream of allowed types (o: the DSN original
 *	recipient pickup adds; V: VERP delimiters, passed on) ending in Z, with no Q
 *	record and no recipient after X. Checked: no crash, no leak,
 *	nothing read past the input, and a file that passes the check is
 *	also copied.
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "msg.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "rec_type.h"
#include "pickup.h"
#include "fuzz_support.h"

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz_maildrop_output - check what cleanup would get */
static void fuzz_maildrop_output(int fd)
{
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(100);
    bool    after_x = false;
    int     last = 0;
    int     type;

    if (lseek(fd, 0, SEEK_SET) != 0)
	abort();
    fp = vstream_fdopen(fd, O_RDONLY);
    while ((type = record_get(fp, buf, 1024 * 1024)) > 0) {
	if (strchr("TFAEYVonRMLPXZ", type) == 0)
	    abort();
	if (type == REC_TYPE_RCPT && after_x)
	    abort();
	if (type == REC_TYPE_EXTRACT)
	    after_x = true;
	last = type;
    }
    if (type != RECORD_EOF || last != REC_TYPE_END)
	abort();
    vstream_fdclose(fp);
    vstring_free(buf);
}

/* LLVMFuzzerTestOneInput - one input */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int in_fd = -1;
    static int out_fd = -1;
    static ARGV *received;
    VSTRING *why = vstring_alloc(100);
    PICKUP_INFO info;
    VSTREAM *in;
    VSTREAM *out;

    if (in_fd < 0) {
	fuzz_quiet_init();
	if ((in_fd = memfd_create("fuzz_maildrop_in", 0)) < 0
	    || (out_fd = memfd_create("fuzz_maildrop_out", 0)) < 0)
	    abort();
	received = argv_alloc(2);
	pickup_received(received, "fuzz.example", "Postfix", 1000L,
			"3F2A1B7E4", (time_t) 1796430221);
    }
    in = fuzz_memfile(in_fd, data, size, "maildrop/FUZZ");
    pickup_info_init(&info);
    if (pickup_check(in, &info, why)) {
	if (ftruncate(out_fd, 0) < 0 || lseek(out_fd, 0, SEEK_SET) != 0)
	    abort();
	out = vstream_fdopen(out_fd, O_WRONLY);
	if (vstream_fseek(in, 0, SEEK_SET) != 0
	    || !pickup_copy(in, out, received, why))
	    abort();
	vstream_fdclose(out);
	fuzz_maildrop_output(out_fd);
    } else if (VSTRING_LEN(why) == 0) {
	abort();				/* a refusal says why */
    }
    pickup_info_free(&info);
    vstream_fdclose(in);
    vstring_free(why);
    return 0;
}
