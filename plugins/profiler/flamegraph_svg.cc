// plugins/profiler/flamegraph_svg.cc - laying out the merged call tree as an
// SVG flamegraph (see flamegraph_svg.h).
#include "flamegraph_svg.h"

#include "flamegraph_script.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace profiler {

namespace {

constexpr double kWidth = 1200;
constexpr double kPad = 10;
constexpr double kFrameHeight = 16;
constexpr double kTop = 60;         // title, subtitle, details
constexpr double kBottom = 16;      // breathing room under the root
constexpr double kCharWidth = 7.2;  // 12px monospace
constexpr double kMinWidth = 0.1;
// A flamegraph taller than this opens as an icicle (root at the top), so
// that the root is on screen without scrolling.
constexpr double kFlameMaxHeight = 900;

std::string xml_escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters other than tab and line feed are not allowed
        // in XML 1.0; a tooltip's lines are separated by line feeds.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

// At most `chars` characters of `text` (UTF-8 aware), ".." marking a cut.
std::string fitted(const std::string& text, double width) {
  auto chars = static_cast<long>((width - 6) / kCharWidth);
  if (chars < 3) return "";
  size_t count = 0;
  size_t cut = std::string::npos;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (static_cast<long>(count) == chars - 2 && cut == std::string::npos) {
      cut = i;
    }
    ++count;
  }
  if (static_cast<long>(count) <= chars) return text;
  return text.substr(0, cut) + "..";
}

std::string number(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

// A warm colour, stable for a name (flamegraph.pl's "hot" palette).
std::string colour_for(const std::string& name, bool synthetic) {
  if (synthetic) return "rgb(200,200,205)";
  uint64_t hash = 1469598103934665603ull;
  for (char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  }
  double v1 = static_cast<double>(hash & 0xFFFF) / 65535.0;
  double v2 = static_cast<double>((hash >> 16) & 0xFFFF) / 65535.0;
  double v3 = static_cast<double>((hash >> 32) & 0xFFFF) / 65535.0;
  int r = 205 + static_cast<int>(50 * v3);
  int g = static_cast<int>(230 * v1);
  int b = static_cast<int>(55 * v2);
  return "rgb(" + std::to_string(r) + "," + std::to_string(g) + "," +
         std::to_string(b) + ")";
}

struct Placed {
  uint32_t node;
  uint32_t depth;
  double x;  // fraction of the root's width
  double w;
};

std::string replaced(std::string text, const std::string& key,
                     const std::string& value) {
  size_t at;
  while ((at = text.find(key)) != std::string::npos) {
    text.replace(at, key.size(), value);
  }
  return text;
}

}  // namespace

