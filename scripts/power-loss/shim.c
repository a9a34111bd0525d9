/*
 * The power-loss test's recording layer (scripts/power-test.ts, docs/crash-safety.md), loaded
 * with LD_PRELOAD into the processes under test. Every call that changes a file or directory
 * under POWER_ROOT is performed for real and then appended to the operation log POWER_LOG,
 * with the bytes written, in the order the calls completed (one lock per process, so the log is
 * a valid serial order). The test replays the log to rebuild the directory as it would be after
 * a power cut at any point: only what was fsynced survives.
 *
 * POWER_DROP_DIR and POWER_DROP_FILE name fsyncs to perform but leave out of the log, as if
 * the program had never made them: those of directories (or regular files) whose path contains
 * the given text. A test uses them to show that the power-loss test notices a missing fsync.
 *
 * Compiled by the test at run time (gcc -shared -fPIC); never committed as a binary.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum {
  OP_OPEN = 1,     /* a = path, offset = flags, fd */
  OP_CLOSE = 2,    /* fd */
  OP_WRITE = 3,    /* fd, offset, b = bytes */
  OP_FSYNC = 4,    /* fd */
  OP_FTRUNC = 5,   /* fd, offset = length */
  OP_TRUNC = 6,    /* a = path, offset = length */
  OP_RENAME = 7,   /* a -> b */
  OP_LINK = 8,     /* a -> b */
  OP_UNLINK = 9,   /* a */
  OP_MKDIR = 10,   /* a */
  OP_RMDIR = 11,   /* a */
  OP_UNSUPPORTED = 12 /* a = the call's name, fd */
};

#define MAX_FDS 65536
static char *fd_paths[MAX_FDS];
static pthread_mutex_t lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static char root[PATH_MAX];
static size_t root_len;
static int log_fd = -1;
static const char *drop_dir, *drop_file;
static int ready;

#define REAL(name) static __typeof__(name) *real_##name; if (!real_##name) real_##name = dlsym(RTLD_NEXT, #name)

static void setup(void) {
  if (ready) return;
  ready = 1;
  const char *r = getenv("POWER_ROOT");
  const char *l = getenv("POWER_LOG");
  if (!r || !l) return;
  strncpy(root, r, sizeof root - 1);
  root_len = strlen(root);
  while (root_len > 1 && root[root_len - 1] == '/') root[--root_len] = 0;
  log_fd = (int)syscall(SYS_openat, AT_FDCWD, l, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  drop_dir = getenv("POWER_DROP_DIR");
  drop_file = getenv("POWER_DROP_FILE");
}

static void write_all(const void *buf, size_t len) {
  const char *p = buf;
  while (len > 0) {
    long n = syscall(SYS_write, log_fd, p, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      abort(); /* a log that silently misses records would prove nothing */
    }
    p += n;
    len -= (size_t)n;
  }
}

/* One record: u32 total size, u8 op, u32 pid, i32 fd, i64 offset, u32 |a|, u32 |b|, a, b. */
static void record(int op, int fd, int64_t offset, const char *a, size_t alen, const void *b, size_t blen) {
  unsigned char head[29];
  uint32_t total = (uint32_t)(sizeof head + alen + blen);
  uint32_t pid = (uint32_t)getpid();
  int32_t fd32 = fd;
  uint32_t a32 = (uint32_t)alen, b32 = (uint32_t)blen;
  memcpy(head, &total, 4);
  head[4] = (unsigned char)op;
  memcpy(head + 5, &pid, 4);
  memcpy(head + 9, &fd32, 4);
  memcpy(head + 13, &offset, 8);
  memcpy(head + 21, &a32, 4);
  memcpy(head + 25, &b32, 4);
  /* One write per record when small, so records of several processes never interleave. */
  if (total <= 65536) {
    unsigned char buf[65536];
    memcpy(buf, head, sizeof head);
    if (alen) memcpy(buf + sizeof head, a, alen);
    if (blen) memcpy(buf + sizeof head + alen, b, blen);
    write_all(buf, total);
  } else {
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    syscall(SYS_fcntl, log_fd, F_SETLKW, &fl);
    write_all(head, sizeof head);
    if (alen) write_all(a, alen);
    if (blen) write_all(b, blen);
    fl.l_type = F_UNLCK;
    syscall(SYS_fcntl, log_fd, F_SETLKW, &fl);
  }
}

/* Lexically normalised absolute path of `path` relative to dirfd; 0 if not under the root. */
static int resolve(int dirfd, const char *path, char *out) {
  char joined[PATH_MAX * 2];
  if (!path || log_fd < 0) return 0;
  if (path[0] == '/') {
    snprintf(joined, sizeof joined, "%s", path);
  } else if (dirfd == AT_FDCWD) {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd)) return 0;
    snprintf(joined, sizeof joined, "%s/%s", cwd, path);
  } else if (dirfd >= 0 && dirfd < MAX_FDS && fd_paths[dirfd]) {
    snprintf(joined, sizeof joined, "%s/%s", fd_paths[dirfd], path);
  } else {
    return 0;
  }
  /* Collapse "//", "/./" and "/../". */
  char *parts[PATH_MAX / 2];
  int n = 0;
  for (char *save, *tok = strtok_r(joined, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
    if (strcmp(tok, ".") == 0) continue;
    if (strcmp(tok, "..") == 0) {
      if (n > 0) n--;
      continue;
    }
    parts[n++] = tok;
  }
  size_t len = 0;
  out[0] = 0;
  for (int i = 0; i < n; i++) {
    size_t l = strlen(parts[i]);
    if (len + l + 2 >= PATH_MAX) return 0;
    out[len++] = '/';
    memcpy(out + len, parts[i], l);
    len += l;
    out[len] = 0;
  }
  if (len == 0) strcpy(out, "/");
  return strncmp(out, root, root_len) == 0 && (out[root_len] == 0 || out[root_len] == '/');
}

