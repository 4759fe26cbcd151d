// SPDX-License-Identifier: GPL-2.0-or-later
// The eBPF back-end: loads src/bpf/profiler.bpf.c (embedded as a skeleton),
// follows a pid tree or a cgroup, and turns its records into TraceEvents.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <type_traits>

#include "bpf/profiler_abi.h"
#include "profile/names.h"
#include "profile/syscall_semantics.h"
#include "profiler.skel.h"
#include "trace/tracer.h"

namespace sdh::trace {

namespace {

// The maps' geometry, shared with profiler.bpf.c through profiler_abi.h.
constexpr uint32_t kMaxSlots = SDH_MAX_SLOTS;
constexpr uint32_t kMaxNr = SDH_MAX_NR;
constexpr uint32_t kNoSlot = SDH_NO_SLOT;
constexpr uint32_t kFastCells = SDH_FAST_CELLS;

std::string g_libbpf_log;  // last libbpf messages, for error reports

int libbpf_print(enum libbpf_print_level level, const char* fmt, va_list args) {
  if (level == LIBBPF_DEBUG) return 0;
  char buf[1024];
  vsnprintf(buf, sizeof(buf), fmt, args);
  g_libbpf_log += buf;
  if (g_libbpf_log.size() > 4096) g_libbpf_log.erase(0, g_libbpf_log.size() - 4096);
  return 0;
}

std::string read_link(const std::string& path) {
  char buf[4096];
  ssize_t n = ::readlink(path.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  return std::string(buf, static_cast<size_t>(n));
}

std::string environ_value(int pid, const std::string& name) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  std::string entry;
  while (std::getline(in, entry, '\0')) {
    if (entry.rfind(name + "=", 0) == 0) return entry.substr(name.size() + 1);
  }
  return "";
}

// The innermost pid of /proc/PID/status's NSpid line (its pid in its own
// pid namespace); 0 when the process is gone.
int namespace_pid(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    int n = 0, last = 0;
    while (fields >> n) last = n;
    return last;
  }
  return 0;
}

uint64_t monotonic_ns() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<uint64_t>(ts.tv_nsec);
}

bool exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

class EbpfTracer final : public Tracer {
 public:
  explicit EbpfTracer(const TracerOptions& options) : options_(options) {}
  ~EbpfTracer() override {
    // Links and maps are owned by fds: destroying the skeleton (or the process
    // dying) detaches everything.
    if (rb_) ring_buffer__free(rb_);
    if (skel_) sdh_profiler_bpf__destroy(skel_);
    if (cgroup_fd_ >= 0) ::close(cgroup_fd_);
  }

