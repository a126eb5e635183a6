/// JSON-RPC 2.0 responses, each one compact line with sorted keys; the id is copied as the request wrote it.
public enum RPCResponse {
    /// `{"id":...,"jsonrpc":"2.0","result":RESULT}`, where `result` is already one compact JSON object: it is
    /// copied byte for byte, so a result reads exactly as the command line prints it.
    public static func success(id: RPCID, result: String) -> String {
        #"{"id":"# + id.json + #","jsonrpc":"2.0","result":"# + result + "}"
    }

    /// `{"error":{...},"id":...,"jsonrpc":"2.0"}`.
    public static func failure(id: RPCID, error: RPCError) -> String {
        let error = (try? JSONCoding.line(error)) ?? #"{"code":-32603,"message":"cannot encode the error"}"#
        return #"{"error":"# + error + #","id":"# + id.json + #","jsonrpc":"2.0"}"#
    }

    /// A batch's answers as one JSON array, or nil when none is due (a batch of notifications gets no answer).
    public static func batch(_ answers: [String]) -> String? {
        answers.isEmpty ? nil : "[" + answers.joined(separator: ",") + "]"
    }
}
