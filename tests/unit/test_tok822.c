/*
 * test_tok822 - unit tests for tok822(3)
 *
 * DESCRIPTION
 *	The golden table gives, for each input, the parse tree (in a short
 *	notation: A(atom) Q(qstring) C(comment) D[domlit] G for the group
 *	colon, ADDR{...} for an address, operators as themselves), the
 *	external and internal forms of the whole tree, and of the addresses
 *	only. Every golden input is also checked for stability: parsing the
 *	external form again gives the same external and internal forms.
 *	Further tests cover the flags, the token bound, hostile input,
 *	scanning and the tree functions.
 */
#include "sys_defs.h"

#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "tok822.h"
#include "test_support.h"

/* dump_tree - the short notation of a token list */
static void dump_tree(VSTRING *vp, const TOK822 *tp)
{
    for (/* void */ ; tp != NULL; tp = tp->next) {
	if (VSTRING_LEN(vp) > 0 && vstring_end(vp)[-1] != '{')
	    VSTRING_ADDCH(vp, ' ');
	switch (tp->type) {
	case TOK822_ATOM:
	    vstring_sprintf_append(vp, "A(%s)", vstring_str(tp->vstr));
	    break;
	case TOK822_QSTRING:
	    vstring_sprintf_append(vp, "Q(%s)", vstring_str(tp->vstr));
	    break;
	case TOK822_COMMENT:
	    vstring_sprintf_append(vp, "C%s", vstring_str(tp->vstr));
	    break;
	case TOK822_DOMLIT:
	    vstring_sprintf_append(vp, "D%s", vstring_str(tp->vstr));
	    break;
	case TOK822_STARTGRP:
	    vstring_strcat(vp, "G");
	    break;
	case TOK822_ADDR:
	    vstring_strcat(vp, "ADDR{");
	    dump_tree(vp, tp->head);
	    vstring_strcat(vp, "}");
	    break;
	default:
	    VSTRING_ADDCH(vp, tp->type);
	    VSTRING_TERMINATE(vp);
	    break;
	}
    }
}

/* tree_text - the short notation, in a static buffer */
static const char *tree_text(const TOK822 *tp)
{
    static VSTRING *buf;

    if (buf == NULL)
	buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    dump_tree(buf, tp);
    return vstring_str(buf);
}

typedef struct GOLDEN {
    const char *input;
    const char *tree;
    const char *external;
    const char *internal;
    const char *ext_addrs;		/* TOK822_STR_NOPHRASE */
    const char *int_addrs;		/* TOK822_STR_NOPHRASE */
} GOLDEN;

