/*
 * test_nbdb_safe - unit tests for nbdb_safe(3), the reindexing safety policy
 *
 * DESCRIPTION
 *	The file checks run against a fake file system (a table of paths
 *	with their type, owner and mode) injected with nbdb_safe_set_ops(),
 *	so that root-owned files, other users' files and symbolic links can
 *	be tested without privileges.
 */
#include "sys_defs.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "mymalloc.h"
#include "vstring.h"
#include "nbdb_safe.h"
#include "test_support.h"

#define FAKE_MAX	32
#define USER		1000
#define OTHER		1001

typedef struct FAKE_FILE {
    const char *path;
    mode_t  mode;			/* type and permissions */
    uid_t   uid;
    gid_t   gid;
    const char *link_to;		/* symbolic links: the target */
} FAKE_FILE;

static FAKE_FILE fake_files[FAKE_MAX];
static int fake_count;
static uid_t fake_euid;

/* fake_find - the fake file at path, or NULL */
static FAKE_FILE *fake_find(const char *path)
{
    int     n;

    for (n = 0; n < fake_count; n++)
	if (strcmp(fake_files[n].path, path) == 0)
	    return fake_files + n;
    return NULL;
}

/* fake_fill - the status of one fake file */
static int fake_fill(const FAKE_FILE *fp, struct stat *st)
{
    memset(st, 0, sizeof(*st));
    st->st_mode = fp->mode;
    st->st_uid = fp->uid;
    st->st_gid = fp->gid;
    st->st_ino = (ino_t) (fp - fake_files) + 1;
    return 0;
}

/* fake_lstat - lstat() on the fake file system (no links followed) */
static int fake_lstat(const char *path, struct stat *st)
{
    FAKE_FILE *fp;

    if ((fp = fake_find(path)) == NULL) {
	errno = ENOENT;
	return -1;
    }
    return fake_fill(fp, st);
}

/* fake_stat - stat(): follows a link in the last component */
static int fake_stat(const char *path, struct stat *st)
{
    FAKE_FILE *fp;

    if ((fp = fake_find(path)) != NULL && fp->link_to != NULL)
	fp = fake_find(fp->link_to);
    if (fp == NULL) {
	errno = ENOENT;
	return -1;
    }
    return fake_fill(fp, st);
}

/* fake_geteuid - the effective uid of the fake process */
static uid_t fake_geteuid(void)
{
    return fake_euid;
}

/* fake_add - add a fake file */
static void fake_add(const char *path, mode_t mode, uid_t uid,
		             const char *link_to)
{
    FAKE_FILE *fp;

    if ((fp = fake_find(path)) == NULL) {
	assert_true(fake_count < FAKE_MAX);
	fp = fake_files + fake_count++;
    }
    fp->path = path;
    fp->mode = mode;
    fp->uid = uid;
    fp->gid = uid;
    fp->link_to = link_to;
}

/* fake_table - /etc/postfix/virtual(.db) and /var/lib/mailman/data/aliases(.db) */
static int fake_table(void **state)
{
    static const NBDB_SAFE_OPS ops = {fake_lstat, fake_stat, fake_geteuid};

    (void) state;
    fake_count = 0;
    fake_euid = 0;
    fake_add("/", S_IFDIR | 0755, 0, NULL);
    fake_add("/etc", S_IFDIR | 0755, 0, NULL);
    fake_add("/etc/postfix", S_IFDIR | 0755, 0, NULL);
    fake_add("/etc/postfix/virtual", S_IFREG | 0644, 0, NULL);
    fake_add("/etc/postfix/virtual.db", S_IFREG | 0644, 0, NULL);
    fake_add("/var", S_IFDIR | 0755, 0, NULL);
    fake_add("/var/lib", S_IFDIR | 0755, 0, NULL);
    fake_add("/var/lib/mailman", S_IFDIR | 0755, 0, NULL);
    fake_add("/var/lib/mailman/data", S_IFDIR | 0750, USER, NULL);
    fake_add("/var/lib/mailman/data/aliases", S_IFREG | 0640, USER, NULL);
    fake_add("/var/lib/mailman/data/aliases.db", S_IFREG | 0640, USER, NULL);
    fake_add("/tmp", S_IFDIR | S_ISVTX | 0777, 0, NULL);
    nbdb_safe_set_ops(&ops);
    return 0;
}

/* fake_done - back to the real system calls */
static int fake_done(void **state)
{
    (void) state;
    nbdb_safe_set_ops(NULL);
    return 0;
}

