// The web app's users: `users.json` in the warehouse folder (outside the versioned data, so
// builds never touch it), readable by its owner only. Each user has a role of the spec
// and a salted slow password hash; the file never holds a password.

import Engine
import Pipeline
import Columnar
import Foundation

/// One web-app user.
package struct WebUser: Codable, Sendable, Equatable {
    package var name: String
    package var role: String
    /// `pbkdf2-sha256$ITERATIONS$SALT$HASH`.
    package var password: String
    package var created: String
}

package struct UserStoreError: Error, CustomStringConvertible, Sendable {
    package var description: String
    init(_ message: String) { description = message }
}

/// Reads and writes the users of one warehouse.
package struct UserStore: Sendable {
    package let path: String
    let directory: String

    /// Roles a web user may have: the reader roles of the spec.
    package static let webRoles: [Role] = [.reporter, .transform]
    package static let minimumPasswordLength = 8

    package init(warehouse root: String) {
        directory = root
        path = root + "/users.json"
    }

    private struct File: Codable {
        var version = 1
        var users: [WebUser]
    }

    /// Every user, by name. A missing file is no users.
    package func users() throws(UserStoreError) -> [WebUser] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let bytes = try FileIO.readFile(path)
            return try JSONDecoder().decode(File.self, from: Data(bytes)).users
        } catch {
            throw UserStoreError("cannot read \(path): \(error); fix or remove the file and add the users again")
        }
    }

    package func user(_ name: String) throws(UserStoreError) -> WebUser? {
        try users().first { $0.name == name }
    }

    /// Adds `name` (or replaces its password and role when `replace`).
    package func add(_ name: String, role: Role, password: String, replace: Bool = false,
                    iterations: Int = PasswordHash.defaultIterations) throws(UserStoreError) {
        guard FileIO.isDirectory(directory), FileIO.exists(directory + "/CURRENT") else {
            throw UserStoreError("no warehouse at \(directory); run `moviecol ingest` and `moviecol build` first")
        }
        guard let first = name.unicodeScalars.first, CharacterSet.letters.contains(first),
              name.count <= 64, name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) })
        else {
            throw UserStoreError("user name '\(name)' is not allowed: use up to 64 letters, digits, '.', '_' or '-', starting with a letter")
        }
        guard Self.webRoles.contains(role) else {
            throw UserStoreError("role \(role.rawValue) cannot sign in to the web app; use one of: \(Self.webRoles.map(\.rawValue).joined(separator: ", "))")
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw UserStoreError("the password must have at least \(Self.minimumPasswordLength) characters")
        }
        // The slow hash first, outside the lock, so concurrent adds do not queue behind it.
        let hash = PasswordHash.make(password, iterations: iterations)
        try update { (all: inout [WebUser]) throws(UserStoreError) in
            if let i = all.firstIndex(where: { $0.name == name }) {
                guard replace else { throw UserStoreError("user \(name) exists; use `moviecol user add \(name) --replace` to set a new password") }
                all.remove(at: i)
            }
            let created = ISO8601DateFormatter().string(from: Date())
            all.append(WebUser(name: name, role: role.rawValue, password: hash, created: created))
        }
    }

    /// Reads, changes and writes the users as one step: under an exclusive lock on
    /// `users.json.lock`, so that concurrent `user add` / `user remove` never lose a write.
    private func update(_ change: (inout [WebUser]) throws(UserStoreError) -> Void) throws(UserStoreError) {
        do {
            try FileIO.withExclusiveLock(path + ".lock") { () throws(UserStoreError) in
                var all = try users()
                try change(&all)
                try save(all)
            }
        } catch let e as UserStoreError {
            throw e
        } catch {
            throw UserStoreError("cannot lock \(path): \(error)")
        }
    }

    /// Removes `name`; false when there was no such user.
    @discardableResult
    package func remove(_ name: String) throws(UserStoreError) -> Bool {
        var removed = false
        try update { (all: inout [WebUser]) throws(UserStoreError) in
            guard let i = all.firstIndex(where: { $0.name == name }) else { return }
            all.remove(at: i)
            removed = true
        }
        return removed
    }

    /// The user whose name and password match, or nil. Costs one slow hash either way.
    package func authenticate(_ name: String, password: String) throws(UserStoreError) -> WebUser? {
        let all = try users()
        guard let user = all.first(where: { $0.name == name }) else {
            PasswordHash.burnVerification(like: all.first?.password)
            return nil
        }
        return PasswordHash.verify(password, against: user.password) ? user : nil
    }

    private func save(_ users: [WebUser]) throws(UserStoreError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(File(users: users.sorted { $0.name < $1.name }))
            try FileIO.writeAtomically(Array(data), to: path, directory: directory, mode: 0o600)
        } catch {
            throw UserStoreError("cannot write \(path): \(error)")
        }
    }
}