static const GOLDEN golden[] = {
    {"user@example.com",
	"ADDR{A(user) @ A(example) . A(com)}",
	"user@example.com",
	"user@example.com",
	"user@example.com",
	"user@example.com"},
    {"John Q. Public <jqp@example.com>",
	"A(John) A(Q) . A(Public) < ADDR{A(jqp) @ A(example) . A(com)} >",
	"John Q. Public <jqp@example.com>",
	"John Q. Public <jqp@example.com>",
	"jqp@example.com",
	"jqp@example.com"},
    {"\"john smith\"@example.com",
	"ADDR{Q(john smith) @ A(example) . A(com)}",
	"\"john smith\"@example.com",
	"john smith@example.com",
	"\"john smith\"@example.com",
	"john smith@example.com"},
    {"john smith@example.com",
	"ADDR{A(john) A(smith) @ A(example) . A(com)}",
	"\"john smith\"@example.com",
	"john smith@example.com",
	"\"john smith\"@example.com",
	"john smith@example.com"},
    {"\"Smith, John\" <js@example.com>, other@example.com",
	"Q(Smith, John) < ADDR{A(js) @ A(example) . A(com)} > , ADDR{A(other) @ A(example) . A(com)}",
	"\"Smith, John\" <js@example.com>, other@example.com",
	"Smith, John <js@example.com>, other@example.com",
	"js@example.com, other@example.com",
	"js@example.com, other@example.com"},
    {"friends: a@example.com, Name <b@example.com>;",
	"A(friends) G ADDR{A(a) @ A(example) . A(com)} , A(Name) < ADDR{A(b) @ A(example) . A(com)} > ;",
	"friends: a@example.com, Name <b@example.com>;",
	"friends: a@example.com, Name <b@example.com>;",
	"a@example.com, b@example.com",
	"a@example.com, b@example.com"},
    {"undisclosed-recipients:;",
	"A(undisclosed-recipients) G ;",
	"undisclosed-recipients:;",
	"undisclosed-recipients:;",
	"",
	""},
    {"Undisclosed recipients: ;",
	"A(Undisclosed) A(recipients) G ;",
	"Undisclosed recipients:;",
	"Undisclosed recipients:;",
	"",
	""},
    {"<@r1.example,@r2.example:user@example.com>",
	"< ADDR{@ A(r1) . A(example) , @ A(r2) . A(example) : A(user) @ A(example) . A(com)} >",
	"<@r1.example,@r2.example:user@example.com>",
	"<@r1.example,@r2.example:user@example.com>",
	"@r1.example,@r2.example:user@example.com",
	"@r1.example,@r2.example:user@example.com"},
    {"<@a:>",
	"< ADDR{@ A(a) :} >",
	"<@a:\"\">",
	"<@a:>",
	"@a:\"\"",
	"@a:"},
    {"<@a:b>",
	"< ADDR{@ A(a) : A(b)} >",
	"<@a:b>",
	"<@a:b>",
	"@a:b",
	"@a:b"},
    {"<@a,b>",
	"< ADDR{@ A(a)} > , ADDR{A(b) >}",
	"<\"\"@a>, \"b>\"",
	"<@a>, b>",
	"\"\"@a, \"b>\"",
	"@a, b>"},
    {"<@a<b:c@d>",
	"< ADDR{@ A(a) < A(b) : A(c) @ A(d)} >",
	"<\"@a<b:c\"@d>",
	"<@a<b:c@d>",
	"\"@a<b:c\"@d",
	"@a<b:c@d"},
    {"<(c) @a,@b:x@y>",
	"< C(c) ADDR{@ A(a) , @ A(b) : A(x) @ A(y)} >",
	"<(c) @a,@b:x@y>",
	"<(c) @a,@b:x@y>",
	"@a,@b:x@y",
	"@a,@b:x@y"},
    {"<>",
	"< ADDR{} >",
	"<>",
	"<>",
	"<>",
	""},
    {"a, \"\", b",
	"ADDR{A(a)} , ADDR{Q()} , ADDR{A(b)}",
	"a, \"\", b",
	"a, , b",
	"a, \"\", b",
	"a, , b"},
    {"<><@,\"\",:@",
	"< ADDR{} > < @ , ADDR{Q()} , G ADDR{@}",
	"<> <@, \"\", : \"\"@",
	"<> <@, , : @",
	"<>, \"\", \"\"@",
	", , @"},
    {"<\"\">",
	"< ADDR{Q()} >",
	"<>",
	"<>",
	"<>",
	""},
    {"\"\" <a@b>",
	"Q() < ADDR{A(a) @ A(b)} >",
	"\"\" <a@b>",
	"<a@b>",
	"a@b",
	"a@b"},
    {"a@example.com (Comment (nested) \\) text)",
	"ADDR{A(a) @ A(example) . A(com)} C(Comment (nested) \\) text)",
	"a@example.com (Comment (nested) \\) text)",
	"a@example.com (Comment (nested) \\) text)",
	"a@example.com",
	"a@example.com"},
    {"(lead) a (inner) @example.com (trail)",
	"C(lead) ADDR{A(a) @ A(example) . A(com)} C(inner) C(trail)",
	"(lead) a@example.com (inner) (trail)",
	"(lead) a@example.com (inner) (trail)",
	"a@example.com",
	"a@example.com"},
    {"Name <a@b (inner comment)>",
	"A(Name) < ADDR{A(a) @ A(b)} C(inner comment) >",
	"Name <a@b (inner comment)>",
	"Name <a@b (inner comment)>",
	"a@b",
	"a@b"},
    {"Name (c) <a.b@c>, : x;",
	"A(Name) C(c) < ADDR{A(a) . A(b) @ A(c)} > , G ADDR{A(x)} ;",
	"Name (c) <a.b@c>, : x;",
	"Name (c) <a.b@c>, : x;",
	"a.b@c, x",
	"a.b@c, x"},
    {"group: <a@b>, (just a comment);",
	"A(group) G < ADDR{A(a) @ A(b)} > , C(just a comment) ;",
	"group: <a@b>, (just a comment);",
	"group: <a@b>, (just a comment);",
	"a@b",
	"a@b"},
    {"\"a@b\"@example.com",
	"ADDR{Q(a@b) @ A(example) . A(com)}",
	"\"a@b\"@example.com",
	"a@b@example.com",
	"\"a@b\"@example.com",
	"a@b@example.com"},
    {"a@b@c",
	"ADDR{A(a) @ A(b) @ A(c)}",
	"\"a@b\"@c",
	"a@b@c",
	"\"a@b\"@c",
	"a@b@c"},
    {"@example.com",
	"ADDR{@ A(example) . A(com)}",
	"\"\"@example.com",
	"@example.com",
	"\"\"@example.com",
	"@example.com"},
    {"user.@example.com",
	"ADDR{A(user) . @ A(example) . A(com)}",
	"\"user.\"@example.com",
	"user.@example.com",
	"\"user.\"@example.com",
	"user.@example.com"},
    {"a..b@example.com",
	"ADDR{A(a) . . A(b) @ A(example) . A(com)}",
	"\"a..b\"@example.com",
	"a..b@example.com",
	"\"a..b\"@example.com",
	"a..b@example.com"},
    {".a@example.com",
	"ADDR{. A(a) @ A(example) . A(com)}",
	"\".a\"@example.com",
	".a@example.com",
	"\".a\"@example.com",
	".a@example.com"},
    {"user@example.com.",
	"ADDR{A(user) @ A(example) . A(com) .}",
	"user@example.com.",
	"user@example.com.",
	"user@example.com.",
	"user@example.com."},
    {"a@b.",
	"ADDR{A(a) @ A(b) .}",
	"a@b.",
	"a@b.",
	"a@b.",
	"a@b."},
    {"\"a\\\"b\\\\c\"@example.com",
	"ADDR{Q(a\"b\\c) @ A(example) . A(com)}",
	"\"a\\\"b\\\\c\"@example.com",
	"a\"b\\c@example.com",
	"\"a\\\"b\\\\c\"@example.com",
	"a\"b\\c@example.com"},
    {"\"\\\\\"@x",
	"ADDR{Q(\\) @ A(x)}",
	"\"\\\\\"@x",
	"\\@x",
	"\"\\\\\"@x",
	"\\@x"},
    {"a\\@b@example.com",
	"ADDR{A(a) \\ @ A(b) @ A(example) . A(com)}",
	"\"a\\\\@b\"@example.com",
	"a\\@b@example.com",
	"\"a\\\\@b\"@example.com",
	"a\\@b@example.com"},
    {"a\"b\"@c",
	"ADDR{A(a) Q(b) @ A(c)}",
	"\"a b\"@c",
	"a b@c",
	"\"a b\"@c",
	"a b@c"},
    {"\"a\" \"b\"@c",
	"ADDR{Q(a) Q(b) @ A(c)}",
	"\"a b\"@c",
	"a b@c",
	"\"a b\"@c",
	"a b@c"},
    {"a@[192.0.2.1]",
	"ADDR{A(a) @ D[192.0.2.1]}",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]"},
    {"[x]@y",
	"ADDR{D[x] @ A(y)}",
	"\"[x]\"@y",
	"[x]@y",
	"\"[x]\"@y",
	"[x]@y"},
    {"[a\\]b]@c",
	"ADDR{D[a\\]b] @ A(c)}",
	"\"[a\\\\]b]\"@c",
	"[a\\]b]@c",
	"\"[a\\\\]b]\"@c",
	"[a\\]b]@c"},
    {"x@\"quoted domain\"",
	"ADDR{A(x) @ Q(quoted domain)}",
	"x@\"quoted domain\"",
	"x@quoted domain",
	"x@\"quoted domain\"",
	"x@quoted domain"},
    {"r\xc3" "\xa9" "sum\xc3" "\xa9" "@\xc3" "\xa9" "xample.com",
	"ADDR{A(r\xc3" "\xa9" "sum\xc3" "\xa9" ") @ A(\xc3" "\xa9" "xample) . A(com)}",
	"r\xc3" "\xa9" "sum\xc3" "\xa9" "@\xc3" "\xa9" "xample.com",
	"r\xc3" "\xa9" "sum\xc3" "\xa9" "@\xc3" "\xa9" "xample.com",
	"r\xc3" "\xa9" "sum\xc3" "\xa9" "@\xc3" "\xa9" "xample.com",
	"r\xc3" "\xa9" "sum\xc3" "\xa9" "@\xc3" "\xa9" "xample.com"},
    {"x\x01" "y@z",
	"ADDR{A(x) \x01" " A(y) @ A(z)}",
	"\"x\x01" "y\"@z",
	"x\x01" "y@z",
	"\"x\x01" "y\"@z",
	"x\x01" "y@z"},
    {"Name <user@example.com",
	"A(Name) < ADDR{A(user) @ A(example) . A(com)} >",
	"Name <user@example.com>",
	"Name <user@example.com>",
	"user@example.com",
	"user@example.com"},
    {"<a@b",
	"< ADDR{A(a) @ A(b)} >",
	"<a@b>",
	"<a@b>",
	"a@b",
	"a@b"},
    {"(unterminated comment",
	"C(unterminated comment)",
	"(unterminated comment)",
	"(unterminated comment)",
	"",
	""},
    {"(a (b (c",
	"C(a (b (c)))",
	"(a (b (c)))",
	"(a (b (c)))",
	"",
	""},
    {"(a\\",
	"C(a)",
	"(a)",
	"(a)",
	"",
	""},
    {"\"unterminated quote@example.com",
	"ADDR{Q(unterminated quote@example.com)}",
	"\"unterminated quote@example.com\"",
	"unterminated quote@example.com",
	"\"unterminated quote@example.com\"",
	"unterminated quote@example.com"},
    {"\"a\\",
	"ADDR{Q(a)}",
	"a",
	"a",
	"a",
	"a"},
    {"\"a\\\\",
	"ADDR{Q(a\\)}",
	"\"a\\\\\"",
	"a\\",
	"\"a\\\\\"",
	"a\\"},
    {"a@[192.0.2.1",
	"ADDR{A(a) @ D[192.0.2.1]}",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]",
	"a@[192.0.2.1]"},
    {"[a\\",
	"ADDR{D[a]}",
	"\"[a]\"",
	"[a]",
	"\"[a]\"",
	"[a]"},
    {"[a[b]",
	"ADDR{D[a[b]}",
	"\"[a[b]\"",
	"[a[b]",
	"\"[a[b]\"",
	"[a[b]"},
    {"Name<a@b>trailing",
	"A(Name) < ADDR{A(a) @ A(b)} > A(trailing)",
	"Name <a@b> trailing",
	"Name <a@b> trailing",
	"a@b",
	"a@b"},
    {"<a@b> <c@d>",
	"< ADDR{A(a) @ A(b)} > < A(c) @ A(d) >",
	"<a@b> <c@d>",
	"<a@b> <c@d>",
	"a@b",
	"a@b"},
    {"a <b <c> d> e",
	"A(a) < ADDR{A(b) < A(c)} > A(d) > A(e)",
	"a <\"b<c\"> d> e",
	"a <b<c> d> e",
	"\"b<c\"",
	"b<c"},
    {">a@b",
	"ADDR{> A(a) @ A(b)}",
	"\">a\"@b",
	">a@b",
	"\">a\"@b",
	">a@b"},
    {"a@b; c@d",
	"ADDR{A(a) @ A(b)} ; ADDR{A(c) @ A(d)}",
	"a@b; c@d",
	"a@b; c@d",
	"a@b, c@d",
	"a@b, c@d"},
    {"a:b@c",
	"A(a) G ADDR{A(b) @ A(c)}",
	"a: b@c",
	"a: b@c",
	"b@c",
	"b@c"},
    {",,a@b,,",
	", , ADDR{A(a) @ A(b)} , ,",
	", , a@b, ,",
	", , a@b, ,",
	"a@b",
	"a@b"},
    {"a\\",
	"ADDR{A(a) \\}",
	"\"a\\\\\"",
	"a\\",
	"\"a\\\\\"",
	"a\\"},
    {"",
	"",
	"",
	"",
	"",
	""},
    {"   \t\r\n ",
	"",
	"",
	"",
	"",
	""},
    {"a@b,\r\n\tc@d",
	"ADDR{A(a) @ A(b)} , ADDR{A(c) @ A(d)}",
	"a@b, c@d",
	"a@b, c@d",
	"a@b, c@d",
	"a@b, c@d"},
    {"\"fold\r\n ed\"@x",
	"ADDR{Q(fold ed) @ A(x)}",
	"\"fold ed\"@x",
	"fold ed@x",
	"\"fold ed\"@x",
	"fold ed@x"},
    {"\"a\\\r\nb\"@c",
	"ADDR{Q(ab) @ A(c)}",
	"ab@c",
	"ab@c",
	"ab@c",
	"ab@c"},
    /* Empty quoted strings: internal spacing stays stable. */
    {"@\"\"\"\"P:",
	"@ Q() Q() A(P) G",
	"@\"\" \"\" P:",
	"@ P:",
	"",
	""},
    {"\"\" \"\" <a@b>",
	"Q() Q() < ADDR{A(a) @ A(b)} >",
	"\"\" \"\" <a@b>",
	"<a@b>",
	"a@b",
	"a@b"},
    /*
     * A route holds only domains, '@', ',' and comments before its ':'.
     * Here the look-ahead from the second '<' meets '>' (in an address
     * that is written as "\">\"" in external form): no route, both in
     * the input and in its external form. Found by fuzz_tok822.
     */
    {"<><@,>,:@>m",
	"< ADDR{} > < @ , ADDR{>} , G ADDR{@ > A(m)}",
	"<> <@, \">\", : \"\"@>m",
	"<> <@, >, : @>m",
	"<>, \">\", \"\"@>m",
	", >, @>m"},
    {"1<8r1:.e>x><@r1.e,,,,>>>>>.example,.@.e,,,,>>>>>.example,.@2rexam.example:user@example.com>m>",
	"A(1) < ADDR{A(8r1) : . A(e)} > A(x) > < @ A(r1) . A(e) , , , , "
	"ADDR{> > > > > . A(example)} , ADDR{. @ . A(e)} , , , , "
	"ADDR{> > > > > . A(example)} , . @ A(2rexam) . A(example) G "
	"ADDR{A(user) @ A(example) . A(com) > A(m) >}",
	"1 <\"8r1:.e\"> x> <@r1.e, , , , \">>>>>.example\", \".\"@.e, , , , "
	"\">>>>>.example\", .@2rexam.example: user@example.com>m>",
	"1 <8r1:.e> x> <@r1.e, , , , >>>>>.example, .@.e, , , , >>>>>.example, "
	".@2rexam.example: user@example.com>m>",
	"\"8r1:.e\", \">>>>>.example\", \".\"@.e, \">>>>>.example\", "
	"user@example.com>m>",
	"8r1:.e, >>>>>.example, .@.e, >>>>>.example, user@example.com>m>"},
    /* A quoted string ends the look-ahead: this is no route. */
    {"<@a,\"q\"@b:c@d>",
	"< ADDR{@ A(a)} > , Q(q) @ A(b) G ADDR{A(c) @ A(d) >}",
	"<\"\"@a>, \"q\"@b: c@d>",
	"<@a>, q@b: c@d>",
	"\"\"@a, c@d>",
	"@a, c@d>"},
};

