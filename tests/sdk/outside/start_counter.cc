// start_counter.cc - an observer written with pyhooks/plugin.hpp alone:
// counts the starts of functions named by its `function` option and writes
// "<function> <count>" to its `out` file at shutdown.
#include <pyhooks/plugin.hpp>

#include <cstdio>
#include <string>

namespace {

class StartCounter {
 public:
  static constexpr pyhooks_option_desc kOptions[] = {
      {"function", PYHOOKS_OPTION_STRING, "main", "function to count"},
      {"out", PYHOOKS_OPTION_STRING, "", "file to write the count to"},
  };

  explicit StartCounter(pyhooks::host host)
      : host_(host),
        function_(host.options(kOptions).string("function")),
        out_(host.options(kOptions).string("out")) {
    if (out_.empty()) throw pyhooks::init_error("option out is required");
  }

  pyhooks_status on_event(pyhooks_event event, const pyhooks_frame* frame) {
    if (event != PYHOOKS_EVENT_START) return PYHOOKS_OK;
    pyhooks_code_info info{};
    info.struct_size = sizeof(info);
    if (host_.api().code_info(host_.handle(), frame->code, &info) ==
            PYHOOKS_OK &&
        function_ == info.name) {
      ++starts_;
    }
    return PYHOOKS_OK;
  }

  void shutdown() {
    FILE* file = std::fopen(out_.c_str(), "w");
    if (file == nullptr) throw std::runtime_error("cannot write " + out_);
    std::fprintf(file, "%s %llu\n", function_.c_str(), starts_);
    std::fclose(file);
  }

 private:
  pyhooks::host host_;
  std::string function_;
  std::string out_;
  unsigned long long starts_ = 0;
};

constexpr pyhooks_plugin_desc kStartCounter = pyhooks::describe<StartCounter>({
    .name = "start_counter",
    .version = "1.0",
    .description = "counts the starts of one function",
    .roles = PYHOOKS_ROLE_OBSERVER,
    .events = PYHOOKS_EVENT_BIT(PYHOOKS_EVENT_START),
    .option_count = 2,
    .options = StartCounter::kOptions,
});

const pyhooks_plugin_desc* const kPlugins[] = {&kStartCounter};
const pyhooks_library_desc kLibrary = {sizeof(pyhooks_library_desc),
                                       PYHOOKS_ABI_MAJOR,
                                       PYHOOKS_TARGET_ABI_MINOR, 1, kPlugins};

}  // namespace

extern "C" PYHOOKS_EXPORT pyhooks_status
pyhooks_plugin_entry(pyhooks_negotiation* n) {
  return pyhooks_accept(n, &kLibrary);
}
