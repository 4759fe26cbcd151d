// SPDX-License-Identifier: GPL-2.0-or-later
// SPDX-License-Identifier: GPL-2.0
/* sdharden's profiler: follows a set of processes (a command and its
 * descendants, or everything in a cgroup v2 subtree), counts their syscalls,
 * failures and capability checks in maps, and sends the rarer detailed
 * operations (paths, addresses, namespace and mapping flags) through a ring
 * buffer. Only tracepoints are used: fentry/kprobes/LSM are not available on
 * every machine we run on.
 *
 * Syscalls are seen once, at their exit (a BTF raw tracepoint: typed
 * arguments, no record formatting). Running any BPF program on a syscall
 * costs about as much as a short syscall itself, whatever the program does
 * (an empty program on sys_enter alone made 1-byte reads 1.5x slower, one on
 * each of sys_enter and sys_exit 1.9x), so one hook instead of two is the
 * largest saving there is. The exit sees all the entry would: the number
 * (orig_ax), the arguments (the saved registers are intact until the return
 * to user space), the result, and the user strings the kernel has faulted in
 * by then (a non-sleepable program cannot fault them in itself). It also sees
 * syscalls a seccomp filter refused, which never reach sys_enter. */
#include "vmlinux.h"
#include <asm/unistd.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>

#include "profiler_abi.h"

/* syscall_semantics.def: leave out the rows of syscalls this architecture lacks. */
#define SDH_SYSCALL_NUMBERS 1

char LICENSE[] SEC("license") = "GPL";

#define PROT_WRITE 0x2
#define PROT_EXEC 0x4
#define SDH_NS_FLAGS 0x7e020080ULL /* NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET|NEWTIME */
#define SCHED_RESET_ON_FORK 0x40000000
#define SECCOMP_MODE_FILTER 2
#define EPERM 1
#define EACCES 13
#define ENOSYS 38
#define EAFNOSUPPORT 97
#define AT_EMPTY_PATH 0x1000

/* Set by user space before load. */
const volatile int use_cgroup = 0;
const volatile unsigned int self_tgid = 0;

/* Boundary hints: sent once each. */
int listen_seen = 0;
int accept_hinted = 0;
int recv_hinted = 0;

/* The event clock: the bpf_ktime_get_ns() of the latest record, boundary hint
 * or user-space marker (user space seeds and raises it too). Syscall counters
 * are stamped with it instead of a clock reading of their own, which would
 * cost a fifth of the whole hook in a VM (a paravirtual clock read). What the stamps are
 * for is to say on which side of a phase boundary a syscall was used, and
 * every boundary raises the clock, so the order is kept: a syscall after a
 * boundary reads at least the boundary's time, one before it reads less. */
unsigned long long event_clock = 0; /* not u64: the skeleton header is compiled without vmlinux.h */

static __always_inline u64 read_clock(void) { return *(volatile u64*)&event_clock; }

/* A clock reading that also raises the event clock (never lowers it: two CPUs
 * may race, the later reading must win). */
static __always_inline u64 tick(void) {
  u64 now = bpf_ktime_get_ns();
  for (int i = 0; i < 4; i++) {
    u64 seen = read_clock();
    if (seen >= now || __sync_val_compare_and_swap(&event_clock, seen, now) == seen) break;
  }
  return now;
}

struct {
  __uint(type, BPF_MAP_TYPE_RINGBUF);
  __uint(max_entries, 4 << 20); /* resized by user space */
} events SEC(".maps");

/* A followed process. */
struct proc_state {
  u64 exe_key; /* the program it runs (0: the launcher, not yet exec'd) */
  u32 slot;    /* row of slot_counts for exe_key, SDH_NO_SLOT when none was left */
  u32 pad;
};

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 32768);
  __type(key, u32);
  __type(value, struct proc_state);
} tracked SEC(".maps");

/* Followed processes live in a direct-mapped array indexed by the low bits of
 * the pid (an inlined lookup, no hashing: this runs twice per syscall of every
 * process on the machine); a pid whose cell is taken goes to `tracked`. */
struct fast_cell {
  u32 tgid; /* 0: free */
  u32 pad;
  struct proc_state st;
};

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SDH_FAST_CELLS);
  __type(key, u32);
  __type(value, struct fast_cell);
} fast_procs SEC(".maps");

unsigned int hashed_procs = 0; /* entries in `tracked`: 0 lets lookups skip it */

static __always_inline struct proc_state* lookup_proc(u32 tgid) {
  u32 index = tgid & (SDH_FAST_CELLS - 1);
  struct fast_cell* cell = bpf_map_lookup_elem(&fast_procs, &index);
  if (cell && cell->tgid == tgid) return &cell->st;
  if (hashed_procs == 0) return 0;
  return bpf_map_lookup_elem(&tracked, &tgid);
}

