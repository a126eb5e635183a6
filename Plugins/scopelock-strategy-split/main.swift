import ScopeLockPluginKit
import ScopeLockStrategies

PluginMain.run(SplitStrategy())
