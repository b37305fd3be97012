/*
 * test_sasl_registry - unit tests for sasl_registry(3)
 */
#include "sys_defs.h"

#include "argv.h"
#include "sasl_registry.h"
#include "test_support.h"

/* test_types_empty - this build has no SASL implementation */
static void test_types_empty(void **state)
{
    ARGV   *server = sasl_registry_server_types();
    ARGV   *client = sasl_registry_client_types();

    (void) state;
    assert_int_equal(server->argc, 0);
    assert_null(server->argv[0]);
    assert_int_equal(client->argc, 0);
    assert_null(client->argv[0]);
    argv_free(server);
    argv_free(client);
}

/* test_types_fresh - each call returns a list the caller may change */
static void test_types_fresh(void **state)
{
    ARGV   *first = sasl_registry_server_types();
    ARGV   *second;

    (void) state;
    argv_add(first, "changed", (char *) 0);
    second = sasl_registry_server_types();
    assert_ptr_not_equal(first, second);
    assert_int_equal(second->argc, 0);
    argv_free(first);
    argv_free(second);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_types_empty),
	cmocka_unit_test(test_types_fresh),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