std::string flamegraph_svg(const MergedProfile& profile,
                           const FunctionRegistry& functions,
                           const FrameLabels& labels,
                           const FlamegraphTitle& heading) {
  const double usable = kWidth - 2 * kPad;
  const double total = static_cast<double>(profile.nodes[0].total_ns);

  // Lay out depth-first; children in name order, as flamegraph.pl does.
  std::vector<Placed> placed;
  uint32_t max_depth = 0;
  std::vector<Placed> pending{{0, 0, 0.0, 1.0}};
  while (!pending.empty()) {
    Placed item = pending.back();
    pending.pop_back();
    placed.push_back(item);
    max_depth = std::max(max_depth, item.depth);
    const MergedNode& node = profile.nodes[item.node];
    std::vector<uint32_t> children = node.children;
    std::sort(children.begin(), children.end(), [&](uint32_t a, uint32_t b) {
      return labels.of(profile.nodes[a]) < labels.of(profile.nodes[b]);
    });
    double x = item.x;
    for (uint32_t child : children) {
      double w =
          total > 0 ? static_cast<double>(profile.nodes[child].total_ns) / total
                    : 0.0;
      if (w * usable >= kMinWidth) {
        pending.push_back({child, item.depth + 1, x, w});
      }
      x += w;
    }
  }

  const double height = kTop + (max_depth + 1) * kFrameHeight + kBottom;
  const bool icicle = height > kFlameMaxHeight;
  std::string out;
  out.reserve(placed.size() * 400 + 4096);
  out += "<?xml version=\"1.0\" standalone=\"no\"?>\n";
  out += "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
         number(kWidth, 0) + "\" height=\"" + number(height, 0) +
         "\" viewBox=\"0 0 " + number(kWidth, 0) + " " + number(height, 0) +
         "\">\n";
  out +=
      "<style>\n"
      "text { font-family: monospace; font-size: 12px; fill: #000; }\n"
      ".f { cursor: pointer; }\n"
      ".f:hover rect { stroke: #000; stroke-width: 0.5; }\n"
      ".title { font-size: 17px; text-anchor: middle; }\n"
      ".sub { fill: #555; text-anchor: middle; }\n"
      ".button { fill: #06c; cursor: pointer; }\n"
      ".right { text-anchor: end; }\n"
      "</style>\n";
  out +=
      "<rect x=\"0\" y=\"0\" width=\"100%\" height=\"100%\" "
      "fill=\"#f8f8f2\"/>\n";
  out += "<text class=\"title\" x=\"" + number(kWidth / 2, 0) + "\" y=\"22\">" +
         xml_escaped(heading.title) + "</text>\n";
  out += "<text class=\"sub\" x=\"" + number(kWidth / 2, 0) + "\" y=\"40\">" +
         xml_escaped(heading.subtitle) + "</text>\n";
  out += "<text id=\"details\" x=\"" + number(kPad, 0) + "\" y=\"" +
         number(kTop - 6, 0) + "\"> </text>\n";
  out += "<text id=\"reset\" class=\"button\" x=\"" + number(kPad, 0) +
         "\" y=\"22\" style=\"display:none\">Reset zoom</text>\n";
  const std::string right = number(kWidth - kPad, 0);
  out += "<text id=\"search\" class=\"button right\" x=\"" + right +
         "\" y=\"22\">Search</text>\n";
  out += "<text id=\"view\" class=\"button right\" x=\"" + right +
         "\" y=\"40\">" + (icicle ? "Flame view" : "Icicle view") + "</text>\n";
  out += "<text id=\"matched\" class=\"right\" x=\"" + right + "\" y=\"" +
         number(kTop - 6, 0) + "\"> </text>\n";

  for (const Placed& item : placed) {
    const MergedNode& node = profile.nodes[item.node];
    bool is_root = item.node == 0;
    bool synthetic = is_root || node.fid >= kOverflowFid;
    std::string name = is_root ? std::string("all") : labels.of(node);
    std::string tooltip = name;
    if (!synthetic) {
      const FunctionInfo& function = functions[node.fid];
      tooltip = function.builtin
                    ? function.qualname + "\nC function"
                    : function.qualname + "\n" + function.filename + ":" +
                          std::to_string(function.first_line);
    }
    double ms = static_cast<double>(node.total_ns) / 1e6;
    double share = total > 0 ? 100.0 * node.total_ns / total : 0.0;
    tooltip += "\n" + number(ms, 3) + " ms, " + number(share, 2) + "%";
    if (!synthetic) {
      tooltip += ", own " + number(node.own_ns / 1e6, 3) + " ms, " +
                 std::to_string(node.calls) + " calls";
    }
    double px = kPad + item.x * usable;
    double pw = item.w * usable;
    double y = icicle ? kTop + item.depth * kFrameHeight
                      : height - kBottom - (item.depth + 1) * kFrameHeight;
    out += "<g class=\"f\" data-x=\"" + number(item.x, 9) + "\" data-w=\"" +
           number(item.w, 9) + "\" data-d=\"" + std::to_string(item.depth) +
           "\" data-n=\"" + xml_escaped(name) + "\"><title>" +
           xml_escaped(tooltip) + "</title><rect x=\"" + number(px, 2) +
           "\" y=\"" + number(y, 1) + "\" width=\"" + number(pw, 2) +
           "\" height=\"" + number(kFrameHeight - 1, 0) +
           "\" rx=\"2\" fill=\"" + colour_for(name, synthetic) +
           "\"/><text x=\"" + number(px + 3, 2) + "\" y=\"" +
           number(y + kFrameHeight - 4.5, 1) + "\">" +
           xml_escaped(fitted(name, pw)) + "</text></g>\n";
  }

  std::string script =
      replaced(kFlamegraphScript, "%WIDTH%", number(kWidth, 0));
  script = replaced(script, "%PAD%", number(kPad, 0));
  script = replaced(script, "%CHAR%", number(kCharWidth, 1));
  script = replaced(script, "%FRAME%", number(kFrameHeight, 0));
  script = replaced(script, "%TOP%", number(kTop, 0));
  script = replaced(script, "%HEIGHT%", number(height, 0));
  script = replaced(script, "%BOTTOM%", number(kBottom, 0));
  script = replaced(script, "%ICICLE%", icicle ? "true" : "false");
  out +=
      "<script type=\"text/ecmascript\"><![CDATA[" + script + "]]></script>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace profiler
