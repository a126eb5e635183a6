import ScopeLockCore

/// Prints a waiting acquire's progress on stderr: whom it waits for, and how long it has waited.
enum WaitProgressPrinter {
    @Sendable static func print(_ progress: WaitProgress) {
        let seconds = Int(progress.waited.components.seconds)
        let whom = progress.blockers.isEmpty ? "the scope to be free" : progress.blockers.joined(separator: ", ")
        Output.printError("\(progress.agent): waiting for \(whom) (\(seconds)s so far)")
    }
}
