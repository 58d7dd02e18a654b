// plugins/profiler/flamegraph_svg.cc - laying out the merged call tree as an
// SVG flamegraph (see flamegraph_svg.h).
#include "flamegraph_svg.h"

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
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
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

const char* kScript = R"JS(
(function () {
  var svg = document.documentElement;
  var frames = Array.prototype.slice.call(document.getElementsByClassName('f'));
  var details = document.getElementById('details');
  var reset = document.getElementById('reset');
  var W = %WIDTH%, PAD = %PAD%, CW = %CHAR%;
  function fit(name, w) {
    var n = Math.floor((w - 6) / CW);
    if (n < 3) return '';
    return name.length <= n ? name : name.slice(0, n - 2) + '..';
  }
  function place(g, x, w) {
    var r = g.getElementsByTagName('rect')[0];
    var t = g.getElementsByTagName('text')[0];
    var px = PAD + x * (W - 2 * PAD), pw = w * (W - 2 * PAD);
    r.setAttribute('x', px.toFixed(2));
    r.setAttribute('width', Math.max(pw, 0).toFixed(2));
    t.setAttribute('x', (px + 3).toFixed(2));
    t.textContent = fit(g.getAttribute('data-n'), pw);
  }
  function zoom(target) {
    var x0 = +target.getAttribute('data-x'), w0 = +target.getAttribute('data-w');
    var d0 = +target.getAttribute('data-d');
    frames.forEach(function (g) {
      var x = +g.getAttribute('data-x'), w = +g.getAttribute('data-w');
      var d = +g.getAttribute('data-d');
      var inside = x >= x0 - 1e-9 && x + w <= x0 + w0 + 1e-9;
      var below = d < d0 && x <= x0 + 1e-9 && x + w >= x0 + w0 - 1e-9;
      if (d >= d0 && inside) {
        g.style.display = '';
        g.style.opacity = '';
        place(g, (x - x0) / w0, w / w0);
      } else if (below) {
        g.style.display = '';
        g.style.opacity = '0.5';
        place(g, 0, 1);
      } else {
        g.style.display = 'none';
      }
    });
    reset.style.display = '';
  }
  function unzoom() {
    frames.forEach(function (g) {
      g.style.display = '';
      g.style.opacity = '';
      place(g, +g.getAttribute('data-x'), +g.getAttribute('data-w'));
    });
    reset.style.display = 'none';
  }
  frames.forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () {
      details.textContent = g.getElementsByTagName('title')[0].textContent
          .replace(/\n/g, '  ');
    });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
  });
  reset.addEventListener('click', unzoom);
})();
)JS";

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
      "#reset { fill: #06c; cursor: pointer; }\n"
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
  out += "<text id=\"reset\" x=\"" + number(kPad, 0) +
         "\" y=\"22\" style=\"display:none\">Reset zoom</text>\n";

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
    double y = height - kBottom - (item.depth + 1) * kFrameHeight;
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

  std::string script = replaced(kScript, "%WIDTH%", number(kWidth, 0));
  script = replaced(script, "%PAD%", number(kPad, 0));
  script = replaced(script, "%CHAR%", number(kCharWidth, 1));
  out +=
      "<script type=\"text/ecmascript\"><![CDATA[" + script + "]]></script>\n";
  out += "</svg>\n";
  return out;
}

}  // namespace profiler
