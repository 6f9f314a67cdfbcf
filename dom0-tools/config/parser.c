/*
 * Parser of the xl.cfg grammar: recursive descent over the lexer's
 * tokens.
 *
 *   file    := { [ setting ] ( NEWLINE | ';' ) } EOF
 *   setting := IDENT ( '=' | '+=' ) value
 *   value   := STRING | NUMBER | list
 *   list    := '[' { NEWLINE } [ value { sep value } [ ',' ] ] { NEWLINE } ']'
 *   sep     := { NEWLINE } ',' { NEWLINE }
 *
 * Lists may span lines, nest (at most CFG_MAX_DEPTH deep, so a hostile
 * file cannot exhaust the stack) and end with a trailing comma. Each
 * setting goes to the store as soon as it is complete; the first error
 * stops the parse (one root-cause line, no cascade). Unknown keys are
 * warned about here, once, and kept out of the handlers' way.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

struct parser {
	struct cfg_lexer lx;
	struct pvx_config_priv *st;
	const char *base_dir;
};

static int perr(struct parser *p, const char *msg)
{
	struct cfg_lexer *lx = &p->lx;

	switch (lx->tok) {
	case T_EOF:
		return cfg_error(lx->d, lx->source, lx->tline, "end of file",
				 11, "%s", msg);
	case T_NL:
		return cfg_error(lx->d, lx->source, lx->tline, "end of line",
				 11, "%s", msg);
	default:
		return cfg_error(lx->d, lx->source, lx->tline, lx->start,
				 lx->len, "%s", msg);
	}
}

static int skip_newlines(struct parser *p)
{
	int rc = 0;

	while (!rc && p->lx.tok == T_NL)
		rc = cfg_lex_next(&p->lx);
	return rc;
}

static int parse_value(struct parser *p, int depth, struct cfg_value **out);

static int parse_list_items(struct parser *p, int depth, struct cfg_value *list)
{
	struct cfg_value *item;
	int rc;

	for (;;) {
		rc = skip_newlines(p);
		if (rc || p->lx.tok == T_RBRACK)
			return rc;
		if (p->lx.tok == T_EOF)
			return 1;
		rc = parse_value(p, depth + 1, &item);
		if (rc)
			return rc;
		rc = cfg_list_push(list, item);
		if (rc)
			return rc;
		rc = skip_newlines(p);
		if (rc || p->lx.tok == T_RBRACK)
			return rc;
		if (p->lx.tok != T_COMMA)
			return p->lx.tok == T_EOF ? 1 : perr(p, "expected ',' or ']' in a list");
		rc = cfg_lex_next(&p->lx);
		if (rc)
			return rc;
	}
}

static int parse_list(struct parser *p, int depth, struct cfg_value **out)
{
	struct cfg_lexer *lx = &p->lx;
	const char *open = lx->start;
	int open_line = lx->tline, rc;
	struct cfg_value *list;

	if (depth >= CFG_MAX_DEPTH)
		return perr(p, "lists nested too deeply");
	list = cfg_value_new(CFG_LIST, lx->source, p->base_dir, open_line);
	if (!list)
		return -ENOMEM;
	rc = cfg_lex_next(lx);
	if (!rc)
		rc = parse_list_items(p, depth, list);
	if (rc == 1 || (!rc && lx->tok == T_EOF))
		rc = cfg_error(lx->d, lx->source, open_line, open, 1,
			       "list is never closed");
	if (!rc)
		rc = cfg_lex_next(lx);   /* past ']' */
	if (rc) {
		cfg_value_free(list);
		return rc;
	}
	*out = list;
	return 0;
}

static int parse_value(struct parser *p, int depth, struct cfg_value **out)
{
	struct cfg_lexer *lx = &p->lx;
	struct cfg_value *v;
	int rc;

	if (lx->tok == T_LBRACK)
		return parse_list(p, depth, out);
	if (lx->tok != T_STRING && lx->tok != T_NUMBER)
		return perr(p, "expected a value (a string, a number or a list)");
	v = cfg_value_new(lx->tok == T_STRING ? CFG_STRING : CFG_NUMBER,
			  lx->source, p->base_dir, lx->tline);
	if (!v)
		return -ENOMEM;
	v->text = lx->text;     /* take the decoded text over */
	lx->text = NULL;
	rc = cfg_lex_next(lx);
	if (rc) {
		cfg_value_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

static int parse_setting(struct parser *p)
{
	struct cfg_lexer *lx = &p->lx;
	struct cfg_value *v = NULL;
	char *key;
	bool append;
	int line = lx->tline, rc;

	if (!lx->lower)
		return perr(p, "a key is lower-case letters, digits, '_' and '.'");
	key = lx->text;
	lx->text = NULL;
	rc = cfg_lex_next(lx);
	if (rc)
		goto out;
	if (lx->tok != T_EQ && lx->tok != T_PLUSEQ) {
		rc = perr(p, "expected '=' or '+=' after the key");
		goto out;
	}
	append = lx->tok == T_PLUSEQ;
	rc = cfg_lex_next(lx);
	if (!rc)
		rc = parse_value(p, 0, &v);
	if (rc)
		goto out;
	if (lx->tok != T_NL && lx->tok != T_SEMI && lx->tok != T_EOF) {
		rc = perr(p, "expected a new line or ';' after the value");
		goto out;
	}
	if (!cfg_key_known(key))
		cfg_warn(lx->d, lx->source, line, "unknown key '%s' ignored", key);
	rc = cfg_store_assign(p->st, key, v, append, lx->d);
	v = NULL;
out:
	cfg_value_free(v);
	free(key);
	return rc;
}

int cfg_parse(struct pvx_config_priv *st, const char *source,
	      const char *base_dir, const char *text, size_t len,
	      int first_line, struct cfg_diag *d)
{
	struct parser p = { .st = st, .base_dir = base_dir };
	int rc;

	cfg_lex_init(&p.lx, source, text, len, first_line, d);
	rc = cfg_lex_next(&p.lx);
	while (!rc && p.lx.tok != T_EOF) {
		if (p.lx.tok == T_NL || p.lx.tok == T_SEMI) {
			rc = cfg_lex_next(&p.lx);
			continue;
		}
		if (p.lx.tok != T_IDENT) {
			rc = perr(&p, "expected a key");
			break;
		}
		rc = parse_setting(&p);
	}
	cfg_lex_dispose(&p.lx);
	return rc;
}
