// plugins/profiler/flamegraph_script.h - the JavaScript inside the SVG
// flamegraph (flamegraph_svg.cc fills in the %NAME% numbers): placing the
// frames for the flame (root at the bottom) or icicle (root at the top)
// view, click-to-zoom, the details line on hover, and a search as
// flamegraph.pl has (a regular expression; matches in magenta, the share of
// the total time they cover shown as "Matched: N%"). It reads only the
// data-x/-w/-d/-n attributes the writer puts on each frame's <g>.
#pragma once

namespace profiler {

inline constexpr const char* kFlamegraphScript = R"JS(
(function () {
  var svg = document.documentElement;
  var frames = Array.prototype.slice.call(document.getElementsByClassName('f'));
  var details = document.getElementById('details');
  var reset = document.getElementById('reset');
  var searchButton = document.getElementById('search');
  var matched = document.getElementById('matched');
  var viewButton = document.getElementById('view');
  var W = %WIDTH%, PAD = %PAD%, CW = %CHAR%, FH = %FRAME%, TOP = %TOP%;
  var H = %HEIGHT%, BOTTOM = %BOTTOM%;
  var icicle = %ICICLE%;
  var zoomed = null;
  function fit(name, w) {
    var n = Math.floor((w - 6) / CW);
    if (n < 3) return '';
    return name.length <= n ? name : name.slice(0, n - 2) + '..';
  }
  function rowY(d) {
    return icicle ? TOP + d * FH : H - BOTTOM - (d + 1) * FH;
  }
  function place(g, x, w) {
    var r = g.getElementsByTagName('rect')[0];
    var t = g.getElementsByTagName('text')[0];
    var px = PAD + x * (W - 2 * PAD), pw = w * (W - 2 * PAD);
    var y = rowY(+g.getAttribute('data-d'));
    r.setAttribute('x', px.toFixed(2));
    r.setAttribute('width', Math.max(pw, 0).toFixed(2));
    r.setAttribute('y', y.toFixed(1));
    t.setAttribute('x', (px + 3).toFixed(2));
    t.setAttribute('y', (y + FH - 4.5).toFixed(1));
    t.textContent = fit(g.getAttribute('data-n'), pw);
  }
  function zoom(target) {
    zoomed = target;
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
    zoomed = null;
    frames.forEach(function (g) {
      g.style.display = '';
      g.style.opacity = '';
      place(g, +g.getAttribute('data-x'), +g.getAttribute('data-w'));
    });
    reset.style.display = 'none';
  }
  function redraw() {
    if (zoomed) zoom(zoomed); else unzoom();
    viewButton.textContent = icicle ? 'Flame view' : 'Icicle view';
  }
  function clearSearch() {
    frames.forEach(function (g) {
      g.getElementsByTagName('rect')[0].style.fill = '';
    });
    matched.textContent = ' ';
    searchButton.textContent = 'Search';
  }
  // Highlights the frames whose name matches `term` (a regular expression)
  // and shows the share of the total time they cover, counting a match
  // inside another match once.
  function search(term) {
    clearSearch();
    if (!term) return;
    var re;
    try {
      re = new RegExp(term);
    } catch (e) {
      matched.textContent = 'Bad search: ' + e.message;
      return;
    }
    var hits = [];
    frames.forEach(function (g) {
      if (re.test(g.getAttribute('data-n'))) {
        g.getElementsByTagName('rect')[0].style.fill = 'rgb(230,0,230)';
        hits.push({x: +g.getAttribute('data-x'), w: +g.getAttribute('data-w')});
      }
    });
    hits.sort(function (a, b) { return a.x - b.x || b.w - a.w; });
    var share = 0, end = -1;
    hits.forEach(function (h) {
      if (h.x >= end - 1e-9) {
        share += h.w;
        end = h.x + h.w;
      }
    });
    matched.textContent = 'Matched: ' + (100 * share).toFixed(1) + '%';
    searchButton.textContent = 'Reset search';
  }
  function askSearch() {
    if (searchButton.textContent !== 'Search') {
      clearSearch();
      return;
    }
    var term = window.prompt('Search for (a regular expression, e.g. ^json\\.)', '');
    if (term) search(term);
  }
  frames.forEach(function (g) {
    g.addEventListener('click', function () { zoom(g); });
    g.addEventListener('mouseover', function () {
      // One line, clear of the "Matched" text on the right.
      details.textContent = fit(g.getElementsByTagName('title')[0].textContent
          .split('\n').join('  |  '), W - 2 * PAD - 130);
    });
    g.addEventListener('mouseout', function () { details.textContent = ' '; });
  });
  reset.addEventListener('click', unzoom);
  searchButton.addEventListener('click', askSearch);
  viewButton.addEventListener('click', function () {
    icicle = !icicle;
    redraw();
  });
  window.addEventListener('keydown', function (e) {
    if (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) {
      e.preventDefault();
      if (searchButton.textContent !== 'Search') clearSearch();
      askSearch();
    }
  });
  var params = new URLSearchParams(window.location.search);
  if (params.get('view') === 'icicle') icicle = true;
  if (params.get('view') === 'flame') icicle = false;
  redraw();
  if (params.get('s')) search(params.get('s'));
})();
)JS";

}  // namespace profiler