static __always_inline int add_proc(u32 tgid, struct proc_state* st) {
  u32 index = tgid & (SDH_FAST_CELLS - 1);
  struct fast_cell* cell = bpf_map_lookup_elem(&fast_procs, &index);
  if (cell) {
    if (cell->tgid == tgid || __sync_val_compare_and_swap(&cell->tgid, 0, tgid) == 0) {
      cell->st = *st;
      return 0;
    }
  }
  if (bpf_map_update_elem(&tracked, &tgid, st, BPF_NOEXIST) == 0) {
    __sync_fetch_and_add(&hashed_procs, 1);
    return 0;
  }
  return bpf_map_update_elem(&tracked, &tgid, st, BPF_ANY);
}

static __always_inline void remove_proc(u32 tgid) {
  u32 index = tgid & (SDH_FAST_CELLS - 1);
  struct fast_cell* cell = bpf_map_lookup_elem(&fast_procs, &index);
  if (cell && cell->tgid == tgid) {
    cell->st.exe_key = 0;
    cell->tgid = 0;
    return;
  }
  if (bpf_map_delete_elem(&tracked, &tgid) == 0) __sync_fetch_and_add(&hashed_procs, -1);
}

/* Syscall counters of the first SDH_MAX_SLOTS programs live in an array
 * (row = slot, column = nr): the per-syscall path then does no hashing. */
unsigned int next_slot = 0;

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, u64);
  __type(value, u32);
} exe_slots SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_ARRAY);
  __uint(max_entries, SDH_MAX_SLOTS * SDH_MAX_NR);
  __type(key, u32);
  __type(value, struct sdh_count);
} slot_counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __type(key, struct sdh_count_key);
  __type(value, struct sdh_count);
} syscall_counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 8192);
  __type(key, struct sdh_count_key);
  __type(value, struct sdh_count);
} failure_counts SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 2048);
  __type(key, struct sdh_count_key);
  __type(value, struct sdh_count);
} cap_counts SEC(".maps");

/* Detailed syscalls already sent, with how often they came again (see
 * struct sdh_repeat_key): short keys and long ones. When a map is full, new
 * ones are sent every time. */
struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 16384);
  __uint(key_size, SDH_REPEAT_SHORT_KEY_SIZE);
  __type(value, struct sdh_repeat);
} repeats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_HASH);
  __uint(max_entries, 4096);
  __type(key, struct sdh_repeat_key);
  __type(value, struct sdh_repeat);
} long_repeats SEC(".maps");

/* What each fd number of a process means to the builder, which follows fds
 * through the opens it receives: the id of the repeat entry that last gave
 * it (0: an open it was sent in full, of a relative path). A repeated open
 * is counted instead of sent only when it gives the fd the same meaning
 * again; else the builder would resolve later *at() paths against a folder
 * the fd no longer is (a library walking a path one openat() at a time
 * reuses the same few numbers). */
struct fd_key {
  u32 tgid;
  s32 fd;
};
struct {
  __uint(type, BPF_MAP_TYPE_LRU_HASH);
  __uint(max_entries, 8192);
  __type(key, struct fd_key);
  __type(value, u64);
} fd_meaning SEC(".maps");

/* Ids of repeat entries (from 1). */
unsigned long long next_repeat_id = 0;

/* Where a repeat key is built: too large for the BPF stack. */
struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, struct sdh_repeat_key);
} repeat_scratch SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
  __uint(max_entries, SDH_STAT_COUNT);
  __type(key, u32);
  __type(value, u64);
} stats SEC(".maps");

struct {
  __uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
  __uint(max_entries, 1);
  __type(key, u32);
  __type(value, u32);
} target_cgroup SEC(".maps");

static __always_inline void stat_inc(u32 index) {
  u64* v = bpf_map_lookup_elem(&stats, &index);
  if (v) *v += 1;
}

static __always_inline void count(void* map, u64 exe_key, int a, int b, u64 now) {
  struct sdh_count_key key = {.exe_key = exe_key, .a = a, .b = b};
  struct sdh_count* c = bpf_map_lookup_elem(map, &key);
  if (c) {
    __sync_fetch_and_add(&c->count, 1);
    c->last_ns = now;
    return;
  }
  struct sdh_count fresh = {.count = 1, .first_ns = now, .last_ns = now};
  if (bpf_map_update_elem(map, &key, &fresh, BPF_NOEXIST) != 0) {
    /* Another CPU inserted it meanwhile, or the map is full. */
    c = bpf_map_lookup_elem(map, &key);
    if (c) {
      __sync_fetch_and_add(&c->count, 1);
      c->last_ns = now;
    } else {
      stat_inc(SDH_STAT_MAP_DROPS);
    }
  }
}