#define ROOT_PREFIXES	"/etc/postfix, /etc/aliases"
#define USER_PREFIXES	"/var/lib/mailman"

/* refused - the check fails with a reason that contains text */
static void refused(const char *name, const char *text)
{
    VSTRING *why = vstring_alloc(100);
    NBDB_SAFE_OWNER owner;

    if (nbdb_safe_check(name, ROOT_PREFIXES, USER_PREFIXES, &owner, why))
	fail_msg("%s: accepted, expected \"%s\"", name, text);
    if (strstr(vstring_str(why), text) == NULL)
	fail_msg("%s: reason \"%s\", expected \"%s\"", name, vstring_str(why),
		 text);
    vstring_free(why);
}

/* accepted - the check passes; return the owner's uid */
static uid_t accepted(const char *name)
{
    VSTRING *why = vstring_alloc(100);
    NBDB_SAFE_OWNER owner;

    if (!nbdb_safe_check(name, ROOT_PREFIXES, USER_PREFIXES, &owner, why))
	fail_msg("%s: refused: %s", name, vstring_str(why));
    vstring_free(why);
    return owner.uid;
}

/* test_table_syntax - what a request may name */
static void test_table_syntax(void **state)
{
    static const struct {
	const char *table;
	const char *reason;		/* NULL: accepted */
    } cases[] = {
	{"hash:/etc/postfix/virtual", NULL},
	{"btree:/var/lib/x", NULL},
	{"hash:/etc/\xc3\xa9t\xc3\xa9", NULL},
	{"/etc/postfix/virtual", "has no type"},
	{"lmdb:/etc/postfix/virtual", "not hash or btree"},
	{"hashx:/etc/x", "not hash or btree"},
	{"hash:etc/x", "not an absolute pathname"},
	{"hash:", "not an absolute pathname"},
	{"hash:/etc//x", "empty"},
	{"hash:/etc/./x", "\".\""},
	{"hash:/etc/../x", "\"..\""},
	{"hash:/etc/x/", "empty"},
	{"hash:/", "empty"},
	{"hash:/etc/x\ny", "control character"},
	{"hash:/etc/x\x7f", "control character"},
	{"hash:/etc/\xff", "not valid UTF-8"},
    };
    VSTRING *type = vstring_alloc(10);
    VSTRING *name = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    char   *long_name;
    size_t  n;
    bool    ok;

    (void) state;
    for (n = 0; n < ARRAY_LEN(cases); n++) {
	ok = nbdb_safe_table(cases[n].table, type, name, why);
	if (cases[n].reason == NULL) {
	    assert_true(ok);
	    assert_string_equal(vstring_str(type), strncmp(cases[n].table,
					  "hash", 4) == 0 ? "hash" : "btree");
	    assert_string_equal(vstring_str(name), strchr(cases[n].table, ':') + 1);
	} else if (ok || strstr(vstring_str(why), cases[n].reason) == NULL) {
	    fail_msg("%s: %s, expected \"%s\"", cases[n].table,
		     ok ? "accepted" : vstring_str(why), cases[n].reason);
	}
    }
    /* The length bound: 1024 bytes of pathname, not one more. */
    long_name = mymalloc(NBDB_SAFE_NAME_LIMIT + 10);
    strcpy(long_name, "hash:");
    memset(long_name + 5, 'a', NBDB_SAFE_NAME_LIMIT);
    long_name[5] = '/';
    long_name[5 + NBDB_SAFE_NAME_LIMIT] = 0;
    assert_true(nbdb_safe_table(long_name, type, name, why));
    strcat(long_name, "a");
    assert_false(nbdb_safe_table(long_name, type, name, why));
    assert_non_null(strstr(vstring_str(why), "longer than 1024 bytes"));
    myfree(long_name);
    vstring_free(type);
    vstring_free(name);
    vstring_free(why);
}

/* test_prefix_match - whole components only */
static void test_prefix_match(void **state)
{
    (void) state;
    assert_true(nbdb_safe_prefix_match("/etc/postfix/virtual", "/etc/postfix"));
    assert_true(nbdb_safe_prefix_match("/etc/postfix/virtual", "/x, /etc/postfix/"));
    assert_true(nbdb_safe_prefix_match("/etc/aliases", "/etc/aliases"));
    assert_false(nbdb_safe_prefix_match("/etc/aliases2", "/etc/aliases"));
    assert_false(nbdb_safe_prefix_match("/etc/postfix2/x", "/etc/postfix"));
    assert_false(nbdb_safe_prefix_match("/etc/postfix/virtual", ""));
    assert_false(nbdb_safe_prefix_match("/etc/postfix/virtual", "etc/postfix"));
    assert_true(nbdb_safe_prefix_match("/anything/at/all", "/"));
    assert_true(nbdb_safe_prefix_match("/var/lib/mailman/data/x",
				       "/srv\t/var/lib/mailman"));
}

