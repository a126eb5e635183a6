import Foundation
import ScopeLockProtocol

/// Where an etcd-backed store lives: the cluster's client endpoints and the key prefix under which one
/// workflow's locks are kept. Written `etcd://host:port[,host:port...]/prefix`.
public struct EtcdConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// One client endpoint, `host:port` (an IPv6 host in brackets).
    public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
        /// A name or an IP address (IPv6 without brackets).
        public let host: String
        /// The member's client port.
        public let port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `host:port`, with an IPv6 host in brackets.
        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    /// The prefix used when the URL names none.
    public static let defaultPrefix = "/scopelock"

    /// Tried in this order when one cannot be reached.
    public let endpoints: [Endpoint]
    /// The key prefix, starting with `/` and without a trailing one, e.g. `/scopelock/my-workflow`.
    public let prefix: String

    /// A configuration from parts; `prefix` must start with `/` and not end with one.
    public init(endpoints: [Endpoint], prefix: String) {
        self.endpoints = endpoints
        self.prefix = prefix
    }

    /// Parses `etcd://host:port[,host:port...][/prefix]`; throws `invalid_input` saying what is wrong.
    public init(parsing text: String) throws(ErrorInfo) {
        func invalid(_ problem: String) -> ErrorInfo {
            ErrorInfo(.invalidInput, "invalid store \(text.debugDescription): \(problem); use etcd://host:port[,host:port...]/prefix")
        }
        guard text.hasPrefix("etcd://") else { throw invalid("it does not start with etcd://") }
        let rest = text.dropFirst("etcd://".count)
        let hostsPart = rest.prefix { $0 != "/" }
        let pathPart = rest.dropFirst(hostsPart.count)
        var endpoints: [Endpoint] = []
        for item in hostsPart.split(separator: ",", omittingEmptySubsequences: false) {
            let host: Substring
            let portText: Substring
            if item.hasPrefix("[") {
                guard let close = item.firstIndex(of: "]"), item[item.index(after: close)...].hasPrefix(":") else {
                    throw invalid("endpoint \(String(item).debugDescription) is not [ipv6]:port")
                }
                host = item[item.index(after: item.startIndex)..<close]
                portText = item[item.index(close, offsetBy: 2)...]
            } else {
                guard let colon = item.lastIndex(of: ":") else { throw invalid("endpoint \(String(item).debugDescription) has no :port") }
                host = item[..<colon]
                portText = item[item.index(after: colon)...]
            }
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: ".-_:%"))
            guard !host.isEmpty, host.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
                throw invalid("endpoint \(String(item).debugDescription) has no valid host")
            }
            guard let port = Int(portText), (1...65535).contains(port), portText.allSatisfy(\.isASCII) else {
                throw invalid("endpoint \(String(item).debugDescription) has no valid port")
            }
            endpoints.append(Endpoint(host: String(host), port: port))
        }
        guard !endpoints.isEmpty else { throw invalid("no endpoint given") }
        var segments: [Substring] = []
        for segment in pathPart.split(separator: "/") {
            guard segment != ".", segment != "..",
                  segment.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f && $0 != "?" && $0 != "#" })
            else { throw invalid("the prefix may hold only printable ASCII segments, without . or .. or ? or #") }
            segments.append(segment)
        }
        self.endpoints = endpoints
        self.prefix = segments.isEmpty ? Self.defaultPrefix : "/" + segments.joined(separator: "/")
    }

    /// `etcd://host:port,.../prefix`, as given (normalised).
    public var description: String {
        "etcd://" + endpoints.map(\.description).joined(separator: ",") + prefix
    }
}
