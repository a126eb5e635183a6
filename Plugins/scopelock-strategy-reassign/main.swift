import ScopeLockPluginKit
import ScopeLockStrategies

PluginMain.run(ReassignStrategy())
