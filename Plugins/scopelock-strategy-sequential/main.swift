import ScopeLockLauncher

// The multi-call executable under this strategy's name: it dispatches on argv[0] exactly as an installed link does.
await Launcher.main()