/* test_golden - parse and unparse the golden inputs */
static void test_golden(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    VSTRING *again_vp = vstring_alloc(10);
    const GOLDEN *gp;
    TOK822 *tree;
    TOK822 *again;

    (void) state;
    for (gp = golden; gp < golden + ARRAY_LEN(golden); gp++) {
	tree = tok822_parse(gp->input);
	assert_string_equal(tree_text(tree), gp->tree);
	tok822_externalize(vp, tree, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(vp), gp->external);
	again = tok822_parse(vstring_str(vp));
	tok822_externalize(again_vp, again, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(again_vp), gp->external);
	tok822_internalize(again_vp, again, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(again_vp), gp->internal);
	tok822_free_tree(again);
	tok822_internalize(vp, tree, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(vp), gp->internal);
	tok822_externalize(vp, tree, TOK822_STR_DEFL | TOK822_STR_NOPHRASE);
	assert_string_equal(vstring_str(vp), gp->ext_addrs);
	tok822_internalize(vp, tree, TOK822_STR_DEFL | TOK822_STR_NOPHRASE);
	assert_string_equal(vstring_str(vp), gp->int_addrs);
	tok822_free_tree(tree);
    }
    vstring_free(vp);
    vstring_free(again_vp);
}

typedef struct FLAG_CASE {
    const char *input;
    int     flags;
    bool    external;
    const char *output;
} FLAG_CASE;

