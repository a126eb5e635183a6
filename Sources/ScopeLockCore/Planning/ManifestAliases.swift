import CYaml
import ScopeLockProtocol

/// Bounds the work YAML aliases can cause before a manifest is composed.
///
/// Yams composes an alias as the node it names, shared, so a few hundred bytes of nested aliases
/// ("billion laughs") describe a tree of billions of nodes. Anything that walks that tree — Yams's
/// own duplicate-key check hashes mapping keys, the reader converts strategy options to JSON —
/// then runs for hours. This pass reads the text once with libyaml's event parser (linear, no
/// tree) and refuses a document whose aliases would add more than ``maximumAliasedNodes`` nodes.
/// Text that libyaml cannot parse is left for Yams, which reports the syntax error.
enum ManifestAliases {
    /// The most nodes aliases may add to a manifest, counting each alias as the size of what it names.
    static let maximumAliasedNodes = 100_000

    /// Throws `invalid_input` naming `path`, line and column when aliases expand too far.
    static func check(_ text: String, path: String) throws(ErrorInfo) {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return }
        let problem: (line: Int, column: Int)? = bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return nil }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return firstOverflow(&parser)
        }
        guard let problem else { return }
        var error = ErrorInfo(
            .invalidInput,
            "\(path):\(problem.line):\(problem.column): aliases here and before expand the manifest by more than \(maximumAliasedNodes) nodes; write the values out instead",
            file: path
        )
        error.line = problem.line
        error.column = problem.column
        throw error
    }

    /// Reads events until the end, a syntax error (nil), or the alias whose expansion passes the limit.
    private static func firstOverflow(_ parser: inout yaml_parser_t) -> (line: Int, column: Int)? {
        /// Node count of each anchored node, aliases expanded, capped just above the limit.
        var sizes: [String: Int] = [:]
        /// Open collections: their anchor and node count so far.
        var open: [(anchor: String?, size: Int)] = []
        var added = 0
        func anchorName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        func finish(_ size: Int, anchor: String?) {
            let capped = min(size, maximumAliasedNodes + 1)
            if let anchor { sizes[anchor] = capped }
            if !open.isEmpty { open[open.count - 1].size = min(open[open.count - 1].size + capped, maximumAliasedNodes + 1) }
        }
        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_DOCUMENT_START_EVENT:
                sizes = [:]
                open = []
            case YAML_SCALAR_EVENT:
                finish(1, anchor: anchorName(event.data.scalar.anchor))
            case YAML_SEQUENCE_START_EVENT:
                open.append((anchorName(event.data.sequence_start.anchor), 1))
            case YAML_MAPPING_START_EVENT:
                open.append((anchorName(event.data.mapping_start.anchor), 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                if let closed = open.popLast() { finish(closed.size, anchor: closed.anchor) }
            case YAML_ALIAS_EVENT:
                let size = anchorName(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                added += size
                if added > maximumAliasedNodes {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
                finish(size, anchor: nil)
            default:
                continue
            }
        }
    }
}
