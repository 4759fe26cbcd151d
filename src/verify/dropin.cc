// SPDX-License-Identifier: GPL-2.0-or-later
#include "verify/dropin.h"

#include <algorithm>
#include <limits>
#include <set>

#include <fmt/core.h>

#include "unit/directives.h"
#include "unit/loader.h"
#include "unit/value_syntax.h"

namespace sdh::verify {

// The unit parser's own reading (continuations, comments, sections), so a
// drop-in means here what it means to systemd; what systemd would ignore
// with a warning (a line without '=', an assignment before any section) is
// refused, since a drop-in sdharden works on is meant to say exactly that.
Result<std::vector<Directive>> parse_dropin(const std::string& text) {
  std::vector<unit::Diagnostic> diagnostics;
  auto assignments = unit::parse_unit_text(text, "drop-in", diagnostics);
  for (const auto& d : diagnostics) {
    // The file's form (a line without '=', an assignment before any
    // section) is refused; a note on it (a file ending in a continuation) is not.
    bool refused = d.severity == unit::Severity::error ||
                   (d.kind == unit::DiagnosticKind::syntax && d.severity != unit::Severity::note);
    if (refused)
      return fail(fmt::format("line {}: {}{}", d.location.line, d.message,
                              d.source_line.empty() ? "" : ": " + d.source_line));
  }
  std::vector<Directive> out;
  for (auto& a : assignments) out.push_back({a.section, a.key, a.value, a.location.line});
  return out;
}

std::string render_dropin(const std::vector<Directive>& directives, const std::string& header) {
  std::vector<std::string> sections;
  for (const auto& d : directives)
    if (std::find(sections.begin(), sections.end(), d.section) == sections.end()) sections.push_back(d.section);
  std::string text = header;
  for (const auto& s : sections) {
    if (!text.empty() && text.back() != '\n') text += '\n';
    if (&s != &sections.front() || !header.empty()) text += '\n';
    text += "[" + s + "]\n";
    for (const auto& d : directives)
      if (d.section == s) text += d.assignment() + "\n";
  }
  if (sections.empty()) text += "[Service]\n";  // an empty drop-in still parses
  return text;
}

bool Directive::exec_command() const { return unit::is_exec_command(section, key); }

std::string Directive::property() const {
  // Only the KEYEx property shows a command's prefixes, as flags.
  if (exec_command()) return key + "Ex";
  const unit::DirectiveInfo* row = unit::find_directive(section, key, "service");
  if (row && unit::find_spelling(*row, value, std::numeric_limits<int>::max())) return key + "Ex";
  return key;
}

std::string Directive::transient_assignment() const { return property() + "=" + value; }

std::vector<std::string> service_assignments(const std::vector<Directive>& directives) {
  std::vector<std::string> out;
  // Command lines are the service's, not its sandbox: a transient unit runs its own.
  for (const auto& d : directives)
    if (d.section == "Service" && !d.exec_command()) out.push_back(d.transient_assignment());
  return out;
}

std::optional<std::vector<std::string>> plain_entries(const std::string& value) {
  std::vector<std::string> words;
  if (!unit::split_words(value, false, words)) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& word : words) {
    bool plain = std::all_of(word.begin(), word.end(), [](char c) {
      return c > ' ' && c < 0x7f && c != '"' && c != '\'' && c != '\\' && c != '%';
    });
    if (!plain) return std::nullopt;
    out.push_back(word);
  }
  return out;
}

std::vector<Directive> one_entry_per_line(const std::vector<Directive>& directives) {
  std::vector<Directive> out;
  for (const auto& d : directives) {
    auto entries = unit::entries_restrict(d.key) ? plain_entries(d.value) : std::nullopt;
    if (!entries || entries->size() < 2) {
      out.push_back(d);
      continue;
    }
    for (const auto& e : *entries) {
      Directive one = d;
      one.value = e;
      out.push_back(std::move(one));
    }
  }
  return out;
}

}  // namespace sdh::verify
