/*
 * Lexer of the xl.cfg grammar.
 *
 * Tokens: IDENT (a key: a lower-case letter, then lower-case letters,
 * digits, '_' and '.', as xl's lexer; other word characters are lexed
 * into the same word so the error can show all of it), NUMBER (decimal,
 * 0octal, 0xhex; checked here, converted by the key that reads it),
 * STRING ('...' or "..." on one line, with C escapes, decoded here),
 * '=', '+=', '[', ']', ',', ';' and newline. '#' starts a comment that
 * runs to the end of the line. Anything else is an error.
 *
 * The lexer never reads past `end` (the text need not be NUL-terminated)
 * and a decoded string is never longer than its lexeme, so one
 * allocation of the lexeme's size bounds it. Every byte is looked at a
 * bounded number of times: lexing is linear in the text's length.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

void cfg_lex_init(struct cfg_lexer *lx, const char *source, const char *text,
		  size_t len, int first_line, struct cfg_diag *d)
{
	memset(lx, 0, sizeof(*lx));
	lx->p = text;
	lx->end = text + len;
	lx->line = first_line;
	lx->source = source;
	lx->d = d;
}

void cfg_lex_dispose(struct cfg_lexer *lx)
{
	free(lx->text);
	lx->text = NULL;
}

static int lex_error(struct cfg_lexer *lx, const char *tok, size_t n,
		     const char *msg)
{
	return cfg_error(lx->d, lx->source, lx->line, tok, n, "%s", msg);
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* digits in base 8, 10 or 16 after the prefix; no sign, no suffix */
bool cfg_number_syntax(const char *s, size_t n)
{
	size_t i = 0;
	int base = 10;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
		if (n == 2)
			return false;
	} else if (n >= 2 && s[0] == '0') {
		base = 8;
	}
	for (; i < n; i++) {
		char c = s[i];

		if (base == 16 ? !isxdigit((unsigned char)c)
			       : (c < '0' || c > (base == 8 ? '7' : '9')))
			return false;
	}
	return n > 0;
}

int cfg_number_value(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!cfg_number_syntax(s, strlen(s)))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE || *end)
		return -ERANGE;
	*out = v;
	return 0;
}

static int lex_escape(struct cfg_lexer *lx, const char **pp, char *outc)
{
	const char *p = *pp, *esc = p - 1;
	static const char simple[] = "n\nt\ta\ab\bf\fr\rv\v\\\\''\"\"";
	unsigned v = 0;
	int nd = 0;

	if (p >= lx->end || *p == '\n')
		return lex_error(lx, esc, 1, "backslash at the end of the line");
	for (size_t i = 0; simple[i]; i += 2) {
		if (*p == simple[i]) {
			*outc = simple[i + 1];
			*pp = p + 1;
			return 0;
		}
	}
	if (*p == 'x') {
		for (p++; nd < 2 && p < lx->end && isxdigit((unsigned char)*p); nd++, p++)
			v = v * 16 + (unsigned)(isdigit((unsigned char)*p) ? *p - '0'
					: (tolower((unsigned char)*p) - 'a' + 10));
		if (nd == 0)
			return lex_error(lx, esc, (size_t)(p - esc), "\\x needs hex digits");
	} else if (*p >= '0' && *p <= '7') {
		for (; nd < 3 && p < lx->end && *p >= '0' && *p <= '7'; nd++, p++)
			v = v * 8 + (unsigned)(*p - '0');
		if (v > 0xff)
			return lex_error(lx, esc, (size_t)(p - esc), "octal escape above \\377");
	} else {
		return lex_error(lx, esc, 2, "unknown escape sequence");
	}
	if (v == 0)
		return lex_error(lx, esc, (size_t)(p - esc), "NUL byte in a string");
	*outc = (char)v;
	*pp = p;
	return 0;
}

