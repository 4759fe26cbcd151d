// SPDX-License-Identifier: GPL-2.0-or-later
#include "report/audit_html.h"

#include <algorithm>

#include <fmt/core.h>

namespace sdh::report {
namespace {

// Small enough to read; sorts the table when a header is clicked.
constexpr const char* kScript = R"JS(
document.querySelectorAll('table.sortable th').forEach(function (th, col) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute('data-dir') !== 'asc';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('data-dir'); });
    th.setAttribute('data-dir', asc ? 'asc' : 'desc');
    var numeric = th.hasAttribute('data-numeric');
    rows.sort(function (a, b) {
      var x = a.cells[col].getAttribute('data-sort') || a.cells[col].textContent;
      var y = b.cells[col].getAttribute('data-sort') || b.cells[col].textContent;
      var r = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
)JS";

constexpr const char* kStyle = R"CSS(
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; } .meta { color: #666; margin-top: 0; }
.cards { display: flex; gap: 1em; flex-wrap: wrap; margin: 1em 0; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: .6em 1em; min-width: 7em; }
.card b { display: block; font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid #eee; vertical-align: top; }
th { cursor: pointer; user-select: none; background: #f6f6f6; position: sticky; top: 0; }
th[data-dir=asc]::after { content: " \25B2"; } th[data-dir=desc]::after { content: " \25BC"; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.band { color: #fff; border-radius: 3px; padding: 0 .4em; font-size: .85em; font-weight: 600; }
.path, .top { color: #555; font-size: .9em; } svg text { font: 11px system-ui, sans-serif; fill: #333; }
)CSS";

}  // namespace

const char* band_color(exposure::Band b) {
  switch (b) {
    case exposure::Band::ok: return "#2e7d32";
    case exposure::Band::medium: return "#f9a825";
    case exposure::Band::exposed: return "#ef6c00";
    case exposure::Band::unsafe: return "#c62828";
  }
  return "#777";
}

const char* html_style() { return kStyle; }
const char* html_sort_script() { return kScript; }

std::array<int, 10> exposure_histogram(const AuditReport& report) {
  std::array<int, 10> bins{};
  for (const auto& e : report.entries) {
    int bin = std::clamp(e.assessment.exposure_tenths / 10, 0, 9);
    ++bins[static_cast<std::size_t>(bin)];
  }
  return bins;
}

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string exposure_histogram_svg(const AuditReport& report) {
  auto bins = exposure_histogram(report);
  const int width = 640, height = 240, left = 40, bottom = 30, top = 16, bar_gap = 6;
  const int plot_w = width - left - 10, plot_h = height - bottom - top;
  int max_count = std::max(1, *std::max_element(bins.begin(), bins.end()));
  int bar_w = plot_w / 10;
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" aria-label=\"Services per exposure level\">\n",
      width, height);
  svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#999\"/>\n", left,
                     top + plot_h, left + plot_w);
  svg += fmt::format("<text x=\"4\" y=\"{}\">{}</text>\n", top + 10, max_count);
  svg += fmt::format("<text x=\"4\" y=\"{}\">0</text>\n", top + plot_h);
  for (int i = 0; i < 10; ++i) {
    int count = bins[static_cast<std::size_t>(i)];
    int h = count * plot_h / max_count;
    int x = left + i * bar_w + bar_gap / 2;
    int y = top + plot_h - h;
    auto band = exposure::band_for(i * 10);
    svg += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} service{} with exposure "
        "{}.0 to {}.9</title></rect>\n",
        x, y, bar_w - bar_gap, h, band_color(band), count, count == 1 ? "" : "s", i, i);
    if (count > 0) {
      svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n", x + (bar_w - bar_gap) / 2,
                         y - 3, count);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}–{}</text>\n", x + (bar_w - bar_gap) / 2,
                       top + plot_h + 16, i, i + 1);
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">exposure</text>\n", left + plot_w / 2,
                     height - 1);
  svg += "</svg>\n";
  return svg;
}

std::string audit_html(const AuditReport& report, const std::string& tool_version) {
  auto s = summarize(report);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  h += fmt::format("<title>sdharden audit: {}</title>\n", html_escape(report.host));
  h += "<style>" + std::string(kStyle) + "</style>\n</head>\n<body>\n";
  h += fmt::format("<h1>Service exposure on {}</h1>\n", html_escape(report.host));
  h += fmt::format(
      "<p class=\"meta\">{} services scored with systemd {} tables ({} mode){}; generated {} by sdharden {}.</p>\n",
      s.total, html_escape(report.systemd_version),
      report.entries.empty() ? "offline" : html_escape(report.entries.front().assessment.mode),
      report.root.empty() ? "" : ", root " + html_escape(report.root), html_escape(report.generated_at),
      html_escape(tool_version));
  h += "<div class=\"cards\">\n";
  const exposure::Band order[] = {exposure::Band::unsafe, exposure::Band::exposed, exposure::Band::medium,
                                  exposure::Band::ok};
  for (auto b : order) {
    h += fmt::format("<div class=\"card\" style=\"border-left:6px solid {}\"><b>{}</b>{}</div>\n", band_color(b),
                     s.per_band[static_cast<std::size_t>(b)], exposure::to_string(b));
  }
  h += fmt::format("<div class=\"card\"><b>{}</b>median</div>\n", tenths_text(s.median_tenths));
  if (!s.worst_unit.empty()) {
    h += fmt::format("<div class=\"card\"><b>{}</b>worst: {}</div>\n", tenths_text(s.worst_tenths),
                     html_escape(s.worst_unit));
  }
  h += "</div>\n<h2>Distribution</h2>\n" + exposure_histogram_svg(report);
  h += "<h2>Services</h2>\n<p class=\"meta\">Click a column header to sort.</p>\n";
  h += "<table class=\"sortable\">\n<thead><tr><th data-numeric>#</th><th>Unit</th><th>Scope</th>"
       "<th data-numeric>Exposure</th><th>Band</th><th>Largest contributors</th></tr></thead>\n<tbody>\n";
  int rank = 0;
  for (const auto& e : report.entries) {
    ++rank;
    std::string top;
    for (const auto& id : top_contributors(e.assessment, 4)) top += (top.empty() ? "" : " ") + html_escape(id);
    h += fmt::format(
        "<tr><td class=\"num\">{}</td><td>{}<div class=\"path\">{}</div></td><td>{}</td>"
        "<td class=\"num\" data-sort=\"{}\">{}</td><td data-sort=\"{}\"><span class=\"band\" "
        "style=\"background:{}\">{}</span></td><td class=\"top\">{}</td></tr>\n",
        rank, html_escape(e.unit), html_escape(e.path), html_escape(e.scope), e.assessment.exposure_tenths,
        tenths_text(e.assessment.exposure_tenths), static_cast<int>(e.assessment.band), band_color(e.assessment.band),
        exposure::to_string(e.assessment.band), top);
  }
  h += "</tbody>\n</table>\n";
  if (!report.skipped.empty()) {
    h += fmt::format("<h2>Not scored ({})</h2>\n<ul>\n", report.skipped.size());
    for (const auto& k : report.skipped) {
      h += fmt::format("<li>{} ({}): {}</li>\n", html_escape(k.unit), html_escape(k.scope), html_escape(k.reason));
    }
    h += "</ul>\n";
  }
  h += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return h;
}

}  // namespace sdh::report
