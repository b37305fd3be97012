/*
 * fuzz_tok822 - fuzz target for tok822(3) and quote_822_local(3)
 *
 * DESCRIPTION
 *	Parses arbitrary text as a header value, unparses it in every mode,
 *	quotes and unquotes every address, and aborts when an invariant
 *	breaks:
 * .IP \(bu
 *	the tree links (prev, next, owner, head, tail) are consistent;
 * .IP \(bu
 *	output is bounded: external text at most 4 * input + 8 bytes;
 * .IP \(bu
 *	normalization is idempotent: parsing the external form again gives
 *	the same external and internal forms;
 * .IP \(bu
 *	for every address, unquote(quote(internal)) == internal, and for
 *	an address without a source route and with a plain domain,
 *	externalize == quote(internalize) and scanning the quoted internal
 *	form gives the internal form back;
 * .IP \(bu
 *	tok822_scan_limit() never returns more tokens than allowed.
 */
#include "sys_defs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mymalloc.h"
#include "vstring.h"
#include "tok822.h"
#include "quote_822_local.h"

/* fuzz_fail - report a broken invariant and abort */
static void fuzz_fail(const char *what, const char *in, const char *a,
		              const char *b)
{
    fprintf(stderr, "invariant broken: %s\ninput: [%s]\nfirst: [%s]\n"
	    "second: [%s]\n", what, in, a, b);
    abort();
}

/* fuzz_check_links - tree links are consistent */
static size_t fuzz_check_links(const TOK822 *list, const TOK822 *owner)
{
    const TOK822 *tp;
    const TOK822 *prev = NULL;
    size_t  count = 0;

    for (tp = list; tp != NULL; prev = tp, tp = tp->next) {
	if (tp->prev != prev || tp->owner != owner)
	    fuzz_fail("tree links", "", "", "");
	if ((tp->head == NULL) != (tp->tail == NULL))
	    fuzz_fail("head/tail", "", "", "");
	if (tp->head != NULL) {
	    if (tp->type != TOK822_ADDR)
		fuzz_fail("children of a non-address", "", "", "");
	    count += fuzz_check_links(tp->head, tp);
	}
	count++;
    }
    if (owner != NULL && owner->tail != prev)
	fuzz_fail("owner tail", "", "", "");
    return count;
}

/* fuzz_plain_domain - a domain that survives quote/scan unchanged */
static bool fuzz_plain_domain(const TOK822 *at)
{
    const TOK822 *tp;

    for (tp = at->next; tp != NULL; tp = tp->next)
	if (tp->type != TOK822_ATOM && tp->type != '.')
	    return false;
    return true;
}