static int tracked(int fd) { return fd >= 0 && fd < MAX_FDS && fd_paths[fd] != NULL; }

static void after_open(int fd, const char *p, int flags) {
  if (fd < 0 || fd >= MAX_FDS) return;
  free(fd_paths[fd]);
  fd_paths[fd] = strdup(p);
  record(OP_OPEN, fd, flags, p, strlen(p), NULL, 0);
}

static int do_openat(int dirfd, const char *path, int flags, mode_t mode) {
  REAL(openat);
  setup();
  pthread_mutex_lock(&lock);
  int fd = real_openat(dirfd, path, flags, mode);
  char p[PATH_MAX];
  if (fd >= 0) {
    if (resolve(dirfd, path, p)) after_open(fd, p, flags);
    else if (fd < MAX_FDS && fd_paths[fd]) { free(fd_paths[fd]); fd_paths[fd] = NULL; }
  }
  pthread_mutex_unlock(&lock);
  return fd;
}

#define MODE_ARG                                   \
  mode_t mode = 0;                                 \
  if (flags & (O_CREAT | __O_TMPFILE)) {           \
    va_list ap;                                    \
    va_start(ap, flags);                           \
    mode = va_arg(ap, mode_t);                     \
    va_end(ap);                                    \
  }

int open(const char *path, int flags, ...) { MODE_ARG; return do_openat(AT_FDCWD, path, flags, mode); }
int open64(const char *path, int flags, ...) { MODE_ARG; return do_openat(AT_FDCWD, path, flags, mode); }
int openat(int dirfd, const char *path, int flags, ...) { MODE_ARG; return do_openat(dirfd, path, flags, mode); }
int openat64(int dirfd, const char *path, int flags, ...) { MODE_ARG; return do_openat(dirfd, path, flags, mode); }
int creat(const char *path, mode_t mode) { return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }
int creat64(const char *path, mode_t mode) { return do_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode); }

int close(int fd) {
  REAL(close);
  setup();
  pthread_mutex_lock(&lock);
  int was = tracked(fd);
  int r = real_close(fd);
  if (was) {
    record(OP_CLOSE, fd, 0, NULL, 0, NULL, 0);
    free(fd_paths[fd]);
    fd_paths[fd] = NULL;
  }
  pthread_mutex_unlock(&lock);
  return r;
}

