"""The three files: a pstats file that pstats and `python -m pstats` read on
this interpreter, collapsed stacks that add up to the profile's total, and
an SVG flamegraph that is valid XML, sized by time, and that headless
Chromium renders."""

import os
import shutil
import subprocess
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

from png_pixels import read_png
from profiler_support import PYTHON, WORKLOADS, entry, run_profiled

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def browser_environment():
    # Sanitizer runs preload their runtime; Chromium must not inherit it.
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


def frames(svg_path):
    root = ET.parse(svg_path).getroot()
    return root, [g for g in root.iter(SVG + "g") if g.get("class") == "f"]


class Outputs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.profiled = run_profiled("nested.py")

    def test_pstats_browser_reads_it(self):
        browser = subprocess.run(
            [PYTHON, "-m", "pstats", self.profiled.files["output"]],
            input="sort tottime\nstats 5\ncallers inner\nquit\n",
            capture_output=True, text=True, timeout=60)
        self.assertEqual(browser.returncode, 0, browser.stderr)
        self.assertIn("function calls", browser.stdout)
        self.assertIn("nested.py", browser.stdout)
        self.assertIn("(inner)", browser.stdout)
        self.assertNotIn("Traceback", browser.stderr)

    def test_pstats_totals_match_functions(self):
        stats = self.profiled.stats()
        self.assertEqual(stats.total_calls,
                         sum(value[1] for value in stats.stats.values()))
        stats.sort_stats("cumulative")  # sorting and printing must not fail
        with open(os.devnull, "w") as sink:
            stats.stream = sink
            stats.print_stats()
            stats.print_callers()
            stats.print_callees()

    def test_collapsed_stacks_add_up_to_the_total(self):
        stats = self.profiled.stats()
        lines = self.profiled.collapsed()
        self.assertTrue(lines)
        total_us = sum(count for _, count in lines)
        self.assertLessEqual(abs(total_us - stats.total_tt * 1e6), 2)
        # spin() is reached along exactly three call paths.
        tails = {tuple(f.split(" (")[0] for f in stack)[-3:]
                 for stack, _ in lines if stack[-1].startswith("spin (")}
        self.assertEqual(tails, {("<module>", "outer", "spin"),
                                 ("outer", "middle", "spin"),
                                 ("middle", "inner", "spin")})
        # Own time along a path equals the function's own time in pstats.
        _, spin = entry(stats, "spin", "nested")
        spin_us = sum(count for stack, count in lines
                      if stack[-1].startswith("spin ("))
        self.assertAlmostEqual(spin_us / 1e6, spin[2], delta=len(lines) * 1e-6 + 1e-6)

    def test_svg_is_xml_with_a_tooltip_per_frame_and_widths_by_time(self):
        root, gs = frames(self.profiled.files["svg"])
        self.assertTrue(root.tag.endswith("svg"))
        self.assertGreater(len(gs), 5)
        for g in gs:
            self.assertIsNotNone(g.find(SVG + "title"))
            self.assertIsNotNone(g.find(SVG + "rect"))
            self.assertIsNotNone(g.find(SVG + "text"))
        all_frame = [g for g in gs if g.get("data-n") == "all"]
        self.assertEqual(len(all_frame), 1)
        full = float(all_frame[0].find(SVG + "rect").get("width"))
        stats = self.profiled.stats()
        _, outer = entry(stats, "outer", "nested")
        outer_width = sum(float(g.find(SVG + "rect").get("width")) for g in gs
                          if g.get("data-n", "").startswith("outer ("))
        self.assertAlmostEqual(outer_width / full, outer[3] / stats.total_tt,
                               delta=0.01)
        titles = [g.find(SVG + "title").text for g in gs
                  if g.get("data-n", "").startswith("inner (")]
        self.assertTrue(titles)
        self.assertIn("nested.py:", titles[0])
        # One line each: function, file:line, figures (real line breaks).
        self.assertEqual(len(titles[0].split("\n")), 3, titles[0])
        self.assertIn(" ms, ", titles[0])
        self.assertIn("60 calls", titles[0])

    @unittest.skipIf(CHROMIUM is None,
                     "chromium is not installed (tools/install-deps.sh "
                     "installs Debian's chromium)")
    def test_chromium_renders_the_svg(self):
        with tempfile.TemporaryDirectory() as scratch:
            png = os.path.join(scratch, "flamegraph.png")
            profile = os.path.join(scratch, "chromium-profile")
            result = subprocess.run(
                [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-quic", "--no-first-run",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--user-data-dir=" + profile, "--enable-logging=stderr",
                 "--v=0", "--screenshot=" + png, "--window-size=1200,800",
                 Path(self.profiled.files["svg"]).as_uri()],
                capture_output=True, text=True, timeout=90,
                env=browser_environment())
            self.assertTrue(os.path.exists(png),
                            "no screenshot:\n" + result.stderr[-3000:])
            self.assertNotIn("Uncaught", result.stderr)  # script errors
            self.assertGreater(os.path.getsize(png), 2000)
            width, height, channels, rows = read_png(png)
            self.assertEqual((width, height), (1200, 800))
            warm = 0
            for row in rows[::4]:
                for x in range(0, width * channels, channels * 4):
                    r, g, b = row[x], row[x + 1], row[x + 2]
                    if r >= 200 and b <= 60 and g <= 235:
                        warm += 1
            # Frames are drawn in the flamegraph's warm colours.
            self.assertGreater(warm, 500)