#define LIST	"Name <a@b> (c), \"x y\"@z, g: d@e;"

static const FLAG_CASE flag_cases[] = {
    {LIST, TOK822_STR_DEFL, true, "Name <a@b> (c), \"x y\"@z, g: d@e;"},
    {LIST, TOK822_STR_WIPE, true, "Name <a@b> (c),\"x y\"@z,g: d@e;"},
    {LIST, TOK822_STR_WIPE | TOK822_STR_LINE, true,
    "Name <a@b> (c),\n\t\"x y\"@z,\n\tg: d@e;"},
    {LIST, TOK822_STR_DEFL | TOK822_STR_LINE, true,
    "Name <a@b> (c),\n\t\"x y\"@z,\n\tg: d@e;"},
    {LIST, TOK822_STR_DEFL | TOK822_STR_NOCOMMENT, true,
    "Name <a@b>, \"x y\"@z, g: d@e;"},
    {LIST, TOK822_STR_DEFL | TOK822_STR_NOPHRASE, true, "a@b, \"x y\"@z, d@e"},
    {LIST, TOK822_STR_WIPE | TOK822_STR_NOPHRASE, true, "a@b,\"x y\"@z,d@e"},
    {LIST, TOK822_STR_WIPE | TOK822_STR_NOPHRASE | TOK822_STR_LINE, false,
    "a@b,\n\tx y@z,\n\td@e"},
    {LIST, TOK822_STR_DEFL | TOK822_STR_NOCOMMENT, false,
    "Name <a@b>, x y@z, g: d@e;"},
    {"a, b,", TOK822_STR_DEFL | TOK822_STR_LINE, true, "a,\n\tb,"},
    {"(c) a@b", TOK822_STR_DEFL | TOK822_STR_NOCOMMENT, true, "a@b"},
    {"<>, a@b", TOK822_STR_DEFL | TOK822_STR_NOPHRASE, true, "<>, a@b"},
    {"<>, a@b", TOK822_STR_DEFL | TOK822_STR_NOPHRASE, false, ", a@b"},
};

