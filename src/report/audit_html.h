// SPDX-License-Identifier: GPL-2.0-or-later
// The host audit as one self-contained HTML file: no external resources, an
// inline SVG histogram of the exposure distribution and a sortable table.
#pragma once

#include <array>
#include <string>

#include "report/audit.h"

namespace sdh::report {

// Units per exposure bin: [0,1), [1,2), ... [9,10] (10.0 falls in the last).
std::array<int, 10> exposure_histogram(const AuditReport& report);

std::string html_escape(const std::string& text);
// Shared by the host and fleet pages: the band's colour, the page's style
// sheet and the script that sorts a table.sortable by a clicked header.
const char* band_color(exposure::Band b);
const char* html_style();
const char* html_sort_script();
// The histogram alone, as an <svg> element.
std::string exposure_histogram_svg(const AuditReport& report);
std::string audit_html(const AuditReport& report, const std::string& tool_version);

}  // namespace sdh::report
