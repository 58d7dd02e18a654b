// cli/new_plugin.cc - `pyhooks new-plugin NAME [--kind K] [--lang L] [--dir
// D]`.
//
// The project is the installed templates (share/pyhooks/new-plugin/*.in)
// with @NAME@, @KIND@, ... replaced; nothing is written unless every input
// is valid and the target directory is new or empty.
#include "new_plugin.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <system_error>
#include <utility>
#include <vector>

#include "commands.h"
#include "stage.h"

namespace pyhooks {

namespace {

namespace fs = std::filesystem;

constexpr const char* kFooter =
    R"TXT(NAME is a lower-case letter, then lower-case letters, digits or '_'
(it is also the C identifier, the library pyhooks_NAME.so and the test's
name).
The directory (default ./NAME) must be new or empty.

Then build, test and run it:
  cd NAME && cmake -S . -B b -DCMAKE_PREFIX_PATH=<pyhooks prefix>
  cmake --build b && ctest --test-dir b
  PYHOOKS_PLUGIN_PATH=b pyhooks run -p NAME app.py

Examples:
  pyhooks new-plugin counter
  pyhooks new-plugin fastpath --kind evaluator --lang c++ --dir src/fast)TXT";

const std::vector<std::string> kKinds = {"observer", "evaluator"};
const std::vector<std::string> kLanguages = {"c", "c++"};

// Why `name` cannot name a new plugin, or "" when it can.
std::string name_problem(const std::string& name) {
  constexpr size_t kMaxName = 64;  // the descriptor's limit
  if (name.empty()) return "the name is empty";
  if (name.size() > kMaxName) return "the name is longer than 64 bytes";
  if (name[0] < 'a' || name[0] > 'z') {
    return "the name must start with a lower-case letter";
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return std::string("'") + c +
             "' is not allowed (use lower-case letters, digits and '_')";
    }
  }
  return {};
}

struct Template {
  std::string source;  // in share/pyhooks/new-plugin
  std::string target;  // in the project
};

Result<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Error{"cannot read the template " + path.string() +
                 "; reinstall pyhooks (make build)"};
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string substitute(std::string text,
                       const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string marker = "@" + key + "@";
    for (size_t at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + value.size())) {
      text.replace(at, marker.size(), value);
    }
  }
  return text;
}

// Whether `dir` may receive the project: absent, or an empty directory.
std::string directory_problem(const fs::path& dir) {
  std::error_code error;
  fs::file_status status = fs::status(dir, error);
  if (status.type() == fs::file_type::not_found) return {};
  if (error) return dir.string() + ": " + error.message();
  if (!fs::is_directory(status)) {
    return dir.string() +
           " exists and is not a directory; choose another with --dir";
  }
  if (!fs::is_empty(dir, error) || error) {
    return dir.string() +
           " exists and is not empty; choose another with --dir, or remove "
           "it";
  }
  return {};
}

}  // namespace

CLI::App* add_new_plugin_command(CLI::App& app, NewPluginOptions& options) {
  CLI::App* command = app.add_subcommand(
      "new-plugin",
      "Write a small plugin project (CMake, source, README, test) to start "
      "from");
  command->add_option("NAME", options.name, "The plugin's name")->required();
  command
      ->add_option("--kind", options.kind,
                   "observer (receives frame events) or evaluator (runs "
                   "frames itself)")
      ->check(CLI::IsMember(kKinds));
  command->add_option("--lang", options.lang, "c (C11) or c++ (C++20)")
      ->check(CLI::IsMember(kLanguages));
  command->add_option("--dir", options.dir,
                      "Where to write it (default: ./NAME); new or empty");
  command->footer(kFooter);
  return command;
}

int new_plugin_command(const NewPluginOptions& options) {
  if (std::string problem = name_problem(options.name); !problem.empty()) {
    return usage_error("new-plugin: '" + options.name +
                       "' cannot name a plugin: " + problem);
  }
  fs::path dir =
      options.dir.empty() ? fs::path(options.name) : fs::path(options.dir);
  if (std::string problem = directory_problem(dir); !problem.empty()) {
    return usage_error("new-plugin: " + problem);
  }
  auto stage = locate_stage();
  if (!stage) {
    return usage_error("new-plugin: " + stage.error());
  }
  const fs::path templates =
      fs::path(stage.value().root) / "share" / "pyhooks" / "new-plugin";

  const bool cxx = options.lang == "c++";
  const std::string source = options.name + (cxx ? ".cc" : ".c");
  const bool observer = options.kind == "observer";
  const std::map<std::string, std::string> values = {
      {"NAME", options.name},
      {"KIND", options.kind},
      {"LANGUAGE", cxx ? "CXX" : "C"},
      {"LANG_NAME", cxx ? "C++" : "C"},
      {"SOURCE", source},
      {"PREFIX", stage.value().root},
      {"STANDARD", cxx ? "set(CMAKE_CXX_STANDARD 20)\n"
                         "set(CMAKE_CXX_STANDARD_REQUIRED ON)"
                       : "set(CMAKE_C_STANDARD 11)\n"
                         "set(CMAKE_C_STANDARD_REQUIRED ON)"},
      {"SUMMARY",
       observer ? "It counts the starts of one Python function (option "
                  "`function`,\ndefault `main`) and writes the count to a "
                  "file when the program exits."
                : "It runs every call of one Python function (option "
                  "`function`, default\n`main`) itself, timing it, and "
                  "writes the calls and the time to a file\nwhen the "
                  "program exits."}};
  const std::vector<Template> files = {
      {"CMakeLists.txt.in", "CMakeLists.txt"},
      {"README.md.in", "README.md"},
      {options.kind + (cxx ? ".cc.in" : ".c.in"), source},
      {"test-" + options.kind + ".py.in", "tests/test_" + options.name + ".py"},
  };

  // Read everything first: a broken installation writes nothing.
  std::vector<std::pair<fs::path, std::string>> outputs;
  for (const Template& file : files) {
    auto text = read_file(templates / file.source);
    if (!text) return usage_error("new-plugin: " + text.error());
    outputs.emplace_back(dir / file.target, substitute(text.value(), values));
  }
  for (const auto& [path, text] : outputs) {
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (error || !out) {
      return usage_error("new-plugin: cannot write " + path.string() +
                         (error ? " (" + error.message() + ")" : ""));
    }
  }

  std::cout << "wrote the " << options.kind << " plugin '" << options.name
            << "' (" << (cxx ? "C++" : "C") << ") in " << dir.string() << ":\n";
  for (const Template& file : files) std::cout << "  " << file.target << "\n";
  std::cout << "build and test it:\n  cd " << dir.string()
            << "\n  cmake -S . -B b -DCMAKE_PREFIX_PATH=" << stage.value().root
            << "\n  cmake --build b && ctest --test-dir b\n"
            << "run it:\n  PYHOOKS_PLUGIN_PATH=b " << stage.value().root
            << "/bin/pyhooks run -p " << options.name << " app.py\n";
  return 0;
}

}  // namespace pyhooks