/* test_flags - unparser flags */
static void test_flags(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    const FLAG_CASE *fp;
    TOK822 *tree;

    (void) state;
    for (fp = flag_cases; fp < flag_cases + ARRAY_LEN(flag_cases); fp++) {
	tree = tok822_parse(fp->input);
	if (fp->external)
	    tok822_externalize(vp, tree, fp->flags);
	else
	    tok822_internalize(vp, tree, fp->flags);
	assert_string_equal(vstring_str(vp), fp->output);
	tok822_free_tree(tree);
    }
    vstring_free(vp);
}

/* test_append_and_single - without WIPE the text is appended */
static void test_append_and_single(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    TOK822 *tree = tok822_parse("x y <a@b>, \"c d\"@e (f)");
    TOK822 **addrs = tok822_grep(tree, TOK822_ADDR);

    (void) state;
    assert_non_null(addrs[0]);
    assert_non_null(addrs[1]);
    assert_null(addrs[2]);
    vstring_strcpy(vp, "To: ");
    tok822_externalize(vp, addrs[1], TOK822_STR_SINGLE);
    assert_string_equal(vstring_str(vp), "To: \"c d\"@e");
    tok822_internalize(vp, addrs[1], TOK822_STR_WIPE | TOK822_STR_SINGLE);
    assert_string_equal(vstring_str(vp), "c d@e");
    tok822_externalize(vp, addrs[1], TOK822_STR_WIPE);
    assert_string_equal(vstring_str(vp), "\"c d\"@e (f)");
    /* The children of an address unparse as plain tokens. */
    tok822_externalize(vp, addrs[1]->head, TOK822_STR_WIPE);
    assert_string_equal(vstring_str(vp), "\"c d\"@e");
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(vp);
}

