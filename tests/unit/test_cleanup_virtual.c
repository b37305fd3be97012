/*
 * test_cleanup_virtual - unit tests for cleanup_virtual(3)
 *
 *	The expected results are what Postfix 3.7 did with the same
 *	tables and limits (docs/internals/cleanup-maps.md).
 */
#include "sys_defs.h"

#include <stdlib.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "argv.h"
#include "vstring.h"
#include "cleanup_maps.h"
#include "test_cleanup_support.h"

#define NONE	CLEANUP_MAP_NONE
#define FOUND	CLEANUP_MAP_FOUND
#define RETRY	CLEANUP_MAP_RETRY
#define LIMIT	CLEANUP_MAP_LIMIT

#define VIRT	"virtual_alias_maps=texthash:%D/virtual\nrecipient_delimiter=+\n"
#define SMALL	VIRT "virtual_alias_expansion_limit=5\n" \
		"virtual_alias_recursion_limit=3\n" \
		"virtual_alias_address_length_limit=30\n"
#define WARN(what, a) "warning: QID: unreasonable virtual_alias_maps " what \
	a " -- message not accepted, try again later\n"
#define NESTING(a)	WARN("map nesting for ", a)
#define SIZE(a)		WARN("map expansion size for ", a)

static const char virtual_table[] =
    "v1@v.example  v2@v.example\n"
    "v2@v.example  v3@v.example, v4@v.example\n"
    "both@v.example  v3@v.example, v2@v.example\n"
    "self@v.example self@v.example, other@v.example\n"
    "loopa@v.example loopb@v.example\n"
    "loopb@v.example loopa@v.example\n"
    "dup@v.example d1@v.example, d1@v.example, d2@v.example\n"
    "ext@v.example extdest@w.example\n"
    "@domain.example @other.example\n"
    "at@v.example @w.example, second@v.example\n"
    "vuser  vuser-dest@w.example\n"
    "big@v.example b1@w.example b2@w.example b3@w.example b4@w.example"
    " b5@w.example b6@w.example\n"
    "five@v.example f1@w.example f2@w.example f3@w.example f4@w.example"
    " f5@w.example\n"
    "tree@v.example five@v.example, t2@w.example\n"
    "r1@v.example r2@v.example\n"
    "r2@v.example r3@v.example\n"
    "r3@v.example r4@v.example\n"
    "r4@v.example r5@v.example\n"
    "r5@v.example r6@v.example\n"
    "va@v.example vb@v.example\n"
    "vb@v.example vc@v.example\n"
    "vc@v.example va@v.example\n"
    "long@v.example long.long.long.long.long.long.long@v.example\n"
    "m1@v.example m2@v.example, m3@v.example\n"
    "m3@v.example n1@v.example\n"
    "n1@v.example n2@v.example\n"
    "n2@v.example n3@v.example\n"
    "quoted@v.example \"john smith\"@w.example\n"
    "nm@v.example John Doe <jd@w.example>\n"
    "sp@v.example x1@w.example  x2@w.example,x3@w.example\n"
    "cm@v.example y1@w.example (comment here), y2@w.example\n";

 /*
  * Branches that join again at every level: 2^30 paths, one final
  * recipient. Only the work bound stops it early.
  */
static const char diamond_table[] =
    "/^lxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@d\\.example$/ end@d.example\n"
    "/^l(x*)@d\\.example$/ a$1@d.example, b$1@d.example\n"
    "/^[ab](x*)@d\\.example$/ l${1}x@d.example\n";

typedef struct VIRT_CASE {
    const char *label;
    const char *settings;
    const char *input;
    const char *output;			/* final recipients, "|" between */
    int     status;
    const char *log;
} VIRT_CASE;

