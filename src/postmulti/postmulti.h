/*
 * postmulti - private interfaces of the multi-instance manager
 *
 * SYNOPSIS
 *	#include "postmulti.h"
 *
 * DESCRIPTION
 *	postmulti(1) is split by task: postmulti.c parses the command line,
 *	postmulti_instance.c holds the instance list and the rules for
 *	names, paths and selections (no I/O; unit-tested),
 *	postmulti_conf.c reads main.cf files, postmulti_iterate.c runs
 *	commands for instances (-l, -p, -x) and postmulti_manage.c adds,
 *	removes and changes instances (-e). This header declares what
 *	those files share; see each file for its functions.
 */
#ifndef POSTMULTI_H
#define POSTMULTI_H

#include "sys_defs.h"
#include "argv.h"
#include "htable.h"
#include "vstring.h"

 /*
  * One Postfix instance. Only what the manager needs; names are NULL
  * when not set (shown as "-").
  */
typedef struct POSTMULTI_INSTANCE {
    char   *config_dir;
    char   *queue_dir;
    char   *data_dir;
    char   *name;			/* multi_instance_name, or NULL */
    char   *group;			/* multi_instance_group, or NULL */
    bool    enabled;			/* multi_instance_enable */
    bool    primary;			/* the default instance */
} POSTMULTI_INSTANCE;

 /*
  * The instances in start order, primary first, plus the claims that
  * keep names and directories unique (value -> "config_dir, param").
  */
typedef struct POSTMULTI_LIST {
    POSTMULTI_INSTANCE **items;
    size_t  count;
    size_t  size;
    HTABLE *claims;
} POSTMULTI_LIST;

 /*
  * Instance selection (-a, -g, -i).
  */
typedef enum POSTMULTI_SELECT_TYPE {
    POSTMULTI_SELECT_NONE,
    POSTMULTI_SELECT_ALL,
    POSTMULTI_SELECT_NAME,
    POSTMULTI_SELECT_GROUP,
} POSTMULTI_SELECT_TYPE;

typedef struct POSTMULTI_SELECTION {
    POSTMULTI_SELECT_TYPE type;
    const char *name;			/* -i or -g argument */
} POSTMULTI_SELECTION;

 /*
  * New names (-I, -G): NULL means "no change", "" means "clear" ("-").
  */
typedef struct POSTMULTI_ASSIGNMENT {
    const char *name;
    const char *group;
} POSTMULTI_ASSIGNMENT;

 /*
  * Command modes. Edit actions have their own bits so that groups of
  * them can be tested with one mask.
  */
#define POSTMULTI_CMD_LIST	(1<<0)	/* -l */
#define POSTMULTI_CMD_POSTFIX	(1<<1)	/* -p */
#define POSTMULTI_CMD_GENERIC	(1<<2)	/* -x */
#define POSTMULTI_CMD_ITERATE \
	(POSTMULTI_CMD_LIST | POSTMULTI_CMD_POSTFIX | POSTMULTI_CMD_GENERIC)

#define POSTMULTI_EDIT_CREATE	(1<<4)
#define POSTMULTI_EDIT_IMPORT	(1<<5)
#define POSTMULTI_EDIT_DESTROY	(1<<6)
#define POSTMULTI_EDIT_DEPORT	(1<<7)
#define POSTMULTI_EDIT_ENABLE	(1<<8)
#define POSTMULTI_EDIT_DISABLE	(1<<9)
#define POSTMULTI_EDIT_ASSIGN	(1<<10)
#define POSTMULTI_EDIT_INIT	(1<<11)
#define POSTMULTI_EDIT_ADD	(POSTMULTI_EDIT_CREATE | POSTMULTI_EDIT_IMPORT)
#define POSTMULTI_EDIT_REMOVE	(POSTMULTI_EDIT_DESTROY | POSTMULTI_EDIT_DEPORT)
#define POSTMULTI_EDIT_NAMES	(POSTMULTI_EDIT_ADD | POSTMULTI_EDIT_ASSIGN)
#define POSTMULTI_EDIT_ANY \
	(POSTMULTI_EDIT_NAMES | POSTMULTI_EDIT_REMOVE | POSTMULTI_EDIT_ENABLE \
	 | POSTMULTI_EDIT_DISABLE | POSTMULTI_EDIT_INIT)

