/*
 * test_postmulti_instance - unit tests for the rules of postmulti(1)
 *
 * Names, paths, selections, "param=value" arguments, the instance list
 * and its claims, and the command classes of "postmulti -p".
 */
#include "sys_defs.h"

#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"
#include "postmulti.h"
#include "test_support.h"
#include "test_child.h"

/* make_instance - instance with the given attributes */
static POSTMULTI_INSTANCE *make_instance(const char *dir, const char *name,
					         const char *group, bool primary)
{
    POSTMULTI_INSTANCE *inst = postmulti_instance_create(dir);
    char   *tail = strrchr(dir, '/') + 1;

    inst->queue_dir = concatenate("/var/spool/", tail, (char *) 0);
    inst->data_dir = concatenate("/var/lib/", tail, (char *) 0);
    inst->name = name ? mystrdup(name) : NULL;
    inst->group = group ? mystrdup(group) : NULL;
    inst->primary = primary;
    return inst;
}

/* test_match - -a, -g and -i against instances */
static void test_match(void **state)
{
    POSTMULTI_INSTANCE *primary = make_instance("/etc/postfix", NULL, NULL, true);
    POSTMULTI_INSTANCE *named = make_instance("/etc/postfix-out", "postfix-out",
					      "mta", false);
    POSTMULTI_INSTANCE *odd = make_instance("/etc/odd", "odd-name", NULL, false);
    POSTMULTI_INSTANCE *nameless = make_instance("/etc/anon", NULL, "mta", false);
    static const struct {
	POSTMULTI_SELECT_TYPE type;
	const char *name;
	bool    primary, named, odd, nameless;
    } cases[] = {
	{POSTMULTI_SELECT_NONE, 0, false, false, false, false},
	{POSTMULTI_SELECT_ALL, 0, true, true, true, true},
	{POSTMULTI_SELECT_GROUP, "mta", false, true, false, true},
	{POSTMULTI_SELECT_GROUP, "-", false, false, false, false},
	{POSTMULTI_SELECT_NAME, "-", true, false, false, false},
	{POSTMULTI_SELECT_NAME, "postfix-out", false, true, false, false},
	{POSTMULTI_SELECT_NAME, "out", false, true, false, false},
	{POSTMULTI_SELECT_NAME, "/etc/postfix-out", false, true, false, false},
	{POSTMULTI_SELECT_NAME, "odd-name", false, false, true, false},
	{POSTMULTI_SELECT_NAME, "name", false, false, false, false},
	{POSTMULTI_SELECT_NAME, "/etc/anon", false, false, false, true},
	{POSTMULTI_SELECT_NAME, "anon", false, false, false, false},
	{POSTMULTI_SELECT_NAME, "/etc/postfix", true, false, false, false},
	{POSTMULTI_SELECT_NAME, "postfix-", false, false, false, false},
    };
    POSTMULTI_SELECTION sel;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	sel.type = cases[n].type;
	sel.name = cases[n].name;
	assert_int_equal(postmulti_instance_match(primary, &sel), cases[n].primary);
	assert_int_equal(postmulti_instance_match(named, &sel), cases[n].named);
	assert_int_equal(postmulti_instance_match(odd, &sel), cases[n].odd);
	assert_int_equal(postmulti_instance_match(nameless, &sel),
			 cases[n].nameless);
    }
    assert_string_equal(postmulti_instance_label(named), "postfix-out");
    assert_string_equal(postmulti_instance_label(nameless), "/etc/anon");
    postmulti_instance_free(primary);
    postmulti_instance_free(named);
    postmulti_instance_free(odd);
    postmulti_instance_free(nameless);
}

/* test_names - new instance and group names */
static void test_names(void **state)
{
    static const struct {
	const char *name;
	const char *name_error;
	const char *group_error;
    } cases[] = {
	{NULL, NULL, NULL},
	{"", NULL, NULL},
	{"postfix-out", NULL, NULL},
	{"postfix-a!@%-_=+:.", NULL, NULL},
	{"out", "New instance name must start with 'postfix-'", NULL},
	{"postfix-a/b", "Illegal '/' character in new instance name: 'postfix-a/b'",
	NULL},
	{"postfix-a b", "Unsafe characters in new instance name: 'postfix-a b'",
	"Unsafe characters in '-G postfix-a b'"},
	{"mta;rm", "Unsafe characters in new instance name: 'mta;rm'",
	"Unsafe characters in '-G mta;rm'"},
	{"caf\xc3\xa9", "Unsafe characters in new instance name: 'caf\xc3\xa9'",
	"Unsafe characters in '-G caf\xc3\xa9'"},
    };
    const char *err;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	err = postmulti_instance_name_error(cases[n].name);
	if (cases[n].name_error)
	    assert_string_equal(err, cases[n].name_error);
	else
	    assert_null(err);
	err = postmulti_instance_group_error(cases[n].name);
	if (cases[n].group_error)
	    assert_string_equal(err, cases[n].group_error);
	else
	    assert_null(err);
    }
}

