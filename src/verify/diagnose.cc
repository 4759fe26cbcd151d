// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/diagnose.h"
#include "util/linux_names.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>
#include <sstream>

#include <fmt/format.h>

#include "profile/names.h"
#include "unit/value_writer.h"
#include "util/strings.h"

namespace sdh::verify {

namespace {

// errnos that mean "a rule said no" rather than "this went wrong".
const char* const kDenialErrnos[] = {"EPERM", "EACCES", "EAFNOSUPPORT", "EROFS", "ENOSYS"};

bool is_denial(const std::string& e) {
  for (const char* d : kDenialErrnos)
    if (e == d) return true;
  return false;
}

}  // namespace

void fill_operands(DeniedOperation& op) {
  const std::string& t = op.operation;
  size_t paren = t.find('(');
  if (paren != std::string::npos && paren > 0) {
    std::string name = t.substr(0, paren);
    if (std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
      op.syscall = name;
  }
  // The first quoted absolute path (strace quotes strings; sun_path too).
  static const std::regex quoted(R"re("(/[^"]*)")re");
  std::smatch m;
  if (std::regex_search(t, m, quoted)) op.path = m[1].str();
  static const std::regex family(R"re(\b(AF_[A-Z0-9]+|PF_[A-Z0-9]+)\b)re");
  if (op.syscall == "socket" || op.syscall == "socketpair") {
    if (std::regex_search(t, m, family)) {
      op.family = m[1].str();
      if (op.family.rfind("PF_", 0) == 0) op.family = "AF_" + op.family.substr(3);
    }
  }
}

std::vector<DeniedOperation> seccomp_kills(const std::string& kernel_log) {
  std::vector<DeniedOperation> out;
  static const std::regex audit(R"re(type=1326 .*?comm="([^"]*)".*? sig=(\d+) .*?syscall=(\d+))re");
  static const std::regex arch(R"re( arch=([0-9a-fA-F]+))re");
  std::istringstream in(kernel_log);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_search(line, m, audit)) continue;
    auto nr = to_number<int>(m[3].str());
    if (!nr) continue;
    // The audit record names the caller's architecture (AUDIT_ARCH_*, which
    // is also libseccomp's token): a foreign binary's numbers are its own.
    std::smatch am;
    uint32_t audit_arch = std::regex_search(line, am, arch) ? to_number<uint32_t>(am[1].str(), 16).value_or(0) : 0;
    std::string name = profile::syscall_name_of_arch(*nr, audit_arch);
    if (name.empty()) name = "syscall " + std::to_string(*nr);
    std::string sig = m[2] == "31" ? "SIGSYS" : "signal " + m[2].str();
    DeniedOperation op{name + "()", sig, "kernel audit", "comm=" + m[1].str() + ": " + line};
    if (name.find(' ') == std::string::npos) op.syscall = name;
    out.push_back(std::move(op));
  }
  return out;
}

std::vector<DeniedOperation> traced_denials(const std::string& strace_output) {
  std::vector<DeniedOperation> out;
  // "123 socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = -1 EAFNOSUPPORT (...)"
  static const std::regex failed(R"re(^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+-1\s+(E[A-Z0-9]+))re");
  static const std::regex unfinished(R"re(^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*?)(?:<unfinished \.\.\.>|$))re");
  static const std::regex killed(R"re(^(?:\[pid\s+)?(\d+)\]?\s+\+\+\+ killed by SIGSYS)re");
  std::map<std::string, std::string> last_call;  // pid -> "name(args"
  std::istringstream in(strace_output);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, failed)) {
      if (!is_denial(m[4])) continue;
      // Addresses differ between runs; they must not make two calls distinct.
      static const std::regex address("0x[0-9a-f]+");
      std::string args = std::regex_replace(m[3].str(), address, "0x..");
      DeniedOperation op{m[2].str() + "(" + args + ")", m[4], "trace", line};
      fill_operands(op);  // from the whole argument list, before it is shortened
      if (args.size() > 80) op.operation = m[2].str() + "(" + args.substr(0, 80) + "...)";
      out.push_back(std::move(op));
    } else if (std::regex_search(line, m, killed)) {
      auto it = last_call.find(m[1]);
      DeniedOperation op{it == last_call.end() ? "unknown call" : it->second + ")", "SIGSYS", "trace", line};
      fill_operands(op);
      out.push_back(std::move(op));
    } else if (std::regex_search(line, m, unfinished)) {
      last_call[m[1]] = m[2].str() + "(" + m[3].str().substr(0, 80);
    }
  }
  return out;
}

std::vector<DeniedOperation> journal_denials(const std::string& journal) {
  std::vector<DeniedOperation> out;
  struct Pattern {
    const char* text;
    const char* error;
  };
  static const Pattern patterns[] = {
      {"Address family not supported", "EAFNOSUPPORT"}, {"Operation not permitted", "EPERM"},
      {"Permission denied", "EACCES"},                  {"Read-only file system", "EROFS"},
      {"status=31/SYS", "SIGSYS"},                      {"Bad system call", "SIGSYS"},
      {"Function not implemented", "ENOSYS"},
  };
  std::istringstream in(journal);
  std::string line;
  while (std::getline(in, line))
    for (const auto& p : patterns)
      if (line.find(p.text) != std::string::npos) {
        out.push_back({"(from the journal)", p.error, "journal", line});
        break;
      }
  return out;
}

namespace {

// "Dec 03 10:00:01 host vnstatd[77]: Error: x" -> "Error: x"; "" for the
// manager's own lines (systemd[1]: ...) and lines without a "NAME[PID]: ".
std::string said_by_service(const std::string& line) {
  auto colon = line.find("]: ");
  if (colon == std::string::npos) return "";
  auto bracket = line.rfind('[', colon);
  if (bracket == std::string::npos) return "";
  auto name_start = line.rfind(' ', bracket);
  std::string name = line.substr(name_start == std::string::npos ? 0 : name_start + 1,
                                 bracket - (name_start == std::string::npos ? 0 : name_start + 1));
  if (name == "systemd" || name.empty()) return "";
  return trim(line.substr(colon + 3));
}

// Numbers vary between runs (PIDs, times, counters): compared as "#".
std::string without_numbers(const std::string& s) {
  std::string out;
  for (char c : s) {
    bool digit = c >= '0' && c <= '9';
    if (!digit) out += c;
    else if (out.empty() || out.back() != '#') out += '#';
  }
  return out;
}

}  // namespace

std::vector<DeniedOperation> journal_words(const std::string& culprit_journal, const std::string& baseline_journal,
                                           size_t limit) {
  std::set<std::string> before;
  for (const auto& l : lines_of(baseline_journal))
    if (auto w = said_by_service(l); !w.empty()) before.insert(without_numbers(w));
  std::vector<std::string> news;
  for (const auto& l : lines_of(culprit_journal))
    if (auto w = said_by_service(l); !w.empty() && before.insert(without_numbers(w)).second) news.push_back(w);
  std::vector<DeniedOperation> out;
  for (size_t i = news.size() > limit ? news.size() - limit : 0; i < news.size(); ++i) {
    // The daemon's text ends up in reasons and drop-in comments: escaped
    // (a "\r" would end a line for systemd's parser), and kept short.
    std::string said = unit::escape_for_display(news[i].size() > 200 ? news[i].substr(0, 200) + "..." : news[i]);
    out.push_back({"the daemon said: " + said, "exited", "journal", news[i]});
  }
  return out;
}

std::vector<DeniedOperation> only_in(const std::vector<DeniedOperation>& hardened,
                                     const std::vector<DeniedOperation>& baseline) {
  std::set<std::string> seen;
  for (const auto& b : baseline) seen.insert(b.key());
  std::vector<DeniedOperation> out;
  std::set<std::string> emitted;
  for (const auto& h : hardened)
    if (!seen.count(h.key()) && emitted.insert(h.key()).second) out.push_back(h);
  return out;
}

std::string documented_fallback(const DeniedOperation& op) {
  // Facts from the callers' documentation, not from one daemon's trace:
  // socket(7) for the *FORCE options (CAP_NET_ADMIN lifts the limit, the
  // plain option applies it), and the calls glibc and libsystemd retry the
  // older way when the kernel (or a filter) answers ENOSYS.
  struct Row {
    const char* syscall;
    const char* operand;  // in the operation's text; "" for any
    const char* error;
    const char* instead;
  };
  static const Row kRows[] = {
      {"setsockopt", "SO_SNDBUFFORCE", "EPERM", "sets SO_SNDBUF, capped at net.core.wmem_max"},
      {"setsockopt", "SO_RCVBUFFORCE", "EPERM", "sets SO_RCVBUF, capped at net.core.rmem_max"},
      {"clone3", "", "ENOSYS", "creates the thread or process with clone"},
      {"statx", "", "ENOSYS", "uses newfstatat"},
      {"faccessat2", "", "ENOSYS", "uses faccessat"},
      {"close_range", "", "ENOSYS", "closes the descriptors one by one"},
      {"pidfd_open", "", "ENOSYS", "tracks the child by its PID"},
      {"openat2", "", "ENOSYS", "uses openat"},
  };
  std::string syscall = op.syscall;
  if (syscall.empty()) syscall = op.operation.substr(0, op.operation.find('('));
  for (const auto& r : kRows) {
    if (op.error != r.error) continue;
    if (!*r.operand) {
      if (syscall == r.syscall) return r.instead;
      continue;
    }
    // A journal line names the option, not always the call.
    const bool names_option = op.operation.find(r.operand) != std::string::npos;
    if (names_option && (syscall == r.syscall || op.source == "journal")) return r.instead;
  }
  return "";
}

std::vector<DeniedOperation> without_fallbacks(std::vector<DeniedOperation> denied,
                                               std::vector<DeniedOperation>& set_aside) {
  std::vector<DeniedOperation> out;
  for (auto& d : denied) (documented_fallback(d).empty() ? out : set_aside).push_back(std::move(d));
  return out;
}

std::vector<std::string> environment_clues(const profile::Profile& failed_run,
                                           const std::function<bool(const std::string&)>& on_machine, size_t limit) {
  std::vector<std::string> network, paths;
  std::set<std::string> seen;
  for (const auto& e : failed_run.executables) {
    if (profile::is_service_manager(e.path)) continue;
    for (const auto& f : e.failures) {
      const std::string error = errno_name(f.error);
      const bool talks = f.operation == "connect" || f.operation == "sendto" || f.operation == "bind";
      if (talks && !f.detail.empty() && f.detail[0] != '/' &&
          (f.error == ECONNREFUSED || f.error == ENETUNREACH || f.error == EHOSTUNREACH ||
           f.error == EADDRNOTAVAIL || f.error == ETIMEDOUT)) {
        const char* why = f.error == ECONNREFUSED    ? "nothing listens there in the verifying host"
                          : f.error == EADDRNOTAVAIL ? "the verifying host has no such address"
                                                     : "the verifying host reaches no other machine";
        std::string clue = fmt::format("{}({}) -> {}: {}", f.operation, f.detail, error, why);
        if (seen.insert(clue).second) network.push_back(std::move(clue));
        continue;
      }
      // A path the daemon looked for in vain, which this machine has (a
      // socket of a service running here, a device, a file written at run time).
      if (on_machine && !f.detail.empty() && f.detail[0] == '/' && f.detail.rfind("/proc/", 0) != 0 &&
          (f.error == ENOENT || f.error == ENXIO || f.error == ENODEV) && seen.insert(f.detail).second &&
          on_machine(f.detail))
        paths.push_back(fmt::format("{} exists on this machine, not in the verifying host ({} -> {})", f.detail,
                                    f.operation, error));
    }
  }
  std::vector<std::string> out = std::move(network);
  out.insert(out.end(), paths.begin(), paths.end());
  if (out.size() > limit) {
    size_t more = out.size() - limit;
    out.resize(limit);
    out.push_back(fmt::format("and {} more", more));
  }
  return out;
}

}  // namespace sdh::verify
