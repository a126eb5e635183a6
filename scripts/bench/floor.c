/*
 * The floor for one lock change on a directory of lock files: only the system calls that any correct,
 * durable implementation of the list/check/write protocol must make, and no parsing or matching.
 *
 *   floor acquire LOCKS AGENT ENTRY...   flock LOCKS/.mutex, read every *.lock, write AGENT's record to a
 *                                        temp file, fdatasync it, rename it into place, fsync LOCKS
 *   floor release LOCKS AGENT            flock LOCKS/.mutex, unlink AGENT's record, fsync LOCKS
 *   floor loop N LOCKS AGENT ENTRY...    N acquire + release pairs in this one process (no start-up)
 *
 * With FLOOR_EPOCH=1 an acquire also rewrites and fdatasyncs LOCKS/.epoch before the record, as a writer
 * of fencing tokens must. Build: cc -O2 -o floor floor.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what, const char *name) {
    fprintf(stderr, "floor: %s %s: %s\n", what, name, strerror(errno));
    exit(3);
}

static int open_locked(const char *locks, int *mutex) {
    int dir = open(locks, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) die("open", locks);
    *mutex = openat(dir, ".mutex", O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (*mutex < 0) die("open", ".mutex");
    while (flock(*mutex, LOCK_EX) != 0)
        if (errno != EINTR) die("flock", ".mutex");
    return dir;
}

/* Reads every *.lock file whole; returns the bytes read so the work cannot be optimised away. */
static long read_records(int dir) {
    static char buffer[1 << 20];
    long total = 0;
    DIR *stream = fdopendir(dup(dir));
    if (!stream) die("list", "locks");
    struct dirent *entry;
    while ((entry = readdir(stream)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (length < 6 || entry->d_name[0] == '.' || strcmp(entry->d_name + length - 5, ".lock") != 0) continue;
        int fd = openat(dir, entry->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) die("open", entry->d_name);
        struct stat info;
        if (fstat(fd, &info) != 0) die("stat", entry->d_name);
        ssize_t got;
        while ((got = read(fd, buffer, sizeof buffer)) > 0) total += got;
        close(fd);
    }
    closedir(stream);
    return total;
}

static void write_all(int fd, const char *data, size_t length, const char *name) {
    while (length > 0) {
        ssize_t written = write(fd, data, length);
        if (written < 0 && errno == EINTR) continue;
        if (written <= 0) die("write", name);
        data += written;
        length -= (size_t)written;
    }
}

/* The record a real writer would write: the seed's fields with the entries, about the same size. */
static size_t render(char *out, size_t size, const char *agent, int count, char **entries) {
    size_t used = (size_t)snprintf(out, size,
        "{\n  \"agent\" : \"%s\",\n  \"directories\" : [\n\n  ],\n  \"expires_at\" : \"2030-01-01T01:00:00Z\",\n"
        "  \"files\" : [\n", agent);
    for (int i = 0; i < count && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "    \"%s\"%s\n", entries[i], i + 1 < count ? "," : "");
    if (used < size)
        used += (size_t)snprintf(out + used, size - used,
            "  ],\n  \"host\" : \"floor\",\n  \"locked_at\" : \"2030-01-01T00:00:00Z\",\n  \"mode\" : \"exclusive\",\n"
            "  \"pid\" : %d,\n  \"token\" : 1\n}\n", (int)getpid());
    return used < size ? used : size;
}

static long acquire(const char *locks, const char *agent, const char *record, size_t length, int epoch) {
    int mutex;
    int dir = open_locked(locks, &mutex);
    long bytes = read_records(dir);
    if (epoch) {
        int fd = openat(dir, ".epoch", O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        if (fd < 0) die("open", ".epoch");
        char digits[32] = {0};
        long last = pread(fd, digits, sizeof digits - 1, 0) > 0 ? atol(digits) : 0;
        int n = snprintf(digits, sizeof digits, "%019ld\n", last + 1);
        if (pwrite(fd, digits, (size_t)n, 0) != n || fdatasync(fd) != 0) die("write", ".epoch");
        close(fd);
    }
    char name[512], temp[600];
    snprintf(name, sizeof name, "%s.lock", agent);
    snprintf(temp, sizeof temp, ".tmp-%s.%d", name, (int)getpid());
    int fd = openat(dir, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) die("create", temp);
    write_all(fd, record, length, temp);
    if (fdatasync(fd) != 0) die("fdatasync", temp);
    close(fd);
    if (renameat(dir, temp, dir, name) != 0) die("rename", temp);
    if (fsync(dir) != 0) die("fsync", locks);
    close(mutex);
    close(dir);
    return bytes;
}

static void release(const char *locks, const char *agent) {
    int mutex;
    int dir = open_locked(locks, &mutex);
    char name[512];
    snprintf(name, sizeof name, "%s.lock", agent);
    if (unlinkat(dir, name, 0) != 0 && errno != ENOENT) die("unlink", name);
    if (fsync(dir) != 0) die("fsync", locks);
    close(mutex);
    close(dir);
}

int main(int argc, char **argv) {
    static char record[1 << 16];
    const char *epochText = getenv("FLOOR_EPOCH");
    int epoch = epochText && strcmp(epochText, "1") == 0;
    if (argc >= 4 && strcmp(argv[1], "acquire") == 0) {
        size_t length = render(record, sizeof record, argv[3], argc - 4, argv + 4);
        return acquire(argv[2], argv[3], record, length, epoch) < 0;
    }
    if (argc == 4 && strcmp(argv[1], "release") == 0) {
        release(argv[2], argv[3]);
        return 0;
    }
    if (argc >= 5 && strcmp(argv[1], "loop") == 0) {
        long pairs = atol(argv[2]);
        size_t length = render(record, sizeof record, argv[4], argc - 5, argv + 5);
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        for (long i = 0; i < pairs; i++) {
            acquire(argv[3], argv[4], record, length, epoch);
            release(argv[3], argv[4]);
        }
        clock_gettime(CLOCK_MONOTONIC, &end);
        double seconds = (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9;
        printf("%ld %.6f\n", pairs, seconds);
        return 0;
    }
    fprintf(stderr, "usage: floor acquire LOCKS AGENT ENTRY... | floor release LOCKS AGENT | floor loop N LOCKS AGENT ENTRY...\n");
    return 2;
}