/* test_scan - the flat token list */
static void test_scan(void **state)
{
    TOK822 *tail;
    TOK822 *list;

    (void) state;
    list = tok822_scan(" a.b (c)\"d e\" [f] <g>,;: \\ ]) h", &tail);
    assert_string_equal(tree_text(list),
			"A(a) . A(b) C(c) Q(d e) D[f] < A(g) > , ; : \\ ] ) A(h)");
    assert_true(list->spaced);				/* a */
    assert_false(list->next->spaced);			/* . */
    assert_true(list->next->next->next->spaced);	/* (c) */
    assert_false(list->next->next->next->next->spaced);	/* "d e" */
    assert_string_equal(vstring_str(tail->vstr), "h");
    assert_null(tail->next);
    tok822_free_tree(list);

    assert_null(tok822_scan("", &tail));
    assert_null(tail);
    assert_null(tok822_scan(" \t\r\n", NULL));
}

/* test_limit - the token bound */
static void test_limit(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    TOK822 *tail;
    TOK822 *list;
    TOK822 *tree;

    (void) state;
    list = tok822_scan_limit("a b c d", &tail, 2);
    assert_string_equal(tree_text(list), "A(a) A(b)");
    assert_ptr_equal(tail, list->next);
    tok822_free_tree(list);

    tree = tok822_parse_limit("a@b, c@d", 4);
    assert_string_equal(tree_text(tree), "ADDR{A(a) @ A(b)} ,");
    tok822_externalize(vp, tree, TOK822_STR_DEFL);
    assert_string_equal(vstring_str(vp), "a@b,");
    tok822_free_tree(tree);

    /* A comment is one token however deep it nests. */
    tree = tok822_parse_limit("(a (b) c) x@y", 2);
    assert_string_equal(tree_text(tree), "C(a (b) c) ADDR{A(x)}");
    tok822_free_tree(tree);
    vstring_free(vp);
}

/* count_tokens - top-level tokens and their children */
static size_t count_tokens(const TOK822 *tp)
{
    size_t  count = 0;

    for (/* void */ ; tp != NULL; tp = tp->next)
	count += 1 + count_tokens(tp->head);
    return count;
}