static __always_inline u32 slot_for(u64 exe_key) {
  u32* s = bpf_map_lookup_elem(&exe_slots, &exe_key);
  if (s) return *s;
  u32 slot = __sync_fetch_and_add(&next_slot, 1);
  if (slot >= SDH_MAX_SLOTS) slot = SDH_NO_SLOT;
  if (bpf_map_update_elem(&exe_slots, &exe_key, &slot, BPF_NOEXIST) != 0) {
    s = bpf_map_lookup_elem(&exe_slots, &exe_key); /* another CPU won the race */
    return s ? *s : SDH_NO_SLOT;
  }
  return slot;
}

static __always_inline void count_syscall(struct proc_state* st, long nr, u64 now) {
  if (st->slot < SDH_MAX_SLOTS && nr >= 0 && nr < SDH_MAX_NR) {
    u32 index = st->slot * SDH_MAX_NR + (u32)nr;
    struct sdh_count* c = bpf_map_lookup_elem(&slot_counts, &index);
    if (c) {
      if (c->count == 0) c->first_ns = now;
      __sync_fetch_and_add(&c->count, 1);
      c->last_ns = now;
    }
    return;
  }
  count(&syscall_counts, st->exe_key, (int)nr, 0, now);
}

static __always_inline struct sdh_record* reserve(u32 kind, u32 tgid, u32 tid, int nr, u64 exe_key) {
  struct sdh_record* r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
  if (!r) {
    stat_inc(SDH_STAT_RINGBUF_DROPS);
    return 0;
  }
  r->kind = kind;
  r->pid = tgid;
  r->tid = tid;
  r->nr = nr;
  r->ts = tick();
  r->exe_key = exe_key;
  r->ret = 0;
  r->flags = 0;
  r->data_len = 0;
  r->pad = 0;
  u64 ug = bpf_get_current_uid_gid();
  r->uid = (u32)ug;
  r->gid = ug >> 32;
  return r;
}

/* Syscalls whose record user space completes from /proc/PID/fd: an fd and no path. */
static __always_inline bool fd_based(int nr) {
  switch (nr) {
#define SDH_SYSCALL(name, fd, path, fd2, path2, addr, mode, access, repeat, fd_ret, special) \
  case __NR_##name:                                                                          \
    return (fd) >= 0 && (path) < 0;
#include "syscall_semantics.def"
#undef SDH_SYSCALL
  }
  return false;
}

/* Whether user space may read a record late. Waking the reader for every
 * record costs a context switch each, on the CPUs the traced daemon and its
 * clients need; user space polls the ring at least every 100 ms anyway. The
 * records it completes from /proc (an exec's environment and cwd, a
 * discovered process's exe, a relative path's dirfd) must be read while the
 * process still has them, and wake it at once. */
static __always_inline bool lazy(const struct sdh_record* r) {
  if (r->kind == SDH_REC_FORK || r->kind == SDH_REC_EXIT || r->kind == SDH_REC_HINT) return true;
  if (r->kind != SDH_REC_SYSCALL) return false;
  if (r->flags & SDH_HAS_PATH) return r->path[0] == '/';
  return !fd_based(r->nr);
}

static __always_inline void submit(struct sdh_record* r) {
  stat_inc(SDH_STAT_RECORDS);
  u64 flags = BPF_RB_FORCE_WAKEUP;
  /* A lazy record still wakes the reader once the ring is an eighth full. */
  if (lazy(r) && bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) < bpf_ringbuf_query(&events, BPF_RB_RING_SIZE) / 8)
    flags = BPF_RB_NO_WAKEUP;
  bpf_ringbuf_submit(r, flags);
}

/* The state of the current process when it is followed, else NULL. In
 * cgroup mode a process seen for the first time is adopted with a key derived
 * from its pid and announced to user space. */
static __always_inline struct proc_state* follow(u32 tgid, u32 tid) {
  struct proc_state* st = lookup_proc(tgid);
  if (st || !use_cgroup || tgid == self_tgid) return st;
  if (bpf_current_task_under_cgroup(&target_cgroup, 0) != 1) return 0;
  u64 key = (1ULL << 63) | tgid;
  struct proc_state fresh = {.exe_key = key, .slot = slot_for(key), .pad = 0};
  if (add_proc(tgid, &fresh) != 0) {
    stat_inc(SDH_STAT_MAP_DROPS);
    return 0;
  }
  struct sdh_record* r = reserve(SDH_REC_DISCOVER, tgid, tid, -1, key);
  if (r) {
    bpf_get_current_comm(r->path, 16);
    r->flags |= SDH_HAS_PATH;
    submit(r);
  }
  return lookup_proc(tgid);
}

