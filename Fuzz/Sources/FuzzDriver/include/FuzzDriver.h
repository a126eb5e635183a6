#ifndef SCOPELOCK_FUZZ_DRIVER_H
#define SCOPELOCK_FUZZ_DRIVER_H

/// Runs libFuzzer's driver on the harness's LLVMFuzzerTestOneInput.
///
/// SwiftPM links an executable target with its entry point renamed to `<Target>_main`, so each
/// harness defines that symbol and calls this instead of relying on libFuzzer's own `main`.
int scopelock_fuzz_main(int argc, char **argv);

#endif