/*
 * Bytes from the opening quote to the closing one (or to the end of the
 * line or text): the decoded string fits in that. Only this string is
 * scanned, not the rest of its line: sizing by the line made a line of
 * many short strings quadratic (1 MiB of `'',` took 68 s and 1.4 GB).
 */
static size_t string_extent(const struct cfg_lexer *lx, const char *start)
{
	const char *p = start + 1;

	while (p < lx->end && *p != *start && *p != '\n')
		p += (*p == '\\' && p + 1 < lx->end && p[1] != '\n') ? 2 : 1;
	return (size_t)(p - start);
}

static int lex_string(struct cfg_lexer *lx)
{
	const char *start = lx->p, *p = lx->p + 1;
	char quote = *start, *o;
	size_t cap = string_extent(lx, start);
	int rc;

	lx->text = malloc(cap + 1);
	if (!lx->text)
		return -ENOMEM;
	o = lx->text;
	while (p < lx->end && *p != quote) {
		if (*p == '\n')
			break;
		if (*p == '\\') {
			p++;
			rc = lex_escape(lx, &p, o++);
			if (rc)
				return rc;
			continue;
		}
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return lex_error(lx, p, 1, "control character in a string");
		*o++ = *p++;
	}
	if (p >= lx->end || *p != quote)
		return lex_error(lx, start, (size_t)(p - start), "unterminated string");
	*o = '\0';
	lx->p = p + 1;
	lx->tok = T_STRING;
	return 0;
}

static int lex_word(struct cfg_lexer *lx)
{
	const char *p = lx->p;

	while (p < lx->end && is_word(*p))
		p++;
	lx->len = (size_t)(p - lx->start);
	lx->p = p;
	lx->text = strndup(lx->start, lx->len);
	if (!lx->text)
		return -ENOMEM;
	if (isdigit((unsigned char)*lx->start)) {
		if (!cfg_number_syntax(lx->start, lx->len))
			return lex_error(lx, lx->start, lx->len, "bad number");
		lx->tok = T_NUMBER;
		return 0;
	}
	lx->tok = T_IDENT;
	lx->lower = islower((unsigned char)*lx->start);
	for (size_t i = 0; i < lx->len; i++)
		if (isupper((unsigned char)lx->start[i]))
			lx->lower = false;
	return 0;
}

static void skip_blanks(struct cfg_lexer *lx)
{
	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
			lx->p++;
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
}

static int lex_punct(struct cfg_lexer *lx)
{
	static const struct { char c; enum cfg_tok tok; } punct[] = {
		{ '=', T_EQ }, { '[', T_LBRACK }, { ']', T_RBRACK },
		{ ',', T_COMMA }, { ';', T_SEMI }, { '\n', T_NL },
	};
	char c = *lx->p;

	if (c == '+' && lx->p + 1 < lx->end && lx->p[1] == '=') {
		lx->p += 2;
		lx->tok = T_PLUSEQ;
		return 0;
	}
	for (size_t i = 0; i < sizeof(punct) / sizeof(punct[0]); i++) {
		if (c == punct[i].c) {
			lx->p++;
			lx->tok = punct[i].tok;
			return 0;
		}
	}
	return lex_error(lx, lx->p, 1, "unexpected character");
}

/* Reads the next token into lx. 0, or a negative errno with the error
 * already in the diagnostics. */
int cfg_lex_next(struct cfg_lexer *lx)
{
	int rc;

	free(lx->text);
	lx->text = NULL;
	if (lx->tok == T_NL)
		lx->line++;
	skip_blanks(lx);
	lx->start = lx->p;
	lx->tline = lx->line;
	lx->lower = false;
	if (lx->p >= lx->end) {
		lx->tok = T_EOF;
		lx->len = 0;
		return 0;
	}
	if (*lx->p == '"' || *lx->p == '\'')
		rc = lex_string(lx);
	else if (is_word(*lx->p))
		rc = lex_word(lx);
	else
		rc = lex_punct(lx);
	lx->len = (size_t)(lx->p - lx->start);
	return rc;
}
