// SPDX-License-Identifier: GPL-2.0-or-later
// Tracer: the interface between the profiler session and a kernel back-end.
// The eBPF back-end (ebpf_tracer.cc) is the real one; tests can drive
// ProfileBuilder directly with synthetic TraceEvents instead.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include "profile/trace_event.h"
#include "util/error.h"

namespace sdh::trace {

// What to follow: one process (started stopped, before its exec) and all its
// descendants, or every process of a cgroup v2 subtree.
struct TraceTarget {
  pid_t pid = 0;
  std::string cgroup_path;  // e.g. /sys/fs/cgroup/system.slice/nginx.service
};

struct TracerOptions {
  // Ring buffer for detailed events; power of two, at least one page.
  uint32_t ring_buffer_bytes = 4u << 20;
};

struct TracerCounters {
  uint64_t records = 0;         // records the kernel side submitted
  uint64_t ring_buffer_drops = 0;  // records lost because the ring buffer was full
  uint64_t map_drops = 0;          // counters lost because an aggregation map was full
  uint64_t repeats = 0;            // detailed syscalls counted as repeats of a record instead of sent
  uint64_t lost() const { return ring_buffer_drops + map_drops; }
};

using EventCallback = std::function<void(const TraceEvent&)>;

class Tracer {
 public:
  virtual ~Tracer() = default;
  // Attaches to the target. For a pid target the process must not have exec'd
  // yet (it waits for the caller) so that nothing escapes.
  virtual Result<void> start(const TraceTarget& target) = 0;
  // Delivers events that arrived, waiting up to timeout_ms for the first.
  virtual Result<void> poll(int timeout_ms, const EventCallback& sink) = 0;
  // Drains what is left and delivers the in-kernel aggregates (syscall usage,
  // failures, capability checks). Call once, at the end.
  virtual Result<void> finish(const EventCallback& sink) = 0;
  virtual TracerCounters counters() const = 0;
  // Tells the kernel side that user space placed a phase marker at now_ns
  // (CLOCK_MONOTONIC), so that what follows is stamped at or after it.
  virtual void mark(uint64_t now_ns) { (void)now_ns; }
  // Whether capability checks are observed (capability:cap_capable exists).
  virtual bool sees_capabilities() const = 0;
  // "ebpf", "fake", ...: recorded in the profile.
  virtual std::string name() const = 0;
  // Things worth telling the user (e.g. "mounted tracefs at ...").
  virtual std::vector<std::string> notes() const = 0;
};

// The eBPF back-end, or an error saying why it is unavailable (built without
// SDHARDEN_BPF, not root, kernel without the tracepoints, ...).
Result<std::unique_ptr<Tracer>> make_ebpf_tracer(const TracerOptions& options);

// True when this build contains the eBPF back-end.
bool ebpf_built();

}  // namespace sdh::trace
