// SPDX-License-Identifier: GPL-2.0-or-later
// FileInspector backed by stat(2) and the files' own ELF headers.
#pragma once

#include "profile/inspector.h"

namespace sdh::trace {

class RealInspector final : public profile::FileInspector {
 public:
  std::optional<profile::FileFacts> inspect(const std::string& path) const override;
  std::string elf_machine(const std::string& path) const override;
  std::string interpreter(const std::string& path) const override;
  std::string resolve(const std::string& path) const override;
};

}  // namespace sdh::trace
