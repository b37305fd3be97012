/*
 * test_dict - unit tests for the driver registry of dict(3)
 */
#include "sys_defs.h"

#include <fcntl.h>
#include <string.h>

#include "msg.h"
#include "dict.h"
#include "test_support.h"
#include "test_child.h"

/* custom_open - a driver that a program registers itself */
static DICT *custom_open(const char *name, int open_flags, int dict_flags)
{
    DICT   *dict = dict_alloc("custom", name, sizeof(DICT));

    dict->open_flags = open_flags;
    dict->flags = dict_flags;
    return dict;
}

/* register_first - child: a program's driver before any open */
static void register_first(void *context)
{
    DICT   *dict;
    const char *value;

    (void) context;
    dict_open_register("custom", custom_open, DICT_TYPE_FLAG_NONE);
    dict = dict_open("static:answer", O_RDONLY, DICT_FLAG_NONE);
    if ((value = dict_get(dict, "anything")) == NULL
	|| strcmp(value, "answer") != 0)
	msg_fatal("static: table did not answer");
    dict_close(dict);
    if (dict_type_flags("hash") < 0 || dict_type_flags("custom") < 0)
	msg_fatal("types missing");
}

/* test_register_keeps_builtins - a driver added first hides nothing */
static void test_register_keeps_builtins(void **state)
{
    TEST_CHILD_RESULT result;

    (void) state;
    test_child_run(register_first, NULL, 10000, &result);
    assert_string_equal(result.output, "");
    assert_true(test_child_exited(&result, 0));
    test_child_free(&result);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_register_keeps_builtins),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
