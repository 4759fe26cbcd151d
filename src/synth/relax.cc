// SPDX-License-Identifier: GPL-2.0-or-later
// relax(): loosen or remove one directive after verification showed that it
// breaks the service, keeping the reason in the plan (and the drop-in).
#include <algorithm>
#include <map>

#include "synth/grant.h"
#include "synth/optimizer.h"
#include "synth/synth.h"
#include "unit/directives.h"
#include "unit/semantics.h"
#include "unit/value_syntax.h"

namespace sdh::synth {

namespace {

std::string rendered(const Directive& d) {
  std::string out;
  for (const auto& v : d.values) {
    if (v.empty()) continue;
    out += (out.empty() ? "" : " ") + d.key + "=" + v;
  }
  return out.empty() ? d.key + "=" : out;
}

// Directives that only make sense together with the relaxed one.
const std::map<std::string, std::vector<std::string>>& companions() {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"SystemCallFilter", {"SystemCallErrorNumber"}},
      {"IPAddressDeny", {"IPAddressAllow"}},
      {"SocketBindDeny", {"SocketBindAllow"}},
      {"DevicePolicy", {"DeviceAllow"}},
      {"DynamicUser", {"User"}},
      {"User", {"Group"}},  // the static user's primary group goes with it
  };
  return m;
}

// List-valued directives that can take one more item.
bool list_key(const std::string& key) {
  static const char* kKeys[] = {"SystemCallFilter", "RestrictAddressFamilies", "CapabilityBoundingSet",
                                "RestrictNamespaces", "SystemCallArchitectures", "IPAddressAllow",
                                "SocketBindAllow", "AmbientCapabilities"};
  return std::any_of(std::begin(kKeys), std::end(kKeys), [&](const char* k) { return key == k; });
}

// Directives that take one path/entry per line and may be added anew: those
// that only widen (unit/semantics.h), and a folder systemd makes.
bool additive_key(const std::string& key) {
  return unit::only_widens(key) || key == "RuntimeDirectory";
}

}  // namespace

Result<HardeningPlan> relax(const HardeningPlan& plan, const std::string& directive, const std::string& reason) {
  HardeningPlan out = plan;
  auto eq = directive.find('=');
  std::string key = directive.substr(0, eq);
  std::string item = eq == std::string::npos ? "" : directive.substr(eq + 1);
  if (key.empty()) return fail("relax: empty directive");
  auto it = std::find_if(out.directives.begin(), out.directives.end(),
                         [&](const Directive& d) { return d.key == key; });
  Relaxation rel{directive, "", "", reason};
  if (it == out.directives.end()) {
    if (item.empty() || !additive_key(key)) {
      return fail("relax: the plan has no " + key + "= directive");
    }
    Directive d;
    d.key = key;
    d.values = {item};
    d.justification = "relaxed: " + reason;
    d.rule = "relax";
    rel.to = key + "=" + item;
    out.directives.push_back(d);
  } else if (!item.empty() && unit::entries_restrict(key)) {
    // "InaccessiblePaths=-/etc/ssl/private": that entry stops being listed,
    // the others stay.
    rel.from = rendered(*it);
    bool found = false;
    for (auto& v : it->values) {
      std::vector<std::string> words, kept;
      if (!unit::split_words(v, false, words)) continue;
      for (auto& w : words) {
        if (w == item) found = true;
        else kept.push_back(std::move(w));
      }
      std::string joined;
      for (const auto& w : kept) joined += (joined.empty() ? "" : " ") + w;
      v = joined;
    }
    if (!found) return fail("relax: " + key + "= does not list " + item);
    std::erase(it->values, std::string());
    if (it->values.empty()) {
      out.directives.erase(it);
      out.not_set.push_back(NotSet{rel.from, "relaxed after verification: " + reason, "relax"});
    } else {
      it->justification += "; relaxed (" + item + " no longer listed): " + reason;
      rel.to = rendered(*it);
    }
  } else if (!item.empty() && list_key(key)) {
    rel.from = rendered(*it);
    // A deny-list line ("~@privileged ptrace") stops naming the item; the
    // allow-list (the last line that is not a deny-list) names it.
    for (auto& v : it->values) {
      if (v.empty() || v[0] != '~') continue;
      std::string words = " " + v.substr(1) + " ";
      for (size_t at; (at = words.find(" " + item + " ")) != std::string::npos;) words.erase(at, item.size() + 1);
      v = "~" + words.substr(1, words.size() > 1 ? words.size() - 2 : 0);
    }
    // In an allow-list, a later deny line removes what a group admits (the
    // call may sit in "~@privileged"): a line of its own after it admits it.
    std::string& last = it->values.back();
    auto first = std::find_if(it->values.begin(), it->values.end(), [](const std::string& v) { return !v.empty(); });
    bool deny_first = first != it->values.end() && first->front() == '~';
    if (last.empty() || last == "none" || last == "yes") {
      last = item;
    } else if (last[0] == '~') {
      if (!deny_first) it->values.push_back(item);  // a deny-list already lost the item above
    } else if ((" " + last + " ").find(" " + item + " ") == std::string::npos) {
      last += " " + item;
    }
    it->values.erase(std::remove(it->values.begin(), it->values.end(), std::string("~")), it->values.end());
    it->justification += "; relaxed: " + reason;
    rel.to = rendered(*it);
  } else if (!item.empty() && additive_key(key)) {
    Directive d = *it;
    d.values = {item};
    d.justification = "relaxed: " + reason;
    d.rule = "relax";
    rel.to = key + "=" + item;
    out.directives.push_back(d);
  } else {
    rel.from = rendered(*it);
    std::string next = looser_value(key, it->values.empty() ? "" : it->values.back());
    if (!next.empty()) {
      it->values = {next};
      // The evidence for the directive still holds for the weaker value.
      it->justification += "; relaxed from " + rel.from + ": " + reason;
      rel.to = rendered(*it);
    } else {
      out.directives.erase(std::remove_if(out.directives.begin(), out.directives.end(),
                                          [&](const Directive& d) { return d.key == key; }),
                           out.directives.end());
      auto comp = companions().find(key);
      if (comp != companions().end()) {
        for (const auto& k : comp->second) {
          out.directives.erase(std::remove_if(out.directives.begin(), out.directives.end(),
                                              [&](const Directive& d) { return d.key == k; }),
                               out.directives.end());
        }
      }
      out.not_set.push_back(NotSet{rel.from, "relaxed after verification: " + reason, "relax"});
    }
  }
  out.relaxed.push_back(rel);
  out.exposure_after_tenths = -1;
  if (auto ok = check_reads_back(out); !ok) return fail(ok.error());
  return out;
}

}  // namespace sdh::synth