/* test_private_path - derived directories of a new instance */
static void test_private_path(void **state)
{
    static const struct {
	const char *primary;
	const char *name;
	const char *result;		/* or the error */
    } cases[] = {
	{"/var/spool/postfix", "postfix-out", "/var/spool/postfix-out"},
	{"/var/spool/postfix/", "postfix-out", "/var/spool/postfix-out"},
	{"/var/spool//postfix//", "postfix-out", "/var/spool/postfix-out"},
	{"/postfix", "postfix-out", "/postfix-out"},
	{"/", "postfix-out", "/postfix-out"},
	{"/var/spool/postfix", NULL, "Missing queue_directory parameter value"},
	{"/var/spool/postfix", "", "Missing queue_directory parameter value"},
	{"spool", "postfix-out", "Invalid default queue_directory parameter "
	"value: 'spool': specify an absolute pathname"},
    };
    VSTRING *why = vstring_alloc(10);
    char   *path;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	path = postmulti_instance_private_path("queue_directory",
					       cases[n].primary,
					       cases[n].name, why);
	if (path) {
	    assert_string_equal(path, cases[n].result);
	    myfree(path);
	} else {
	    assert_string_equal(vstring_str(why), cases[n].result);
	}
    }
    vstring_free(why);
}

/* test_setting - "param=value" arguments of create and import */
static void test_setting(void **state)
{
    static const struct {
	const char *arg;
	int     cmd;
	const char *name;		/* NULL: error expected */
	const char *value;		/* or the error */
    } cases[] = {
	{"config_directory=/etc/postfix-x", POSTMULTI_EDIT_CREATE,
	"config_directory", "/etc/postfix-x"},
	{"queue_directory = /q/x//", POSTMULTI_EDIT_CREATE,
	"queue_directory", "/q/x"},
	{"data_directory=/d", POSTMULTI_EDIT_CREATE, "data_directory", "/d"},
	{"config_directory=/c/", POSTMULTI_EDIT_IMPORT, "config_directory", "/c"},
	{"queue_directory=/q", POSTMULTI_EDIT_IMPORT, NULL,
	"Parameter 'queue_directory' not valid with action import"},
	{"myhostname=/x", POSTMULTI_EDIT_CREATE, NULL,
	"Parameter 'myhostname' not valid with action create"},
	{"queue_directory=q", POSTMULTI_EDIT_CREATE, NULL,
	"Parameter setting 'queue_directory' is not an absolute path"},
	{"queue_directory=//", POSTMULTI_EDIT_CREATE, NULL,
	"Parameter setting 'queue_directory' is the root directory"},
	{"queue_directory", POSTMULTI_EDIT_CREATE, NULL,
	"Malformed parameter setting 'queue_directory'"},
	{"=/x", POSTMULTI_EDIT_CREATE, NULL, "Malformed parameter setting '=/x'"},
    };
    VSTRING *why = vstring_alloc(10);
    char   *name;
    char   *value;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	if (cases[n].name) {
	    assert_true(postmulti_instance_setting(cases[n].arg, cases[n].cmd,
						   &name, &value, why));
	    assert_string_equal(name, cases[n].name);
	    assert_string_equal(value, cases[n].value);
	    myfree(name);
	    myfree(value);
	} else {
	    assert_false(postmulti_instance_setting(cases[n].arg, cases[n].cmd,
						    &name, &value, why));
	    assert_string_equal(vstring_str(why), cases[n].value);
	}
    }
    vstring_free(why);
}

/* list_labels - the list's instances as "label,label,..." */
static char *list_labels(const POSTMULTI_LIST *list)
{
    VSTRING *buf = vstring_alloc(100);
    size_t  n;

    for (n = 0; n < list->count; n++) {
	if (n > 0)
	    VSTRING_ADDCH(buf, ',');
	vstring_strcat(buf, postmulti_instance_label(list->items[n]));
    }
    VSTRING_TERMINATE(buf);
    return vstring_export(buf);
}

/* make_list - primary plus postfix-a (g1), postfix-b, postfix-c (g1) */
static POSTMULTI_LIST *make_list(void)
{
    POSTMULTI_LIST *list = postmulti_list_create();

    postmulti_list_insert(list, make_instance("/etc/postfix", NULL, NULL, true),
			  NULL);
    postmulti_list_insert(list, make_instance("/etc/a", "postfix-a", "g1",
					      false), NULL);
    postmulti_list_insert(list, make_instance("/etc/b", "postfix-b", NULL,
					      false), NULL);
    postmulti_list_insert(list, make_instance("/etc/c", "postfix-c", "g1",
					      false), NULL);
    return list;
}

