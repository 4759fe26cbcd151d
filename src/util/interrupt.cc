// SPDX-License-Identifier: GPL-2.0-or-later
#include "util/interrupt.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace sdh::interrupt {
namespace {

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::map<unsigned long, std::function<void()>>& registry() {
  static std::map<unsigned long, std::function<void()>> r;
  return r;
}
std::atomic<bool> g_interrupted{false};
std::function<void(int)> g_first_signal;  // set before the signal can arrive; read by the watcher
unsigned long g_next_id = 1;

sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void say(const std::string& text) { (void)!write(2, text.data(), text.size()); }

}  // namespace

void install(const std::string& program) {
  static std::once_flag once;
  std::call_once(once, [&] {
    sigset_t set = watched();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::thread([program, set] {
      int sig = 0;
      for (;;) {
        while (sigwait(&set, &sig) != 0) {
        }
        std::function<void(int)> stop;
        {
          std::lock_guard lock(registry_mutex());
          stop = std::exchange(g_first_signal, nullptr);
        }
        if (!stop) break;
        say(program + ": " + sigabbrev_np(sig) + ": stopping (again to abort)\n");
        stop(sig);
      }
      g_interrupted = true;
      say(program + ": interrupted (" + sigabbrev_np(sig) + "), cleaning up\n");
      // Held to the end: an owner being destroyed meanwhile waits here
      // instead of taking down what the cleanup is taking down.
      std::lock_guard lock(registry_mutex());
      auto& r = registry();
      for (auto it = r.rbegin(); it != r.rend(); ++it) it->second();
      say(program + ": cleaned up; exiting\n");
      _exit(128 + sig);
    }).detach();
  });
}

void restore_in_child() {
  sigset_t set = watched();
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

bool interrupted() { return g_interrupted; }

void on_first_signal(std::function<void(int)> stop) {
  std::lock_guard lock(registry_mutex());
  g_first_signal = std::move(stop);
}

Cleanup::Cleanup(std::function<void()> action) {
  std::lock_guard lock(registry_mutex());
  id_ = g_next_id++;
  registry()[id_] = std::move(action);
}

Cleanup::~Cleanup() {
  std::lock_guard lock(registry_mutex());
  registry().erase(id_);
}

}  // namespace sdh::interrupt
