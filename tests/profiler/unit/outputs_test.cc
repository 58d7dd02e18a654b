// tests/profiler/unit/outputs_test.cc - the output side without Python: the
// marshal encoding (byte for byte), collapsed-stack rounding, output file
// names, and the module-name guess and globs behind include/exclude.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "collapsed_writer.h"
#include "frame_labels.h"
#include "marshal_writer.h"
#include "profile_merge.h"
#include "support_names.h"

namespace profiler {
namespace {

using pyhooks::support::guess_module;

std::string bytes(std::initializer_list<int> values) {
  std::string out;
  for (int v : values) out += static_cast<char>(v);
  return out;
}

TEST(MarshalWriter, SmallAndLargeIntegers) {
  MarshalWriter w;
  w.integer(5);
  w.integer(-2);
  EXPECT_EQ(w.bytes(), bytes({'i', 5, 0, 0, 0, 'i', 0xfe, 0xff, 0xff, 0xff}));
  MarshalWriter big;
  big.integer(int64_t{1} << 40);  // 15-bit digits: 0, 0, 1024
  EXPECT_EQ(big.bytes(), bytes({'l', 3, 0, 0, 0, 0, 0, 0, 0, 0, 4}));
  MarshalWriter negative;
  negative.integer(-(int64_t{1} << 40));
  EXPECT_EQ(negative.bytes(),
            bytes({'l', 0xfd, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 4}));
}

TEST(MarshalWriter, FloatsTextTuplesDicts) {
  MarshalWriter w;
  w.begin_dict();
  w.begin_tuple(2);
  w.real(1.5);
  w.text("\xc3\xa9");
  w.end_dict();
  EXPECT_EQ(w.bytes(), bytes({'{',  ')',  2,   'g', 0, 0, 0, 0,    0,    0,
                              0xf8, 0x3f, 'u', 2,   0, 0, 0, 0xc3, 0xa9, '0'}));
}

TEST(CodeFilter, ModuleGuesses) {
  EXPECT_EQ(guess_module("/usr/lib/python3.11/json/decoder.py", "/x"),
            "json.decoder");
  EXPECT_EQ(guess_module("/usr/lib/python3.11/json/__init__.py", "/x"), "json");
  EXPECT_EQ(guess_module("/v/lib/python3.12/site-packages/req/api.py", "/x"),
            "req.api");
  EXPECT_EQ(guess_module("/srv/app/pkg/mod.py", "/srv/app"), "pkg.mod");
  EXPECT_EQ(guess_module("<frozen importlib._bootstrap>", "/x"),
            "importlib._bootstrap");
  EXPECT_EQ(guess_module("<string>", "/x"), "<string>");
  EXPECT_EQ(guess_module("/home/me/src/myapp/models.py", "/tmp"),
            "home.me.src.myapp.models");
}

TEST(CodeFilter, IncludeExcludeRules) {
  CodeFilter only_app;
  ASSERT_EQ(only_app.add("myapp", true), "");
  EXPECT_TRUE(
      only_app.classify("/home/me/src/myapp/models.py", "/tmp").included);
  EXPECT_TRUE(
      only_app.classify("/home/me/src/myapp/__init__.py", "/tmp").included);
  EXPECT_FALSE(only_app.classify("/usr/lib/python3.12/json/decoder.py", "/tmp")
                   .included);
  EXPECT_FALSE(
      only_app.classify("/home/me/src/myapplication.py", "/tmp").included);

  CodeFilter no_json;
  ASSERT_EQ(no_json.add("json", false), "");
  EXPECT_FALSE(
      no_json.classify("/usr/lib/python3.12/json/decoder.py", "/t").included);
  EXPECT_TRUE(no_json.classify("/usr/lib/python3.12/jsonx.py", "/t").included);

  CodeFilter by_file;
  ASSERT_EQ(by_file.add("*/site-packages/*", false), "");
  ASSERT_EQ(by_file.add("helpers.py", false), "");
  EXPECT_FALSE(
      by_file.classify("/v/lib/python3.12/site-packages/a.py", "/t").included);
  EXPECT_FALSE(by_file.classify("/srv/x/helpers.py", "/t").included);
  EXPECT_TRUE(by_file.classify("/srv/x/main.py", "/t").included);

  CodeFilter exclude_wins;
  ASSERT_EQ(exclude_wins.add("app.*", true), "");
  ASSERT_EQ(exclude_wins.add("app.slow", false), "");
  EXPECT_TRUE(exclude_wins.classify("/s/app/fast.py", "/s").included);
  EXPECT_FALSE(exclude_wins.classify("/s/app/slow.py", "/s").included);

  CodeFilter bad;
  EXPECT_NE(bad.add("", true), "");
}

TEST(OutputFiles, SuffixesAndAbsolutePaths) {
  EXPECT_EQ(with_suffix("/a/b/run.prof", ".pid7"), "/a/b/run.pid7.prof");
  EXPECT_EQ(with_suffix("/a/b.d/run", ".pid7"), "/a/b.d/run.pid7");
  EXPECT_EQ(with_suffix("run.x.svg", ".thread-2"), "run.x.thread-2.svg");
  EXPECT_EQ(absolute_path("./out/p.prof", "/start"), "/start/out/p.prof");
  EXPECT_EQ(absolute_path("/abs/p.prof", "/start"), "/abs/p.prof");
  EXPECT_EQ(shown_path("/start/out/p.prof", "/start"), "out/p.prof");
  EXPECT_EQ(shown_path("/elsewhere/p.prof", "/start"), "/elsewhere/p.prof");
}

TEST(OutputFiles, DefaultNamesSkipTakenSets) {
  char pattern[] = "/tmp/pyhooks-prof-unit-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string dir = pattern;
  OutputSpec prof{"output", ".prof", true, false, {}};
  OutputSpec svg{"svg", ".svg", true, false, {}};
  const OutputSpec* specs[] = {&prof, &svg};
  const std::string out = dir + "/pyhooks-profile";
  EXPECT_EQ(free_default_stem(specs, 2, dir, ""), out + "/run-1");
  struct stat info;
  EXPECT_EQ(stat(out.c_str(), &info), 0);  // made when first needed
  std::ofstream(out + "/run-1.svg") << "taken";
  EXPECT_EQ(free_default_stem(specs, 2, dir, ""), out + "/run-2");
  // A child's files do not move the number on: they belong to the run.
  std::ofstream(out + "/run-2.pid9.prof") << "child";
  EXPECT_EQ(free_default_stem(specs, 2, dir, ".pid8"), out + "/run-2.pid8");
  EXPECT_EQ(free_default_stem(specs, 2, dir, ""), out + "/run-2");
  // The newest run gets the highest number, past gaps.
  std::ofstream(out + "/run-7.prof") << "taken";
  EXPECT_EQ(free_default_stem(specs, 2, dir, ""), out + "/run-8");
  EXPECT_EQ(check_default_directory(dir), "");
  // Exclusive writes refuse to replace; explicit ones replace atomically.
  int error_number = 0;
  EXPECT_NE(write_file(out + "/run-1.svg", "new", true, &error_number), "");
  EXPECT_EQ(error_number, EEXIST);  // what makes the profiler move on
  EXPECT_EQ(write_file(out + "/run-1.svg", "new", false), "");
  std::ifstream in(out + "/run-1.svg");
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, "new");
  for (const char* name : {"/run-1.svg", "/run-2.pid9.prof", "/run-7.prof"}) {
    std::remove((out + name).c_str());
  }
  rmdir(out.c_str());
  std::ofstream(out) << "a file";
  EXPECT_NE(check_default_directory(dir).find("is not a directory"),
            std::string::npos);
  std::remove(out.c_str());
  rmdir(dir.c_str());
}

TEST(Collapsed, CountsAddUpToTheRoundedTotal) {
  // Seven paths of 0.4 us each: rounding each would print 0s; the running
  // rounding keeps the total.
  CodeFilter filter;
  FunctionRegistry functions(&filter, "/s");
  for (int i = 0; i < 7; ++i) {
    std::string name = "f" + std::to_string(i);
    pyhooks_code_info info{};
    info.struct_size = sizeof(pyhooks_code_info);
    info.name = name.c_str();
    info.qualname = name.c_str();
    info.filename = "/s/m.py";
    info.first_line = i + 1;
    ASSERT_EQ(functions.intern(info), static_cast<uint32_t>(i));
  }
  ThreadProfile thread(1, 1, 0, 1u << 20);
  const char codes[7] = {};
  uint64_t t = 0;
  for (uint32_t fid = 0; fid < 7; ++fid) {
    thread.enter(t, fid, &codes[fid], true);
    thread.exit(t += 400, &codes[fid]);
  }
  std::vector<const ThreadProfile*> one{&thread};
  MergedProfile merged = merge_threads(one, functions.size(), false, 1.0);
  FrameLabels labels(functions, {});
  std::string text = collapsed_text(merged, labels);
  uint64_t sum = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    sum += std::stoull(line.substr(line.rfind(' ') + 1));
    EXPECT_EQ(line.find(';'), std::string::npos);  // all top level
    start = end + 1;
  }
  EXPECT_EQ(sum, 3u);  // round(2800 ns / 1000)
  EXPECT_NE(text.find("f1 (m.py:2) "), std::string::npos);
}

}  // namespace
}  // namespace profiler