/* A sockaddr length the verifier can bound: at most SDH_DATA_MAX - 1 bytes,
 * which still holds the largest sockaddr_un (110). */
static __always_inline u32 clamp_len(u32 len) {
  if (len > SDH_DATA_MAX - 1) len = SDH_DATA_MAX - 1;
  asm volatile("" : "+r"(len));
  return len & (SDH_DATA_MAX - 1);
}

/* Which arguments of a detailed syscall to copy. */
struct plan {
  s8 path;     /* arg index of a path string, or -1 */
  s8 path2;    /* arg index of a second path, or -1 */
  s8 addr;     /* arg index of a sockaddr pointer, or -1 */
  s8 addrlen;  /* arg index of its length */
  s8 special;  /* enum sdh_special */
  s8 send;     /* 1: send a record */
  u8 repeat;   /* nonzero: a repeat may be counted instead of sent; bit i: arg i says something */
  s8 fd_ret;   /* 1: the result is an fd the builder remembers (kept exact in the repeat key) */
};

/* *listed is false for syscalls that are never detailed (no need to read
 * their arguments). The rows are syscall_semantics.def's: which calls may be
 * counted as repeats, and which scalar arguments then tell them apart, are
 * the detailed calls a daemon makes per request (opening the file it serves,
 * stat-ing it, answering a datagram). */
static __always_inline struct plan make_plan(long nr, const u64* a, bool* listed) {
  struct plan p = {
      .path = -1, .path2 = -1, .addr = -1, .addrlen = -1, .special = 0, .send = 1, .repeat = 0, .fd_ret = 0};
  *listed = true;
  switch (nr) {
#define SDH_SYSCALL(name, fd, path_, fd2, path2_, addr_, mode, access, repeat_, fd_ret_, special_) \
  case __NR_##name:                                                                                 \
    p.path = (path_);                                                                               \
    p.path2 = (path2_);                                                                             \
    p.addr = (addr_);                                                                               \
    p.addrlen = (addr_) < 0 ? -1 : (addr_) + 1;                                                     \
    p.repeat = (repeat_);                                                                           \
    p.fd_ret = (fd_ret_);                                                                           \
    p.special = (special_);                                                                         \
    break;
#include "syscall_semantics.def"
#undef SDH_SYSCALL
    default:
      p.send = 0;
      *listed = false;
      return p;
  }
  /* Listed calls whose arguments say nothing new this time. */
  switch (nr) {
    case __NR_sendto:
      if (a[4] == 0) p.send = 0; /* connected socket: nothing new to learn */
      break;
    case __NR_clone:
      p.send = (a[0] & SDH_NS_FLAGS) != 0;
      break;
    case __NR_sched_setscheduler: {
      int policy = (int)a[1] & ~SCHED_RESET_ON_FORK;
      p.send = policy == 1 || policy == 2;
      break;
    }
    case __NR_mmap:
    case __NR_mprotect:
    case __NR_pkey_mprotect:
      p.send = (a[2] & (PROT_WRITE | PROT_EXEC)) == (PROT_WRITE | PROT_EXEC);
      break;
    case __NR_personality:
      p.send = (u32)a[0] != 0xffffffffU;
      break;
  }
  return p;
}

/* Syscall arguments and number from the registers saved at kernel entry. */
static __always_inline void syscall_args(struct pt_regs* regs, u64* a) {
#if defined(__TARGET_ARCH_x86)
  a[0] = regs->di;
  a[1] = regs->si;
  a[2] = regs->dx;
  a[3] = regs->r10;
  a[4] = regs->r8;
  a[5] = regs->r9;
#elif defined(__TARGET_ARCH_arm64)
  a[0] = regs->orig_x0; /* x0 holds the result by now */
  a[1] = regs->regs[1];
  a[2] = regs->regs[2];
  a[3] = regs->regs[3];
  a[4] = regs->regs[4];
  a[5] = regs->regs[5];
#else
#error "profiler.bpf.c: add this architecture's syscall argument registers"
#endif
}

/* The number of the syscall that is returning. rt_sigreturn restores the
 * registers of the interrupted code and marks them as "in no syscall" (-1),
 * so -1 at sys_exit means rt_sigreturn (or the rare syscall(-1), which fails
 * with ENOSYS and which we accept to count as rt_sigreturn). */