#define POSTMULTI_NAME_PREFIX	"postfix-"

 /*
  * postmulti_instance.c: instances, the list, names and paths.
  */
extern POSTMULTI_INSTANCE *postmulti_instance_create(const char *config_dir);
extern void postmulti_instance_free(POSTMULTI_INSTANCE *inst);
extern const char *postmulti_instance_label(const POSTMULTI_INSTANCE *inst);
extern bool postmulti_instance_match(const POSTMULTI_INSTANCE *inst,
				             const POSTMULTI_SELECTION *sel);
extern const char *postmulti_instance_name_error(const char *name);
extern const char *postmulti_instance_group_error(const char *group);
extern char *postmulti_instance_private_path(const char *param,
				              const char *primary_value,
				              const char *name, VSTRING *why);
extern bool postmulti_instance_setting(const char *arg, int edit_cmd,
				               char **name, char **value,
				               VSTRING *why);
extern int postmulti_instance_assign(POSTMULTI_LIST *list,
				             POSTMULTI_INSTANCE *inst,
				        const POSTMULTI_ASSIGNMENT *assign);

#define POSTMULTI_CHANGED_NAME	(1<<0)
#define POSTMULTI_CHANGED_GROUP	(1<<1)

extern POSTMULTI_LIST *postmulti_list_create(void);
extern void postmulti_list_free(POSTMULTI_LIST *list);
extern void postmulti_list_claim(POSTMULTI_LIST *list, const char *owner_dir,
				         const char *param, const char *value);
extern const char *postmulti_list_owner(POSTMULTI_LIST *list,
				                const char *value);
extern void postmulti_list_insert(POSTMULTI_LIST *list,
				          POSTMULTI_INSTANCE *inst,
				          const POSTMULTI_SELECTION *where);
extern POSTMULTI_INSTANCE *postmulti_list_find(POSTMULTI_LIST *list,
				          const POSTMULTI_SELECTION *sel,
				               size_t *index);
extern void postmulti_list_remove(POSTMULTI_LIST *list, size_t index);
extern char *postmulti_list_secondary_dirs(const POSTMULTI_LIST *list);

 /*
  * postmulti_conf.c: the primary instance's settings, read once.
  */
typedef struct POSTMULTI_CONF {
    char   *config_dir;
    char   *queue_dir;
    char   *data_dir;
    char   *command_dir;
    char   *daemon_dir;
    char   *meta_dir;
    char   *shlib_dir;
    char   *multi_dirs;			/* multi_instance_directories */
    char   *multi_name;
    char   *multi_group;
    bool    multi_enable;
    char   *multi_wrapper;
    char   *alternate_dirs;		/* alternate_config_directories */
    char   *start_cmds;			/* postmulti_start_commands */
    char   *stop_cmds;			/* postmulti_stop_commands */
    char   *control_cmds;		/* postmulti_control_commands */
    char   *import_environment;
    ARGV   *shared_settings;		/* "name = value" set in main.cf */
    ARGV   *shared_defaults;		/* shared names not set there */
} POSTMULTI_CONF;

extern POSTMULTI_CONF *postmulti_conf;

extern void postmulti_conf_read(const char *config_dir);
extern void postmulti_conf_check_shared(POSTMULTI_LIST *list);
extern POSTMULTI_INSTANCE *postmulti_conf_primary(void);
extern void postmulti_conf_load_instance(POSTMULTI_INSTANCE *inst);
extern POSTMULTI_LIST *postmulti_conf_load_all(void);

 /*
  * postmulti_iterate.c: -l, -p, -x.
  */
extern NORETURN postmulti_iterate(int cmd, bool reverse, bool json,
				          char **args,
				          POSTMULTI_SELECTION *sel);
extern int postmulti_iterate_class(const char *command, const char *start,
				           const char *stop, const char *control);

#define POSTMULTI_CLASS_OTHER	0
#define POSTMULTI_CLASS_START	1
#define POSTMULTI_CLASS_STOP	2
#define POSTMULTI_CLASS_CONTROL	3

 /*
  * postmulti_manage.c: -e.
  */
extern NORETURN postmulti_manage(int edit_cmd, char **args,
				         POSTMULTI_SELECTION *sel,
				         const POSTMULTI_ASSIGNMENT *assign);
extern const char *postmulti_manage_action_name(int edit_cmd);
extern int postmulti_manage_action_code(const char *name);

#endif
