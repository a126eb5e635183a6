import ScopeLockMCP

await MCPServerCommand.execute()