static __always_inline long syscall_nr(struct pt_regs* regs) {
#if defined(__TARGET_ARCH_x86)
  long nr = regs->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
  long nr = regs->syscallno;
#endif
  return nr == -1 ? __NR_rt_sigreturn : nr;
}

/* The new task's side of clone/fork returns 0 there: the parent counts the call. */
static __always_inline bool is_fork(long nr) {
#ifdef __NR_fork
  if (nr == __NR_fork || nr == __NR_vfork) return true;
#endif
  return nr == __NR_clone || nr == __NR_clone3;
}

/* Whether a failed syscall may have been refused by a seccomp filter, and so
 * never ran: it is then counted as a failure but not as a use (a profile
 * taken under an existing SystemCallFilter= must not ask for what that filter
 * denies). A filter keeps a bitmap of the syscalls it allows whatever their
 * arguments; a failure outside it with an errno a filter returns is taken as
 * a refusal. */
static __always_inline bool maybe_refused(long nr, long error) {
  if (error != EPERM && error != EACCES && error != ENOSYS && error != EAFNOSUPPORT) return false;
  struct task_struct* task = bpf_get_current_task_btf();
  if (task->seccomp.mode != SECCOMP_MODE_FILTER) return false;
  if (!bpf_core_field_exists(struct seccomp_filter, cache)) return false; /* no cache (< 5.11): cannot tell */
  struct seccomp_filter* filter = task->seccomp.filter;
  if (!filter) return false;
  /* One read of the whole bitmap (its size is the kernel's NR_syscalls) then
   * a bounded index: the verifier refuses variable offsets into kernel objects. */
  u64 words[8] = {};
  u32 size = bpf_core_field_size(filter->cache.allow_native);
  if (size > sizeof(words)) size = sizeof(words);
  if (bpf_probe_read_kernel(words, size, &filter->cache.allow_native) != 0) return false;
  if (nr < 0 || nr >= size * 8) return true; /* not in the cache: may be refused */
  return !((words[(nr / 64) & 7] >> (nr & 63)) & 1);
}

static __always_inline void hint(u32 tgid, u32 tid, long nr, u64 exe_key, int which, u64 now) {
  struct sdh_record* r = reserve(SDH_REC_HINT, tgid, tid, nr, exe_key);
  if (!r) return;
  r->ts = now; /* the same clock reading as the syscall's usage count */
  r->args[0] = which;
  submit(r);
}

/* Builds the detailed record of a finished syscall. */
static __always_inline void send_detailed(u32 tgid, u32 tid, u64 exe_key, long nr, u64* a, long ret, u64 now) {
  struct sdh_record* r = reserve(SDH_REC_SYSCALL, tgid, tid, (int)nr, exe_key);
  if (!r) return;
  r->ts = now;
  r->ret = ret;
  for (int i = 0; i < 6; i++) r->args[i] = a[i];
  bool listed;
  struct plan p = make_plan(nr, a, &listed);
  if (p.path >= 0 && p.path < 6) {
    if (bpf_probe_read_user_str(r->path, sizeof(r->path), (void*)a[p.path]) > 0) r->flags |= SDH_HAS_PATH;
  }
  if (p.path2 >= 0 && p.path2 < 6) {
    if (bpf_probe_read_user_str(r->path2, sizeof(r->path2), (void*)a[p.path2]) > 0) r->flags |= SDH_HAS_PATH2;
  }
  if (p.addr >= 0 && p.addr < 6 && p.addrlen >= 0 && p.addrlen < 6 && a[p.addr] != 0) {
    u32 len = clamp_len((u32)a[p.addrlen]);
    if (len > 0 && bpf_probe_read_user(r->data, len, (void*)a[p.addr]) == 0) {
      r->data_len = len;
      r->flags |= SDH_HAS_DATA;
    }
  }
  if (p.special == SDH_SPECIAL_SENDMSG) {
    /* struct user_msghdr { void* name; int namelen; struct iovec* iov; size_t iovlen; ... } */
    struct {
      u64 name;
      u32 namelen;
      u32 pad;
      u64 iov;
      u64 iovlen;
    } msg = {};
    if (bpf_probe_read_user(&msg, sizeof(msg), (void*)a[1]) != 0 || msg.name == 0) {
      /* Connected socket and no address: nothing to report. */
      bpf_ringbuf_discard(r, 0);
      return;
    }
    u32 len = clamp_len(msg.namelen);
    if (len > 0 && bpf_probe_read_user(r->data, len, (void*)msg.name) == 0) {
      r->data_len = len;
      r->flags |= SDH_HAS_DATA;
    }
    struct {
      u64 base;
      u64 len;
    } iov = {};
    if (msg.iovlen > 0 && bpf_probe_read_user(&iov, sizeof(iov), (void*)msg.iov) == 0) {
      if (bpf_probe_read_user_str(r->payload, sizeof(r->payload), (void*)iov.base) > 0) r->flags |= SDH_HAS_PAYLOAD;
    }
  } else if (p.special == SDH_SPECIAL_OPENAT2) {
    /* struct open_how { u64 flags; u64 mode; u64 resolve; }: flags/mode into args[2]/args[3]. */
    u64 how[2] = {};
    bpf_probe_read_user(how, sizeof(how), (void*)a[2]);
    r->args[4] = a[2];
    r->args[2] = how[0];
    r->args[3] = how[1];
  }
  submit(r);
}

