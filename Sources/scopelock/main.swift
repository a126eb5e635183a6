import ScopeLockLauncher

await Launcher.main()