/* test_accepted - the root and the user table */
static void test_accepted(void **state)
{
    VSTRING *why = vstring_alloc(10);
    NBDB_SAFE_OWNER owner;

    (void) state;
    assert_int_equal(accepted("/etc/postfix/virtual"), 0);
    assert_int_equal(accepted("/var/lib/mailman/data/aliases"), USER);
    assert_true(nbdb_safe_check("/var/lib/mailman/data/aliases", "",
				USER_PREFIXES, &owner, why));
    assert_int_equal(owner.gid, USER);
    assert_int_equal(owner.source_ino, 10);	/* the source, not the .db */
    /* Unprivileged: only our own files. */
    fake_euid = USER;
    assert_int_equal(accepted("/var/lib/mailman/data/aliases"), USER);
    refused("/etc/postfix/virtual", "cannot run a command as that user "
	    "without root privileges");
    vstring_free(why);
}

/* test_legacy_file - the .db must be there, as a plain file */
static void test_legacy_file(void **state)
{
    (void) state;
    refused("/etc/postfix/nosuch", "legacy file /etc/postfix/nosuch.db "
	    "does not exist");
    fake_add("/etc/postfix/virtual.db", S_IFLNK | 0777, 0, "/etc/postfix/virtual");
    refused("/etc/postfix/virtual", "legacy file /etc/postfix/virtual.db is "
	    "a symbolic link");
    fake_add("/etc/postfix/virtual.db", S_IFDIR | 0755, 0, NULL);
    refused("/etc/postfix/virtual", "is not a regular file");
}

/* test_source_file - owner, mode, type */
static void test_source_file(void **state)
{
    (void) state;
    fake_add("/etc/postfix/nosource.db", S_IFREG | 0644, 0, NULL);
    refused("/etc/postfix/nosource", "source file /etc/postfix/nosource "
	    "does not exist");
    fake_add("/etc/postfix/virtual", S_IFREG | 0664, 0, NULL);
    refused("/etc/postfix/virtual", "source file /etc/postfix/virtual is "
	    "group or other writable");
    fake_add("/etc/postfix/virtual", S_IFREG | 0646, 0, NULL);
    refused("/etc/postfix/virtual", "group or other writable");
    fake_add("/etc/postfix/virtual", S_IFREG | 0644, OTHER, NULL);
    refused("/etc/postfix/virtual", "source file /etc/postfix/virtual is "
	    "owned by uid 1001, not by root or uid 0");
    fake_add("/etc/postfix/virtual", S_IFLNK | 0777, 0, "/etc/passwd");
    refused("/etc/postfix/virtual", "is a symbolic link");
    /* A source owned by root next to a user's .db is fine. */
    fake_add("/var/lib/mailman/data/aliases", S_IFREG | 0644, 0, NULL);
    assert_int_equal(accepted("/var/lib/mailman/data/aliases"), USER);
}

/* test_parent_directory - owner and mode of the directory */
static void test_parent_directory(void **state)
{
    (void) state;
    fake_add("/etc/postfix", S_IFDIR | 0775, 0, NULL);
    refused("/etc/postfix/virtual", "directory /etc/postfix is group or "
	    "other writable");
    fake_add("/etc/postfix", S_IFDIR | 0755, OTHER, NULL);
    refused("/etc/postfix/virtual", "directory /etc/postfix is owned by "
	    "uid 1001, not by root or uid 0");
    /* A sticky world-writable parent is still writable by others. */
    fake_add("/tmp/x", S_IFREG | 0644, 0, NULL);
    fake_add("/tmp/x.db", S_IFREG | 0644, 0, NULL);
    refused("/tmp/x", "directory /tmp is group or other writable");
}