/* Whether a listed syscall is worth a record, reading what its plan needs
 * from user memory (clone3 and sched_setattr pass structures). */
static __always_inline bool worth_sending(long nr, u64* a) {
  bool listed;
  struct plan p = make_plan(nr, a, &listed);
  if (p.special == SDH_SPECIAL_CLONE3) {
    u64 flags = 0;
    bpf_probe_read_user(&flags, sizeof(flags), (void*)a[0]);
    a[2] = flags; /* clone3's flags travel in the unused third argument */
    return (flags & SDH_NS_FLAGS) != 0;
  }
  if ((nr == __NR_newfstatat && (a[3] & AT_EMPTY_PATH)) || (nr == __NR_statx && (a[2] & AT_EMPTY_PATH))) {
    /* An empty path with AT_EMPTY_PATH is fstat (glibc's fstat is this
     * call): the fd was opened already, nothing new to learn. */
    char first = 0;
    bpf_probe_read_user(&first, 1, (void*)a[1]);
    return first != 0;
  }
  if (p.special == SDH_SPECIAL_SENDMSG) {
    u64 name = 0; /* struct user_msghdr starts with the address pointer */
    bpf_probe_read_user(&name, sizeof(name), (void*)a[1]);
    return name != 0; /* none: a connected socket, nothing new to learn */
  }
  if (p.special == SDH_SPECIAL_SCHED_SETATTR) {
    u32 policy = 0; /* struct sched_attr { u32 size; u32 sched_policy; ... } */
    bpf_probe_read_user(&policy, sizeof(policy), (void*)(a[1] + 4));
    policy &= ~SCHED_RESET_ON_FORK;
    return policy == 1 || policy == 2;
  }
  return p.send;
}

/* The repeat key of a detailed syscall about to be sent, or NULL when it
 * must be sent whatever came before: a relative path (its base may have
 * changed since), an AF_UNIX address (an sd_notify datagram's payload
 * matters), a call whose plan allows no repeats. */
static __always_inline struct sdh_repeat_key* repeat_key(u32 tgid, u64 exe_key, long nr, const u64* a, long ret,
                                                         const struct plan* p, bool* is_long) {
  if (!p->repeat) return 0;
  u32 zero = 0;
  struct sdh_repeat_key* k = bpf_map_lookup_elem(&repeat_scratch, &zero);
  if (!k) return 0;
  /* Only the short key is cleared: a long one clears the rest itself. */
  __builtin_memset(k, 0, SDH_REPEAT_SHORT_KEY_SIZE);
  *is_long = false;
  k->exe_key = exe_key;
  k->pid = tgid;
  k->nr = (int)nr;
  u64 ug = bpf_get_current_uid_gid();
  k->uid = (u32)ug;
  k->gid = ug >> 32;
  bool failed = ret < 0 && ret >= -4095;
  k->ret = failed || p->fd_ret ? ret : 0; /* a byte count says nothing */
  for (int i = 0; i < 6; i++) {
    if ((p->repeat >> i) & 1) k->args[i] = a[i];
  }
  if (p->path >= 0 && p->path < 6) {
    long n = bpf_probe_read_user_str(k->text, SDH_REPEAT_SHORT, (void*)a[p->path]);
    if (n <= 0 || k->text[0] != '/') return 0;
    if (n == SDH_REPEAT_SHORT) { /* cut short, or just fits: the long key then */
      __builtin_memset(k->text + SDH_REPEAT_SHORT, 0, sizeof(k->text) - SDH_REPEAT_SHORT);
      if (bpf_probe_read_user_str(k->text, sizeof(k->text), (void*)a[p->path]) <= 0) return 0;
      *is_long = true;
    }
    k->flags |= SDH_HAS_PATH;
  }
  u64 addr = 0;
  u32 len = 0;
  if (p->special == SDH_SPECIAL_SENDMSG) {
    struct {
      u64 name;
      u32 namelen;
    } msg = {};
    if (bpf_probe_read_user(&msg, sizeof(msg), (void*)a[1]) != 0) return 0;
    addr = msg.name;
    len = msg.namelen;
  } else if (p->addr >= 0 && p->addr < 6 && p->addrlen >= 0 && p->addrlen < 6) {
    addr = a[p->addr];
    len = (u32)a[p->addrlen];
  }
  if (addr) {
    /* Longer addresses than a short key holds are AF_UNIX ones, which are
     * not counted as repeats anyway. */
    if (len < 2 || len > SDH_REPEAT_SHORT) return 0;
    asm volatile("" : "+r"(len)); /* keep the bound below for the verifier */
    len &= SDH_REPEAT_SHORT * 2 - 1;
    if (bpf_probe_read_user(k->text, len, (void*)addr) != 0) return 0;
    if (*(u16*)k->text == 1 /* AF_UNIX */) return 0;
    k->data_len = len;
    k->flags |= SDH_HAS_DATA;
  }
  return k;
}

