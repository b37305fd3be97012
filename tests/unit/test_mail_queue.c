/*
 * test_mail_queue - unit tests for mail_queue(3)
 *
 * Each test works in a fresh directory that stands for $queue_directory.
 */
#include "sys_defs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"
#include "vstring.h"
#include "record.h"
#include "mail_queue.h"
#include "queue_id.h"
#include "test_params.h"
#include "test_support.h"
#include "test_child.h"

static char saved_cwd[4096];

/* setup - a queue directory with the message queues, as cwd */
static int setup(void **state)
{
    char   *dir = test_tempdir();
    const char *const *qp;

    if (getcwd(saved_cwd, sizeof(saved_cwd)) == 0 || chdir(dir) < 0)
	return -1;
    for (qp = mail_queue_all; *qp; qp++)
	if (mkdir(*qp, 0700) < 0)
	    return -1;
    test_set_param("hash_queue_names", "deferred, defer hold");
    test_set_param("hash_queue_depth", "2");
    test_set_param("enable_long_queue_ids", "no");
    *state = dir;
    return 0;
}

/* teardown - back and away */
static int teardown(void **state)
{
    char   *dir = *state;

    if (chdir(saved_cwd) < 0)
	return -1;
    test_remove_tree(dir);
    myfree(dir);
    return 0;
}

/* test_names - queue names and the hash list */
static void test_names(void **state)
{
    const char *const *qp;
    int     count = 0;

    (void) state;
    for (qp = mail_queue_all; *qp; qp++, count++)
	assert_true(mail_queue_name_ok(*qp));
    assert_int_equal(count, 14);
    assert_false(mail_queue_name_ok(""));
    assert_false(mail_queue_name_ok("../etc"));
    assert_false(mail_queue_name_ok("a/b"));
    assert_true(mail_queue_hashed("deferred"));
    assert_true(mail_queue_hashed("defer"));
    assert_true(mail_queue_hashed("hold"));
    assert_false(mail_queue_hashed("incoming"));
    assert_false(mail_queue_hashed("deferre"));
}

/* test_paths - directories and paths, hashed or not */
static void test_paths(void **state)
{
    VSTRING *buf = vstring_alloc(10);

    (void) state;
    assert_string_equal(mail_queue_dir(buf, "incoming", "3F2A1B7E4"), "incoming");
    assert_string_equal(mail_queue_path(buf, "incoming", "3F2A1B7E4"),
			"incoming/3F2A1B7E4");
    assert_string_equal(mail_queue_dir(buf, "deferred", "3F2A1B7E4"),
			"deferred/3/F");
    assert_string_equal(mail_queue_path(buf, "deferred", "3F2A1B7E4"),
			"deferred/3/F/3F2A1B7E4");
    assert_string_equal(mail_queue_path(buf, "hold", "4jh8KB5VJ9z1bZr6"),
			"hold/B/D/4jh8KB5VJ9z1bZr6");
    test_set_param("hash_queue_depth", "1");
    assert_string_equal(mail_queue_path(buf, "defer", "4jh8KB5VJ9z1bZr6"),
			"defer/B/4jh8KB5VJ9z1bZr6");
    test_set_param("hash_queue_names", "");
    assert_string_equal(mail_queue_path(buf, "defer", "4jh8KB5VJ9z1bZr6"),
			"defer/4jh8KB5VJ9z1bZr6");
    vstring_free(buf);
}

