/*
 * Command-line overrides (`pvx create FILE key=value ...`) and the
 * whole-config checks that only make sense once every override is in.
 *
 * An override is one more setting, as if appended to the file (that is
 * what xl does): `key=value`, or `key+=value` to append. The value is in
 * config syntax when it starts like a config value ('...', "...", [ or a
 * number); anything else is a bare word taken verbatim as a string, so
 * `name=web1` and `cmdline=console=hvc0 quiet` need no shell-hostile
 * quoting. Messages about override N say `command line:N:`. Relative
 * paths in overrides are relative to the current directory.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"

static bool config_syntax(const char *val)
{
	size_t n = strcspn(val, "; \t\n#");

	return *val == '"' || *val == '\'' || *val == '[' ||
	       cfg_number_syntax(val, n);
}

static int bare_override(struct pvx_config_priv *st, const char *src, int line,
			 const char *key, size_t keylen, const char *val,
			 struct cfg_diag *d)
{
	bool append = keylen && key[keylen - 1] == '+';
	struct cfg_value *v;
	char name[64];

	if (append)
		keylen--;
	while (keylen && isspace((unsigned char)key[keylen - 1]))
		keylen--;
	if (keylen == 0 || keylen >= sizeof(name) || !islower((unsigned char)key[0]) ||
	    strspn(key, "abcdefghijklmnopqrstuvwxyz0123456789_.") < keylen)
		return cfg_error(d, src, line, key, keylen, "a key is lower-case"
				 " letters, digits, '_' and '.'");
	memcpy(name, key, keylen);
	name[keylen] = '\0';
	v = cfg_value_new(CFG_STRING, src, NULL, line);
	if (!v || !(v->text = strdup(val))) {
		cfg_value_free(v);
		return -ENOMEM;
	}
	if (!cfg_key_known(name))
		cfg_warn(d, src, line, "unknown key '%s' ignored", name);
	return cfg_store_assign(st, name, v, append, d);
}

int pvx_config_override(struct pvx_config *cfg, const char *assignment,
			char *err, size_t errlen)
{
	struct cfg_diag d = { err, errlen, NULL, NULL };
	const char *eq = strchr(assignment, '='), *val, *src;
	int line, rc;

	if (err && errlen)
		err[0] = '\0';
	if (!cfg->priv && !(cfg->priv = calloc(1, sizeof(*cfg->priv))))
		return -ENOMEM;
	d.warn = cfg->priv->warn;
	d.opaque = cfg->priv->opaque;
	line = (int)++cfg->priv->nr_overrides;
	src = cfg_store_intern(cfg->priv, "command line");
	if (!src)
		return -ENOMEM;
	if (!eq)
		return cfg_error(&d, src, line, assignment, strlen(assignment),
				 "an override is key=value");
	val = eq + 1;
	while (isspace((unsigned char)*val))
		val++;
	if (config_syntax(val))
		rc = cfg_parse(cfg->priv, src, NULL, assignment, strlen(assignment),
			       line, &d);
	else
		rc = bare_override(cfg->priv, src, line, assignment,
				   (size_t)(eq - assignment), val, &d);
	return rc ? rc : cfg_apply(cfg, &d);
}

static int missing(struct cfg_diag *d, const struct pvx_config *cfg,
		   const char *key, const char *why)
{
	snprintf(d->err, d->errlen, "%s: '%s' is not set (%s)",
		 cfg->source ? cfg->source : "config", key, why);
	return -EINVAL;
}

int pvx_config_validate(const struct pvx_config *cfg, char *err, size_t errlen)
{
	struct cfg_diag d = { err, errlen, NULL, NULL };
	const struct cfg_setting *s;
	char tok[32];

	if (!cfg->name)
		return missing(&d, cfg, "name", "every domain needs a name");
	if (!cfg->kernel)
		return missing(&d, cfg, "kernel", "the PVH kernel to boot");
	if (cfg->maxmem_mib < cfg->memory_mib) {
		s = cfg_store_find(cfg->priv, "maxmem");
		if (!s)
			s = cfg_store_find(cfg->priv, "memory");
		snprintf(tok, sizeof(tok), "%" PRIu64, cfg->maxmem_mib);
		return cfg_error(&d, s ? s->value->source : "config",
				 s ? s->value->line : 0, tok, strlen(tok),
				 "'maxmem' (%" PRIu64 " MiB) is below 'memory' (%"
				 PRIu64 " MiB)", cfg->maxmem_mib, cfg->memory_mib);
	}
	return 0;
}
