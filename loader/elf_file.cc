// loader/elf_file.cc - ELF header, segment, dynamic-section and entry
// symbol checks on bytes read with pread (see elf_file.h).
#include "elf_file.h"

#include <fcntl.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

namespace pyhooks {

namespace {

#if defined(__x86_64__)
constexpr uint16_t kHostMachine = EM_X86_64;
#elif defined(__aarch64__)
constexpr uint16_t kHostMachine = EM_AARCH64;
#elif defined(__i386__)
constexpr uint16_t kHostMachine = EM_386;
#elif defined(__arm__)
constexpr uint16_t kHostMachine = EM_ARM;
#elif defined(__powerpc64__)
constexpr uint16_t kHostMachine = EM_PPC64;
#elif defined(__s390x__)
constexpr uint16_t kHostMachine = EM_S390;
#elif defined(__riscv)
constexpr uint16_t kHostMachine = EM_RISCV;
#else
#error "elf_file.cc: add this architecture's EM_ constant"
#endif

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
constexpr unsigned char kHostData = ELFDATA2LSB;
#else
constexpr unsigned char kHostData = ELFDATA2MSB;
#endif

#if __ELF_NATIVE_CLASS == 64
constexpr unsigned char kHostClass = ELFCLASS64;
#else
constexpr unsigned char kHostClass = ELFCLASS32;
#endif

// Bounds on tables, so that a corrupt count cannot make the check allocate
// or loop without end.
constexpr uint64_t kMaxDynamicEntries = 1 << 16;
constexpr uint64_t kMaxSymbols = 1 << 22;
constexpr uint64_t kMaxStringTable = 64 << 20;

// ELF32_ST_* and ELF64_ST_* are the same macros: st_info and st_other have
// one layout in both classes.

using Ehdr = ElfW(Ehdr);
using Phdr = ElfW(Phdr);
using Shdr = ElfW(Shdr);
using Sym = ElfW(Sym);
using Dyn = ElfW(Dyn);

std::string machine_name(uint16_t machine) {
  switch (machine) {
    case EM_X86_64:
      return "x86-64";
    case EM_AARCH64:
      return "aarch64";
    case EM_386:
      return "i386";
    case EM_ARM:
      return "arm";
    case EM_PPC64:
      return "ppc64";
    case EM_S390:
      return "s390x";
    case EM_RISCV:
      return "riscv";
    default:
      return "ELF machine " + std::to_string(machine);
  }
}

std::string symbol_type_name(unsigned type) {
  switch (type) {
    case STT_OBJECT:
      return "data (an object)";
    case STT_NOTYPE:
      return "a symbol without a type";
    case STT_TLS:
      return "thread-local data";
    case STT_GNU_IFUNC:
      return "an indirect function";
    case STT_SECTION:
      return "a section";
    default:
      return "symbol type " + std::to_string(type);
  }
}

// end = offset + size, false on overflow.
bool end_of(uint64_t offset, uint64_t size, uint64_t& end) {
  end = offset + size;
  return end >= offset;
}

class Checker {
 public:
  Checker(const ElfBytes& bytes, const char* entry_symbol)
      : bytes_(bytes), entry_symbol_(entry_symbol) {}

  Result<ElfFacts> run() {
    if (!check_header() || !check_segments() || !check_dynamic() ||
        (entry_symbol_ != nullptr && !find_entry())) {
      return Error{problem_};
    }
    return facts_;
  }

 private:
  bool fail(std::string problem) {
    problem_ = std::move(problem);
    return false;
  }

  bool truncated(const char* what, uint64_t end) {
    return fail("the file is truncated: " + std::string(what) +
                " ends at byte " + std::to_string(end) + " but the file has " +
                std::to_string(bytes_.size) + " bytes");
  }

  // [offset, offset + size) lies in the file; `what` names it otherwise.
  bool in_file(uint64_t offset, uint64_t size, const char* what) {
    uint64_t end = 0;
    if (!end_of(offset, size, end)) {
      return fail(std::string(what) + " has an impossible offset or size");
    }
    return end <= bytes_.size || truncated(what, end);
  }