class EscapedNames(unittest.TestCase):
    def test_odd_names_and_paths(self):
        with tempfile.TemporaryDirectory() as scratch:
            odd_dir = Path(scratch) / "a;b&c<d"
            odd_dir.mkdir()
            script = odd_dir / "odd_names.py"
            shutil.copy(WORKLOADS / "odd_names.py", script)
            run = run_profiled(script, directory=scratch)
            _, gs = frames(run.files["svg"])  # parses: escaping is right
            names = {g.get("data-n").split(" (")[0] for g in gs}
            self.assertIn("naïve_π", names)
            self.assertIn("Ünïcode.méthode", names)
            self.assertIn("<lambda>", names)
            for stack, _ in run.collapsed():
                for frame in stack:
                    self.assertNotIn("\n", frame)
            stats = run.stats()
            _, value = entry(stats, "naïve_π", "odd_names")
            self.assertEqual(value[:2], (20, 20))
            _, value = entry(stats, "<lambda>", "odd_names")
            self.assertEqual(value[:2], (20, 20))


class CProfileParity(unittest.TestCase):
    """Call counts and caller-edge counts equal cProfile's for code without
    generators (cProfile 3.12+ counts every generator resume as a call)."""

    def compare(self, workload):
        import pstats
        run = run_profiled(workload)
        ours = run.stats()
        with tempfile.TemporaryDirectory() as scratch:
            reference_file = os.path.join(scratch, "cprofile.prof")
            done = subprocess.run(
                [PYTHON, "-m", "cProfile", "-o", reference_file,
                 str(WORKLOADS / workload)],
                capture_output=True, text=True, timeout=120)
            self.assertEqual(done.returncode, 0, done.stderr)
            reference = pstats.Stats(reference_file)

        def mine(stats):
            table = {}
            for key, (cc, nc, _, _, callers) in stats.stats.items():
                if not key[0].endswith(workload) or key[2] == "<module>":
                    continue
                edges = {c[2]: tuple(v[:2]) for c, v in callers.items()
                         if c[0].endswith(workload) and c[2] != "<module>"}
                table[key[1:]] = (cc, nc, edges)
            return table

        self.assertEqual(mine(ours), mine(reference))

    def test_recursion(self):
        self.compare("recursive.py")

    def test_nested(self):
        self.compare("nested.py")

    def test_exceptions(self):
        self.compare("exceptions.py")


if __name__ == "__main__":
    unittest.main()
