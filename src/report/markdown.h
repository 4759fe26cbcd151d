// Markdown helpers for reports (explain, PR comments): escaping and tables.
#pragma once

#include <string>
#include <vector>

namespace sdh::report {

// Escapes characters that Markdown would interpret in running text.
std::string md_escape(const std::string& text);
// `code` span that survives backticks inside the text.
std::string md_code(const std::string& text);
// A GitHub-flavoured table; cells are escaped and '|' / newlines neutralised.
std::string md_table(const std::vector<std::string>& headers,
                     const std::vector<std::vector<std::string>>& rows);
std::string md_heading(int level, const std::string& text);
std::string md_bullets(const std::vector<std::string>& items);

}  // namespace sdh::report