SEC("tp_btf/sys_exit")
int on_sys_exit(u64* ctx) {
  u64 pt = bpf_get_current_pid_tgid();
  u32 tgid = pt >> 32, tid = (u32)pt;
  struct proc_state* st = follow(tgid, tid);
  if (!st) return 0;
  struct pt_regs* regs = (struct pt_regs*)ctx[0];
  long ret = (long)ctx[1];
  long nr = syscall_nr(regs);
  bool failed = ret < 0 && ret >= -4095;
  if (ret == 0 && is_fork(nr)) return 0;
  /* A successful exec returns in the new program: on_exec counted the call
   * for the program that made it, and its record says everything. */
  if (ret == 0 && (nr == __NR_execve || nr == __NR_execveat)) return 0;
  u64 exe_key = st->exe_key;

  int which_hint = 0;
  if (nr == __NR_listen) listen_seen = 1;
  if ((nr == __NR_accept || nr == __NR_accept4) && listen_seen && !accept_hinted) {
    accept_hinted = 1;
    which_hint = 1;
  }
  if ((nr == __NR_recvfrom || nr == __NR_recvmsg || nr == __NR_recvmmsg) && listen_seen && !recv_hinted) {
    recv_hinted = 1;
    which_hint = 2;
  }
  u64 a[6] = {};
  bool listed;
  make_plan(nr, a, &listed);
  bool used = !failed || !maybe_refused(nr, -ret);
  if (!listed && !which_hint) {
    /* The common case: counted, nothing more to learn. */
    u64 now = read_clock();
    if (used) count_syscall(st, nr, now);
    if (failed) count(&failure_counts, exe_key, (int)nr, (int)-ret, now);
    return 0;
  }
  bool send = false;
  struct sdh_repeat_key* key = 0;
  bool long_key = false;
  bool gives_fd = false; /* an open that succeeded: its fd's meaning changes */
  struct fd_key fk = {.tgid = tgid, .fd = (s32)ret};
  u64 meaning = 0;       /* what the builder will take the fd for */
  if (listed) {
    syscall_args(regs, a);
    send = worth_sending(nr, a);
  }
  if (send) {
    struct plan p = make_plan(nr, a, &listed);
    gives_fd = p.fd_ret && !failed && ret >= 0;
    key = repeat_key(tgid, exe_key, nr, a, ret, &p, &long_key);
    struct sdh_repeat* seen = 0;
    if (key && !which_hint) seen = bpf_map_lookup_elem(long_key ? (void*)&long_repeats : (void*)&repeats, key);
    if (seen && gives_fd) {
      u64* known = bpf_map_lookup_elem(&fd_meaning, &fk);
      if (!known || *known != seen->id) {
        /* The fd meant something else meanwhile: sent again, to say so. */
        meaning = seen->id;
        seen = 0;
        key = 0;
      }
    }
    if (seen) {
      /* Sent before: count it (no record, no clock reading). */
      u64 now = read_clock();
      __sync_fetch_and_add(&seen->count, 1);
      seen->last_ns = now;
      stat_inc(SDH_STAT_REPEATS);
      if (used) count_syscall(st, nr, now);
      if (failed) count(&failure_counts, exe_key, (int)nr, (int)-ret, now);
      return 0;
    }
  }
  /* Only what sends a record raises the event clock. */
  u64 now = send || which_hint ? tick() : read_clock();
  if (used) count_syscall(st, nr, now);
  if (failed) count(&failure_counts, exe_key, (int)nr, (int)-ret, now);
  if (which_hint) hint(tgid, tid, nr, exe_key, which_hint, now);
  if (!send) return 0;
  if (key) {
    struct sdh_repeat fresh = {.count = 0, .last_ns = now, .id = __sync_fetch_and_add(&next_repeat_id, 1) + 1};
    /* full: sent every time */
    if (bpf_map_update_elem(long_key ? (void*)&long_repeats : (void*)&repeats, key, &fresh, BPF_NOEXIST) == 0)
      meaning = fresh.id;
  }
  if (gives_fd) bpf_map_update_elem(&fd_meaning, &fk, &meaning, BPF_ANY);
  send_detailed(tgid, tid, exe_key, nr, a, ret, now);
  return 0;
}