static const VIRT_CASE virt_cases[] = {
    {"recursive list", VIRT, "v1@v.example", "v3@v.example|v4@v.example",
    FOUND, ""},
    {"duplicates across branches", VIRT, "both@v.example",
    "v3@v.example|v4@v.example", FOUND, ""},
    {"maps to itself", VIRT, "self@v.example",
    "self@v.example|other@v.example", FOUND, ""},
    {"two-address loop", VIRT, "loopa@v.example", "", LIMIT,
    NESTING("loopa@v.example")},
    {"three-address loop", VIRT, "va@v.example", "", LIMIT,
    NESTING("va@v.example")},
    {"duplicates", VIRT, "dup@v.example", "d1@v.example|d2@v.example",
    FOUND, ""},
    {"extension propagated", VIRT, "ext+foo@v.example",
    "extdest+foo@w.example", FOUND, ""},
    {"extension not propagated", VIRT "propagate_unmatched_extensions=\n",
    "ext+foo@v.example", "extdest@w.example", FOUND, ""},
    {"@domain to @domain", VIRT, "u+x@domain.example", "u+x@other.example",
    FOUND, ""},
    {"@domain value is one address", VIRT, "at@v.example",
    "at@w.example, second@v.example", FOUND, ""},
    {"@domain value, extension", VIRT, "at+q@v.example",
    "at@w.example, second+q@v.example", FOUND, ""},
    {"@domain value, no propagation", VIRT
    "propagate_unmatched_extensions=canonical\n", "at+q@v.example",
    "at@w.example, second@v.example", FOUND, ""},
    {"local user form", VIRT, "vuser@test.example", "vuser-dest@w.example",
    FOUND, ""},
    {"local user form, extension", VIRT, "vuser+z@localhost",
    "vuser-dest+z@w.example", FOUND, ""},
    {"user form not for remote domains", VIRT, "vuser@w.example",
    "vuser@w.example", NONE, ""},
    {"quoted result in internal form", VIRT, "quoted@v.example",
    "john smith@w.example", FOUND, ""},
    {"phrase and angle brackets", VIRT, "nm@v.example", "jd@w.example",
    FOUND, ""},
    {"whitespace separates too", VIRT, "sp@v.example",
    "x1@w.example|x2@w.example|x3@w.example", FOUND, ""},
    {"comments dropped", VIRT, "cm@v.example", "y1@w.example|y2@w.example",
    FOUND, ""},
    {"not found", VIRT, "nobody@v.example", "nobody@v.example", NONE, ""},
    {"no table", "", "v1@v.example", "v1@v.example", NONE, ""},
    {"null address", VIRT, "", "", NONE, ""},
    {"expansion limit reached", SMALL, "five@v.example",
    "f1@w.example|f2@w.example|f3@w.example|f4@w.example|f5@w.example",
    FOUND, ""},
    {"expansion limit exceeded", SMALL, "big@v.example", "", LIMIT,
    SIZE("big@v.example")},
    {"expansion limit exceeded below", SMALL, "tree@v.example", "", LIMIT,
    SIZE("tree@v.example")},
    {"recursion: 5 rewrites", SMALL, "r1@v.example", "", LIMIT,
    NESTING("r1@v.example")},
    {"recursion: 3 rewrites", SMALL, "r3@v.example", "", LIMIT,
    NESTING("r3@v.example")},
    {"recursion: 2 rewrites", SMALL, "r4@v.example", "r6@v.example", FOUND,
    ""},
    {"recursion: right branch", SMALL, "m1@v.example", "", LIMIT,
    NESTING("m1@v.example")},
    {"address length limit", SMALL, "long@v.example", "", LIMIT,
    WARN("result ", "long.long.long.long.long.long.long@v.example...")},
    {"work bound on joining branches", "virtual_alias_maps=regexp:%D/diamond\n"
    "virtual_alias_expansion_limit=10\nvirtual_alias_recursion_limit=100\n",
    "l@d.example", "", LIMIT, SIZE("l@d.example")},
    {"joining branches within bounds", "virtual_alias_maps=regexp:%D/diamond\n",
    "lxxxxxxxxxxxxxxxxxxxxxxxxxxxx@d.example", "end@d.example", FOUND, ""},
    {"lookup failure", VIRT "virtual_alias_maps=texthash:%D/virtual,"
    " fail:vfail\n", "v1@v.example", "", RETRY,
    "warning: fail:vfail lookup error for \"v3@v.example\"\n"
    "warning: QID: virtual_alias_maps map lookup problem for v1@v.example"
    " -- message not accepted, try again later\n"},
};

/* test_virtual_cases - cleanup_virtual_expand() table */
static void test_virtual_cases(void **state)
{
    const VIRT_CASE *cp;
    CLEANUP_MAPS *cm;
    ARGV   *result = argv_alloc(10);
    VSTRING *why = vstring_alloc(100);
    char   *joined;
    char   *log;
    int     status;
    int     failed = 0;

    (void) state;
    test_cleanup_table("virtual", virtual_table);
    test_cleanup_table("diamond", diamond_table);
    for (cp = virt_cases; cp < virt_cases + ARRAY_LEN(virt_cases); cp++) {
	cm = test_cleanup_create(cp->settings);
	argv_truncate(result, 0);
	VSTRING_RESET(why);
	VSTRING_TERMINATE(why);
	status = cleanup_virtual_expand(cm, cp->input, result, why);
	log = test_cleanup_log_end();
	joined = argv_join(result, "|");
	failed += test_cleanup_verdict(cp->label, status, joined, log,
				       vstring_str(why), cp->status,
				       cp->output, cp->log);
	if (status == LIMIT
	    && strcmp(vstring_str(why), "4.6.0 Alias expansion error") != 0) {
	    print_error("%s: why \"%s\"\n", cp->label, vstring_str(why));
	    failed++;
	}
	myfree(joined);
	myfree(log);
	cleanup_maps_free(cm);
    }
    argv_free(result);
    vstring_free(why);
    if (failed)
	fail_msg("%d case(s) failed", failed);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_virtual_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
