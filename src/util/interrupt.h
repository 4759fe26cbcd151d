// SPDX-License-Identifier: GPL-2.0-or-later
// Clean interruption: SIGINT and SIGTERM are taken by a watcher thread
// instead of killing the process outright, so that what a run set up (a
// container, files installed on a host, transient units) is taken down
// before it exits. Whatever owns such state registers a cleanup for as long
// as it holds it; on a signal the watcher runs them, newest first, says so
// on stderr and exits with 128 + the signal's number.
#pragma once

#include <functional>
#include <string>

namespace sdh::interrupt {

// Blocks SIGINT, SIGTERM and SIGHUP in this thread (call it before any
// other thread starts, so every thread inherits the mask) and starts the
// watcher. `program` names the process in the message.
void install(const std::string& program);

// In a child between fork() and exec(): the signals back to normal.
void restore_in_child();

// True once a signal arrived (long loops may stop early).
bool interrupted();

// For a command that stops on its own when asked (`profile`: stop tracing,
// write the profile): the first signal calls `stop` with its number instead
// of cleaning up and exiting; a second one cleans up and exits as usual.
void on_first_signal(std::function<void(int)> stop);

// A cleanup registered for the lifetime of this object.
class Cleanup {
 public:
  explicit Cleanup(std::function<void()> action);
  ~Cleanup();
  Cleanup(const Cleanup&) = delete;
  Cleanup& operator=(const Cleanup&) = delete;

 private:
  unsigned long id_;
};

}  // namespace sdh::interrupt