/* The position a write without an offset went to: where the file position is now, less n. */
static int64_t written_at(int fd, ssize_t n) { return (int64_t)lseek(fd, 0, SEEK_CUR) - n; }

ssize_t write(int fd, const void *buf, size_t count) {
  REAL(write);
  setup();
  if (!tracked(fd)) return real_write(fd, buf, count);
  pthread_mutex_lock(&lock);
  ssize_t n = real_write(fd, buf, count);
  if (n > 0 && tracked(fd)) record(OP_WRITE, fd, written_at(fd, n), NULL, 0, buf, (size_t)n);
  pthread_mutex_unlock(&lock);
  return n;
}

static ssize_t do_pwrite(int fd, const void *buf, size_t count, off_t offset) {
  REAL(pwrite64);
  setup();
  if (!tracked(fd)) return real_pwrite64(fd, buf, count, offset);
  pthread_mutex_lock(&lock);
  ssize_t n = real_pwrite64(fd, buf, count, offset);
  /* With O_APPEND, Linux appends whatever the offset says. */
  int append = fcntl(fd, F_GETFL) & O_APPEND;
  if (n > 0 && tracked(fd)) record(OP_WRITE, fd, append ? written_at(fd, n) : (int64_t)offset, NULL, 0, buf, (size_t)n);
  pthread_mutex_unlock(&lock);
  return n;
}
ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) { return do_pwrite(fd, buf, count, offset); }
ssize_t pwrite64(int fd, const void *buf, size_t count, off_t offset) { return do_pwrite(fd, buf, count, offset); }

/* Gathered writes are logged as one contiguous write of what was actually written. */
static void record_iov(int fd, int64_t at, const struct iovec *iov, int iovcnt, ssize_t n) {
  char *flat = malloc((size_t)n);
  size_t done = 0;
  for (int i = 0; i < iovcnt && done < (size_t)n; i++) {
    size_t take = iov[i].iov_len < (size_t)n - done ? iov[i].iov_len : (size_t)n - done;
    memcpy(flat + done, iov[i].iov_base, take);
    done += take;
  }
  record(OP_WRITE, fd, at, NULL, 0, flat, (size_t)n);
  free(flat);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
  REAL(writev);
  setup();
  if (!tracked(fd)) return real_writev(fd, iov, iovcnt);
  pthread_mutex_lock(&lock);
  ssize_t n = real_writev(fd, iov, iovcnt);
  if (n > 0 && tracked(fd)) record_iov(fd, written_at(fd, n), iov, iovcnt, n);
  pthread_mutex_unlock(&lock);
  return n;
}

static ssize_t do_pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) {
  REAL(pwritev64);
  setup();
  if (!tracked(fd)) return real_pwritev64(fd, iov, iovcnt, offset);
  pthread_mutex_lock(&lock);
  ssize_t n = real_pwritev64(fd, iov, iovcnt, offset);
  int append = fcntl(fd, F_GETFL) & O_APPEND;
  if (n > 0 && tracked(fd)) record_iov(fd, append ? written_at(fd, n) : (int64_t)offset, iov, iovcnt, n);
  pthread_mutex_unlock(&lock);
  return n;
}
ssize_t pwritev(int fd, const struct iovec *iov, int iovcnt, off_t offset) { return do_pwritev(fd, iov, iovcnt, offset); }
ssize_t pwritev64(int fd, const struct iovec *iov, int iovcnt, off_t offset) { return do_pwritev(fd, iov, iovcnt, offset); }

static int dropped(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return 0;
  const char *pattern = S_ISDIR(st.st_mode) ? drop_dir : drop_file;
  return pattern && *pattern && strstr(fd_paths[fd], pattern) != NULL;
}