  bool read(uint64_t offset, size_t size, void* out) {
    if (size == 0) {
      return true;  // an empty table: `out` may be null
    }
    return bytes_.read(offset, size, out) ||
           fail("the file could not be read at byte " + std::to_string(offset));
  }

  // True if [address, address + size) lies inside one PT_LOAD segment.
  bool in_loaded(uint64_t address, uint64_t size) const {
    uint64_t end = 0;
    if (!end_of(address, size, end)) {
      return false;
    }
    for (const ElfFacts::Range& range : loaded_) {
      if (address >= range.begin && end <= range.end) {
        return true;
      }
    }
    return false;
  }

  bool check_header() {
    unsigned char ident[EI_NIDENT] = {};
    if (bytes_.size < EI_NIDENT || !read(0, EI_NIDENT, ident) ||
        std::memcmp(ident, ELFMAG, SELFMAG) != 0) {
      return fail("invalid ELF header (it is not an ELF file)");
    }
    if (ident[EI_CLASS] != kHostClass) {
      return fail(std::string("wrong ELF class: it is ") +
                  (ident[EI_CLASS] == ELFCLASS32 ? "32-bit" : "not 64-bit") +
                  ", this machine's libraries are " +
                  (kHostClass == ELFCLASS64 ? "64-bit" : "32-bit"));
    }
    if (ident[EI_DATA] != kHostData) {
      return fail("wrong byte order for this machine (ELF data encoding " +
                  std::to_string(ident[EI_DATA]) + ")");
    }
    if (bytes_.size < sizeof(Ehdr)) {
      return truncated("the ELF header", sizeof(Ehdr));
    }
    if (!read(0, sizeof(Ehdr), &header_)) {
      return false;
    }
    if (header_.e_type != ET_DYN) {
      return fail("it is not a shared library (ELF type " +
                  std::to_string(header_.e_type) + ")");
    }
    if (header_.e_machine != kHostMachine) {
      return fail("it was built for " + machine_name(header_.e_machine) +
                  ", this machine is " + machine_name(kHostMachine));
    }
    if (header_.e_version != EV_CURRENT || ident[EI_VERSION] != EV_CURRENT) {
      return fail("invalid ELF header (unknown ELF version)");
    }
    if (header_.e_phentsize != sizeof(Phdr) || header_.e_phnum == 0 ||
        header_.e_phnum >= PN_XNUM) {
      return fail("invalid program header table");
    }
    return in_file(header_.e_phoff, uint64_t{header_.e_phnum} * sizeof(Phdr),
                   "the program header table");
  }

  bool check_segments() {
    segments_.resize(header_.e_phnum);
    if (!read(header_.e_phoff, segments_.size() * sizeof(Phdr),
              segments_.data())) {
      return false;
    }
    for (const Phdr& segment : segments_) {
      if (segment.p_type != PT_LOAD) {
        continue;
      }
      if (!in_file(segment.p_offset, segment.p_filesz, "a loadable segment")) {
        return false;
      }
      uint64_t end = 0;
      if (segment.p_filesz > segment.p_memsz ||
          !end_of(segment.p_vaddr, segment.p_memsz, end)) {
        return fail("a loadable segment has impossible sizes");
      }
      loaded_.push_back({segment.p_vaddr, end});
      if (segment.p_flags & PF_X) {
        facts_.executable.push_back({segment.p_vaddr, end});
      }
    }
    if (loaded_.empty()) {
      return fail("it has no loadable segments");
    }
    if (facts_.executable.empty()) {
      return fail("it has no executable segment");
    }
    return true;
  }