/* fuzz_check_addr - quoting invariants for one address */
static void fuzz_check_addr(const char *in, const TOK822 *addr,
			            VSTRING *ext, VSTRING *in1,
			            VSTRING *q, VSTRING *u)
{
    const TOK822 *first = addr->head;
    const TOK822 *at = tok822_rfind_type(addr->tail, '@');
    TOK822 *again;

    tok822_internalize(in1, addr, TOK822_STR_WIPE | TOK822_STR_SINGLE);
    quote_822_local(q, vstring_str(in1));
    unquote_822_local(u, vstring_str(q));
    if (strcmp(vstring_str(u), vstring_str(in1)) != 0)
	fuzz_fail("unquote(quote(x)) != x", in, vstring_str(in1),
		  vstring_str(u));
    quote_822_local_flags(q, vstring_str(in1), QUOTE_FLAG_BARE_LOCALPART);
    unquote_822_local_flags(u, vstring_str(q), QUOTE_FLAG_BARE_LOCALPART);
    if (strcmp(vstring_str(u), vstring_str(in1)) != 0)
	fuzz_fail("bare unquote(quote(x)) != x", in, vstring_str(in1),
		  vstring_str(u));

    /* No source route, one '@' token whose domain is plain. */
    if (first == NULL || first->type == '@' || at == NULL
	|| !fuzz_plain_domain(at))
	return;
    tok822_externalize(ext, addr, TOK822_STR_WIPE | TOK822_STR_SINGLE);
    quote_822_local(q, vstring_str(in1));
    if (strcmp(vstring_str(ext), vstring_str(q)) != 0)
	fuzz_fail("externalize != quote(internalize)", in, vstring_str(ext),
		  vstring_str(q));
    again = tok822_scan_addr_internal(vstring_str(in1));
    tok822_internalize(u, again, TOK822_STR_WIPE);
    tok822_free_tree(again);
    if (strcmp(vstring_str(u), vstring_str(in1)) != 0)
	fuzz_fail("internalize(scan_addr_internal(x)) != x", in,
		  vstring_str(in1), vstring_str(u));
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* LLVMFuzzerTestOneInput - one fuzz case */
int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int modes[] = {
	TOK822_STR_DEFL,
	TOK822_STR_WIPE,
	TOK822_STR_WIPE | TOK822_STR_LINE | TOK822_STR_NOCOMMENT,
	TOK822_STR_WIPE | TOK822_STR_SPACE | TOK822_STR_NOPHRASE,
    };
    char   *in = mystrndup((const char *) data, size);
    size_t  len = strlen(in);
    size_t  bound = 4 * len + 8;
    VSTRING *ext1 = vstring_alloc(100);
    VSTRING *int1 = vstring_alloc(100);
    VSTRING *ext2 = vstring_alloc(100);
    VSTRING *int2 = vstring_alloc(100);
    VSTRING *q = vstring_alloc(100);
    VSTRING *u = vstring_alloc(100);
    TOK822 *tree;
    TOK822 *again;
    TOK822 *tp;
    TOK822 *tail;
    size_t  n;
    int     limit;

    /* Parse, check links and output sizes in every mode. */
    tree = tok822_parse(in);
    fuzz_check_links(tree, NULL);
    for (n = 0; n < ARRAY_LEN(modes); n++) {
	tok822_externalize(ext1, tree, modes[n]);
	tok822_internalize(int1, tree, modes[n]);
	if (VSTRING_LEN(ext1) > bound || VSTRING_LEN(int1) > bound)
	    fuzz_fail("output too long", in, vstring_str(ext1),
		      vstring_str(int1));
	if (strlen(vstring_str(ext1)) != VSTRING_LEN(ext1))
	    fuzz_fail("null byte in output", in, "", "");
    }

    /* Idempotence: parse the external form again. */
    tok822_externalize(ext1, tree, TOK822_STR_DEFL);
    tok822_internalize(int1, tree, TOK822_STR_DEFL);
    if (VSTRING_LEN(ext1) < TOK822_DEFAULT_LIMIT) {
	again = tok822_parse(vstring_str(ext1));
	tok822_externalize(ext2, again, TOK822_STR_DEFL);
	tok822_internalize(int2, again, TOK822_STR_DEFL);
	tok822_free_tree(again);
	if (strcmp(vstring_str(ext1), vstring_str(ext2)) != 0)
	    fuzz_fail("external form not stable", in, vstring_str(ext1),
		      vstring_str(ext2));
	if (strcmp(vstring_str(int1), vstring_str(int2)) != 0)
	    fuzz_fail("internal form not stable", in, vstring_str(int1),
		      vstring_str(int2));
    }

    /* Per-address quoting. */
    for (tp = tree; tp != NULL; tp = tp->next)
	if (tp->type == TOK822_ADDR)
	    fuzz_check_addr(in, tp, ext2, int2, q, u);
    tok822_free_tree(tree);

    /* Whole input as one address, internal and external. */
    quote_822_local(q, in);
    unquote_822_local(u, vstring_str(q));
    if (strchr(in, '\r') == NULL && strchr(in, '\n') == NULL
	&& strcmp(vstring_str(u), in) != 0)
	fuzz_fail("unquote(quote(input)) != input", in, vstring_str(q),
		  vstring_str(u));
    tree = tok822_scan_addr(in);
    fuzz_check_links(tree, NULL);
    tok822_externalize(ext1, tree, TOK822_STR_DEFL);
    tok822_free_tree(tree);

    /* The token bound. */
    limit = 1 + (int) (len % 7);
    tree = tok822_scan_limit(in, &tail, limit);
    if (fuzz_check_links(tree, NULL) > (size_t) limit)
	fuzz_fail("token limit exceeded", in, "", "");
    if (tree != NULL && tail->next != NULL)
	fuzz_fail("tail is not the last token", in, "", "");
    tok822_free_tree(tree);

    vstring_free(ext1);
    vstring_free(int1);
    vstring_free(ext2);
    vstring_free(int2);
    vstring_free(q);
    vstring_free(u);
    myfree(in);
    return 0;
}
