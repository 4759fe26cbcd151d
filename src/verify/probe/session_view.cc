// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/probe/session_view.h"
#include "util/linux_names.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace sdh::probe {

namespace {

std::string status_field(const std::string& status, const std::string& name) {
  std::istringstream in(status);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(name + ":", 0) == 0) {
      std::string v = line.substr(name.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  return "?";
}

std::string slurp(const char* path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Words separated by single spaces: tabs and runs of spaces vary by kernel.
std::string squeeze(const std::string& text) {
  std::istringstream in(text);
  std::string word, out;
  while (in >> word) out += (out.empty() ? "" : " ") + word;
  return out;
}

// Whether root could write there: the kernel answers EROFS for a read-only
// mount without anything being written.
std::string writable(const char* path) {
  if (faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0) return "writable";
  if (errno == EROFS) return "read-only";
  return errno_name(errno);
}

size_t words(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  size_t n = 0;
  while (in >> word) ++n;
  return n;
}

long entries(const char* path) {
  DIR* d = opendir(path);
  if (!d) return -1;
  long n = 0;
  while (dirent* e = readdir(d))
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) ++n;
  closedir(d);
  return n;
}

// The mount at `point` in this process's view: its root within its file
// system (a private /tmp is a bind of /tmp/systemd-private-...) and options.
std::string mount_at(const std::string& point, bool options) {
  std::istringstream in(slurp("/proc/self/mountinfo"));
  std::string line, found = "none";
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, devno, root, mp, opts;
    f >> id >> parent >> devno >> root >> mp >> opts;
    if (mp != point) continue;
    // The super block options follow " - TYPE SOURCE ".
    size_t dash = line.find(" - ");
    std::string super = dash == std::string::npos ? "" : line.substr(dash + 3);
    std::istringstream sf(super);
    std::string type, source, sopts;
    sf >> type >> source >> sopts;
    found = options ? sopts : (root.find("/systemd-private-") != std::string::npos ? "private" : "shared");
  }
  return found;
}

std::string interfaces() {
  std::string out;
  if (struct if_nameindex* list = if_nameindex()) {
    for (struct if_nameindex* i = list; i->if_index != 0; ++i) out += (out.empty() ? "" : ",") + std::string(i->if_name);
    if_freenameindex(list);
  }
  return out.empty() ? "none" : out;
}

}  // namespace

void print_session_view(const std::string& out_path) {
  const std::string status = slurp("/proc/self/status");
  std::vector<std::pair<std::string, std::string>> facts = {
      {"capbnd", status_field(status, "CapBnd")},
      {"nnp", status_field(status, "NoNewPrivs")},
      {"seccomp", status_field(status, "Seccomp")},
      {"uid", squeeze(slurp("/proc/self/uid_map"))},
      {"etc", writable("/etc")},
      {"usr", writable("/usr")},
      {"var", writable("/var")},
      {"root-home", writable("/root") + " " + std::to_string(entries("/root")) + " entries"},
      {"home", writable("/home") + " " + std::to_string(entries("/home")) + " entries"},
      {"proc-sys", writable("/proc/sys/kernel")},
      {"cgroup", writable("/sys/fs/cgroup")},
      {"dev", std::to_string(entries("/dev")) + " entries"},
      {"tmp", mount_at("/tmp", false)},
      {"net", interfaces()},
      {"proc", "pid namespaces " + std::to_string(words(status_field(status, "NSpid"))) + ", " + mount_at("/proc", true)},
  };
  FILE* out = out_path.empty() ? nullptr : std::fopen(out_path.c_str(), "a");
  for (const auto& [key, value] : facts) {
    std::string line = "session " + key + " " + value + "\n";
    std::fputs(line.c_str(), stdout);
    if (out) std::fputs(line.c_str(), out);
  }
  if (out) std::fclose(out);
}

}  // namespace sdh::probe
