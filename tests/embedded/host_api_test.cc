// tests/embedded/host_api_test.cc - host functions called as a plugin calls
// them, through the probe test plugin (api_probe.c)'s own handle (plugin ABI policies
// HOST-13 and the ABI 1.1 rows of docs/internals/plugin-abi.md).
#include <dlfcn.h>
#include <pyhooks/plugin.h>

#include <cstring>

#include "python_fixture.h"

namespace pyhooks::testing {
namespace {

// ABI 1.0's sizeof(pyhooks_code_info): what a plugin built then passes.
constexpr uint32_t kCodeInfoSize10 =
    offsetof(pyhooks_code_info, flags) + sizeof(pyhooks_code_info::flags);

template <typename Function>
Function probe_function(const char* symbol) {
  void* library =
      dlopen(plugin_path("probe").c_str(), RTLD_NOW | RTLD_NOLOAD);
  EXPECT_NE(library, nullptr) << "the probe plugin is not loaded";
  if (library == nullptr) return nullptr;
  auto function = reinterpret_cast<Function>(dlsym(library, symbol));
  dlclose(library);
  return function;
}

class HostApi : public PythonTest {
 protected:
  void SetUp() override {
    Load("probe");
    auto self =
        probe_function<pyhooks_plugin* (*)()>("pyhooks_test_probe_self");
    ASSERT_NE(self, nullptr);
    self_ = self();
    ASSERT_NE(self_, nullptr);
    api_ = self_->api;
  }

  pyhooks_plugin* self_ = nullptr;
  const pyhooks_host_api* api_ = nullptr;
};

TEST_F(HostApi, CodeInfoAcceptsEverySizeFromTheOldest) {
  ASSERT_TRUE(Run("def probe_named(a, b):\n    return a\n"));
  PyObject* code = Eval("probe_named.__code__");
  ASSERT_NE(code, nullptr);

  // A 1.0 plugin's struct, with canary bytes after it: filled, and not one
  // byte written past its struct_size.
  unsigned char buffer[sizeof(pyhooks_code_info) + 64];
  std::memset(buffer, 0xAB, sizeof(buffer));
  auto* old_info = reinterpret_cast<pyhooks_code_info*>(buffer);
  old_info->struct_size = kCodeInfoSize10;
  ASSERT_EQ(api_->code_info(self_, code, old_info), PYHOOKS_OK);
  EXPECT_STREQ(old_info->name, "probe_named");
  EXPECT_STREQ(old_info->qualname, "probe_named");
  EXPECT_STREQ(old_info->filename, kTestFile);
  EXPECT_EQ(old_info->flags, 0u);
  for (size_t i = kCodeInfoSize10; i < sizeof(buffer); ++i) {
    ASSERT_EQ(buffer[i], 0xAB) << "byte " << i << " past struct_size written";
  }

  // The current size works too; a size below 1.0's is refused.
  pyhooks_code_info info;
  info.struct_size = sizeof(info);
  EXPECT_EQ(api_->code_info(self_, code, &info), PYHOOKS_OK);
  EXPECT_EQ(info.first_line, 1);
  info.struct_size = kCodeInfoSize10 - 1;
  EXPECT_EQ(api_->code_info(self_, code, &info), PYHOOKS_E_INVALID);
  Py_DECREF(code);
}

}  // namespace
}  // namespace pyhooks::testing
