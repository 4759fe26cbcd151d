// SPDX-License-Identifier: GPL-2.0-or-later
// The one writer for unit-file values and the drop-in round trip: whatever
// bytes a traced daemon puts into a file name, the drop-in either names the
// file exactly as systemd will read it or leaves it out, never anything else.
#include <gtest/gtest.h>

#include <random>

#include "support/dropin_property.h"
#include "synth/synth.h"
#include "unit/value_syntax.h"
#include "unit/value_writer.h"

namespace sdh {
namespace {

std::string random_text(std::mt19937& rng) {
  static const std::string kAlphabet =
      "abc/XYZ019 \t\"'\\%$:;=-+@!~.#\n\r\x01\x1b\x7f\xc3\xa9\xe2\x80\xa8\xff\xfe";
  std::uniform_int_distribution<size_t> len(0, 24), pick(0, kAlphabet.size() - 1);
  std::string s = rng() % 2 ? "/" : "";
  for (size_t n = len(rng); n > 0; --n) s += kAlphabet[pick(rng)];
  return s;
}

std::string undo_doubling(const std::string& w) {
  std::string out;
  for (size_t i = 0; i < w.size(); ++i) {
    out += w[i];
    if ((w[i] == '%' || w[i] == '$') && i + 1 < w.size() && w[i + 1] == w[i]) ++i;
  }
  return out;
}

TEST(ValueWriter, PathItemsReadBackExactlyOrAreRefused) {
  std::mt19937 rng(21);
  int written = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string s = random_text(rng);
    auto w = unit::write_path_item(s, i % 3 == 0 ? "-" : "");
    if (!w) continue;
    ++written;
    EXPECT_FALSE(unit::has_control_character(*w)) << *w;
    auto back = unit::read_list_items(*w);
    ASSERT_TRUE(back.has_value()) << *w;
    ASSERT_EQ(back->size(), 1u) << *w;
    EXPECT_EQ(unit::strip_path_prefixes((*back)[0]), s) << *w;
  }
  EXPECT_GT(written, 1000);  // the generator reaches writable paths too
}

TEST(ValueWriter, CommandLinesReadBackExactlyOrAreRefused) {
  std::mt19937 rng(22);
  for (int i = 0; i < 20000; ++i) {
    std::vector<std::string> argv = {"/usr/bin/install", random_text(rng), random_text(rng)};
    auto w = unit::write_command_line(argv, "+");
    if (!w) continue;
    EXPECT_FALSE(unit::has_control_character(*w)) << *w;
    ASSERT_EQ(w->front(), '+');
    std::vector<std::string> words;
    ASSERT_TRUE(unit::split_words(w->substr(1), true, words)) << *w;
    ASSERT_EQ(words.size(), argv.size()) << *w;
    for (size_t k = 0; k < argv.size(); ++k) EXPECT_EQ(undo_doubling(words[k]), argv[k]) << *w;
    // A bare ";" would end the command; quoted it is an argument.
    std::vector<std::string> raw;
    ASSERT_TRUE(unit::split_words(w->substr(1), false, raw));
    for (const auto& word : raw) EXPECT_NE(word, ";") << *w;
  }
}

TEST(ValueWriter, WritesWhatNeedsEscapingAndRefusesWhatCannotBeWritten) {
  EXPECT_EQ(*unit::write_path_item("/srv/my data", "-"), "\"-/srv/my data\"");
  EXPECT_EQ(*unit::write_path_item("/srv/%h", "-"), "-/srv/%%h");
  EXPECT_EQ(*unit::write_path_item("/var/lib/redis", "-"), "-/var/lib/redis");  // unchanged when plain
  EXPECT_EQ(*unit::write_path_item("/a:b"), "\"/a:b\"");                       // BindPaths= splits at colons
  EXPECT_FALSE(unit::write_path_item("/srv/d\nExecStartPre=+/tmp/x\n"));
  EXPECT_FALSE(unit::write_path_item("/srv/\xff"));  // not UTF-8
  EXPECT_FALSE(unit::write_path_item("/srv/../etc"));
  EXPECT_FALSE(unit::write_path_item("relative"));
  EXPECT_FALSE(unit::write_path("/srv/ends in blank "));
  EXPECT_EQ(*unit::write_path("/run/a b%"), "/run/a b%%");
  EXPECT_EQ(*unit::write_command_line({"/usr/bin/install", "-d", "/var/a $HOME"}, "+"),
            "+/usr/bin/install -d \"/var/a $$HOME\"");
  EXPECT_FALSE(unit::write_account_name("root\nExecStart=/x"));
  EXPECT_FALSE(unit::write_account_name("a b"));
  EXPECT_TRUE(unit::write_account_name("Debian-exim"));
  EXPECT_FALSE(unit::write_directory_name("a b"));
  EXPECT_FALSE(unit::write_directory_name("../x"));
  EXPECT_FALSE(unit::write_directory_name("x%n"));  // StateDirectory= expands specifiers
  EXPECT_FALSE(unit::write_command_line({"/opt/a$b"}, ""));
  EXPECT_EQ(*unit::write_command_line({"/bin/echo", "$x"}, ":"), ":/bin/echo \"$x\"");  // ":" expands nothing
  EXPECT_EQ(unit::escape_for_display("a\xc2\x9b" "31m\xe2\x80\xae"), "a\\xc2\\x9b31m\\xe2\\x80\\xae");
  EXPECT_EQ(unit::write_comment_text("a\nb\x1b[31m"), "a b [31m");
  EXPECT_EQ(unit::escape_for_display("a\nb\x1b"), "a\\nb\\x1b");
}

TEST(DropinProperty, NewlineInAFileNameInjectsNothing) {
  auto prof = testing::hostile_profile({"d\nExecStartPre=+/tmp/x\n"});
  EXPECT_EQ(testing::check_dropin_property(prof), "");
}

TEST(DropinProperty, SpacesQuotesPercentAndColonsAreWrittenSoTheyReadBack) {
  for (const char* name : {"my data", "%h", "a\"b", "it's", "c:d", "back\\slash", "$HOME", ";", "t\tab", "\xc3\xa9t\xc3\xa9"}) {
    SCOPED_TRACE(name);
    EXPECT_EQ(testing::check_dropin_property(testing::hostile_profile({name})), "");
  }
}

TEST(DropinProperty, HoldsForRandomNames) {
  std::mt19937 rng(2026);
  for (int i = 0; i < 200; ++i) {
    std::vector<std::string> names;
    for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) {
      std::string n = random_text(rng);
      while (!n.empty() && n[0] == '/') n.erase(0, 1);
      names.push_back(n);
    }
    auto profile = testing::hostile_profile(names);
    ASSERT_EQ(testing::check_dropin_property(profile), "") << "case " << i;
    ASSERT_EQ(testing::check_dropin_property(profile, /*fast=*/true), "") << "case " << i << " (fast scorer)";
  }
}

}  // namespace
}  // namespace sdh