/* test_hostile - large inputs stay bounded */
static void test_hostile(void **state)
{
    VSTRING *in = vstring_alloc(100);
    VSTRING *out = vstring_alloc(100);
    TOK822 *tree;
    int     n;

    (void) state;

    /* 100000 opening parentheses: one comment, closed at the end. */
    for (n = 0; n < 100000; n++)
	VSTRING_ADDCH(in, '(');
    VSTRING_TERMINATE(in);
    tree = tok822_parse(vstring_str(in));
    assert_int_equal(count_tokens(tree), 1);
    assert_int_equal(VSTRING_LEN(tree->vstr), 200000);
    tok822_free_tree(tree);

    /* Many addresses: only TOK822_DEFAULT_LIMIT tokens are kept. */
    VSTRING_RESET(in);
    for (n = 0; n < 50000; n++)
	vstring_strcat(in, "a,");
    tree = tok822_parse(vstring_str(in));
    assert_int_equal(count_tokens(tree), TOK822_DEFAULT_LIMIT / 2 * 3);
    tok822_externalize(out, tree, TOK822_STR_DEFL);
    assert_int_equal(VSTRING_LEN(out), TOK822_DEFAULT_LIMIT / 2 * 3 - 1);
    tok822_free_tree(tree);

    /* Unclosed route addresses: look-ahead stays linear. */
    VSTRING_RESET(in);
    for (n = 0; n < 50000; n++)
	vstring_strcat(in, "<@,");
    tree = tok822_parse_limit(vstring_str(in), 150000);
    tok822_externalize(out, tree, TOK822_STR_WIPE);
    assert_int_equal(VSTRING_LEN(out), 50000 * 6);
    assert_memory_equal(vstring_str(out), "<\"\"@>,<\"\"@>,", 12);
    tok822_free_tree(tree);

    vstring_free(in);
    vstring_free(out);
}

typedef struct ADDR_CASE {
    const char *input;
    bool    internal;			/* tok822_scan_addr_internal */
    const char *tree;
    const char *external;
    const char *internal_form;
} ADDR_CASE;

static const ADDR_CASE addr_cases[] = {
    {"user@example.com", false, "ADDR{A(user) @ A(example) . A(com)}",
    "user@example.com", "user@example.com"},
    {"\"john smith\"@x (c)", false, "ADDR{Q(john smith) @ A(x)}",
    "\"john smith\"@x", "john smith@x"},
    {"", false, "ADDR{}", "", ""},
    {"john smith@x", true, "ADDR{Q(john smith) @ A(x)}",
    "\"john smith\"@x", "john smith@x"},
    {"a@b@c", true, "ADDR{Q(a@b) @ A(c)}", "\"a@b\"@c", "a@b@c"},
    {"a\"b@c", true, "ADDR{Q(a\"b) @ A(c)}", "\"a\\\"b\"@c", "a\"b@c"},
    {"@c", true, "ADDR{Q() @ A(c)}", "\"\"@c", "@c"},
    {"", true, "ADDR{}", "", ""},
    {"first.last@x", true, "ADDR{A(first) . A(last) @ A(x)}",
    "first.last@x", "first.last@x"},
};

/* test_scan_addr - single addresses, external and internal form */
static void test_scan_addr(void **state)
{
    VSTRING *vp = vstring_alloc(10);
    const ADDR_CASE *ap;
    TOK822 *tree;

    (void) state;
    for (ap = addr_cases; ap < addr_cases + ARRAY_LEN(addr_cases); ap++) {
	tree = ap->internal ? tok822_scan_addr_internal(ap->input)
	    : tok822_scan_addr(ap->input);
	assert_int_equal(tree->type, TOK822_ADDR);
	assert_string_equal(tree_text(tree), ap->tree);
	tok822_externalize(vp, tree, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(vp), ap->external);
	tok822_internalize(vp, tree, TOK822_STR_DEFL);
	assert_string_equal(vstring_str(vp), ap->internal_form);
	tok822_free_tree(tree);
    }
    vstring_free(vp);
}

/* check_links - prev/next/owner/head/tail agree */
static void check_links(const TOK822 *owner, const TOK822 *list)
{
    const TOK822 *tp;
    const TOK822 *prev = NULL;

    for (tp = list; tp != NULL; prev = tp, tp = tp->next) {
	assert_ptr_equal(tp->prev, prev);
	assert_ptr_equal(tp->owner, owner);
    }
    if (owner != NULL) {
	assert_ptr_equal(owner->head, list);
	assert_ptr_equal(owner->tail, prev);
    }
}

