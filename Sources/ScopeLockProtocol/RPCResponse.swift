/// JSON-RPC 2.0 responses, each one compact line with sorted keys.
public enum RPCResponse {
    /// `{"id":...,"jsonrpc":"2.0","result":RESULT}`, where `result` is already one compact JSON object: it is
    /// copied byte for byte, so a result reads exactly as the command line prints it.
    public static func success(id: RPCID, result: String) -> String {
        #"{"id":"# + ((try? JSONCoding.line(id)) ?? "null") + #","jsonrpc":"2.0","result":"# + result + "}"
    }

    /// `{"error":{...},"id":...,"jsonrpc":"2.0"}`.
    public static func failure(id: RPCID, error: RPCError) -> String {
        (try? JSONCoding.line(ErrorResponse(id: id, error: error)))
            ?? #"{"error":{"code":-32603,"message":"cannot encode the error"},"id":null,"jsonrpc":"2.0"}"#
    }

    private struct ErrorResponse: Encodable {
        let jsonrpc = "2.0"
        let id: RPCID
        let error: RPCError
    }
}
