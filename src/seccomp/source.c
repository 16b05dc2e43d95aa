/* seccomp/source.c — see seccomp/source.h. */
#include "seccomp/source.h"
#include "seccomp/compile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_fd(int fd, char *buf, size_t size)
{
	size_t got = 0;

	while (got < size) {
		ssize_t n = read(fd, buf + got, size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;	/* shrank under us */
		got += (size_t)n;
	}
	return 0;
}

int policy_read_file(const char *path, char **text, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY), rc;
	struct stat st;
	char *buf;

	if (fd < 0) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > POLICY_MAX_TEXT) {
		snprintf(err, errlen, "%s: not a regular file of at most %u bytes", path,
			 POLICY_MAX_TEXT);
		close(fd);
		return -1;
	}
	if (!(buf = malloc((size_t)st.st_size + 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	if ((rc = read_fd(fd, buf, (size_t)st.st_size)) < 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(-rc));
		free(buf);
		close(fd);
		return -1;
	}
	close(fd);
	buf[st.st_size] = '\0';
	*text = buf;
	*len = (size_t)st.st_size;
	return 0;
}

/* "dir/of/from" + "/" + name, unless name is absolute. */
static char *relative_to(const char *from, const char *name)
{
	const char *slash = strrchr(from, '/');
	char *p;

	if (name[0] == '/' || !slash)
		return strdup(name);
	if (asprintf(&p, "%.*s/%s", (int)(slash - from), from, name) < 0)
		return NULL;
	return p;
}

static bool valid_profile_name(const char *name)
{
	if (!*name)
		return false;
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_' || *c == '-'))
			return false;
	return true;
}

static int oom(char *err, size_t errlen)
{
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int load_builtin(struct policy_files *f, const char *name, char **path, char **text,
			size_t *len, char *err, size_t errlen)
{
	const char *t;

	if (!valid_profile_name(name)) {
		snprintf(err, errlen, "'%s' is not a profile name", name);
		return -1;
	}
	if (f->builtin_dir) {
		if (asprintf(path, "%s/%s.policy", f->builtin_dir, name) < 0)
			return oom(err, errlen);
		if (policy_read_file(*path, text, len, err, errlen) == 0)
			return 0;
		free(*path);
		return -1;
	}
	if (!f->builtin_text || !(t = f->builtin_text(name))) {
		snprintf(err, errlen, "no built-in profile '%s'", name);
		return -1;
	}
	*len = strlen(t);
	if (asprintf(path, "<%s>", name) < 0)
		return oom(err, errlen);
	if (!(*text = strdup(t))) {
		free(*path);
		return oom(err, errlen);
	}
	return 0;
}

static int load(void *ctx, const char *from, const char *name, bool builtin, char **path,
		char **text, size_t *len, char *err, size_t errlen)
{
	struct policy_files *f = ctx;

	if (builtin)
		return load_builtin(f, name, path, text, len, err, errlen);
	if (from[0] == '<') {
		snprintf(err, errlen, "a built-in profile can include only <profiles>");
		return -1;
	}
	if (!(*path = relative_to(from, name)))
		return oom(err, errlen);
	if (policy_read_file(*path, text, len, err, errlen) < 0) {
		free(*path);
		return -1;
	}
	return 0;
}

void policy_files_source(struct policy_files *f, struct policy_source *src)
{
	src->load = load;
	src->known = compile_syscall_known;
	src->ctx = f;
}

int policy_parse_file(const char *path, struct policy_files *f, struct policy *out,
		      char *err, size_t errlen)
{
	struct policy_source src;
	char *text;
	size_t len;
	int rc;

	if (policy_read_file(path, &text, &len, err, errlen) < 0)
		return -1;
	policy_files_source(f, &src);
	rc = policy_parse(path, text, len, &src, out, err, errlen);
	free(text);
	return rc;
}
