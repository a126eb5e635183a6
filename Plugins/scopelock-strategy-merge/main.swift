import ScopeLockPluginKit
import ScopeLockStrategies

PluginMain.run(MergeStrategy())