/* test_tree - building and cutting token lists */
static void test_tree(void **state)
{
    TOK822 *addr = tok822_alloc(TOK822_ADDR, NULL);
    TOK822 *at = tok822_alloc('@', NULL);
    TOK822 *user = tok822_alloc(TOK822_ATOM, "user");
    TOK822 *dom = tok822_alloc(TOK822_ATOM, "example");
    TOK822 *list;
    TOK822 *cut;
    TOK822 *rest;
    TOK822 **found;
    VSTRING *vp = vstring_alloc(10);

    (void) state;
    assert_null(addr->vstr);
    list = tok822_alloc(TOK822_QSTRING, NULL);
    assert_string_equal(vstring_str(list->vstr), "");
    assert_false(list->spaced);
    assert_null(tok822_free(list));

    /* user @ example . com, built from the middle out. */
    assert_ptr_equal(tok822_sub_append(addr, at), at);
    tok822_sub_prepend(addr, user);
    tok822_sub_append(addr, dom);
    list = tok822_alloc('.', NULL);
    tok822_append(list, tok822_alloc(TOK822_ATOM, "com"));
    assert_string_equal(vstring_str(tok822_sub_append(addr, list)->vstr), "com");
    check_links(addr, addr->head);
    assert_string_equal(tree_text(addr), "ADDR{A(user) @ A(example) . A(com)}");

    /* Insert in the middle: user . name @ ... */
    list = tok822_alloc('.', NULL);
    tok822_append(list, tok822_alloc(TOK822_ATOM, "name"));
    tok822_append(user, list);
    tok822_prepend(user, tok822_alloc(TOK822_QSTRING, "x y"));
    check_links(addr, addr->head);
    tok822_externalize(vp, addr, TOK822_STR_DEFL);
    assert_string_equal(vstring_str(vp), "\"x y user.name\"@example.com");

    /* Find and grep. */
    assert_ptr_equal(tok822_find_type(addr->head, '@'), at);
    assert_ptr_equal(tok822_rfind_type(addr->tail, '@'), at);
    assert_null(tok822_find_type(addr->head, ','));
    assert_string_equal(vstring_str(tok822_find_type(addr->head, TOK822_ATOM)->vstr), "user");
    assert_string_equal(vstring_str(tok822_rfind_type(addr->tail, TOK822_ATOM)->vstr), "com");
    found = tok822_grep(addr->head, '.');
    assert_non_null(found[0]);
    assert_non_null(found[1]);
    assert_null(found[2]);
    myfree(found);

    /* Keep the local part: cut off "@example.com". */
    cut = tok822_sub_keep_before(addr, at);
    assert_ptr_equal(cut, at);
    check_links(addr, addr->head);
    check_links(NULL, cut);
    assert_string_equal(tree_text(addr), "ADDR{Q(x y) A(user) . A(name)}");
    assert_string_equal(tree_text(cut), "@ A(example) . A(com)");

    /* Put it back, then keep only the domain. */
    tok822_sub_append(addr, cut);
    check_links(addr, addr->head);
    cut = tok822_sub_keep_after(addr, at);
    check_links(addr, addr->head);
    check_links(NULL, cut);
    assert_string_equal(tree_text(addr), "ADDR{A(example) . A(com)}");
    assert_string_equal(tree_text(cut), "Q(x y) A(user) . A(name) @");
    tok822_free_tree(cut);

    /* Cut a plain list before and after a token. */
    list = tok822_scan("a b c d", NULL);
    cut = tok822_cut_after(list->next);
    assert_string_equal(tree_text(list), "A(a) A(b)");
    assert_string_equal(tree_text(cut), "A(c) A(d)");
    assert_null(tok822_cut_after(cut->next));
    rest = cut->next;
    assert_ptr_equal(tok822_cut_before(rest), rest);
    assert_null(cut->next);
    assert_null(rest->prev);
    tok822_free_tree(list);
    tok822_free_tree(cut);
    tok822_free_tree(rest);

    /* Cutting children updates the owner. */
    cut = tok822_cut_after(addr->head);
    check_links(addr, addr->head);
    check_links(NULL, cut);
    assert_string_equal(tree_text(addr), "ADDR{A(example)}");
    tok822_free_tree(cut);
    cut = tok822_cut_before(addr->head);
    assert_null(addr->head);
    assert_null(addr->tail);
    tok822_free_tree(cut);
    tok822_externalize(vp, addr, TOK822_STR_DEFL);
    assert_string_equal(vstring_str(vp), "");

    assert_null(tok822_free_tree(addr));
    assert_null(tok822_free(NULL));
    assert_null(tok822_free_tree(NULL));
    vstring_free(vp);
}

int     main(void)
{
    const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_golden),
	cmocka_unit_test(test_flags),
	cmocka_unit_test(test_append_and_single),
	cmocka_unit_test(test_scan),
	cmocka_unit_test(test_limit),
	cmocka_unit_test(test_hostile),
	cmocka_unit_test(test_scan_addr),
	cmocka_unit_test(test_tree),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
