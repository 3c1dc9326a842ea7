// An HTTP request and response as the web app sees them, independent of the server that
// carries them (swift-nio in the CLI, plain values in tests).

import Columnar
import Pipeline
import Engine
import Foundation

package struct WebRequest: Sendable {
    package var method: String
    /// The path, percent-decoded, without the query.
    package var path: String
    package var query: [String: String]
    /// Header values by lower-cased name; repeated headers joined with ", ".
    package var headers: [String: String]
    package var body: [UInt8]
    /// The client's address (sign-in throttling counts failures per address); empty in tests.
    package var client: String

    package init(method: String, uri: String, headers: [(String, String)], body: [UInt8] = [], client: String = "") {
        self.client = client
        self.method = method.uppercased()
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = Self.percentDecode(String(parts.first ?? "/"), plusIsSpace: false) ?? "\u{FFFD}"
        query = parts.count > 1 ? Self.formFields(String(parts[1])) : [:]
        var h: [String: String] = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            h[key] = h[key].map { $0 + ", " + value } ?? value
        }
        self.headers = h
        self.body = body
    }

    /// Cookies of the request, by name.
    package var cookies: [String: String] {
        var out: [String: String] = [:]
        for part in (headers["cookie"] ?? "").split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            out[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return out
    }

    /// The media type of the body, lower-cased, without parameters.
    package var contentType: String {
        (headers["content-type"] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// `a=1&b=x+y` as fields (application/x-www-form-urlencoded and URL queries). A field
    /// that is not valid percent-encoded UTF-8 is left out.
    static func formFields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = percentDecode(String(kv[0]), plusIsSpace: true) else { continue }
            out[key] = kv.count > 1 ? percentDecode(String(kv[1]), plusIsSpace: true) : ""
        }
        return out
    }

    static func percentDecode(_ s: String, plusIsSpace: Bool) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                it = it.dropFirst(2)
            } else if plusIsSpace && b == UInt8(ascii: "+") {
                bytes.append(32)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

package struct WebResponse: Sendable {
    package var status: Int
    package var headers: [(String, String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    package var bodyText: String { String(decoding: body, as: UTF8.self) }

    static func json(_ status: Int, _ text: String) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")],
                     body: Array(text.utf8))
    }

    static func error(_ status: Int, _ message: String) -> WebResponse {
        json(status, "{\"error\": \(Value.jsonString(message))}")
    }

    static func html(_ status: Int, _ text: String) -> WebResponse {
        WebResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")],
                     body: Array(text.utf8))
    }

    static func redirect(_ location: String) -> WebResponse {
        WebResponse(status: 303, headers: [("Location", location), ("Cache-Control", "no-store")])
    }
}