/* test_list - insert positions, find, remove, multi_instance_directories */
static void test_list(void **state)
{
    static const struct {
	POSTMULTI_SELECT_TYPE type;
	const char *name;
	const char *order;
    } cases[] = {
	{POSTMULTI_SELECT_NONE, 0, "-,postfix-a,postfix-b,postfix-c,postfix-n"},
	{POSTMULTI_SELECT_ALL, 0, "-,postfix-n,postfix-a,postfix-b,postfix-c"},
	{POSTMULTI_SELECT_GROUP, "g1", "-,postfix-n,postfix-a,postfix-b,postfix-c"},
	{POSTMULTI_SELECT_NAME, "b", "-,postfix-a,postfix-n,postfix-b,postfix-c"},
	{POSTMULTI_SELECT_NAME, "/etc/c", "-,postfix-a,postfix-b,postfix-n,postfix-c"},
    };
    POSTMULTI_LIST *list;
    POSTMULTI_INSTANCE *inst;
    POSTMULTI_SELECTION sel;
    char   *labels;
    char   *dirs;
    size_t  index;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	list = make_list();
	list->items[0]->name = mystrdup("-");	/* short labels */
	sel.type = cases[n].type;
	sel.name = cases[n].name;
	postmulti_list_insert(list, make_instance("/etc/n", "postfix-n", NULL,
						  false), &sel);
	labels = list_labels(list);
	assert_string_equal(labels, cases[n].order);
	myfree(labels);
	postmulti_list_free(list);
    }

    list = make_list();
    dirs = postmulti_list_secondary_dirs(list);
    assert_string_equal(dirs, "/etc/a /etc/b /etc/c");
    myfree(dirs);
    sel.type = POSTMULTI_SELECT_NAME;
    sel.name = "postfix-b";
    inst = postmulti_list_find(list, &sel, &index);
    assert_non_null(inst);
    assert_int_equal(index, 2);
    postmulti_list_remove(list, index);
    dirs = postmulti_list_secondary_dirs(list);
    assert_string_equal(dirs, "/etc/a /etc/c");
    myfree(dirs);
    assert_null(postmulti_list_find(list, &sel, &index));
    postmulti_instance_free(inst);
    assert_string_equal(postmulti_list_owner(list, "/var/spool/c"),
			"/etc/c, queue_directory");
    assert_string_equal(postmulti_list_owner(list, "postfix-a"),
			"/etc/a, multi_instance_name");
    assert_null(postmulti_list_owner(list, "/var/spool/x"));
    postmulti_list_free(list);

    list = postmulti_list_create();
    dirs = postmulti_list_secondary_dirs(list);
    assert_string_equal(dirs, "");
    myfree(dirs);
    postmulti_list_free(list);
}

/* conflict_child - run one conflicting operation on a fresh list */
static void conflict_child(void *context)
{
    POSTMULTI_LIST *list = make_list();
    int     which = *(int *) context;
    POSTMULTI_SELECTION sel = {POSTMULTI_SELECT_NAME, "nosuch"};
    POSTMULTI_ASSIGNMENT assign = {"postfix-b", NULL};
    POSTMULTI_INSTANCE *inst;

    switch (which) {
    case 0:					/* same name */
	postmulti_list_insert(list, make_instance("/etc/x", "postfix-a", NULL,
						  false), NULL);
	break;
    case 1:					/* same queue directory */
	inst = make_instance("/etc/x", NULL, NULL, false);
	myfree(inst->queue_dir);
	inst->queue_dir = mystrdup("/var/spool/b");
	postmulti_list_insert(list, inst, NULL);
	break;
    case 2:					/* insert before nothing */
	postmulti_list_insert(list, make_instance("/etc/y", NULL, NULL, false),
			      &sel);
	break;
    case 3:					/* rename onto another */
	(void) postmulti_instance_assign(list, list->items[1], &assign);
	break;
    }
}

/* test_conflicts - claims keep names and directories unique */
static void test_conflicts(void **state)
{
    static const char *outputs[] = {
	"fatal: instance /etc/x, multi_instance_name=postfix-a conflicts with "
	"instance /etc/a, multi_instance_name=postfix-a\n",
	"fatal: instance /etc/x, queue_directory=/var/spool/b conflicts with "
	"instance /etc/b, queue_directory=/var/spool/b\n",
	"fatal: No matching secondary instances\n",
	"fatal: instance /etc/a, multi_instance_name=postfix-b conflicts with "
	"instance /etc/b, multi_instance_name=postfix-b\n",
    };
    TEST_CHILD_RESULT result;
    int     n;

    (void) state;
    for (n = 0; n < (int) ARRAY_LEN(outputs); n++) {
	test_child_run(conflict_child, &n, 10000, &result);
	assert_string_equal(result.output, outputs[n]);
	assert_true(test_child_exited(&result, 1));
	test_child_free(&result);
    }
}

