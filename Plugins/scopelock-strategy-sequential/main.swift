import ScopeLockPluginKit
import ScopeLockStrategies

PluginMain.run(SequentialStrategy())
