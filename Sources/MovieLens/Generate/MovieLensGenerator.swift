// `moviecol generate`: deterministic MovieLens-format data at any scale, shaped like ml-25m
// scaled to N ratings: ~N/154 users with heavy-tailed activity, ~N/400 movies with Zipf-like
// popularity, the real rating histogram (4.0 most common, whole stars only before 2003),
// timestamps 1995-2019 in sessions, ratings ordered by userId then movieId, ~N/23 tags,
// genome scores for the ~N/1800 most popular movies x 1,128 tags, links with some empty
// tmdbId, and the quirks real files have (quoted titles, non-ASCII, missing years).
//
// Users are generated from per-user random streams, so output depends only on the seed
// and is generated block by block on every core.

#if canImport(Glibc)
import Glibc
#endif
import Columnar
import Dispatch

/// Generates a MovieLens-format data set.
package struct MovieLensGenerator: Sendable {
    package var ratings: Int
    package var seed: UInt64
    package var threads: Int

    package init(ratings: Int, seed: UInt64 = 42, threads: Int = 2) {
        self.ratings = max(0, ratings)
        self.seed = seed
        self.threads = max(1, threads)
    }

    /// Row counts of what was written.
    package struct Summary: Sendable {
        package var movies = 0, ratings = 0, tags = 0, genomeScores = 0, genomeTags = 0, links = 0, users = 0
        package var bytes = 0
    }

    static let genomeTagCount = 1128
    static let firstTimestamp = 789_652_800  // 1995-01-09
    static let lastTimestamp = 1_574_294_400  // 2019-11-21
    static let halfStarsFrom = 1_045_526_400  // 2003-02-18: MovieLens allowed half stars from then

    // ml-25m's rating histogram, 0.5 ... 5.0.
    static let histogram: [Double] = [0.0157, 0.0313, 0.0159, 0.0663, 0.0502, 0.1960, 0.1258, 0.2661, 0.0849, 0.1478]

    struct Movie {
        var id: Int
        var weight: Double
        var quality: Double
    }

    /// Writes the six files into `directory` (created if missing).
    package func write(to directory: String) throws(StorageError) -> Summary {
        try FileIO.makeDirectories(directory)
        var summary = Summary()
        let movies = makeMovies()
        summary.movies = movies.count
        try writeMovies(movies, to: directory + "/movies.csv", summary: &summary)
        try writeLinks(movies, to: directory + "/links.csv", summary: &summary)
        let counts = userCounts(movieCount: movies.count)
        summary.users = counts.count
        try writeRatings(movies, counts: counts, to: directory + "/ratings.csv", summary: &summary)
        try writeTags(movies, users: counts.count, to: directory + "/tags.csv", summary: &summary)
        let genomeTags = makeGenomeTags()
        try writeGenomeTags(genomeTags, to: directory + "/genome-tags.csv", summary: &summary)
        try writeGenomeScores(movies, to: directory + "/genome-scores.csv", summary: &summary)
        return summary
    }

    // MARK: Movies

    var movieCount: Int { max(100, ratings / 400) }

    func makeMovies() -> [Movie] {
        var rng = SplitMix64(seed: seed, stream: 1)
        let n = movieCount
        var ranks = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { ranks.swapAt(i, rng.below(i + 1)) }
        var id = 0
        var movies: [Movie] = []
        movies.reserveCapacity(n)
        for i in 0..<n {
            id += rng.chance(0.5) ? 1 : 1 + rng.below(8)
            let weight = 1.0 / pow(Double(ranks[i]) + 8, 1.05)
            movies.append(Movie(id: id, weight: weight, quality: rng.unit() * 2 - 1))
        }
        return movies
    }

    func title(for movie: Movie) -> String {
        var rng = SplitMix64(seed: seed, stream: 1_000_000 + UInt64(movie.id))
        let a = Vocabulary.adjectives, n = Vocabulary.nouns
        var t: String
        switch rng.below(6) {
        case 0: t = "The \(a[rng.below(a.count)]) \(n[rng.below(n.count)])"
        case 1: t = "\(n[rng.below(n.count)]) of the \(n[rng.below(n.count)])"
        case 2: t = "\(a[rng.below(a.count)]) \(n[rng.below(n.count)]) \(rng.below(4) + 2)"
        case 3: t = "\(n[rng.below(n.count)])"
        case 4: t = "\(a[rng.below(a.count)]) \(n[rng.below(n.count)])"
        default: t = "\(n[rng.below(n.count)]) and \(n[rng.below(n.count)])"
        }
        let quirk = rng.unit()
        if quirk < 0.06 {
            t = "\(a[rng.below(a.count)]) \(n[rng.below(n.count)]), The"           // comma: quoted field
        } else if quirk < 0.08 {
            t = "\(t) (\"\(n[rng.below(n.count)])\")"                              // embedded quotes
        } else if quirk < 0.12 {
            t = "\(Vocabulary.foreign[rng.below(Vocabulary.foreign.count)]) \(t)"  // non-ASCII
        } else if quirk < 0.14 {
            t = "\(Vocabulary.lowerWords[rng.below(Vocabulary.lowerWords.count)]) \(t.lowercased())"
        }
        let year = max(1902, 2019 - Int(rng.exponential(mean: 18)))
        let yearQuirk = rng.unit()
        if yearQuirk < 0.01 { return t }                                           // no year
        if yearQuirk < 0.015 { return "\(t) (\(year)-\(min(2019, year + 1 + rng.below(6))))" }  // a series
        if yearQuirk < 0.02 { return "\(t) (\(year)) (V)" }
        if yearQuirk < 0.025 { return "\(t) (\(year)) " }                          // trailing space
        return "\(t) (\(year))"
    }

    func genres(for movie: Movie) -> String {
        var rng = SplitMix64(seed: seed, stream: 2_000_000 + UInt64(movie.id))
        if rng.chance(0.08) { return "(no genres listed)" }
        let k = 1 + min(rng.below(4), rng.below(5))
        var picked = Set<Int>()
        while picked.count < k { picked.insert(rng.below(Vocabulary.genres.count)) }
        return picked.sorted().map { Vocabulary.genres[$0] }.joined(separator: "|")
    }

    private func writeMovies(_ movies: [Movie], to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,title,genres")
        for m in movies {
            CSVFormat.int(m.id, &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(title(for: m), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(genres(for: m), &w.buffer)
            w.buffer.append(10)
            try w.flushIfLarge()
        }
        summary.bytes += w.buffer.count
        try w.close()
    }

    private func writeLinks(_ movies: [Movie], to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,imdbId,tmdbId")
        var rng = SplitMix64(seed: seed, stream: 3)
        var imdb = 1000
        for m in movies {
            imdb += 1 + rng.below(120)
            CSVFormat.int(m.id, &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            let digits = Array(String(imdb).utf8)
            w.buffer.append(contentsOf: [UInt8](repeating: 48, count: max(0, 7 - digits.count)) + digits)
            w.buffer.append(UInt8(ascii: ","))
            if !rng.chance(0.004) { CSVFormat.int(m.id * 3 + rng.below(3), &w.buffer) }
            w.buffer.append(10)
            try w.flushIfLarge()
        }
        try w.close()
    }

    // MARK: Ratings

    /// Ratings per user: at least 20 (as MovieLens requires), heavy-tailed above that, at
    /// most half the catalogue, summing to exactly `ratings`.
    func userCounts(movieCount: Int) -> [Int] {
        guard ratings > 0 else { return [] }
        var rng = SplitMix64(seed: seed, stream: 4)
        let users = max(1, ratings / 154)
        let cap = max(1, movieCount / 2)
        let base = min(20, ratings / users, cap)
        var weights = (0..<users).map { _ in pow(1 - rng.unit(), -1 / 1.25) - 1 }
        let total = weights.reduce(0, +)
        var counts = [Int](repeating: base, count: users)
        let extra = ratings - base * users
        if total > 0 { for i in 0..<users { weights[i] /= total } }
        var assigned = base * users
        for i in 0..<users {
            let c = min(cap, base + Int(Double(extra) * weights[i]))
            assigned += c - counts[i]
            counts[i] = c
        }
        var i = 0
        var stalled = 0
        while assigned < ratings {
            if counts[i] < cap { counts[i] += 1; assigned += 1; stalled = 0 } else { stalled += 1 }
            if stalled > counts.count { counts.append(0); stalled = 0 }
            i = (i + 1) % counts.count
        }
        return counts
    }

    struct RatingContext {
        let movies: [Movie]
        let cumulative: [Double]
    }

    private func writeRatings(_ movies: [Movie], counts: [Int], to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("userId,movieId,rating,timestamp")
        var cumulative = [Double](repeating: 0, count: movies.count)
        var acc = 0.0
        for (i, m) in movies.enumerated() { acc += m.weight; cumulative[i] = acc }
        let context = RatingContext(movies: movies, cumulative: cumulative)
        let blockUsers = 2048
        let blocks = (counts.count + blockUsers - 1) / blockUsers
        var next = 0
        while next < blocks {
            let batch = min(blocks - next, threads * 2)
            let outputs = UnsafeMutableBufferPointerBox(count: batch)
            let start = next
            WorkerPool.current.forEach(batch) { b in
                let lo = (start + b) * blockUsers
                let hi = min(counts.count, lo + blockUsers)
                outputs.set(b, ratingsBlock(users: lo..<hi, counts: counts, context: context))
            }
            for b in 0..<batch { try w.append(outputs.take(b)) }
            next += batch
        }
        summary.ratings = counts.reduce(0, +)
        try w.close()
    }

    private func ratingsBlock(users: Range<Int>, counts: [Int], context: RatingContext) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(counts[users].reduce(0, +) * 28)
        let movies = context.movies
        let n = movies.count
        var stamp = [Int32](repeating: -1, count: n)
        var chosen = [Int]()
        for u in users {
            var rng = SplitMix64(seed: seed, stream: 10_000_000 + UInt64(u))
            let count = counts[u]
            chosen.removeAll(keepingCapacity: true)
            var attempts = 0
            while chosen.count < count {
                let m: Int
                if attempts < count * 30 {
                    m = sample(context.cumulative, &rng)
                    attempts += 1
                } else {
                    m = rng.below(n)  // very heavy users: fill uniformly
                }
                if stamp[m] != Int32(truncatingIfNeeded: u) {
                    stamp[m] = Int32(truncatingIfNeeded: u)
                    chosen.append(m)
                }
            }
            chosen.sort()
            let start = Self.firstTimestamp + rng.below(Self.lastTimestamp - Self.firstTimestamp - 86_400)
            let bias = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 0.5
            for m in chosen {
                var t = start
                if rng.chance(0.7) { t += rng.below(4 * 3600) } else { t += Int(rng.exponential(mean: 200 * 86_400)) }
                t = min(t, Self.lastTimestamp)
                var r = sampleRating(&rng)
                let shift = movies[m].quality * 0.7 + bias
                if rng.chance(min(abs(shift), 1) * 0.5) { r += shift > 0 ? 1 : -1 }
                r = max(1, min(10, r))
                if t < Self.halfStarsFrom && r % 2 == 1 { r += r < 10 ? 1 : -1 }
                CSVFormat.int(u + 1, &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.int(movies[m].id, &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.decimal(r * 5, decimals: 1, &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.int(t, &out)
                out.append(10)
            }
        }
        return out
    }

    /// Half-stars 1...10 (0.5 ... 5.0) from the histogram.
    private func sampleRating(_ rng: inout SplitMix64) -> Int {
        var u = rng.unit()
        for (i, p) in Self.histogram.enumerated() {
            if u < p { return i + 1 }
            u -= p
        }
        return 8
    }

    private func sample(_ cumulative: [Double], _ rng: inout SplitMix64) -> Int {
        let x = rng.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    // MARK: Tags

    private func writeTags(_ movies: [Movie], users: Int, to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("userId,movieId,tag,timestamp")
        let target = ratings / 23
        guard target > 0, users > 0 else { try w.close(); return }
        var rng = SplitMix64(seed: seed, stream: 5)
        let taggers = max(1, min(users, ratings / 1700))
        // Taggers are spread over the user ids; each gets a heavy-tailed share.
        var picked = Set<Int>()
        while picked.count < taggers { picked.insert(rng.below(users)) }
        let taggerIds = picked.sorted()
        let weights = taggerIds.map { _ in pow(1 - rng.unit(), -1 / 1.1) }
        let total = weights.reduce(0, +)
        var cumulative = [Double](repeating: 0, count: movies.count)
        var acc = 0.0
        for (i, m) in movies.enumerated() { acc += m.weight; cumulative[i] = acc }
        var written = 0
        for (k, u) in taggerIds.enumerated() {
            var urng = SplitMix64(seed: seed, stream: 20_000_000 + UInt64(u))
            let n = k == taggerIds.count - 1 ? target - written : min(target - written, max(1, Int(Double(target) * weights[k] / total)))
            guard n > 0 else { continue }
            var rows: [(movie: Int, tag: String)] = []
            var seen = Set<String>()
            while rows.count < n {
                let m = movies[sample(cumulative, &urng)].id
                let tag: String
                if urng.chance(0.05) {
                    tag = Vocabulary.tagQuirks[urng.below(Vocabulary.tagQuirks.count)]
                } else {
                    let word = Vocabulary.tagWords[urng.below(Vocabulary.tagWords.count)]
                    tag = urng.chance(0.2) ? word + " " + String(urng.below(200)) : word
                }
                if seen.insert("\(m)\u{0}\(tag)").inserted { rows.append((m, tag)) }
                if seen.count > n * 4 + 1000 { break }
            }
            rows.sort { ($0.movie, $0.tag) < ($1.movie, $1.tag) }
            let start = Self.firstTimestamp + urng.below(Self.lastTimestamp - Self.firstTimestamp - 86_400)
            for r in rows {
                CSVFormat.int(u + 1, &w.buffer)
                w.buffer.append(UInt8(ascii: ","))
                CSVFormat.int(r.movie, &w.buffer)
                w.buffer.append(UInt8(ascii: ","))
                CSVFormat.text(r.tag, &w.buffer)
                w.buffer.append(UInt8(ascii: ","))
                CSVFormat.int(min(Self.lastTimestamp, start + urng.below(30 * 86_400)), &w.buffer)
                w.buffer.append(10)
                try w.flushIfLarge()
            }
            written += rows.count
            if written >= target { break }
        }
        summary.tags = written
        try w.close()
    }

    // MARK: Genome

    func makeGenomeTags() -> [String] {
        var rng = SplitMix64(seed: seed, stream: 6)
        var names: [String] = ["007", "007 (series)", "18th century", "1920s", "1930s"]
        var seen = Set(names)
        let pools = [Vocabulary.tagWords, Vocabulary.adjectives.map { $0.lowercased() }, Vocabulary.nouns.map { $0.lowercased() }]
        for w in Vocabulary.tagWords where seen.insert(w).inserted { names.append(w) }
        while names.count < Self.genomeTagCount {
            let a = pools[rng.below(3)], b = pools[rng.below(3)]
            let name = "\(a[rng.below(a.count)]) \(b[rng.below(b.count)])"
            if seen.insert(name).inserted { names.append(name) }
        }
        return names
    }

    private func writeGenomeTags(_ tags: [String], to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("tagId,tag")
        for (i, t) in tags.enumerated() {
            CSVFormat.int(i + 1, &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(t, &w.buffer)
            w.buffer.append(10)
        }
        summary.genomeTags = tags.count
        try w.close()
    }

    private func writeGenomeScores(_ movies: [Movie], to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,tagId,relevance")
        let count = min(movies.count, max(1, ratings / 1800))
        let top = movies.indices.sorted { movies[$0].weight > movies[$1].weight }.prefix(count).sorted()
        let ids = top.map { movies[$0].id }
        var next = 0
        while next < ids.count {
            let batch = min(ids.count - next, threads * 16)
            let outputs = UnsafeMutableBufferPointerBox(count: batch)
            let start = next
            WorkerPool.current.forEach(batch) { b in
                outputs.set(b, genomeBlock(movieId: ids[start + b]))
            }
            for b in 0..<batch { try w.append(outputs.take(b)) }
            next += batch
        }
        summary.genomeScores = ids.count * Self.genomeTagCount
        try w.close()
    }

    private func genomeBlock(movieId: Int) -> [UInt8] {
        var rng = SplitMix64(seed: seed, stream: 30_000_000 + UInt64(movieId))
        var out = [UInt8]()
        out.reserveCapacity(Self.genomeTagCount * 20)
        for tag in 1...Self.genomeTagCount {
            let u = rng.unit()
            // Mostly low relevance, a few strong tags per movie; an exact 0 now and then.
            var scaled = Int((u * u * u * 0.6 + (rng.chance(0.03) ? 0.4 * rng.unit() : 0)) * 100_000)
            if rng.chance(0.0005) { scaled = 0 }
            CSVFormat.int(movieId, &out)
            out.append(UInt8(ascii: ","))
            CSVFormat.int(tag, &out)
            out.append(UInt8(ascii: ","))
            CSVFormat.decimal(min(scaled, 100_000), decimals: 5, &out)
            out.append(10)
        }
        return out
    }
}

/// Per-slot results of a parallel batch, written by distinct iterations.
final class UnsafeMutableBufferPointerBox: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[UInt8]>
    init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: []) }
    deinit { slots.deinitialize(); slots.deallocate() }
    /// Each iteration writes only its own slot, so no two threads touch the same memory.
    func set(_ i: Int, _ v: [UInt8]) { slots[i] = v }
    func take(_ i: Int) -> [UInt8] { slots[i] }
}