  // The dynamic section lies in the file and in a loaded segment, and the
  // addresses it gives the dynamic linker lie in loaded segments.
  bool check_dynamic() {
    const Phdr* dynamic = nullptr;
    for (const Phdr& segment : segments_) {
      if (segment.p_type == PT_DYNAMIC) {
        dynamic = &segment;
        break;
      }
    }
    if (dynamic == nullptr) {
      return fail("it has no dynamic section (it is not a shared library)");
    }
    uint64_t count = dynamic->p_filesz / sizeof(Dyn);
    if (count == 0 || count > kMaxDynamicEntries ||
        dynamic->p_filesz % sizeof(Dyn) != 0 ||
        dynamic->p_memsz < dynamic->p_filesz ||
        !in_loaded(dynamic->p_vaddr, dynamic->p_filesz)) {
      return fail("invalid dynamic section");
    }
    if (!in_file(dynamic->p_offset, dynamic->p_filesz, "the dynamic section")) {
      return false;
    }
    std::vector<Dyn> entries(count);
    if (!read(dynamic->p_offset, count * sizeof(Dyn), entries.data())) {
      return false;
    }
    for (const Dyn& entry : entries) {
      if (entry.d_tag == DT_NULL) {
        return true;
      }
      dynamic_.emplace(entry.d_tag, entry.d_un.d_val);  // the first counts
      if (holds_address(entry.d_tag) && !in_loaded(entry.d_un.d_ptr, 1)) {
        return fail("its dynamic section points outside its segments (tag " +
                    std::to_string(entry.d_tag) + ")");
      }
    }
    return fail("invalid dynamic section (no DT_NULL at its end)");
  }

  static bool holds_address(int64_t tag) {
    switch (tag) {
      case DT_PLTGOT:
      case DT_HASH:
      case DT_STRTAB:
      case DT_SYMTAB:
      case DT_RELA:
      case DT_INIT:
      case DT_FINI:
      case DT_REL:
      case DT_JMPREL:
      case DT_INIT_ARRAY:
      case DT_FINI_ARRAY:
      case DT_GNU_HASH:
      case DT_VERSYM:
      case DT_VERDEF:
      case DT_VERNEED:
        return true;
      default:
        return false;
    }
  }

  // Where .dynsym and its names are in the file.
  struct Tables {
    uint64_t symbols_offset = 0;
    uint64_t count = 0;
    uint64_t names_offset = 0;
    uint64_t names_size = 0;
  };

  bool tables_from_sections(Tables& tables) {
    if (header_.e_shentsize != sizeof(Shdr)) {
      return fail("invalid section header table");
    }
    if (!in_file(header_.e_shoff, uint64_t{header_.e_shnum} * sizeof(Shdr),
                 "the section header table")) {
      return false;
    }
    std::vector<Shdr> sections(header_.e_shnum);
    if (!read(header_.e_shoff, sections.size() * sizeof(Shdr),
              sections.data())) {
      return false;
    }
    const Shdr* symbols = nullptr;
    for (const Shdr& section : sections) {
      if (section.sh_type == SHT_DYNSYM) {
        symbols = &section;
        break;
      }
    }
    if (symbols == nullptr) {
      return fail("it has no dynamic symbol table");
    }
    if (symbols->sh_entsize != sizeof(Sym) ||
        symbols->sh_link >= sections.size() ||
        sections[symbols->sh_link].sh_type != SHT_STRTAB) {
      return fail("invalid dynamic symbol table");
    }
    const Shdr& strings = sections[symbols->sh_link];
    tables = {symbols->sh_offset, symbols->sh_size / sizeof(Sym),
              strings.sh_offset, strings.sh_size};
    return true;
  }

  // The file offset of [address, address + size), if a PT_LOAD's file part
  // holds it.
  bool file_offset(uint64_t address, uint64_t size, uint64_t& offset) const {
    uint64_t end = 0;
    if (!end_of(address, size, end)) {
      return false;
    }
    for (const Phdr& segment : segments_) {
      if (segment.p_type == PT_LOAD && address >= segment.p_vaddr &&
          end - segment.p_vaddr <= segment.p_filesz) {
        offset = segment.p_offset + (address - segment.p_vaddr);
        return true;
      }
    }
    return false;
  }

