/*
 * test_inet_addr_list - unit tests for inet_addr_list(3)
 */
#include "sys_defs.h"

#include <stdio.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "myaddrinfo.h"
#include "inet_addr_list.h"
#include "test_support.h"

/* append_text - append "addr" or "addr#port" */
static void append_text(INET_ADDR_LIST *list, const char *text, int port)
{
    struct sockaddr_storage ss;

    memset(&ss, 0, sizeof(ss));
    if (strchr(text, ':')) {
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *) &ss;

	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	assert_int_equal(inet_pton(AF_INET6, text, &sin6->sin6_addr), 1);
    } else {
	struct sockaddr_in *sin = (struct sockaddr_in *) &ss;

	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	assert_int_equal(inet_pton(AF_INET, text, &sin->sin_addr), 1);
    }
    inet_addr_list_append(list, (struct sockaddr *) &ss);
}

/* list_text - "a:p b:p ..." */
static const char *list_text(const INET_ADDR_LIST *list)
{
    static char buf[1000];
    MAI_HOSTADDR_STR addr;
    MAI_SERVPORT_STR port;
    size_t  n;

    buf[0] = 0;
    for (n = 0; n < list->used; n++) {
	const struct sockaddr *sa = (const struct sockaddr *) (list->addrs + n);

	assert_int_equal(sockaddr_to_hostaddr(sa, sockaddr_len(sa), &addr,
					      &port, 0), 0);
	if (n > 0)
	    strcat(buf, " ");
	strcat(buf, addr.buf);
	strcat(buf, "#");
	strcat(buf, port.buf);
    }
    return buf;
}

/* test_append_grow - many appends keep content */
static void test_append_grow(void **state)
{
    INET_ADDR_LIST list;
    char    text[32];
    int     n;

    (void) state;
    inet_addr_list_init(&list);
    assert_int_equal(list.used, 0);
    for (n = 0; n < 100; n++) {
	snprintf(text, sizeof(text), "10.0.0.%d", n);
	append_text(&list, text, n);
    }
    assert_int_equal(list.used, 100);
    assert_true(list.size >= 100);
    assert_int_equal(ntohs(((struct sockaddr_in *) (list.addrs + 99))->sin_port),
		     99);
    inet_addr_list_free(&list);
    assert_int_equal(list.used, 0);
    assert_null(list.addrs);
    append_text(&list, "127.0.0.1", 0);	/* usable after free */
    assert_int_equal(list.used, 1);
    inet_addr_list_free(&list);
}

/* test_uniq_sort - order rules */
static void test_uniq_sort(void **state)
{
    INET_ADDR_LIST list;
    struct sockaddr_in sin;

    (void) state;
    inet_addr_list_init(&list);
    append_text(&list, "192.0.2.2", 25);
    append_text(&list, "::1", 0);
    append_text(&list, "127.0.0.1", 0);
    append_text(&list, "192.0.2.2", 587);	/* same address, other port */
    append_text(&list, "::1", 0);
    append_text(&list, "10.0.0.1", 0);
    append_text(&list, "2001:db8::1", 0);
    inet_addr_list_uniq(&list);
    assert_string_equal(list_text(&list), "192.0.2.2#25 ::1#0 127.0.0.1#0 "
			"10.0.0.1#0 2001:db8::1#0");
    append_text(&list, "192.0.2.2", 24);
    inet_addr_list_sort(&list);
    assert_string_equal(list_text(&list), "10.0.0.1#0 127.0.0.1#0 "
			"192.0.2.2#24 192.0.2.2#25 ::1#0 2001:db8::1#0");

    memset(&sin, 0, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(9999);
    inet_pton(AF_INET, "127.0.0.1", &sin.sin_addr);
    assert_true(inet_addr_list_contains(&list, (struct sockaddr *) &sin));
    inet_pton(AF_INET, "127.0.0.2", &sin.sin_addr);
    assert_false(inet_addr_list_contains(&list, (struct sockaddr *) &sin));
    assert_true(inet_addr_list_compare((struct sockaddr *) list.addrs,
				       (struct sockaddr *) (list.addrs + 1)) < 0);
    assert_true(inet_addr_list_compare((struct sockaddr *) (list.addrs + 4),
				       (struct sockaddr *) list.addrs) > 0);
    assert_int_equal(inet_addr_list_compare((struct sockaddr *) list.addrs,
					    (struct sockaddr *) list.addrs), 0);
    inet_addr_list_free(&list);

    /* Edge cases: empty and single lists. */
    inet_addr_list_uniq(&list);
    inet_addr_list_sort(&list);
    assert_int_equal(list.used, 0);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_append_grow),
	cmocka_unit_test(test_uniq_sort),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