/* test_claims - directory claims, and re-claims by the same owner */
static void test_claims(void **state)
{
    POSTMULTI_LIST *list = postmulti_list_create();

    (void) state;
    postmulti_list_claim(list, "/etc/postfix", "command_directory", "/usr/sbin");
    postmulti_list_claim(list, "/etc/postfix", "command_directory", "/usr/sbin");
    assert_string_equal(postmulti_list_owner(list, "/usr/sbin"),
			"/etc/postfix, command_directory");
    postmulti_list_free(list);
}

/* test_assign - -I and -G, and what counts as a change */
static void test_assign(void **state)
{
    static const struct {
	const char *name;
	const char *group;
	int     changed;
	const char *new_name;
	const char *new_group;
    } cases[] = {
	{NULL, NULL, 0, "postfix-a", "g1"},
	{"postfix-a", "g1", 0, "postfix-a", "g1"},
	{"postfix-z", NULL, POSTMULTI_CHANGED_NAME, "postfix-z", "g1"},
	{NULL, "g2", POSTMULTI_CHANGED_GROUP, "postfix-a", "g2"},
	{"", "", POSTMULTI_CHANGED_NAME | POSTMULTI_CHANGED_GROUP, NULL, NULL},
    };
    POSTMULTI_LIST *list;
    POSTMULTI_INSTANCE *inst;
    POSTMULTI_ASSIGNMENT assign;
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	list = make_list();
	inst = list->items[1];
	assign.name = cases[n].name;
	assign.group = cases[n].group;
	assert_int_equal(postmulti_instance_assign(list, inst, &assign),
			 cases[n].changed);
	if (cases[n].new_name)
	    assert_string_equal(inst->name, cases[n].new_name);
	else
	    assert_null(inst->name);
	if (cases[n].new_group)
	    assert_string_equal(inst->group, cases[n].new_group);
	else
	    assert_null(inst->group);
	postmulti_list_free(list);
    }
}

/* test_class - start, stop and control commands of "postmulti -p" */
static void test_class(void **state)
{
    static const struct {
	const char *command;
	int     class;
    } cases[] = {
	{"start", POSTMULTI_CLASS_START},
	{"stop", POSTMULTI_CLASS_STOP},
	{"abort", POSTMULTI_CLASS_STOP},
	{"drain", POSTMULTI_CLASS_STOP},
	{"quick-stop", POSTMULTI_CLASS_STOP},
	{"reload", POSTMULTI_CLASS_CONTROL},
	{"flush", POSTMULTI_CLASS_CONTROL},
	{"status", POSTMULTI_CLASS_OTHER},
	{"check", POSTMULTI_CLASS_OTHER},
	{"star", POSTMULTI_CLASS_OTHER},
	{"", POSTMULTI_CLASS_OTHER},
    };
    size_t  n;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++)
	assert_int_equal(postmulti_iterate_class(cases[n].command, "start",
					   "stop, abort drain,quick-stop",
						 "reload flush"),
			 cases[n].class);
    /* A command in two lists: start wins, then stop. */
    assert_int_equal(postmulti_iterate_class("x", "x", "x", "x"),
		     POSTMULTI_CLASS_START);
    assert_int_equal(postmulti_iterate_class("x", "", "x", "x"),
		     POSTMULTI_CLASS_STOP);
}

/* test_actions - -e action names */
static void test_actions(void **state)
{
    static const char *names[] = {
	"create", "import", "destroy", "deport", "enable", "disable",
	"assign", "init",
    };
    size_t  n;
    int     code;

    (void) state;
    for (n = 0; n < ARRAY_LEN(names); n++) {
	code = postmulti_manage_action_code(names[n]);
	assert_true(code & POSTMULTI_EDIT_ANY);
	assert_string_equal(postmulti_manage_action_name(code), names[n]);
    }
    assert_int_equal(postmulti_manage_action_code("Create"), -1);
    assert_int_equal(postmulti_manage_action_code(""), -1);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_match),
	cmocka_unit_test(test_names),
	cmocka_unit_test(test_private_path),
	cmocka_unit_test(test_setting),
	cmocka_unit_test(test_list),
	cmocka_unit_test(test_conflicts),
	cmocka_unit_test(test_claims),
	cmocka_unit_test(test_assign),
	cmocka_unit_test(test_class),
	cmocka_unit_test(test_actions),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
