// tests/unit/elf_file_test.cc - the ELF checks that run before dlopen
// (plugin ABI policies LOADER-1, LOADER-3): a real plugin passes; cut or
// altered copies of it give one line, and are never mapped.
#include "loader/elf_file.h"

#include <gtest/gtest.h>
#include <link.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

namespace pyhooks {
namespace {

constexpr const char* kEntry = "pyhooks_plugin_entry";

std::string plugin_bytes(const std::string& variant) {
  const char* dir = std::getenv("PYHOOKS_TEST_PLUGIN_DIR");
  std::ifstream in(
      std::string(dir ? dir : "") + "/pyhooks_test_" + variant + ".so",
      std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string problem(const std::string& bytes) {
  auto facts = check_elf_memory(bytes.data(), bytes.size(), kEntry);
  return facts.ok() ? "(valid)" : facts.error();
}

ElfW(Ehdr) & header_of(std::string& bytes) {
  return *reinterpret_cast<ElfW(Ehdr)*>(bytes.data());
}

ElfW(Phdr) * segments_of(std::string& bytes) {
  return reinterpret_cast<ElfW(Phdr)*>(bytes.data() + header_of(bytes).e_phoff);
}

class ElfCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    good_ = plugin_bytes("basic");
    ASSERT_GT(good_.size(), 4096u) << "PYHOOKS_TEST_PLUGIN_DIR is not set";
  }
  std::string good_;
};

TEST_F(ElfCheck, ARealPluginPassesWithItsEntryInCode) {
  auto facts = check_elf_memory(good_.data(), good_.size(), kEntry);
  ASSERT_TRUE(facts.ok()) << facts.error();
  EXPECT_TRUE(facts->has_entry);
  ASSERT_FALSE(facts->executable.empty());
  bool in_code = false;
  for (const auto& range : facts->executable) {
    in_code = in_code || (facts->entry_address >= range.begin &&
                          facts->entry_address < range.end);
  }
  EXPECT_TRUE(in_code);
}

TEST_F(ElfCheck, EveryTruncationIsOneLine) {
  // Every cut point from the first bytes to the last; each is refused,
  // because the section headers sit at the end of the file.
  for (size_t size = 0; size < good_.size(); size += size < 256 ? 1 : 97) {
    std::string cut = good_.substr(0, size);
    std::string text = problem(cut);
    ASSERT_NE(text, "(valid)") << "cut at " << size;
    ASSERT_EQ(text.find('\n'), std::string::npos) << text;
  }
  EXPECT_EQ(problem(good_.substr(0, 3000)).rfind("the file is truncated: ", 0),
            0u)
      << problem(good_.substr(0, 3000));
  EXPECT_EQ(problem(good_.substr(0, 3)),
            "invalid ELF header (it is not an ELF file)");
}

TEST_F(ElfCheck, BitFlipsInTheHeadersGiveFactsOrOneLine) {
  // Every bit of the ELF and program headers, one at a time (the fuzzer,
  // tools/fuzz.sh, flips the rest of the file at random).
  size_t headers = sizeof(ElfW(Ehdr)) +
                   size_t{header_of(good_).e_phnum} * sizeof(ElfW(Phdr));
  for (size_t bit = 0; bit < headers * 8; ++bit) {
    std::string flipped = good_;
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    auto facts = check_elf_memory(flipped.data(), flipped.size(), kEntry);
    if (!facts.ok()) {
      ASSERT_FALSE(facts.error().empty()) << "bit " << bit;
      ASSERT_EQ(facts.error().find('\n'), std::string::npos) << facts.error();
    }
  }
}

TEST_F(ElfCheck, ForeignMachinesAndTypesAreNamed) {
  std::string other = good_;
  header_of(other).e_machine =
      EM_RISCV == header_of(other).e_machine ? EM_X86_64 : EM_RISCV;
  EXPECT_NE(problem(other).find("it was built for "), std::string::npos)
      << problem(other);

  std::string executable = good_;
  header_of(executable).e_type = ET_EXEC;
  EXPECT_EQ(problem(executable), "it is not a shared library (ELF type 2)");

  std::string swapped = good_;
  swapped[EI_DATA] =
      swapped[EI_DATA] == ELFDATA2LSB ? ELFDATA2MSB : ELFDATA2LSB;
  EXPECT_NE(problem(swapped).find("wrong byte order"), std::string::npos);
}

TEST_F(ElfCheck, SegmentsMustLieInTheFile) {
  std::string stretched = good_;
  ElfW(Phdr)* segments = segments_of(stretched);
  for (int i = 0; i < header_of(stretched).e_phnum; ++i) {
    if (segments[i].p_type == PT_LOAD) {
      segments[i].p_filesz = good_.size() * 2;
      segments[i].p_memsz = good_.size() * 2;
      break;
    }
  }
  EXPECT_NE(problem(stretched).find("a loadable segment ends at byte"),
            std::string::npos)
      << problem(stretched);

  std::string no_dynamic = good_;
  segments = segments_of(no_dynamic);
  for (int i = 0; i < header_of(no_dynamic).e_phnum; ++i) {
    if (segments[i].p_type == PT_DYNAMIC) segments[i].p_type = PT_NULL;
  }
  EXPECT_EQ(problem(no_dynamic),
            "it has no dynamic section (it is not a shared library)");

  std::string no_code = good_;
  segments = segments_of(no_code);
  for (int i = 0; i < header_of(no_code).e_phnum; ++i) {
    segments[i].p_flags &= ~PF_X;
  }
  EXPECT_EQ(problem(no_code), "it has no executable segment");
}

TEST_F(ElfCheck, AnEntryThatIsDataIsRefused) {
  std::string data_entry = plugin_bytes("entry_data");
  ASSERT_FALSE(data_entry.empty());
  EXPECT_EQ(problem(data_entry),
            "it exports pyhooks_plugin_entry as data (an object), not as a "
            "function; it is not a pyhooks plugin");
}

TEST_F(ElfCheck, WithoutSectionHeadersTheDynamicTablesAreRead) {
  // As sstrip leaves a library: the entry is found through DT_SYMTAB and
  // the hash table, where the dynamic linker finds it.
  auto with_sections = check_elf_memory(good_.data(), good_.size(), kEntry);
  ASSERT_TRUE(with_sections.ok()) << with_sections.error();
  for (const char* variant : {"basic", "entry_data", "no_entry"}) {
    std::string stripped = plugin_bytes(variant);
    header_of(stripped).e_shoff = 0;
    header_of(stripped).e_shnum = 0;
    header_of(stripped).e_shstrndx = 0;
    std::string original = plugin_bytes(variant);
    EXPECT_EQ(problem(stripped), problem(original)) << variant;
    auto facts = check_elf_memory(stripped.data(), stripped.size(), kEntry);
    auto expected = check_elf_memory(original.data(), original.size(), kEntry);
    if (facts.ok() && expected.ok()) {
      EXPECT_EQ(facts->has_entry, expected->has_entry) << variant;
      EXPECT_EQ(facts->entry_address, expected->entry_address) << variant;
    }
  }
}

TEST_F(ElfCheck, AMissingEntryIsAFactNotAProblem) {
  std::string bytes = plugin_bytes("no_entry");
  auto facts = check_elf_memory(bytes.data(), bytes.size(), kEntry);
  ASSERT_TRUE(facts.ok()) << facts.error();
  EXPECT_FALSE(facts->has_entry);
}

TEST_F(ElfCheck, FilesAreReadNotMapped) {
  // A directory and a missing file are answers, not crashes.
  EXPECT_EQ(check_elf_file("/", kEntry).error(), "it is not a regular file");
  EXPECT_EQ(check_elf_file("/nonexistent/x.so", kEntry)
                .error()
                .rfind("it cannot be read (", 0),
            0u);
}

}  // namespace
}  // namespace pyhooks