/* A new process (not a thread: those share their process's state) of a
 * followed one is followed too, with its parent's program until it execs. */
SEC("tp_btf/sched_process_fork")
int on_fork(u64* ctx) {
  struct task_struct* parent = (struct task_struct*)ctx[0];
  struct task_struct* child = (struct task_struct*)ctx[1];
  u32 child_tgid = child->tgid;
  if (child_tgid != child->pid) return 0; /* CLONE_THREAD */
  u64 pt = bpf_get_current_pid_tgid();
  u32 tgid = pt >> 32, tid = (u32)pt;
  struct proc_state* st = lookup_proc(tgid);
  if (!st) return 0;
  (void)parent;
  struct proc_state child_state = {.exe_key = st->exe_key, .slot = st->slot, .pad = 0};
  if (add_proc(child_tgid, &child_state) != 0) {
    stat_inc(SDH_STAT_MAP_DROPS);
    return 0;
  }
  struct sdh_record* r = reserve(SDH_REC_FORK, tgid, tid, -1, child_state.exe_key);
  if (!r) return 0;
  r->args[0] = child_tgid;
  submit(r);
  return 0;
}

/* The syscall the current task is in (execve or execveat during an exec). */
static __always_inline long current_syscall(void) {
  struct pt_regs* regs = (struct pt_regs*)bpf_task_pt_regs(bpf_get_current_task_btf());
  return syscall_nr(regs);
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(struct trace_event_raw_sched_process_exec* ctx) {
  u64 pt = bpf_get_current_pid_tgid();
  u32 tgid = pt >> 32, tid = (u32)pt;
  struct proc_state* st = follow(tgid, tid);
  if (!st) return 0;
  struct sdh_record* r = reserve(SDH_REC_EXEC, tgid, tid, -1, 0);
  if (!r) return 0;
  /* The exec is a use of execve by the program that called it: count it
   * before the process changes program (its exit happens in the new one). */
  count_syscall(st, current_syscall(), r->ts);
  unsigned int off = ctx->__data_loc_filename & 0xFFFF;
  long n = bpf_probe_read_kernel_str(r->path, sizeof(r->path), (void*)ctx + off);
  if (n > 0) r->flags |= SDH_HAS_PATH;
  /* The program's key: FNV-1a of the file name, so that every process running
   * the same binary shares one set of counters. */
  u64 h = 0xcbf29ce484222325ULL;
  for (int i = 0; i < SDH_PATH_MAX; i++) {
    char c = r->path[i];
    if (c == 0) break;
    h = (h ^ (u8)c) * 0x100000001b3ULL;
  }
  h &= ~(1ULL << 63); /* the top bit marks keys of adopted processes */
  if (h == 0) h = 1;
  r->exe_key = h;
  r->args[0] = ctx->old_pid;
  st->exe_key = h;
  st->slot = slot_for(h);
  submit(r);
  return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(struct trace_event_raw_sched_process_exit* ctx) {
  u64 pt = bpf_get_current_pid_tgid();
  u32 tgid = pt >> 32, tid = (u32)pt;
  struct proc_state* st = lookup_proc(tgid);
  if (!st) return 0;
  /* exit and exit_group never return: count them here, once per call (the
   * threads exit_group takes along are in another syscall, or in none). */
  long nr = current_syscall();
  if (nr == __NR_exit || nr == __NR_exit_group) count_syscall(st, nr, read_clock());
  if (!ctx->group_dead) return 0;
  u64 exe_key = st->exe_key;
  remove_proc(tgid);
  struct sdh_record* r = reserve(SDH_REC_EXIT, tgid, tid, -1, exe_key);
  if (r) submit(r);
  return 0;
}

SEC("tracepoint/capability/cap_capable")
int on_cap_capable(struct trace_event_raw_cap_capable* ctx) {
  u32 tgid = bpf_get_current_pid_tgid() >> 32;
  struct proc_state* st = lookup_proc(tgid);
  if (!st) return 0;
  count(&cap_counts, st->exe_key, ctx->cap, ctx->ret == 0, read_clock());
  return 0;
}