  bool read_at(uint64_t address, size_t size, void* out) {
    uint64_t offset = 0;
    return (file_offset(address, size, offset) && read(offset, size, out)) ||
           fail("invalid dynamic section (a table is outside the file)");
  }

  // Without section headers (sstrip): the tables the dynamic linker itself
  // uses, .dynsym's length from DT_HASH or DT_GNU_HASH.
  bool tables_from_dynamic(Tables& tables) {
    auto value = [this](int64_t tag) {
      auto it = dynamic_.find(tag);
      return it == dynamic_.end() ? std::optional<uint64_t>()
                                  : std::optional<uint64_t>(it->second);
    };
    auto symtab = value(DT_SYMTAB), strtab = value(DT_STRTAB),
         strsz = value(DT_STRSZ), syment = value(DT_SYMENT);
    if (!symtab || !strtab || !strsz || (syment && *syment != sizeof(Sym))) {
      return fail("it has no dynamic symbol table");
    }
    uint64_t count = 0;
    if (auto hash = value(DT_HASH)) {
      uint32_t header[2] = {};
      if (!read_at(*hash, sizeof(header), header)) {
        return false;
      }
      count = header[1];  // nchain: one entry per symbol
    } else if (auto gnu_hash = value(DT_GNU_HASH)) {
      if (!gnu_hash_count(*gnu_hash, count)) {
        return false;
      }
    } else {
      return fail("it has no symbol hash table");
    }
    uint64_t symbols_offset = 0, names_offset = 0;
    if (count > kMaxSymbols ||
        !file_offset(*symtab, count * sizeof(Sym), symbols_offset) ||
        !file_offset(*strtab, *strsz, names_offset)) {
      return fail("invalid dynamic symbol table");
    }
    tables = {symbols_offset, count, names_offset, *strsz};
    return true;
  }

  // One past the highest symbol index the GNU hash table reaches.
  bool gnu_hash_count(uint64_t address, uint64_t& count) {
    uint32_t header[4] = {};  // nbuckets, symoffset, bloom_size, bloom_shift
    if (!read_at(address, sizeof(header), header)) {
      return false;
    }
    if (header[0] > kMaxSymbols || header[2] > kMaxSymbols) {
      return fail("invalid symbol hash table");
    }
    uint64_t buckets_at =
        address + sizeof(header) + uint64_t{header[2]} * sizeof(ElfW(Addr));
    std::vector<uint32_t> buckets(header[0]);
    if (!read_at(buckets_at, buckets.size() * sizeof(uint32_t),
                 buckets.data())) {
      return false;
    }
    uint32_t last = 0;
    for (uint32_t bucket : buckets) {
      last = bucket > last ? bucket : last;
    }
    if (last < header[1]) {
      count = header[1];
      return true;
    }
    uint64_t chains_at = buckets_at + buckets.size() * sizeof(uint32_t);
    for (uint64_t index = last; index - header[1] < kMaxSymbols; ++index) {
      uint32_t chain = 0;
      if (!read_at(chains_at + (index - header[1]) * sizeof(uint32_t),
                   sizeof(chain), &chain)) {
        return false;
      }
      if (chain & 1) {
        count = index + 1;
        return true;
      }
    }
    return fail("invalid symbol hash table");
  }

  bool find_entry() {
    Tables tables;
    bool sections = header_.e_shoff != 0 && header_.e_shnum != 0;
    if (!(sections ? tables_from_sections(tables)
                   : tables_from_dynamic(tables))) {
      return false;
    }
    if (tables.count > kMaxSymbols || tables.names_size > kMaxStringTable) {
      return fail("invalid dynamic symbol table");
    }
    if (!in_file(tables.symbols_offset, tables.count * sizeof(Sym),
                 "the dynamic symbol table") ||
        !in_file(tables.names_offset, tables.names_size, "the symbol names")) {
      return false;
    }
    std::vector<Sym> table(tables.count);
    std::vector<char> names(tables.names_size);
    if (!read(tables.symbols_offset, table.size() * sizeof(Sym),
              table.data()) ||
        !read(tables.names_offset, names.size(), names.data())) {
      return false;
    }
    for (const Sym& symbol : table) {
      if (symbol.st_shndx != SHN_UNDEF && is_exported(symbol) &&
          has_name(names, symbol.st_name)) {
        return check_entry(symbol);
      }
    }
    return true;  // not defined: facts_.has_entry stays false
  }