  Result<void> start(const TraceTarget& target) override {
    if (auto r = ensure_tracefs(); !r) return r;
    libbpf_set_print(libbpf_print);
    g_libbpf_log.clear();
    skel_ = sdh_profiler_bpf__open();
    if (!skel_) return fail("opening the BPF object" + log_tail(), errno);
    skel_->rodata->use_cgroup = target.cgroup_path.empty() ? 0 : 1;
    skel_->rodata->self_tgid = static_cast<unsigned>(::getpid());
    if (int err = bpf_map__set_max_entries(skel_->maps.events, options_.ring_buffer_bytes); err) {
      return fail("sizing the ring buffer", -err);
    }
    sees_caps_ = exists(tracefs_ + "/events/capability/cap_capable");
    if (!sees_caps_) {
      bpf_program__set_autoload(skel_->progs.on_cap_capable, false);
      notes_.push_back("this kernel has no capability:cap_capable tracepoint: capabilities are inferred");
    }
    if (int err = sdh_profiler_bpf__load(skel_); err) {
      return fail("loading the BPF programs (root, or CAP_BPF and CAP_PERFMON, is needed)" + log_tail(), -err);
    }
    if (!target.cgroup_path.empty()) {
      cgroup_fd_ = ::open(target.cgroup_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (cgroup_fd_ < 0) return fail("opening cgroup " + target.cgroup_path, errno);
      uint32_t zero = 0;
      if (bpf_map__update_elem(skel_->maps.target_cgroup, &zero, sizeof(zero), &cgroup_fd_, sizeof(cgroup_fd_),
                               BPF_ANY) != 0) {
        return fail("selecting cgroup " + target.cgroup_path + " (is it a cgroup v2 directory?)", errno);
      }
    } else {
      uint32_t pid = static_cast<uint32_t>(target.pid);
      // Not exec'd yet (key 0), no counter row: its few syscalls are the launcher's.
      // The cell of its pid in fast_procs (see profiler.bpf.c) is free: nothing is followed yet.
      struct {
        uint32_t tgid;
        uint32_t pad;
        uint64_t exe_key;
        uint32_t slot;
        uint32_t pad2;
      } cell = {pid, 0, 0, kNoSlot, 0};
      uint32_t index = pid & (kFastCells - 1);
      if (bpf_map__update_elem(skel_->maps.fast_procs, &index, sizeof(index), &cell, sizeof(cell), BPF_ANY) != 0) {
        return fail("seeding the traced pid", errno);
      }
    }
    // Counters are stamped with the event clock (see profiler.bpf.c): start
    // it now rather than at 0, so that stamps are times of this session.
    mark(monotonic_ns());
    rb_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), &EbpfTracer::on_record, this, nullptr);
    if (!rb_) return fail("creating the ring buffer reader", errno);
    if (int err = sdh_profiler_bpf__attach(skel_); err) {
      return fail("attaching the tracepoints" + log_tail(), -err);
    }
    return {};
  }

  Result<void> poll(int timeout_ms, const EventCallback& sink) override {
    sink_ = &sink;
    // Most records do not wake us (see lazy() in profiler.bpf.c): the wait
    // ends at the timeout and what came meanwhile is read here.
    int n = ring_buffer__poll(rb_, timeout_ms);
    if (n >= 0 || n == -EINTR) n = ring_buffer__consume(rb_);
    sink_ = nullptr;
    if (n < 0 && n != -EINTR) return fail("reading the ring buffer", -n);
    return {};
  }

  Result<void> finish(const EventCallback& sink) override {
    sink_ = &sink;
    ring_buffer__consume(rb_);
    dump_repeats(skel_->maps.repeats, sink);
    dump_repeats(skel_->maps.long_repeats, sink);
    dump_slot_counts(sink);
    dump_counts(skel_->maps.syscall_counts, TraceEventKind::syscall_usage, sink);
    dump_counts(skel_->maps.failure_counts, TraceEventKind::failure_usage, sink);
    if (sees_caps_) dump_counts(skel_->maps.cap_counts, TraceEventKind::capability, sink);
    sink_ = nullptr;
    return {};
  }

  TracerCounters counters() const override {
    TracerCounters c;
    if (!skel_) return c;
    int ncpu = libbpf_num_possible_cpus();
    std::vector<uint64_t> values(static_cast<size_t>(ncpu > 0 ? ncpu : 1));
    auto sum = [&](uint32_t index) {
      uint64_t total = 0;
      if (bpf_map__lookup_elem(skel_->maps.stats, &index, sizeof(index), values.data(),
                               values.size() * sizeof(uint64_t), 0) == 0) {
        for (uint64_t v : values) total += v;
      }
      return total;
    };
    c.records = sum(SDH_STAT_RECORDS);
    c.ring_buffer_drops = sum(SDH_STAT_RINGBUF_DROPS);
    c.map_drops = sum(SDH_STAT_MAP_DROPS);
    c.repeats = sum(SDH_STAT_REPEATS);
    return c;
  }

  // Raises the BPF side's event clock (a plain global in .bss, which the
  // skeleton maps) so that syscalls after a user-space marker are stamped at
  // or after it. Both sides read CLOCK_MONOTONIC (bpf_ktime_get_ns).
  void mark(uint64_t now_ns) override {
    if (!skel_ || !skel_->bss) return;
    using Clock = std::remove_reference_t<decltype(skel_->bss->event_clock)>;
    std::atomic_ref<Clock> ref(skel_->bss->event_clock);
    Clock seen = ref.load();
    while (seen < now_ns && !ref.compare_exchange_weak(seen, now_ns)) {
    }
  }

  bool sees_capabilities() const override { return sees_caps_; }
  std::string name() const override { return "ebpf"; }
  std::vector<std::string> notes() const override { return notes_; }

 private:
  static std::string log_tail() {
    if (g_libbpf_log.empty()) return "";
    std::string tail = g_libbpf_log.substr(g_libbpf_log.size() > 600 ? g_libbpf_log.size() - 600 : 0);
    while (!tail.empty() && tail.back() == '\n') tail.pop_back();
    return " [libbpf: " + tail + "]";
  }

  // libbpf needs tracefs for tracepoint ids; a fresh machine may lack the mount.
  Result<void> ensure_tracefs() {
    for (const char* dir : {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"}) {
      if (exists(std::string(dir) + "/events")) {
        tracefs_ = dir;
        return {};
      }
    }
    if (::mount("nodev", "/sys/kernel/tracing", "tracefs", 0, nullptr) != 0) {
      return fail("tracefs is not mounted and mounting it on /sys/kernel/tracing failed", errno);
    }
    tracefs_ = "/sys/kernel/tracing";
    notes_.push_back("mounted tracefs on /sys/kernel/tracing (it was missing)");
    return {};
  }

  const std::string& name_of(int nr) {
    auto it = names_.find(nr);
    if (it == names_.end()) it = names_.emplace(nr, profile::syscall_name(nr)).first;
    return it->second;
  }

  static int on_record(void* ctx, void* data, size_t size) {
    if (size < sizeof(sdh_record)) return 0;
    static_cast<EbpfTracer*>(ctx)->handle(*static_cast<const sdh_record*>(data));
    return 0;
  }

  void handle(const sdh_record& r) {
    const EventCallback& sink = *sink_;
    TraceEvent e;
    e.time_ns = r.ts;
    e.pid = static_cast<int>(r.pid);
    e.tid = static_cast<int>(r.tid);
    e.exe_key = r.exe_key;
    e.nr = r.nr;
    e.uid = r.uid;
    e.gid = r.gid;
    const std::string proc = "/proc/" + std::to_string(r.pid);
    switch (r.kind) {
      case SDH_REC_SYSCALL: {
        e.kind = TraceEventKind::syscall;
        for (int i = 0; i < 6; ++i) e.args[i] = r.args[i];
        e.has_result = true;
        e.result = r.ret;
        if (r.flags & SDH_HAS_PATH) e.path.assign(r.path, strnlen(r.path, sizeof(r.path)));
        if (r.flags & SDH_HAS_PATH2) e.path2.assign(r.path2, strnlen(r.path2, sizeof(r.path2)));
        if (r.flags & SDH_HAS_DATA) {
          e.sockaddr.assign(reinterpret_cast<const char*>(r.data), std::min<size_t>(r.data_len, sizeof(r.data)));
        }
        if (r.flags & SDH_HAS_PAYLOAD) e.payload.assign(r.payload, strnlen(r.payload, sizeof(r.payload)));
        const std::string& name = name_of(r.nr);
        // The fd its path is relative to, or the fd it acts on: read while
        // the process still has it.
        const profile::SyscallSemantics* sem = profile::syscall_semantics(name);
        int fd = sem && sem->fd >= 0 ? static_cast<int>(static_cast<int32_t>(r.args[sem->fd])) : -1;
        if (fd >= 0 && (e.path.empty() || e.path[0] != '/')) e.fd_path = read_link(proc + "/fd/" + std::to_string(fd));
        break;
      }
      case SDH_REC_EXEC:
        e.kind = TraceEventKind::exec;
        e.exe_path.assign(r.path, strnlen(r.path, sizeof(r.path)));
        // fexecve and /proc/self/exe name no file of their own: ask the kernel.
        if (e.exe_path.rfind("/proc/", 0) == 0 || e.exe_path.rfind("/dev/fd/", 0) == 0) {
          std::string real = read_link(proc + "/exe");
          if (!real.empty()) e.exe_path = real;
        }
        e.cwd = read_link(proc + "/cwd");
        e.environ_listen_fds = environ_value(e.pid, "LISTEN_FDS");
        e.ns_pid = namespace_pid(e.pid);
        break;
      case SDH_REC_FORK:
        e.kind = TraceEventKind::fork;
        e.child_pid = static_cast<int>(r.args[0]);
        e.ns_pid = namespace_pid(e.child_pid);
        break;
      case SDH_REC_EXIT:
        e.kind = TraceEventKind::exit;
        break;
      case SDH_REC_DISCOVER:
        e.kind = TraceEventKind::discover;
        {
          // The kernel took the command name when it first saw the process;
          // /proc/PID/exe is read later and may already show a newer exec.
          // systemd names the child it forks for an Exec*= line "(name)" until
          // it execs, so such a process is systemd's own set-up, whatever the
          // exec that follows: keep its command name rather than race /proc.
          // Before it renames itself the child still has the manager's own
          // name, "systemd"; /proc/PID/exe may already show the service.
          std::string comm(r.path, strnlen(r.path, 16));
          bool manager_child = (comm.size() >= 2 && comm.front() == '(') || comm == "systemd" ||
                               comm == "systemd-executor";
          if (!manager_child) e.exe_path = read_link(proc + "/exe");
          // Gone already: keep at least its command name.
          if (e.exe_path.empty()) e.exe_path = "(comm " + comm + ")";
        }
        e.cwd = read_link(proc + "/cwd");
        e.ns_pid = namespace_pid(e.pid);
        break;
      case SDH_REC_HINT:
        e.kind = TraceEventKind::boundary_hint;
        e.hint = static_cast<int>(r.args[0]);
        break;
      default:
        return;
    }
    sink(e);
  }

  // Detailed syscalls the kernel counted instead of sending again (see
  // struct sdh_repeat_key): one event each, `count` times the first record.
  // Only absolute paths and addresses are counted so, so nothing is read from /proc.
  // A short key is the head of the struct, its tail stays zero.
  void dump_repeats(bpf_map* map, const EventCallback& sink) {
    sdh_repeat_key key{}, next{};
    sdh_repeat value{};
    const size_t size = bpf_map__key_size(map);
    if (size > sizeof(next)) return;
    const void* prev = nullptr;
    while (bpf_map__get_next_key(map, prev, &next, size) == 0) {
      if (bpf_map__lookup_elem(map, &next, size, &value, sizeof(value), 0) == 0 && value.count > 0) {
        TraceEvent e;
        e.kind = TraceEventKind::syscall;
        e.time_ns = value.last_ns;
        e.pid = static_cast<int>(next.pid);
        e.tid = e.pid;
        e.exe_key = next.exe_key;
        e.nr = next.nr;
        e.uid = next.uid;
        e.gid = next.gid;
        for (int i = 0; i < 6; ++i) e.args[i] = next.args[i];
        e.has_result = true;
        e.result = next.ret;
        if (next.flags & SDH_HAS_PATH) e.path.assign(next.text, strnlen(next.text, sizeof(next.text)));
        if (next.flags & SDH_HAS_DATA) e.sockaddr.assign(next.text, std::min<size_t>(next.data_len, sizeof(next.text)));
        e.count = value.count;
        sink(e);
      }
      key = next;
      prev = &key;
    }
  }

  // The array rows of the first programs (see slot_counts in profiler.bpf.c).
  void dump_slot_counts(const EventCallback& sink) {
    uint64_t key = 0, next = 0;
    const void* prev = nullptr;
    std::vector<std::pair<uint64_t, uint32_t>> slots;
    while (bpf_map__get_next_key(skel_->maps.exe_slots, prev, &next, sizeof(next)) == 0) {
      uint32_t slot;
      if (bpf_map__lookup_elem(skel_->maps.exe_slots, &next, sizeof(next), &slot, sizeof(slot), 0) == 0 &&
          slot < kMaxSlots)
        slots.emplace_back(next, slot);
      key = next;
      prev = &key;
    }
    for (const auto& [exe_key, slot] : slots) {
      for (uint32_t nr = 0; nr < kMaxNr; ++nr) {
        uint32_t index = slot * kMaxNr + nr;
        sdh_count value{};
        if (bpf_map__lookup_elem(skel_->maps.slot_counts, &index, sizeof(index), &value, sizeof(value), 0) != 0 ||
            value.count == 0)
          continue;
        TraceEvent e;
        e.kind = TraceEventKind::syscall_usage;
        e.exe_key = exe_key;
        e.nr = static_cast<int>(nr);
        e.count = value.count;
        e.first_ns = value.first_ns;
        e.last_ns = value.last_ns;
        e.time_ns = value.first_ns;
        sink(e);
      }
    }
  }

  void dump_counts(bpf_map* map, TraceEventKind kind, const EventCallback& sink) {
    sdh_count_key key{}, next{};
    sdh_count value{};
    const void* prev = nullptr;
    while (bpf_map__get_next_key(map, prev, &next, sizeof(next)) == 0) {
      if (bpf_map__lookup_elem(map, &next, sizeof(next), &value, sizeof(value), 0) == 0) {
        TraceEvent e;
        e.kind = kind;
        e.exe_key = next.exe_key;
        e.count = value.count;
        e.first_ns = value.first_ns;
        e.last_ns = value.last_ns;
        e.time_ns = value.first_ns;
        if (kind == TraceEventKind::capability) {
          e.capability = next.a;
          e.granted = next.b != 0;
        } else {
          e.nr = next.a;
          e.error = next.b;
        }
        sink(e);
      }
      key = next;
      prev = &key;
    }
  }

  TracerOptions options_;
  sdh_profiler_bpf* skel_ = nullptr;
  ring_buffer* rb_ = nullptr;
  int cgroup_fd_ = -1;
  bool sees_caps_ = true;
  std::string tracefs_;
  std::vector<std::string> notes_;
  const EventCallback* sink_ = nullptr;
  std::map<int, std::string> names_;
};

}  // namespace

bool ebpf_built() { return true; }

Result<std::unique_ptr<Tracer>> make_ebpf_tracer(const TracerOptions& options) {
  if (::geteuid() != 0) {
    return fail("the eBPF tracer needs root (BPF programs and tracepoints)", EPERM);
  }
  if (options.ring_buffer_bytes < 4096 || (options.ring_buffer_bytes & (options.ring_buffer_bytes - 1)) != 0) {
    return fail("the ring buffer size must be a power of two of at least 4096 bytes");
  }
  return std::unique_ptr<Tracer>(new EbpfTracer(options));
}

}  // namespace sdh::trace
