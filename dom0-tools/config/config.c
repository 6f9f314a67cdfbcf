/*
 * The public face of libpvxcfg (pvx/config.h): init/dispose, parsing a
 * file or a string, command-line overrides and whole-config validation.
 *
 * Parsing and overriding both feed the settings store (cfg->priv) and
 * then re-run every key handler over it (keys.c), so the struct always
 * reflects "the file, then each override in order, last one wins". A
 * failed parse leaves the struct as the handlers made it (callers stop
 * on the error anyway) and never leaks: pvx_config_dispose() frees all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pvx/ctl.h>

#include "cfg.h"

void cfg_reset_fields(struct pvx_config *cfg)
{
	free(cfg->name);
	free(cfg->type);
	free(cfg->kernel);
	free(cfg->ramdisk);
	free(cfg->cmdline);
	for (size_t i = 0; i < cfg->nr_disks; i++)
		cfg_disk_dispose(&cfg->disks[i]);
	free(cfg->disks);
	for (size_t i = 0; i < cfg->nr_vifs; i++)
		cfg_vif_dispose(&cfg->vifs[i]);
	free(cfg->vifs);
	free(cfg->cpus);
	cfg->cpus = NULL;
	cfg->cpu_weight = 256;
	cfg->cap = 0;
	cfg->have_sched = false;
	cfg->name = cfg->type = cfg->kernel = cfg->ramdisk = cfg->cmdline = NULL;
	cfg->disks = NULL;
	cfg->vifs = NULL;
	cfg->nr_disks = cfg->nr_vifs = 0;
	cfg->memory_mib = 128;
	cfg->maxmem_mib = 0;
	cfg->vcpus = 1;
	memset(cfg->uuid, 0, sizeof(cfg->uuid));
	cfg->have_uuid = false;
	cfg->on_poweroff = PVX_ACTION_DESTROY;
	cfg->on_reboot = PVX_ACTION_RESTART;
	cfg->on_crash = PVX_ACTION_DESTROY;
	cfg->max_grant_frames = 32;
	if (cfg->priv) {
		cfg->priv->root = cfg->priv->extra = NULL;
		cfg->priv->have_cmdline = cfg->priv->have_maxmem = false;
	}
}

void pvx_config_init(struct pvx_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg_reset_fields(cfg);
	cfg->maxmem_mib = cfg->memory_mib;
}

void pvx_config_dispose(struct pvx_config *cfg)
{
	cfg_reset_fields(cfg);
	free(cfg->source);
	cfg->source = NULL;
	if (cfg->priv) {
		cfg_store_dispose(cfg->priv);
		free(cfg->priv);
		cfg->priv = NULL;
	}
}

const char *pvx_action_name(enum pvx_action a)
{
	static const char *const names[] = {
		[PVX_ACTION_DESTROY] = "destroy",
		[PVX_ACTION_RESTART] = "restart",
		[PVX_ACTION_PRESERVE] = "preserve",
		[PVX_ACTION_RENAME_RESTART] = "rename-restart",
	};
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

static int ensure_priv(struct pvx_config *cfg)
{
	if (!cfg->priv)
		cfg->priv = calloc(1, sizeof(*cfg->priv));
	return cfg->priv ? 0 : -ENOMEM;
}

/* The directory relative paths in `source` are resolved against, or
 * NULL when the source names no directory (then they stay relative to
 * the cwd, which is the same place). */
static const char *base_dir_of(struct pvx_config_priv *st, const char *source)
{
	const char *slash = strrchr(source, '/');
	char dir[4096];

	if (!slash)
		return NULL;
	if (slash == source)
		return cfg_store_intern(st, "/");
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - source), source);
	return cfg_store_intern(st, dir);
}

/* A real file's directory, made absolute: paths resolved against it
 * stay right from any cwd, e.g. in `pvx create -n` output. */
static const char *abs_dir_of(struct pvx_config_priv *st, const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4096], *abs;
	const char *out;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1,
		 slash ? (slash == path ? "/" : path) : ".");
	abs = realpath(dir, NULL);
	if (!abs)
		return base_dir_of(st, path);
	out = cfg_store_intern(st, abs);
	free(abs);
	return out;
}

static int parse_text(struct pvx_config *cfg, const char *source, bool file,
		      const char *text, size_t len, struct cfg_diag *d)
{
	const char *src, *base;
	int rc;

	if (d->err && d->errlen)
		d->err[0] = '\0';
	rc = ensure_priv(cfg);
	if (rc)
		return rc;
	cfg->priv->warn = d->warn;
	cfg->priv->opaque = d->opaque;
	if (!cfg->source && !(cfg->source = strdup(source)))
		return -ENOMEM;
	src = cfg_store_intern(cfg->priv, source);
	if (!src)
		return -ENOMEM;
	if (len > CFG_MAX_TEXT) {
		cfg_error(d, source, 1, "", 0, "file larger than %u bytes",
			  CFG_MAX_TEXT);
		return -E2BIG;
	}
	base = file ? abs_dir_of(cfg->priv, source) : base_dir_of(cfg->priv, source);
	rc = cfg_parse(cfg->priv, src, base, text, len, 1, d);
	return rc ? rc : cfg_apply(cfg, d);
}

int pvx_config_parse_string(struct pvx_config *cfg, const char *source,
			    const char *text, size_t len,
			    char *err, size_t errlen,
			    pvx_config_warn_fn warn_cb, void *opaque)
{
	struct cfg_diag d = { err, errlen, warn_cb, opaque };

	return parse_text(cfg, source, false, text, len, &d);
}

static int read_all(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	while (buf) {
		if (n == cap) {
			if (cap > CFG_MAX_TEXT) {
				*out = buf;
				*len = n;
				return 0;   /* too large: parse_string says so */
			}
			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			free(buf);
			return -errno;
		}
		if (r == 0) {
			*out = buf;
			*len = n;
			return 0;
		}
		n += (size_t)r;
	}
	free(buf);
	return -ENOMEM;
}

int pvx_config_parse_file(struct pvx_config *cfg, const char *path,
			  char *err, size_t errlen,
			  pvx_config_warn_fn warn_cb, void *opaque)
{
	char *text = NULL;
	size_t len = 0;
	struct stat sb;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(-rc));
		return rc;
	}
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		close(fd);
		snprintf(err, errlen, "%s: is a directory", path);
		return -EISDIR;
	}
	rc = read_all(fd, &text, &len);
	close(fd);
	if (rc) {
		snprintf(err, errlen, "%s: cannot read: %s", path, strerror(-rc));
		return rc;
	}
	rc = parse_text(cfg, path, true, text, len,
			&(struct cfg_diag){ err, errlen, warn_cb, opaque });
	free(text);
	return rc;
}
