import ScopeLockCommands

await ScopeLockCommand.execute()