/* write_file - a small file through create and commit; its ID */
static char *write_file(const char *queue, mode_t mode)
{
    VSTRING *why = vstring_alloc(10);
    MAIL_QUEUE_FILE *qf;
    struct stat st;
    char   *id;

    qf = mail_queue_create(queue, mode, why);
    assert_non_null(qf);
    assert_true(queue_id_valid(qf->id));
    assert_int_equal(stat(qf->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, mode);
    assert_int_equal(strncmp(qf->path, queue, strlen(queue)), 0);
    assert_non_null(strstr(qf->path, "/tmp."));
    record_puts(qf->fp, 'Q', "postel-queue 1");
    id = mystrdup(qf->id);
    if (!mail_queue_commit(qf, why))
	fail_msg("commit: %s", vstring_str(why));
    vstring_free(why);
    return id;
}

/* test_create - create, commit, abort */
static void test_create(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *path = vstring_alloc(10);
    VSTRING *hex = vstring_alloc(10);
    MAIL_QUEUE_FILE *qf;
    struct stat st;
    char   *id;
    char   *temp;
    VSTREAM *fp;

    (void) state;
    /* Unhashed, short ID: the inode in hexadecimal after 5 digits. */
    id = write_file("incoming", 0600);
    assert_int_equal(stat(mail_queue_path(path, "incoming", id), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    vstring_sprintf(hex, "%llX", (unsigned long long) st.st_ino);
    assert_string_equal(id + 5, vstring_str(hex));
    fp = mail_queue_open("incoming", id, O_RDONLY, 0);
    assert_non_null(fp);
    vstream_fclose(fp);
    myfree(id);

    /* Hashed, long ID: the hash directories appear, mode 0700. */
    test_set_param("enable_long_queue_ids", "yes");
    id = write_file("hold", 0644);
    assert_true(queue_id_is_long(id));
    mail_queue_path(path, "hold", id);
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0644);
    mail_queue_dir(path, "hold", id);
    assert_int_equal(stat(vstring_str(path), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    myfree(id);

    /* No temporary files are left. */
    assert_int_equal(system("test -z \"$(find . -name 'tmp.*')\""), 0);

    /* Abort removes the file. */
    qf = mail_queue_create("incoming", 0600, why);
    assert_non_null(qf);
    temp = mystrdup(qf->path);
    mail_queue_abort(qf);
    assert_false(test_file_exists(temp));
    myfree(temp);

    /* A queue directory that is not there. */
    assert_null(mail_queue_create("nosuch", 0600, why));
    assert_int_equal(strncmp(vstring_str(why), "create file nosuch/tmp.", 23), 0);
    assert_non_null(strstr(vstring_str(why), "No such file or directory"));

    /* Commit fails when the hash directory cannot be made. */
    qf = mail_queue_create("deferred", 0600, why);
    assert_non_null(qf);
    temp = mystrdup(qf->path);
    mail_queue_dir(path, "deferred", qf->id);
    {
	char    top[3] = {vstring_str(path)[9], 0, 0};
	char    name[20];

	snprintf(name, sizeof(name), "deferred/%s", top);
	test_write_file(name, "not a directory");
	assert_false(mail_queue_commit(qf, why));
	assert_non_null(strstr(vstring_str(why), "create directory deferred/"));
	assert_false(test_file_exists(temp));
	unlink(name);
    }
    myfree(temp);
    vstring_free(why);
    vstring_free(path);
    vstring_free(hex);
}

/* test_rename - moves between queues; remove; find */
static void test_rename(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *path = vstring_alloc(10);
    static const char *const hold_first[] = {"hold", "incoming", 0};
    char   *id;

    (void) state;
    id = write_file("incoming", 0600);
    assert_true(mail_queue_rename(id, "incoming", "deferred", why));
    assert_true(test_file_exists(mail_queue_path(path, "deferred", id)));
    assert_false(test_file_exists(mail_queue_path(path, "incoming", id)));
    assert_string_equal(mail_queue_find(path, id, mail_queue_msg),
			mail_queue_path(why, "deferred", id));
    assert_true(mail_queue_rename(id, "deferred", "hold", why));
    assert_true(mail_queue_rename(id, "hold", "active", why));
    assert_string_equal(mail_queue_find(path, id, mail_queue_msg),
			mail_queue_path(why, "active", id));

    /* Not there. */
    assert_false(mail_queue_rename(id, "incoming", "active", why));
    assert_int_equal(errno, ENOENT);
    assert_non_null(strstr(vstring_str(why), "rename incoming/"));
    assert_null(mail_queue_find(path, "NOSUCHID", mail_queue_msg));
    assert_null(mail_queue_find(path, "../../etc/passwd", mail_queue_msg));
    assert_null(mail_queue_find(path, id, hold_first + 1));

    /* A file left unhashed in a hashed queue is still found and moved. */
    vstring_sprintf(path, "deferred/%s", id);
    assert_int_equal(rename(mail_queue_path(why, "active", id),
			    vstring_str(path)), 0);
    assert_string_equal(mail_queue_find(why, id, mail_queue_msg),
			vstring_str(path));
    assert_true(mail_queue_rename(id, "deferred", "hold", why));
    assert_string_equal(mail_queue_find(path, id, hold_first),
			mail_queue_path(why, "hold", id));

    assert_int_equal(mail_queue_remove("hold", id), 0);
    assert_int_equal(mail_queue_remove("hold", id), -1);
    assert_int_equal(errno, ENOENT);
    assert_null(mail_queue_find(path, id, mail_queue_msg));
    myfree(id);
    vstring_free(why);
    vstring_free(path);
}

/* enter_one - an entered incoming/ file with one record; its path */
static MAIL_QUEUE_FILE *enter_one(VSTRING *why, char **final)
{
    MAIL_QUEUE_FILE *qf = mail_queue_enter("incoming", 0600, why);

    assert_non_null(qf);
    record_puts(qf->fp, 'Q', "postel-queue 1");
    *final = mystrdup(qf->path);
    return qf;
}

/* test_enter - the ready-bit protocol: named early, mode 0700 at commit */
static void test_enter(void **state)
{
    VSTRING *why = vstring_alloc(10);
    VSTRING *path = vstring_alloc(10);
    MAIL_QUEUE_FILE *qf;
    struct stat st;
    char   *id;
    char   *content;
    char   *final;

    (void) state;
    /* Under its ID at once, not ready; no temporary name left. */
    qf = mail_queue_enter("incoming", 0600, why);
    assert_non_null(qf);
    assert_true(queue_id_valid(qf->id));
    assert_true(qf->entered);
    assert_string_equal(qf->path, mail_queue_path(path, "incoming", qf->id));
    assert_int_equal(stat(qf->path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_false(mail_queue_ready("incoming", &st));
    vstring_sprintf(path, "%llX", (unsigned long long) st.st_ino);
    assert_string_equal(qf->id + 5, vstring_str(path));
    assert_int_equal(system("test -z \"$(find . -name 'tmp.*')\""), 0);
    record_puts(qf->fp, 'Q', "postel-queue 1");
    record_puts(qf->fp, 'Z', "");
    id = mystrdup(qf->id);
    final = mystrdup(qf->path);
    if (!mail_queue_commit(qf, why))
	fail_msg("commit: %s", vstring_str(why));
    assert_int_equal(stat(final, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_true(mail_queue_ready("incoming", &st));
    content = test_file_content(final);
    assert_int_equal(content[0], 'Q');
    assert_non_null(strstr(content, "postel-queue 1"));
    myfree(content);
    myfree(final);
    myfree(id);

    /* A hashed queue: the hash directories are made at once. */
    qf = mail_queue_enter("deferred", 0600, why);
    assert_non_null(qf);
    assert_string_equal(qf->path, mail_queue_path(path, "deferred", qf->id));
    assert_true(test_file_exists(qf->path));
    final = mystrdup(qf->path);
    assert_true(mail_queue_commit(qf, why));
    assert_int_equal(stat(final, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    myfree(final);

    /* Abort removes the file under its ID. */
    qf = mail_queue_enter("incoming", 0600, why);
    assert_non_null(qf);
    final = mystrdup(qf->path);
    mail_queue_abort(qf);
    assert_false(test_file_exists(final));
    myfree(final);

    /* Removed before the commit (postsuper -d): the commit fails. */
    qf = enter_one(why, &final);
    assert_int_equal(unlink(final), 0);
    assert_false(mail_queue_commit(qf, why));
    vstring_sprintf(path, "file %s was removed", final);
    assert_string_equal(vstring_str(why), vstring_str(path));
    assert_false(test_file_exists(final));
    myfree(final);

    /* Committed into another queue (cleanup's bounce path): renamed. */
    qf = enter_one(why, &final);
    id = mystrdup(qf->id);
    myfree(qf->queue);
    qf->queue = mystrdup("hold");
    assert_true(mail_queue_commit(qf, why));
    assert_false(test_file_exists(final));
    assert_int_equal(stat(mail_queue_path(path, "hold", id), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    assert_true(mail_queue_ready("hold", &st));

    /* Into incoming/ from elsewhere: complete, so made ready. */
    assert_true(mail_queue_rename(id, "hold", "incoming", why));
    assert_int_equal(stat(final, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    assert_true(mail_queue_rename(id, "incoming", "active", why));
    assert_int_equal(chmod(mail_queue_path(path, "active", id), 0600), 0);
    assert_true(mail_queue_rename(id, "active", "incoming", why));
    assert_int_equal(stat(final, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0700);
    myfree(final);
    myfree(id);

    /* The rename protocol is unchanged: 0600, never 0700. */
    id = write_file("incoming", 0600);
    assert_int_equal(stat(mail_queue_path(path, "incoming", id), &st), 0);
    assert_int_equal(st.st_mode & 07777, 0600);
    myfree(id);
    vstring_free(why);
    vstring_free(path);
}

/* test_names_ordered - the file system probe, against findmnt(8) */
static void test_names_ordered(void **state)
{
    FILE   *pp;
    char    type[64] = "";
    bool    want;

    (void) state;
    assert_false(mail_queue_names_ordered("nosuch"));
    assert_false(mail_queue_names_ordered("/proc"));
    if ((pp = popen("findmnt -n -o FSTYPE --target . 2>/dev/null", "r")) == 0
	|| fgets(type, sizeof(type), pp) == 0) {
	if (pp)
	    pclose(pp);
	skip();
    }
    pclose(pp);
    type[strcspn(type, "\n")] = 0;
    want = strcmp(type, "ext3") == 0 || strcmp(type, "ext4") == 0
	|| strcmp(type, "xfs") == 0 || strcmp(type, "btrfs") == 0;
    /* ext3/ext4: only with a journal (this sandbox's ext4 has none). */
    if (want && strncmp(type, "ext", 3) == 0)
	want = system("d=$(basename $(readlink /sys/dev/block/$(findmnt -n"
		      " -o MAJ:MIN --target .))) && { j=/sys/fs/ext4/$d/"
		      "journal_task; if [ -r $j ]; then [ \"$(cat $j)\" !="
		      " '<none>' ]; else ls -d /proc/fs/jbd2/$d-*; fi; }"
		      " >/dev/null 2>&1") == 0;
    assert_int_equal(mail_queue_names_ordered("incoming"), want);
    /* Cached, and the same for a directory on the same device. */
    assert_int_equal(mail_queue_names_ordered("."), want);
    assert_false(mail_queue_names_ordered("/proc"));
}

/* drop_commit - as nobody, write a file into a directory it cannot read */
static void drop_commit(void *context)
{
    const char *dir = context;
    struct passwd *pw = getpwnam("nobody");
    VSTRING *why = vstring_alloc(10);
    MAIL_QUEUE_FILE *qf;

    if (pw == 0)
	msg_fatal("no account nobody");
    if (setgid(pw->pw_gid) < 0 || setgroups(0, 0) < 0
	|| setuid(pw->pw_uid) < 0)
	msg_fatal("drop privileges: %m");
    if (chdir(dir) < 0)
	msg_fatal("chdir %s: %m", dir);
    if ((qf = mail_queue_create("maildrop", 0644, why)) == 0)
	msg_fatal("%s", vstring_str(why));
    record_puts(qf->fp, 'Q', "postel-queue 1");
    if (!mail_queue_commit(qf, why))
	msg_fatal("%s", vstring_str(why));
    vstring_free(why);
}

/*
 * test_unreadable_directory - postdrop's case: maildrop is mode 1730 and
 * not readable by the writer, so the directory cannot be opened for its
 * fsync; the commit still succeeds (syncfs()). Needs root, to be nobody.
 */
static void test_unreadable_directory(void **state)
{
    char   *dir;
    VSTRING *path;
    TEST_CHILD_RESULT result;

    (void) state;
    if (geteuid() != 0 || getpwnam("nobody") == 0)
	skip();				/* before anything is allocated */
    dir = test_shared_tempdir();
    path = vstring_alloc(10);
    vstring_sprintf(path, "%s/maildrop", dir);
    assert_int_equal(mkdir(vstring_str(path), 0700), 0);
    assert_int_equal(chmod(vstring_str(path), 01733), 0);
    test_child_run(drop_commit, dir, 10000, &result);
    if (!test_child_exited(&result, 0))
	fail_msg("child: %s", result.output);
    test_child_free(&result);
    vstring_sprintf(path, "test \"$(find %s/maildrop -type f -name '[0-9A-F]*'"
		    " -user nobody -perm 0644 | wc -l)\" = 1", dir);
    assert_int_equal(system(vstring_str(path)), 0);
    test_remove_tree(dir);
    myfree(dir);
    vstring_free(path);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_names, setup, teardown),
	cmocka_unit_test_setup_teardown(test_paths, setup, teardown),
	cmocka_unit_test_setup_teardown(test_create, setup, teardown),
	cmocka_unit_test_setup_teardown(test_rename, setup, teardown),
	cmocka_unit_test_setup_teardown(test_enter, setup, teardown),
	cmocka_unit_test_setup_teardown(test_names_ordered, setup, teardown),
	cmocka_unit_test(test_unreadable_directory),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