int fsync(int fd) {
  REAL(fsync);
  setup();
  if (!tracked(fd)) return real_fsync(fd);
  pthread_mutex_lock(&lock);
  int r = real_fsync(fd);
  if (r == 0 && !dropped(fd)) record(OP_FSYNC, fd, 0, NULL, 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}

int fdatasync(int fd) {
  REAL(fdatasync);
  setup();
  if (!tracked(fd)) return real_fdatasync(fd);
  pthread_mutex_lock(&lock);
  int r = real_fdatasync(fd);
  if (r == 0 && !dropped(fd)) record(OP_FSYNC, fd, 0, NULL, 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}

static int do_ftruncate(int fd, off_t length) {
  REAL(ftruncate64);
  setup();
  if (!tracked(fd)) return real_ftruncate64(fd, length);
  pthread_mutex_lock(&lock);
  int r = real_ftruncate64(fd, length);
  if (r == 0) record(OP_FTRUNC, fd, (int64_t)length, NULL, 0, NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}
int ftruncate(int fd, off_t length) { return do_ftruncate(fd, length); }
int ftruncate64(int fd, off_t length) { return do_ftruncate(fd, length); }

static int do_truncate(const char *path, off_t length) {
  REAL(truncate64);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_truncate64(path, length);
  char p[PATH_MAX];
  if (r == 0 && resolve(AT_FDCWD, path, p)) record(OP_TRUNC, -1, (int64_t)length, p, strlen(p), NULL, 0);
  pthread_mutex_unlock(&lock);
  return r;
}
int truncate(const char *path, off_t length) { return do_truncate(path, length); }
int truncate64(const char *path, off_t length) { return do_truncate(path, length); }

/* Two-path calls: logged when either side is under the root (the test fails on a half). */
static void record_pair(int op, int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
  char a[PATH_MAX], b[PATH_MAX];
  int ina = resolve(olddirfd, oldpath, a), inb = resolve(newdirfd, newpath, b);
  if (ina || inb) record(op, -1, 0, a, ina ? strlen(a) : 0, b, inb ? strlen(b) : 0);
}

int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, unsigned int flags) {
  REAL(renameat2);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
  if (r == 0) {
    if (flags & RENAME_EXCHANGE) record(OP_UNSUPPORTED, -1, 0, "renameat2", 9, NULL, 0);
    else record_pair(OP_RENAME, olddirfd, oldpath, newdirfd, newpath);
  }
  pthread_mutex_unlock(&lock);
  return r;
}
int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
  REAL(renameat);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_renameat(olddirfd, oldpath, newdirfd, newpath);
  if (r == 0) record_pair(OP_RENAME, olddirfd, oldpath, newdirfd, newpath);
  pthread_mutex_unlock(&lock);
  return r;
}
int rename(const char *oldpath, const char *newpath) {
  REAL(rename);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_rename(oldpath, newpath);
  if (r == 0) record_pair(OP_RENAME, AT_FDCWD, oldpath, AT_FDCWD, newpath);
  pthread_mutex_unlock(&lock);
  return r;
}
int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags) {
  REAL(linkat);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_linkat(olddirfd, oldpath, newdirfd, newpath, flags);
  if (r == 0) record_pair(OP_LINK, olddirfd, oldpath, newdirfd, newpath);
  pthread_mutex_unlock(&lock);
  return r;
}
int link(const char *oldpath, const char *newpath) {
  REAL(link);
  setup();
  pthread_mutex_lock(&lock);
  int r = real_link(oldpath, newpath);
  if (r == 0) record_pair(OP_LINK, AT_FDCWD, oldpath, AT_FDCWD, newpath);
  pthread_mutex_unlock(&lock);
  return r;
}

