import Foundation

/// Small `/bin/sh` strategy plugins, well-behaved and not, written into a scratch folder at test time (so
/// their exec bits never depend on a checkout). Each appends the pid of every process it starts to `pids`
/// in its working directory, so a test can check that none is left behind.
enum PluginFixture: String, CaseIterable {
    /// Answers `describe` and `resolve` properly; saves its input to `input`; declines workflow `decline`.
    case good
    /// Never answers: waits forever on a child `sleep`.
    case hang
    /// Answers correctly, but only after 3 s.
    case late
    /// Prints 5 MiB on stdout, then sleeps.
    case flood
    /// Answers something that is not JSON.
    case garbage
    /// Exits 1 after a long stderr ending in a message.
    case fails
    /// Answers in `scopelock.strategy/9`, a version scopelock does not speak.
    case otherProtocol = "other-protocol"
    /// Answers, then exits leaving a grandchild that holds stdout open and sleeps.
    case grandchild
    /// Exits without reading stdin (status 0 with a good answer, or `$FAIL` when that file exists).
    case ignoresInput = "ignores-input"
    /// Prints the file `answer` from its working directory.
    case replay

    /// The executable's file name.
    var fileName: String { "scopelock-strategy-" + rawValue }

    private static let describeAnswer =
        #"{"protocol":"scopelock.strategy/1","name":"fixture","version":"1.0","description":"a test plugin"}"#

    /// The script text.
    var script: String {
        let body: String
        switch self {
        case .good:
            body = """
            [ "$SCOPELOCK_PROTOCOL" = "scopelock.strategy/1" ] || { echo "SCOPELOCK_PROTOCOL is '$SCOPELOCK_PROTOCOL'" >&2; exit 3; }
            cat > input
            case "$1" in
            describe) printf '%s\\n' '\(Self.describeAnswer)' ;;
            resolve)
              if grep -q '"workflow":"decline"' input; then
                printf '%s\\n' '{"protocol":"scopelock.strategy/1","status":"declined","error":{"code":"no_plan","message":"nothing to do"}}'
              else
                printf '%s\\n\\n  \\n' '{"protocol":"scopelock.strategy/1","status":"resolved","agents":[{"name":"a","files":["x.swift"],"directories":[]}],"waves":[["a"]],"actions":[]}'
              fi ;;
            *) echo "unknown verb $1" >&2; exit 2 ;;
            esac
            """
        case .hang:
            body = """
            sleep 600 &
            echo $! >> pids
            wait
            """
        case .late:
            body = """
            cat > /dev/null
            sleep 5
            printf '%s\\n' '\(Self.describeAnswer)'
            """
        case .flood:
            body = """
            head -c 5242880 /dev/zero
            sleep 30
            """
        case .garbage:
            body = """
            cat > /dev/null
            printf 'Hello! This is not JSON.\\n'
            """
        case .fails:
            body = """
            cat > /dev/null
            head -c 6000 /dev/zero | tr '\\0' 'x' >&2
            echo >&2
            echo "cannot resolve: no luck" >&2
            exit 1
            """
        case .otherProtocol:
            body = """
            cat > /dev/null
            printf '%s\\n' '{"protocol":"scopelock.strategy/9","name":"fixture","version":"9.0","description":"from the future"}'
            """
        case .grandchild:
            body = """
            cat > /dev/null
            printf '%s\\n' '\(Self.describeAnswer)'
            sleep 600 &
            echo $! >> pids
            exit 0
            """
        case .ignoresInput:
            body = """
            printf '%s\\n' '\(Self.describeAnswer)'
            [ -f FAIL ] && { echo "gave up before reading" >&2; exit 5; }
            exit 0
            """
        case .replay:
            body = """
            cat > /dev/null
            cat answer
            """
        }
        return "#!/bin/sh\necho $$ >> pids\n" + body + "\n"
    }

    /// Writes the script into `directory` with mode 0755 and returns its path.
    @discardableResult
    func install(in directory: String) throws -> String {
        let path = directory + "/" + fileName
        try Data(script.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}
