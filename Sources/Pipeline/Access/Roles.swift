// The three roles of the spec. `loader` writes raw; `transform` reads everything and
// writes the layers the pipeline builds; `reporter` reads the serving layer only, and
// only what the project's grants give it.

import Engine

public enum Role: String, CaseIterable, Sendable {
    case loader, transform, reporter

    /// Schemas `transform` may not write: the loader's.
    static let loaderSchemas: Set<String> = ["raw"]

    public var policy: AccessPolicy {
        switch self {
        case .loader:
            return AccessPolicy(role: rawValue, readableSchemas: ["raw"], writableSchemas: ["raw"])
        case .transform:
            // Every schema but the loader's: the pipeline's (staging, serving, snapshots,
            // dbt_test__audit), main, and any a user creates.
            return AccessPolicy(role: rawValue, readableSchemas: nil, writableSchemas: nil, protectedSchemas: Self.loaderSchemas)
        case .reporter:
            var policy = AccessPolicy(role: rawValue, readableSchemas: ["serving"], readsNeedGrant: true, writableSchemas: [])
            policy.filesAllowed = false
            return policy
        }
    }

    public var summary: String {
        switch self {
        case .loader: return "loader: reads and writes raw (ingest)"
        case .transform: return "transform: reads everything; writes every schema but raw (staging, serving, snapshots, main, ...)"
        case .reporter: return "reporter: reads serving objects granted to it (select) and nothing else; writes nothing"
        }
    }
}
