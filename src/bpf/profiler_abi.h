// SPDX-License-Identifier: GPL-2.0-or-later
/* Records shared by the BPF programs (profiler.bpf.c) and their user-space
 * reader (src/trace/ebpf_tracer.cc). Plain C, fixed-width types only. */
#ifndef SDH_PROFILER_ABI_H
#define SDH_PROFILER_ABI_H

/* Map geometry, read by both sides: followed processes in a direct-mapped
 * array of SDH_FAST_CELLS cells (a power of two, indexed by the pid's low
 * bits); syscall counters of the first SDH_MAX_SLOTS programs in an array of
 * SDH_MAX_NR columns; SDH_NO_SLOT for a program that got no row. */
#define SDH_FAST_CELLS 65536
#define SDH_MAX_SLOTS 128
#define SDH_MAX_NR 512
#define SDH_NO_SLOT 0xffffffffU

#define SDH_PATH_MAX 256
#define SDH_DATA_MAX 128

enum sdh_record_kind {
  SDH_REC_SYSCALL = 1,   /* a finished detailed syscall: nr, args, ret, strings, sockaddr; ts = its exit */
  SDH_REC_EXEC = 3,      /* exec succeeded: path = filename, exe_key = new key */
  SDH_REC_FORK = 4,      /* new process: pid = parent, args[0] = child pid */
  SDH_REC_EXIT = 5,      /* last thread of a process exited */
  SDH_REC_DISCOVER = 6,  /* cgroup mode: first syscall of a process started before tracing */
  SDH_REC_HINT = 7,      /* first accept (args[0]=1) or first receive (args[0]=2) after a listen */
};

enum sdh_stat_index {
  SDH_STAT_RINGBUF_DROPS = 0, /* bpf_ringbuf_reserve failed */
  SDH_STAT_MAP_DROPS = 1,     /* a counting map was full */
  SDH_STAT_RECORDS = 2,       /* records submitted */
  SDH_STAT_REPEATS = 3,       /* detailed syscalls counted as repeats instead of sent */
  SDH_STAT_COUNT = 4,
};

struct sdh_record {
  unsigned int kind;
  unsigned int pid; /* tgid */
  unsigned int tid;
  int nr;           /* syscall number, -1 when not a syscall */
  unsigned long long ts;
  unsigned long long exe_key;
  unsigned long long args[6];
  long long ret;
  unsigned int uid, gid;
  unsigned short data_len; /* valid bytes in data */
  unsigned short flags;    /* SDH_HAS_* */
  unsigned int pad;
  char path[SDH_PATH_MAX];
  char path2[SDH_PATH_MAX];
  unsigned char data[SDH_DATA_MAX]; /* sockaddr */
  char payload[64];                 /* first bytes of a sendmsg with an address */
};

/* What a detailed syscall does to the file(s) it names (syscall_semantics.def). */
enum sdh_access {
  SDH_ACCESS_NONE = 0,  /* no file: sockets, identities, namespaces... */
  SDH_ACCESS_OPEN,      /* open flags in the argument after the path */
  SDH_ACCESS_CREAT,     /* creat(): O_CREAT|O_WRONLY|O_TRUNC */
  SDH_ACCESS_STAT,
  SDH_ACCESS_CREATE,    /* a directory */
  SDH_ACCESS_DELETE,
  SDH_ACCESS_CHMOD,
  SDH_ACCESS_CHOWN,
  SDH_ACCESS_MKNOD,
  SDH_ACCESS_WRITE,     /* truncate, times */
  SDH_ACCESS_RENAME,    /* the first path goes, the second comes */
  SDH_ACCESS_LINK,      /* the first path is read, the second created */
  SDH_ACCESS_SYMLINK,   /* the second path is created; the first is only its text */
  SDH_ACCESS_EXEC,      /* success comes as an exec record: only a failure is news */
  SDH_ACCESS_CHDIR,
  SDH_ACCESS_LIST,
  SDH_ACCESS_MOUNT,
};

/* A structure of a detailed syscall that is read from user memory. */
enum sdh_special {
  SDH_SPECIAL_NONE = 0,
  SDH_SPECIAL_SENDMSG = 1,       /* struct user_msghdr: address and first payload bytes */
  SDH_SPECIAL_CLONE3 = 2,        /* struct clone_args: its flags */
  SDH_SPECIAL_SCHED_SETATTR = 3, /* struct sched_attr: the policy */
  SDH_SPECIAL_OPENAT2 = 4,       /* struct open_how: flags and mode into arguments 2 and 3 */
};

/* plan.repeat with only this bit: repeats may be counted, no argument tells them apart. */
#define SDH_REPEAT_ONLY 0x80

#define SDH_HAS_PATH 1
#define SDH_HAS_PATH2 2
#define SDH_HAS_DATA 4
#define SDH_HAS_PAYLOAD 8

/* A detailed syscall that repeats one already sent (same process, program,
 * credentials, scalar arguments, result and strings) is not sent again: the
 * kernel counts it under this key, and user space reads the counts at the
 * end (a daemon that opens one file or answers one address per request would
 * otherwise send a record per request). Pointer arguments are zero here. */
struct sdh_repeat_key {
  unsigned long long exe_key;
  unsigned int pid; /* tgid */
  int nr;
  unsigned int uid, gid;
  long long ret; /* exact for calls returning an fd, else 0 or -errno */
  unsigned long long args[6];
  unsigned short data_len; /* sockaddr bytes in text */
  unsigned short flags;    /* SDH_HAS_PATH (text is a path) or SDH_HAS_DATA (a sockaddr) */
  unsigned int pad;
  char text[SDH_PATH_MAX];
};

/* Most keys are short (a path or address of less than SDH_REPEAT_SHORT
 * bytes): they go to a map whose keys end there, since the kernel hashes and
 * compares the whole key on every lookup. */
#define SDH_REPEAT_SHORT 64
#define SDH_REPEAT_SHORT_KEY_SIZE (__builtin_offsetof(struct sdh_repeat_key, text) + SDH_REPEAT_SHORT)

struct sdh_repeat {
  unsigned long long count;   /* repeats not sent */
  unsigned long long last_ns; /* event clock at the latest */
  unsigned long long id;      /* this entry's, never 0 (the fd meaning of the opens it stands for) */
};

/* In-kernel aggregation: key (exe_key, nr) or (exe_key, nr, errno) or
 * (exe_key, cap, granted). */
struct sdh_count_key {
  unsigned long long exe_key;
  int a; /* syscall nr, or capability */
  int b; /* errno, or granted; 0 for plain syscall use */
};

/* first_ns/last_ns of syscall counts are readings of the event clock (see
 * profiler.bpf.c): exact in their order against every phase boundary, but
 * only a lower bound of the time of the call. */
struct sdh_count {
  unsigned long long count;
  unsigned long long first_ns;
  unsigned long long last_ns;
};

#endif
