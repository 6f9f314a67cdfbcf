/*
 * Private header of the xl.cfg parser (libpvxcfg).
 *
 * The parser works in three stages, each in its own file:
 *   lexer.c   text -> tokens (strings decoded, numbers checked);
 *   parser.c  tokens -> settings: a small store of `key -> value tree`
 *             where `=` replaces and `+=` appends, so the store always
 *             holds the effective value of every key (xl's "last
 *             assignment wins");
 *   keys.c    the table of per-key handlers that turns the store into
 *             struct pvx_config (disk.c and vif.c parse the device spec
 *             strings, the second little language inside the strings).
 * The store lives in cfg->priv, so command-line overrides are simply
 * more settings: they are merged into the store and the handlers run
 * again over the whole of it.
 *
 * Every value remembers the file and line it came from and the directory
 * relative paths in it are resolved against, so an error found by a
 * handler still points at the exact line.
 */
#ifndef PVX_CFG_PRIV_H
#define PVX_CFG_PRIV_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvx/config.h>

#define CFG_MAX_DEPTH   16          /* nested lists */
#define CFG_MAX_TEXT    (1u << 20)  /* bytes of one file */

enum cfg_vtype { CFG_STRING, CFG_NUMBER, CFG_LIST };

struct cfg_value {
	enum cfg_vtype type;
	int line;
	const char *source;     /* file name (pool string) */
	const char *base_dir;   /* for relative paths, or NULL: the cwd */
	char *text;             /* STRING: decoded; NUMBER: the lexeme */
	struct cfg_value **items; /* LIST */
	size_t n, cap;
};

struct cfg_setting {
	char *key;
	struct cfg_value *value;
};

struct pvx_config_priv {
	struct cfg_setting *set;
	size_t n, cap;
	char **pool;            /* source names and base dirs, owned */
	size_t npool;
	unsigned nr_overrides;
	pvx_config_warn_fn warn;
	void *opaque;
	/* Filled by the handlers, read when composing cmdline. */
	const char *root, *extra;
	bool have_cmdline;
	bool have_maxmem;
};

/* Where errors and warnings go while parsing or applying. */
struct cfg_diag {
	char *err;
	size_t errlen;
	pvx_config_warn_fn warn;
	void *opaque;
};

/* diag.c */
int cfg_error(struct cfg_diag *d, const char *source, int line,
	      const char *token, size_t toklen, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int cfg_verror(struct cfg_diag *d, const struct cfg_value *v,
	       const char *token, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cfg_warn(struct cfg_diag *d, const char *source, int line,
	      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void cfg_show_token(const char *s, size_t n, char *buf, size_t cap);

/* lexer.c */
enum cfg_tok {
	T_EOF, T_NL, T_SEMI, T_IDENT, T_NUMBER, T_STRING,
	T_EQ, T_PLUSEQ, T_LBRACK, T_RBRACK, T_COMMA,
};

struct cfg_lexer {
	const char *p, *end;
	int line;
	const char *source;
	struct cfg_diag *d;
	enum cfg_tok tok;
	const char *start;      /* lexeme of the current token */
	size_t len;
	int tline;              /* line of the current token */
	char *text;             /* decoded string / lexeme copy, owned */
	bool lower;             /* T_IDENT: a valid (lower-case) key */
};

void cfg_lex_init(struct cfg_lexer *lx, const char *source, const char *text,
		  size_t len, int first_line, struct cfg_diag *d);
int cfg_lex_next(struct cfg_lexer *lx);
void cfg_lex_dispose(struct cfg_lexer *lx);
bool cfg_number_syntax(const char *s, size_t n);
int cfg_number_value(const char *s, uint64_t *out);

/* parser.c / store.c */
int cfg_parse(struct pvx_config_priv *st, const char *source,
	      const char *base_dir, const char *text, size_t len,
	      int first_line, struct cfg_diag *d);
int cfg_store_assign(struct pvx_config_priv *st, const char *key,
		     struct cfg_value *v, bool append, struct cfg_diag *d);
const char *cfg_store_intern(struct pvx_config_priv *st, const char *s);
const struct cfg_setting *cfg_store_find(const struct pvx_config_priv *st,
					 const char *key);
void cfg_store_dispose(struct pvx_config_priv *st);
struct cfg_value *cfg_value_new(enum cfg_vtype type, const char *source,
				const char *base_dir, int line);
void cfg_value_free(struct cfg_value *v);
int cfg_list_push(struct cfg_value *list, struct cfg_value *item);

/* keys.c */
bool cfg_key_known(const char *key);
int cfg_apply(struct pvx_config *cfg, struct cfg_diag *d);
void cfg_reset_fields(struct pvx_config *cfg);
char *cfg_resolve_path(const struct cfg_value *v);

/* disk.c, vif.c: one spec string each */
int cfg_parse_disk(const struct cfg_value *v, struct pvx_disk_spec *out,
		   struct cfg_diag *d);
void cfg_disk_dispose(struct pvx_disk_spec *disk);
int cfg_parse_vif(const struct cfg_value *v, struct pvx_vif_spec *out,
		  struct cfg_diag *d);
void cfg_vif_dispose(struct pvx_vif_spec *vif);

#endif /* PVX_CFG_PRIV_H */