  static bool is_exported(const Sym& symbol) {
    unsigned binding = ELF32_ST_BIND(symbol.st_info);
    unsigned visibility = ELF32_ST_VISIBILITY(symbol.st_other);
    return (binding == STB_GLOBAL || binding == STB_WEAK) &&
           (visibility == STV_DEFAULT || visibility == STV_PROTECTED);
  }

  bool has_name(const std::vector<char>& names, uint64_t at) const {
    size_t length = std::strlen(entry_symbol_);
    return at < names.size() && names.size() - at > length &&
           std::memcmp(&names[at], entry_symbol_, length) == 0 &&
           names[at + length] == '\0';
  }

  bool check_entry(const Sym& symbol) {
    unsigned type = ELF32_ST_TYPE(symbol.st_info);
    if (type != STT_FUNC) {
      return fail("it exports " + std::string(entry_symbol_) + " as " +
                  symbol_type_name(type) +
                  ", not as a function; it is not a pyhooks plugin");
    }
    for (const ElfFacts::Range& range : facts_.executable) {
      uint64_t end = 0;
      if (symbol.st_value >= range.begin && symbol.st_value < range.end &&
          end_of(symbol.st_value, symbol.st_size, end) && end <= range.end) {
        facts_.has_entry = true;
        facts_.entry_address = symbol.st_value;
        return true;
      }
    }
    return fail("its " + std::string(entry_symbol_) +
                " is not inside an executable segment");
  }

  const ElfBytes& bytes_;
  const char* entry_symbol_;
  Ehdr header_{};
  std::vector<Phdr> segments_;
  std::vector<ElfFacts::Range> loaded_;
  std::map<int64_t, uint64_t> dynamic_;  // d_tag -> value, first entry
  ElfFacts facts_;
  std::string problem_;
};

bool read_fully(int fd, uint64_t offset, size_t size, void* out) {
  auto* cursor = static_cast<char*>(out);
  while (size > 0) {
    ssize_t got = ::pread(fd, cursor, size, static_cast<off_t>(offset));
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got <= 0) {
      return false;
    }
    cursor += got;
    offset += static_cast<uint64_t>(got);
    size -= static_cast<size_t>(got);
  }
  return true;
}

}  // namespace

Result<ElfFacts> check_elf(const ElfBytes& bytes, const char* entry_symbol) {
  return Checker(bytes, entry_symbol).run();
}

Result<ElfFacts> check_elf_file(const std::string& path,
                                const char* entry_symbol) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    return Error{"it cannot be read (" + std::string(std::strerror(errno)) +
                 ")"};
  }
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  struct stat status {};
  if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
    return Error{"it is not a regular file"};
  }
  ElfBytes bytes;
  bytes.size = static_cast<uint64_t>(status.st_size);
  bytes.read = [fd](uint64_t offset, size_t size, void* out) {
    return read_fully(fd, offset, size, out);
  };
  return check_elf(bytes, entry_symbol);
}

Result<ElfFacts> check_elf_memory(const void* data, size_t size,
                                  const char* entry_symbol) {
  ElfBytes bytes;
  bytes.size = size;
  bytes.read = [data, size](uint64_t offset, size_t length, void* out) {
    if (offset > size || length > size - offset) {
      return false;
    }
    std::memcpy(out, static_cast<const char*>(data) + offset, length);
    return true;
  };
  return check_elf(bytes, entry_symbol);
}

}  // namespace pyhooks
