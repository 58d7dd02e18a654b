// tests/unit/abi_layout_test.cc - every frozen ABI header stays a prefix of
// the current one (plugin ABI policy HOST-8).
//
// For each frozen version 1.N the build measures the record
// plugin-api/abi/layout-1.N.def twice (abi_layout_probe.c): against the
// frozen header, and against the current plugin.h built with
// PYHOOKS_TARGET_ABI_MINOR=N, as a plugin targeting 1.N would be. Every
// member must keep its offset, size and alignment, every struct may only
// grow, every constant keeps its value. The record itself is checked against
// the frozen header's text, so a member or constant missing from it fails too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "abi_layout_row.h"
#include "abi_layout_tables.h"

namespace {

struct Version {
  int major;
  int minor;
  const phl_table* frozen;
  const phl_table* current;
};

const std::vector<Version>& versions() {
  static const std::vector<Version> all = {
#define PYHOOKS_LAYOUT_VERSION(major, minor)               \
  {major, minor, &pyhooks_layout_frozen_##major##_##minor, \
   &pyhooks_layout_current_##major##_##minor},
      PYHOOKS_LAYOUT_VERSIONS
#undef PYHOOKS_LAYOUT_VERSION
  };
  return all;
}

std::string row_name(const phl_row& row) {
  return *row.member ? std::string(row.name) + "." + row.member : row.name;
}

// Differences between a frozen measurement and the current one; empty when
// the current header keeps the frozen one as its prefix.
std::vector<std::string> differences(const phl_table& frozen,
                                     const phl_table& current) {
  std::vector<std::string> out;
  if (frozen.count != current.count) {
    out.push_back("the two probes measured different records");
    return out;
  }
  for (size_t i = 0; i < frozen.count; ++i) {
    const phl_row& old_row = frozen.rows[i];
    const phl_row& new_row = current.rows[i];
    std::string name = row_name(old_row);
    switch (old_row.kind) {
      case PHL_MEMBER:
        if (old_row.offset != new_row.offset || old_row.size != new_row.size ||
            old_row.align != new_row.align) {
          out.push_back(name + ": offset/size/align " +
                        std::to_string(old_row.offset) + "/" +
                        std::to_string(old_row.size) + "/" +
                        std::to_string(old_row.align) + " became " +
                        std::to_string(new_row.offset) + "/" +
                        std::to_string(new_row.size) + "/" +
                        std::to_string(new_row.align));
        }
        break;
      case PHL_STRUCT:
        if (new_row.size < old_row.size || new_row.align != old_row.align) {
          out.push_back(name + ": shrank or changed alignment");
        }
        break;
      case PHL_CONSTANT:
        if (old_row.value != new_row.value) {
          out.push_back(name + ": " + std::to_string(old_row.value) +
                        " became " + std::to_string(new_row.value));
        }
        break;
      case PHL_STRING:
        if (std::string(old_row.text) != new_row.text) {
          out.push_back(name + ": \"" + old_row.text + "\" became \"" +
                        new_row.text + "\"");
        }
        break;
    }
  }
  return out;
}

// The header without comments and line continuations.
std::string without_comments(const std::string& source) {
  std::string out;
  for (size_t i = 0; i < source.size(); ++i) {
    if (source.compare(i, 2, "/*") == 0) {
      size_t end = source.find("*/", i + 2);
      i = end == std::string::npos ? source.size() : end + 1;
      out += ' ';
    } else if (source.compare(i, 2, "\\\n") == 0) {
      ++i;
    } else {
      out += source[i];
    }
  }
  return out;
}

// What a header declares: members of each struct in order, and the names of
// its object-like macros with a value (the record's subject).
struct Declared {
  std::map<std::string, std::vector<std::string>> members;
  std::set<std::string> constants;
};

Declared declared_in(const std::string& header) {
  static const std::set<std::string> not_recorded = {
      "PYHOOKS_ABI_MINOR", "PYHOOKS_TARGET_ABI_MINOR", "PYHOOKS_EXPORT"};
  Declared out;
  std::string text = without_comments(header);
  std::regex body(R"(struct\s+(\w+)\s*\{([^}]*)\})");
  std::regex pointer(R"(\(\s*\*\s*(\w+)\s*\))");
  std::regex word(R"(\w+)");
  for (std::sregex_iterator it(text.begin(), text.end(), body), end; it != end;
       ++it) {
    std::vector<std::string>& names = out.members[(*it)[1]];
    std::stringstream declarations((*it)[2].str());
    std::string declaration;
    while (std::getline(declarations, declaration, ';')) {
      std::smatch match;
      if (std::regex_search(declaration, match, pointer)) {
        names.push_back(match[1]);
        continue;
      }
      std::string last;
      for (std::sregex_iterator w(declaration.begin(), declaration.end(), word),
           w_end;
           w != w_end; ++w) {
        last = w->str();
      }
      if (!last.empty()) names.push_back(last);
    }
  }
  std::regex define(R"(#\s*define\s+(PYHOOKS_\w+)([ \t]+)\S)");
  for (std::sregex_iterator it(text.begin(), text.end(), define), end;
       it != end; ++it) {
    if (!not_recorded.count((*it)[1])) out.constants.insert((*it)[1]);
  }
  return out;
}

std::vector<std::string> missing_from_record(const Declared& header,
                                             const phl_table& record) {
  std::map<std::string, std::vector<std::string>> members;
  std::set<std::string> constants;
  for (size_t i = 0; i < record.count; ++i) {
    const phl_row& row = record.rows[i];
    if (row.kind == PHL_STRUCT) members[row.name];
    if (row.kind == PHL_MEMBER) members[row.name].push_back(row.member);
    if (row.kind == PHL_CONSTANT || row.kind == PHL_STRING) {
      constants.insert(row.name);
    }
  }
  std::vector<std::string> out;
  for (const auto& [name, names] : header.members) {
    if (members[name] != names) {
      out.push_back("struct " + name + ": the record lists other members");
    }
  }
  for (const std::string& name : header.constants) {
    if (!constants.count(name)) out.push_back("macro " + name);
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += "\n  " + line;
  return out;
}

TEST(AbiLayout, EveryFrozenVersionIsMeasured) {
  const char* root = std::getenv("PYHOOKS_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "PYHOOKS_SOURCE_DIR is not set";
  ASSERT_FALSE(versions().empty());
  EXPECT_EQ(versions().front().minor, 0);
}

TEST(AbiLayout, FrozenHeadersArePrefixesOfTheCurrentOne) {
  for (const Version& version : versions()) {
    std::vector<std::string> found =
        differences(*version.frozen, *version.current);
    EXPECT_TRUE(found.empty())
        << "plugin.h breaks the frozen ABI " << version.major << "."
        << version.minor << " (append only; see docs/internals/plugin-abi.md)"
        << joined(found);
  }
}

TEST(AbiLayout, RecordsNameEveryMemberAndConstant) {
  const char* root = std::getenv("PYHOOKS_SOURCE_DIR");
  ASSERT_NE(root, nullptr) << "PYHOOKS_SOURCE_DIR is not set";
  for (const Version& version : versions()) {
    std::string tag =
        std::to_string(version.major) + "." + std::to_string(version.minor);
    std::string header =
        read(std::string(root) + "/plugin-api/abi/plugin-" + tag + ".h");
    ASSERT_FALSE(header.empty()) << "no frozen header for " << tag;
    Declared declared = declared_in(header);
    EXPECT_GE(declared.members.size(), 8u);
    std::vector<std::string> missing =
        missing_from_record(declared, *version.frozen);
    EXPECT_TRUE(missing.empty()) << "plugin-api/abi/layout-" << tag
                                 << ".def is incomplete" << joined(missing);
  }
}

// The comparison and the parser can fail: they find a moved member, a changed
// constant and an unlisted member.
TEST(AbiLayout, ChecksDetectWhatTheyAreFor) {
  phl_row old_rows[] = {
      {PHL_MEMBER, "s", "a", 0, 4, 4, 0, ""},
      {PHL_CONSTANT, "PYHOOKS_X", "", 0, 0, 0, 1, ""},
  };
  phl_row new_rows[] = {
      {PHL_MEMBER, "s", "a", 8, 4, 4, 0, ""},
      {PHL_CONSTANT, "PYHOOKS_X", "", 0, 0, 0, 2, ""},
  };
  phl_table old_table = {old_rows, 2}, new_table = {new_rows, 2};
  EXPECT_EQ(differences(old_table, new_table).size(), 2u);
  EXPECT_TRUE(differences(old_table, old_table).empty());

  Declared declared = declared_in(
      "typedef struct s {\n  uint32_t a; /* c */\n  void (*f)(int x);\n} s;\n"
      "#define PYHOOKS_X \\\n  1\n#define PYHOOKS_F(x) (x)\n");
  EXPECT_EQ(declared.members["s"], (std::vector<std::string>{"a", "f"}));
  EXPECT_EQ(declared.constants, (std::set<std::string>{"PYHOOKS_X"}));
  EXPECT_EQ(missing_from_record(declared, old_table).size(), 1u);
}

}  // namespace