static int one_path(int op, int r, int dirfd, const char *path) {
  char p[PATH_MAX];
  if (r == 0 && resolve(dirfd, path, p)) record(op, -1, 0, p, strlen(p), NULL, 0);
  return r;
}
int unlinkat(int dirfd, const char *path, int flags) {
  REAL(unlinkat);
  setup();
  pthread_mutex_lock(&lock);
  int r = one_path((flags & AT_REMOVEDIR) ? OP_RMDIR : OP_UNLINK, real_unlinkat(dirfd, path, flags), dirfd, path);
  pthread_mutex_unlock(&lock);
  return r;
}
int unlink(const char *path) {
  REAL(unlink);
  setup();
  pthread_mutex_lock(&lock);
  int r = one_path(OP_UNLINK, real_unlink(path), AT_FDCWD, path);
  pthread_mutex_unlock(&lock);
  return r;
}
int rmdir(const char *path) {
  REAL(rmdir);
  setup();
  pthread_mutex_lock(&lock);
  int r = one_path(OP_RMDIR, real_rmdir(path), AT_FDCWD, path);
  pthread_mutex_unlock(&lock);
  return r;
}
int mkdirat(int dirfd, const char *path, mode_t mode) {
  REAL(mkdirat);
  setup();
  pthread_mutex_lock(&lock);
  int r = one_path(OP_MKDIR, real_mkdirat(dirfd, path, mode), dirfd, path);
  pthread_mutex_unlock(&lock);
  return r;
}
int mkdir(const char *path, mode_t mode) {
  REAL(mkdir);
  setup();
  pthread_mutex_lock(&lock);
  int r = one_path(OP_MKDIR, real_mkdir(path, mode), AT_FDCWD, path);
  pthread_mutex_unlock(&lock);
  return r;
}

/* Calls that could change files under the root behind the log's back: recorded so the test fails. */
ssize_t sendfile64(int out_fd, int in_fd, off_t *offset, size_t count) {
  REAL(sendfile64);
  setup();
  ssize_t n = real_sendfile64(out_fd, in_fd, offset, count);
  if (n > 0 && tracked(out_fd)) {
    pthread_mutex_lock(&lock);
    record(OP_UNSUPPORTED, out_fd, 0, "sendfile", 8, NULL, 0);
    pthread_mutex_unlock(&lock);
  }
  return n;
}
ssize_t copy_file_range(int in_fd, off64_t *off_in, int out_fd, off64_t *off_out, size_t len, unsigned int flags) {
  REAL(copy_file_range);
  setup();
  ssize_t n = real_copy_file_range(in_fd, off_in, out_fd, off_out, len, flags);
  if (n > 0 && tracked(out_fd)) {
    pthread_mutex_lock(&lock);
    record(OP_UNSUPPORTED, out_fd, 0, "copy_file_range", 15, NULL, 0);
    pthread_mutex_unlock(&lock);
  }
  return n;
}

/*
 * libuv closes files with syscall(SYS_close) and may reach the kernel through syscall() for
 * other calls too. Closes are tracked (so a reused descriptor is never taken for the old file),
 * io_uring is refused (libuv then falls back to its thread pool, which goes through the calls
 * above), and any other call that could write a tracked file this way is recorded as
 * unsupported, which fails the test instead of letting writes escape the log.
 */
long syscall(long number, ...) {
  REAL(syscall);
  setup();
  va_list ap;
  va_start(ap, number);
  long a[6];
  for (int i = 0; i < 6; i++) a[i] = va_arg(ap, long);
  va_end(ap);
  if (number == SYS_io_uring_setup) {
    errno = ENOSYS;
    return -1;
  }
  if (number == SYS_close) return close((int)a[0]);
  if ((number == SYS_write || number == SYS_pwrite64 || number == SYS_writev || number == SYS_pwritev ||
       number == SYS_pwritev2 || number == SYS_fsync || number == SYS_fdatasync ||
       number == SYS_ftruncate || number == SYS_fallocate) && tracked((int)a[0])) {
    long r = real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
    pthread_mutex_lock(&lock);
    record(OP_UNSUPPORTED, (int)a[0], number, "syscall", 7, NULL, 0);
    pthread_mutex_unlock(&lock);
    return r;
  }
  if (number == SYS_copy_file_range && tracked((int)a[2])) {
    long r = real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
    pthread_mutex_lock(&lock);
    record(OP_UNSUPPORTED, (int)a[2], number, "syscall", 7, NULL, 0);
    pthread_mutex_unlock(&lock);
    return r;
  }
  return real_syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}
