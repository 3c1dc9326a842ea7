import Foundation

// Cuts a byte stream into chunks of whole CSV rows. A chunk ends after the last `\n` that
// is outside quotes: the quote count of the chunk gives the parity at its end, and a
// backward scan from there finds that newline in a row's length or so.

/// A chunk buffer of `size` usable bytes followed by `chunkSlack` readable bytes, so field
/// parsers may load eight bytes at a field's start without a bounds check.
func allocateChunk(_ size: Int) -> UnsafeMutableRawBufferPointer {
    let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: size + chunkSlack, alignment: 64)
    raw.initializeMemory(as: UInt8.self, repeating: 0)
    return UnsafeMutableRawBufferPointer(rebasing: raw[0..<size])
}

/// Readable bytes after every chunk buffer.
let chunkSlack = 64

/// Recycles chunk buffers of one size between the producer and the workers.
final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private var size = 0

    func take(_ size: Int) -> UnsafeMutableRawBufferPointer {
        lock.lock()
        defer { lock.unlock() }
        if size == self.size, let b = free.popLast() { return b }
        return allocateChunk(size)
    }

    /// Returns a buffer (by its full capacity); buffers of another size are freed.
    func give(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        defer { lock.unlock() }
        if size == 0 { size = buffer.count }
        if buffer.count == size && free.count < 16 { free.append(buffer) } else { buffer.deallocate() }
    }

    deinit { for b in free { b.deallocate() } }
}

/// Reads the header, then yields chunks of whole rows.
struct ChunkReader {
    let stream: ByteStream
    let chunkSize: Int
    let fileName: String
    /// Bytes read so far but not yet handed out (the start of the next chunk).
    private var carry: [UInt8] = []
    private var atEnd = false
    private(set) var consumed = 0
    private(set) var consumedAfterHeader = 0
    /// Chunk buffers come from, and go back to, this pool: no page faults per chunk.
    let pool = BufferPool()

    init(stream: ByteStream, chunkSize: Int, fileName: String) {
        self.stream = stream
        self.chunkSize = chunkSize
        self.fileName = fileName
    }

    /// Reads and checks the header line (a UTF-8 BOM is skipped). An empty stream is a table
    /// with no rows.
    /// `expected` nil: the line is skipped unchecked (a sniffed header).
    mutating func readHeader(expected schema: CSVSchema?) throws {
        var buffer = [UInt8]()
        var scratch = [UInt8](repeating: 0, count: 64 * 1024)
        var newline: Int? = nil
        while newline == nil {
            let n = try scratch.withUnsafeMutableBytes { (s) throws(StorageError) in try stream.read(into: s) }
            if n == 0 { atEnd = true; break }
            let before = buffer.count
            buffer.append(contentsOf: scratch[0..<n])
            newline = buffer[before...].firstIndex(of: UInt8(ascii: "\n"))
            if buffer.count > 1 << 20 && newline == nil { break }
        }
        consumed = buffer.count
        if buffer.isEmpty { return }
        let end = newline ?? buffer.count
        carry = Array(buffer[min(end + 1, buffer.count)...])
        var line = Array(buffer[0..<end])
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let text = String(decoding: line, as: UTF8.self)
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map { f -> String in
            var s = String(f)
            if s.count >= 2 && s.hasPrefix("\"") && s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
            return s
        }
        guard let schema else { consumed = end + 1; consumedAfterHeader = carry.count; return }
        guard fields == schema.header else {
            let shown = text.count > 120 ? String(text.prefix(120)) + "..." : text
            throw CSVError(.wrongHeader, "expected the header \"\(schema.headerLine)\", found \"\(shown)\"",
                           file: fileName, line: 1, column: 1)
        }
        consumed = end + 1
        consumedAfterHeader = carry.count
    }

    /// The next chunk of whole rows (the caller deallocates it) and its stream offset.
    mutating func nextChunk() throws(StorageError) -> (UnsafeMutableRawBufferPointer, Int, Int)? {
        guard !(atEnd && carry.isEmpty) else { return nil }
        var capacity = max(chunkSize, carry.count * 2)
        var buffer = capacity == chunkSize ? pool.take(chunkSize) : allocateChunk(capacity)
        var used = carry.count
        carry.withUnsafeBytes { buffer.copyMemory(from: $0) }
        carry.removeAll(keepingCapacity: true)
        let offset = consumed
        var searchedUpTo = 0
        var quoteParity = 0
        while true {
            if !atEnd && used < capacity {
                do {
                    let n = try stream.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[used..<capacity]))
                    if n == 0 { atEnd = true }
                    used += n
                    consumedAfterHeader += n
                } catch {
                    buffer.deallocate()
                    throw error
                }
            }
            if atEnd {
                break
            }
            // Parity of quotes before `used` decides whether the tail is inside a quoted field.
            quoteParity ^= StructuralScanner.quoteParity(UnsafeRawBufferPointer(rebasing: buffer[searchedUpTo..<used]))
            searchedUpTo = used
            if let cut = lastRowEnd(UnsafeRawBufferPointer(rebasing: buffer[0..<used]), quoteParity: quoteParity) {
                carry = Array(UnsafeRawBufferPointer(rebasing: buffer[cut..<used]))
                used = cut
                break
            }
            // One row longer than the chunk: grow and read on.
            if used == capacity {
                let bigger = allocateChunk(capacity * 2)
                bigger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<used]))
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
                guard capacity <= StructuralIndex.maxBufferSize else {
                    buffer.deallocate()
                    throw StorageError(.invalidArgument, "a single row is longer than 1 GiB (an unterminated quote?)", path: fileName)
                }
            }
        }
        consumed += used
        if used == 0 {
            pool.give(buffer)
            return nil
        }
        return (UnsafeMutableRawBufferPointer(rebasing: buffer[0..<used]), offset, capacity)
    }

    /// One past the last `\n` outside quotes, scanning backwards from the end whose quote
    /// parity is `quoteParity`.
    private func lastRowEnd(_ b: UnsafeRawBufferPointer, quoteParity: Int) -> Int? {
        var parity = quoteParity
        var i = b.count - 1
        while i >= 0 {
            let c = b[i]
            if c == UInt8(ascii: "\n") && parity == 0 { return i + 1 }
            if c == UInt8(ascii: "\"") { parity ^= 1 }
            i -= 1
        }
        return nil
    }
}
