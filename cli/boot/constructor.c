/* cli/boot/constructor.c - what libpyhooks_boot.so does when it is loaded
 * (see boot.h). */
#include "boot.h"

__attribute__((constructor)) static void pyhooks_boot_library_loaded(
    int argc, char** argv, char** envp) {
  (void)envp;
  pyhooks_settle_main_stack(pyhooks_python_under_run());
  pyhooks_register_start_hook(argc, argv);
}
