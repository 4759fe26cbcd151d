// SPDX-License-Identifier: GPL-2.0-or-later
// FileInspector: the facts ProfileBuilder needs from the file system at event
// time (device numbers, ELF machine, set-id bits). The real one lives in
// src/trace (it touches the OS); tests use FakeInspector.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace sdh::profile {

struct FileFacts {
  bool is_device = false;
  char device_type = 0;  // 'c' or 'b'
  uint32_t major = 0, minor = 0;
  bool setid = false;    // S_ISUID or S_ISGID
};

class FileInspector {
 public:
  virtual ~FileInspector() = default;
  // stat(2) of an absolute path; nullopt when it does not exist (any more).
  virtual std::optional<FileFacts> inspect(const std::string& path) const = 0;
  // "x86-64", "x86", "arm64", ... from the ELF header (following one "#!"
  // to the interpreter); "" when unreadable.
  virtual std::string elf_machine(const std::string& path) const = 0;
  // The "#!" interpreter of a script ("/usr/bin/perl"); "" for anything else.
  virtual std::string interpreter(const std::string& path) const = 0;
  // The file the kernel reaches through `path`, every symlink followed
  // ("/etc/exim4/private/key" -> "/etc/ssl/private/key"); "" when it does not
  // exist, cannot be resolved, is `path` itself, or a link on the way is
  // not root's (anyone could have planted it).
  virtual std::string resolve(const std::string& path) const = 0;
};

class FakeInspector final : public FileInspector {
 public:
  std::map<std::string, FileFacts> files;
  std::map<std::string, std::string> machines;
  std::map<std::string, std::string> interpreters;
  std::map<std::string, std::string> resolved;  // path -> what it resolves to
  std::optional<FileFacts> inspect(const std::string& path) const override {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  std::string elf_machine(const std::string& path) const override {
    auto it = machines.find(path);
    return it == machines.end() ? "" : it->second;
  }
  std::string interpreter(const std::string& path) const override {
    auto it = interpreters.find(path);
    return it == interpreters.end() ? "" : it->second;
  }
  std::string resolve(const std::string& path) const override {
    auto it = resolved.find(path);
    return it == resolved.end() ? "" : it->second;
  }
};

}  // namespace sdh::profile
