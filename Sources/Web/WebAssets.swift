// The CSS and JavaScript of the report and the web app: real files under
// `Sources/Web/Embedded/Assets`, compiled into the binary by the EmbedFiles build plugin.

enum WebAssets {
    /// The text of asset `name` (a file of Embedded/Assets).
    static func text(_ name: String) -> String {
        guard let text = EmbeddedAssets.files[name] else { preconditionFailure("no web asset \(name) is embedded") }
        return text
    }
}