/* test_ancestors - nobody else can swap a directory above */
static void test_ancestors(void **state)
{
    (void) state;
    /* A directory that others may write, without the sticky bit. */
    fake_add("/etc", S_IFDIR | 0777, 0, NULL);
    refused("/etc/postfix/virtual", "directory /etc is group or other "
	    "writable");
    fake_add("/etc", S_IFDIR | 0755, 0, NULL);
    /* Below a sticky directory, the next component must be ours. */
    fake_add("/tmp/t", S_IFDIR | 0755, USER, NULL);
    fake_add("/tmp/t/x", S_IFREG | 0644, USER, NULL);
    fake_add("/tmp/t/x.db", S_IFREG | 0644, USER, NULL);
    refused("/tmp/t/x", "not in non_bdb_migration_allow_user_prefixes");
    fake_add("/tmp/t", S_IFDIR | 0755, OTHER, NULL);
    refused("/tmp/t/x", "directory /tmp/t is owned by uid 1001 in a "
	    "directory that others may write");
    /* A symbolic link above: owned by root, in a safe directory. */
    fake_add("/srv", S_IFDIR | 0755, 0, NULL);
    fake_add("/srv/pf", S_IFDIR | 0755, 0, NULL);
    fake_add("/etc/postfix", S_IFLNK | 0777, 0, "/srv/pf");
    fake_add("/etc/postfix/virtual", S_IFREG | 0644, 0, NULL);
    assert_int_equal(accepted("/etc/postfix/virtual"), 0);
    fake_add("/etc/postfix", S_IFLNK | 0777, OTHER, "/srv/pf");
    refused("/etc/postfix/virtual", "symbolic link /etc/postfix is not "
	    "owned by root");
    /* In a sticky directory that others may write: root's link is fine. */
    fake_add("/etc", S_IFDIR | S_ISVTX | 0777, 0, NULL);
    fake_add("/etc/postfix", S_IFLNK | 0777, 0, "/srv/pf");
    assert_int_equal(accepted("/etc/postfix/virtual"), 0);
    fake_add("/etc/postfix", S_IFLNK | 0777, OTHER, "/srv/pf");
    refused("/etc/postfix/virtual", "/etc/postfix is owned by uid 1001 in a "
	    "directory that others may write");
    fake_add("/etc/postfix", S_IFLNK | 0777, 0, "/srv/pf");
    fake_add("/etc", S_IFDIR | 0755, 0, NULL);
    /* A component that is not a directory. */
    fake_add("/etc", S_IFREG | 0644, 0, NULL);
    refused("/etc/postfix/virtual", "/etc is not a directory");
}

/* test_prefixes - root and user lists */
static void test_prefixes(void **state)
{
    VSTRING *why = vstring_alloc(10);
    NBDB_SAFE_OWNER owner;

    (void) state;
    assert_false(nbdb_safe_check("/etc/postfix/virtual", "", USER_PREFIXES,
				 &owner, why));
    assert_string_equal(vstring_str(why), "source file /etc/postfix/virtual "
			"is not in non_bdb_migration_allow_root_prefixes");
    /* A root table is not allowed by the user list, and vice versa. */
    assert_false(nbdb_safe_check("/etc/postfix/virtual", "/var",
				 "/etc/postfix", &owner, why));
    assert_false(nbdb_safe_check("/var/lib/mailman/data/aliases",
				 "/var/lib/mailman", "", &owner, why));
    assert_string_equal(vstring_str(why), "source file "
			"/var/lib/mailman/data/aliases is not in "
			"non_bdb_migration_allow_user_prefixes");
    vstring_free(why);
}

/* test_group_zero - never a user with group 0 */
static void test_group_zero(void **state)
{
    FAKE_FILE *fp = fake_find("/var/lib/mailman/data/aliases.db");

    (void) state;
    assert_non_null(fp);
    if (fp != NULL)
	fp->gid = 0;
    refused("/var/lib/mailman/data/aliases", "has group 0");
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_table_syntax),
	cmocka_unit_test(test_prefix_match),
	cmocka_unit_test_setup_teardown(test_accepted, fake_table, fake_done),
	cmocka_unit_test_setup_teardown(test_legacy_file, fake_table, fake_done),
	cmocka_unit_test_setup_teardown(test_source_file, fake_table, fake_done),
	cmocka_unit_test_setup_teardown(test_parent_directory, fake_table,
					fake_done),
	cmocka_unit_test_setup_teardown(test_ancestors, fake_table, fake_done),
	cmocka_unit_test_setup_teardown(test_prefixes, fake_table, fake_done),
	cmocka_unit_test_setup_teardown(test_group_zero, fake_table, fake_done),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
