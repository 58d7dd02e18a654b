"""The SVG flamegraph in headless Chromium, used as a person would: hover
shows the tooltip's lines, the Search button (a prompt, as in
flamegraph.pl) highlights matches and shows the share of time they cover,
a click zooms and "Reset zoom" undoes it, and a profile too deep for the
screen opens as an icicle with its root in view. Skipped, saying why, when
Chromium is missing or will not start."""

import unittest

from headless_browser import Browser, BrowserUnavailable
from profiler_support import entry, run_profiled

FRAME = "document.querySelector(\"g.f[data-n^='%s']\")"


def widest(name):
    # The widest frame whose name starts with `name`.
    return ("Array.prototype.slice.call(document.querySelectorAll("
            "\"g.f[data-n^='%s']\")).sort(function(a,b){return "
            "b.getAttribute('data-w')-a.getAttribute('data-w')})[0]" % name)


SHARED = {}  # one browser and one pair of profiles for every test here


def setUpModule():
    try:
        SHARED["browser"] = Browser().__enter__()
    except BrowserUnavailable as reason:
        raise unittest.SkipTest("no headless browser: %s" % reason)
    SHARED["nested"] = run_profiled("nested.py")
    SHARED["deep"] = run_profiled("deep.py")


def tearDownModule():
    if "browser" in SHARED:
        SHARED.pop("browser").__exit__(None, None, None)


class BrowserCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.browser = SHARED["browser"]
        cls.nested = SHARED["nested"]
        cls.deep = SHARED["deep"]

    def open(self, run, query=""):
        page = self.browser.open(run.files["svg"], query)
        self.assertEqual(page.errors(), [])
        return page

    def share(self, name):
        stats = self.nested.stats()
        _, value = entry(stats, name, "nested")
        return 100.0 * value[3] / stats.total_tt


class Tooltips(BrowserCase):
    def test_tooltip_has_one_line_per_fact_and_hover_shows_it(self):
        page = self.open(self.nested)
        lines = page.evaluate(
            FRAME % "inner (" + ".getElementsByTagName('title')[0]"
            ".textContent.split('\\n')")
        self.assertEqual(len(lines), 3, lines)
        self.assertEqual(lines[0], "inner")
        self.assertRegex(lines[1], r"nested\.py:\d+$")
        self.assertRegex(lines[2], r"^[\d.]+ ms, [\d.]+%, own [\d.]+ ms, "
                                   r"60 calls$")
        x, y = page.centre_of(widest("inner ("))
        page.hover(x, y)
        shown = page.evaluate("document.getElementById('details').textContent")
        self.assertTrue(shown.startswith("inner  |  "), shown)
        self.assertIn("nested.py:", shown)


class Search(BrowserCase):
    def search(self, page, term):
        x, y = page.centre_of("document.getElementById('search')")
        message = page.click(x, y, prompt_answer=term)
        self.assertIsNotNone(message, "Search opened no prompt")
        self.assertIn("regular expression", message)
        return page.evaluate("document.getElementById('matched').textContent")

    def matched_share(self, text):
        self.assertRegex(text, r"^Matched: [\d.]+%$")
        return float(text.split()[1].rstrip("%"))

    def test_search_highlights_and_shows_the_matched_share(self):
        page = self.open(self.nested)
        text = self.search(page, "^inner ")
        self.assertAlmostEqual(self.matched_share(text), self.share("inner"),
                               delta=1.0)
        pink = page.evaluate(
            "Array.prototype.slice.call(document.querySelectorAll('g.f'))"
            ".filter(function(g){return g.getElementsByTagName('rect')[0]"
            ".style.fill})" ".map(function(g){return g.getAttribute('data-n')})")
        self.assertTrue(pink)
        self.assertTrue(all(name.startswith("inner (") for name in pink), pink)
        # Searching again resets first: the button toggles.
        self.assertEqual(
            page.evaluate("document.getElementById('search').textContent"),
            "Reset search")

    def test_a_match_inside_a_match_counts_once(self):
        page = self.open(self.nested)
        text = self.search(page, "^(outer|inner) ")
        self.assertAlmostEqual(self.matched_share(text), self.share("outer"),
                               delta=1.0)

    def test_search_from_the_address(self):
        page = self.open(self.nested, "?s=%5Emiddle%20")
        text = page.evaluate("document.getElementById('matched').textContent")
        self.assertAlmostEqual(self.matched_share(text), self.share("middle"),
                               delta=1.0)


class Zoom(BrowserCase):
    def test_click_zooms_and_reset_restores(self):
        page = self.open(self.nested)
        full = page.evaluate(FRAME % "all" +
                             ".getElementsByTagName('rect')[0].width.baseVal"
                             ".value")
        before = page.evaluate(widest("middle (") +
                               ".getElementsByTagName('rect')[0].width.baseVal"
                               ".value")
        self.assertLess(before, full * 0.99)
        x, y = page.centre_of(widest("middle ("))
        page.click(x, y)
        after = page.evaluate(widest("middle (") +
                              ".getElementsByTagName('rect')[0].width.baseVal"
                              ".value")
        self.assertAlmostEqual(after, full, delta=0.5)
        # outer's own call to spin() is beside middle, so it is hidden.
        hidden = page.evaluate(
            "Array.prototype.slice.call(document.querySelectorAll("
            "\"g.f[data-n^='spin (']\")).filter(function(g){"
            "return g.style.display==='none'}).length")
        self.assertGreater(hidden, 0)
        x, y = page.centre_of("document.getElementById('reset')")
        page.click(x, y)
        restored = page.evaluate(widest("middle (") +
                                 ".getElementsByTagName('rect')[0].width"
                                 ".baseVal.value")
        self.assertAlmostEqual(restored, before, delta=0.01)
        self.assertEqual(page.evaluate(
            "document.getElementById('reset').style.display"), "none")


class Views(BrowserCase):
    ROOT_BOX = ("(function(){var r=%s.getElementsByTagName('rect')[0]"
                ".getBoundingClientRect();return [r.top, r.bottom, "
                "window.innerHeight, window.scrollY];})()" % (FRAME % "all"))

    def test_a_shallow_profile_is_a_flame_with_the_root_in_view(self):
        page = self.open(self.nested)
        top, bottom, window, scrolled = page.evaluate(self.ROOT_BOX)
        self.assertEqual(scrolled, 0)
        self.assertLessEqual(bottom, window)
        child = page.evaluate(FRAME % "<module>" +
                              ".getBoundingClientRect().top")
        self.assertLess(child, top)  # callees above their callers

    def test_a_deep_profile_opens_as_an_icicle_with_the_root_in_view(self):
        page = self.open(self.deep)
        height = page.evaluate("document.documentElement.height.baseVal.value")
        top, bottom, window, scrolled = page.evaluate(self.ROOT_BOX)
        self.assertGreater(height, 2 * window)
        self.assertEqual(scrolled, 0)
        self.assertLessEqual(bottom, window)
        child = page.evaluate(FRAME % "<module>" +
                              ".getBoundingClientRect().top")
        self.assertGreater(child, top)  # callees below their callers
        # The button flips it into a flame, root at the bottom.
        x, y = page.centre_of("document.getElementById('view')")
        page.click(x, y)
        top, _, _, _ = page.evaluate(
            "(function(){window.scrollTo(0,0);return %s})()" % self.ROOT_BOX)
        self.assertGreater(top, height - 40)
        self.assertEqual(page.evaluate(
            "document.getElementById('view').textContent"), "Icicle view")


if __name__ == "__main__":
    unittest.main()
