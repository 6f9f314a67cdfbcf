/*
 * Is a process on its way out? After kill -9 a multi-threaded daemon
 * (pvxd) shows Z for its main thread while its other threads still tear
 * down, and until the last one has gone it keeps its fds: its flock on
 * the pid file and its listening socket. A restart that meets it then
 * must wait for it (bounded) instead of calling it "already running"
 * (docs/daemons.md). The kernel marks such a task PF_EXITING (0x4) in the
 * flags of /proc/PID/stat (field 9), or its state is Z or X.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <pvx/daemon.h>

#define PF_EXITING_FLAG 0x4u

int pvx_proc_stat_exiting(const char *stat)
{
	const char *p = strrchr(stat, ')'); /* the name may hold ") " */
	unsigned long long flags;
	char state, *end;

	if (!p || p[1] != ' ' || !p[2] || p[3] != ' ')
		return -EINVAL;
	state = p[2];
	p += 3;
	for (int field = 4; field < 9; field++) { /* ppid .. tpgid */
		p = strchr(p + 1, ' ');
		if (!p)
			return -EINVAL;
	}
	errno = 0;
	flags = strtoull(p + 1, &end, 10);
	if (errno || end == p + 1 || (*end && *end != ' ' && *end != '\n'))
		return -EINVAL;
	return state == 'Z' || state == 'X' || (flags & PF_EXITING_FLAG);
}

static int count_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

bool pvx_pid_dying(pid_t pid)
{
	char path[64], buf[512];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	if (pvx_proc_stat_exiting(buf) != 1)
		return false;
	/* A zombie that has let go of everything is merely unreaped. */
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (count_dir(path) > 1)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	return count_dir(path) > 0;
}

pid_t pvx_flock_holder(int fd)
{
	unsigned maj, min;
	unsigned long long ino;
	char line[256], type[16];
	struct stat st;
	int pid;
	FILE *f;

	if (fstat(fd, &st) || !(f = fopen("/proc/locks", "re")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		/* "1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF" */
		if (sscanf(line, "%*s %15s %*s %*s %d %x:%x:%llu", type, &pid, &maj,
			   &min, &ino) == 5 && !strcmp(type, "FLOCK") &&
		    ino == (unsigned long long)st.st_ino && maj == major(st.st_dev) &&
		    min == minor(st.st_dev) && pid > 0) {
			fclose(f);
			return pid;
		}
	}
	fclose(f);
	return 0;
}

int pvx_wait_dying(pid_t pid, unsigned timeout_ms)
{
	for (unsigned waited = 0; pvx_pid_dying(pid); waited += 20) {
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		usleep(20 * 1000);
	}
	return 0;
}
