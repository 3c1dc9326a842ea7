// `moviecol generate`: deterministic MovieLens-format data at any scale with ml-25m's shape
// scaled to N ratings (`Tests/Generator/DESIGN.md` has the model, `docs/generator.md` the
// measured figures): ~N/154 users with a long activity tail who rate in sessions, ~N/400
// movies with Zipf-like popularity that are rated only after they joined the catalogue,
// ratings from a latent movie quality, a user bias and genre tastes mapped onto ml-25m's
// histogram (whole stars only before 2003), ~N/23 tags concentrated on popular movies and
// heavy taggers, genome scores for the ~N/1800 most popular movies x 1,128 tags, and the
// quirks real files have (quoted titles, non-ASCII, missing years).
//
// Every random number comes from a SplitMix64 stream named by (seed, purpose, entity), and
// every global sum runs in a fixed order, so the bytes depend only on the seed and N, never on
// the thread count; users are generated block by block on every core.

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

    /// Writes the six files into `directory` (created if missing).
    package func write(to directory: String) throws(StorageError) -> Summary {
        try FileIO.makeDirectories(directory)
        var summary = Summary()
        let catalogue = Catalogue(movies: GeneratorModel.movies(ratings), ratings: ratings, seed: seed)
        summary.movies = catalogue.count
        try writeMovies(catalogue, to: directory + "/movies.csv")
        try writeLinks(catalogue, to: directory + "/links.csv", summary: &summary)
        let users = UserActivity(ratings: ratings, catalogue: catalogue, seed: seed)
        summary.users = users.count
        summary.ratings = try writeRatings(catalogue, users, to: directory + "/ratings.csv")
        summary.tags = try writeTags(catalogue, users, to: directory + "/tags.csv")
        let genomeTags = makeGenomeTags()
        try writeGenomeTags(genomeTags, to: directory + "/genome-tags.csv", summary: &summary)
        summary.genomeScores = try writeGenomeScores(catalogue, to: directory + "/genome-scores.csv")
        return summary
    }

    // MARK: Movies and links

    func title(_ catalogue: Catalogue, _ i: Int) -> String {
        var rng = SplitMix64(seed: seed, stream: GeneratorStream.title + UInt64(i))
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
        let year = Int(catalogue.years[i])
        let yearQuirk = rng.unit()
        if yearQuirk < 0.01 { return t }                                           // no year
        if yearQuirk < 0.015 { return "\(t) (\(year)-\(min(2019, year + 1 + rng.below(6))))" }  // a series
        if yearQuirk < 0.02 { return "\(t) (\(year)) (V)" }
        if yearQuirk < 0.025 { return "\(t) (\(year)) " }                          // trailing space
        return "\(t) (\(year))"
    }

    private func writeMovies(_ catalogue: Catalogue, to path: String) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,title,genres")
        for i in 0..<catalogue.count {
            CSVFormat.int(Int(catalogue.ids[i]), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(title(catalogue, i), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(catalogue.genreText(i), &w.buffer)
            w.buffer.append(10)
            try w.flushIfLarge()
        }
        try w.close()
    }

    private func writeLinks(_ catalogue: Catalogue, to path: String, summary: inout Summary) throws(StorageError) {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,imdbId,tmdbId")
        var rng = SplitMix64(seed: seed, stream: GeneratorStream.links)
        var imdb = 1000
        for id in catalogue.ids {
            imdb += 1 + rng.below(120)
            CSVFormat.int(Int(id), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            let digits = Array(String(imdb).utf8)
            w.buffer.append(contentsOf: [UInt8](repeating: 48, count: max(0, 7 - digits.count)) + digits)
            w.buffer.append(UInt8(ascii: ","))
            if !rng.chance(0.004) { CSVFormat.int(Int(id) * 3 + rng.below(3), &w.buffer) }
            w.buffer.append(10)
            try w.flushIfLarge()
        }
        summary.links = catalogue.count
        try w.close()
    }

    // MARK: Ratings

    static let blockUsers = 2048

    /// What every block of the rating pass reads.
    struct RatingContext: Sendable {
        let catalogue: Catalogue
        let users: UserActivity
        let centre: Double
        let scale: Double
        let cumulative: [Double]
    }

    /// Runs `body` over blocks of users on every core, handing each block's result to `sink`
    /// in block order.
    private func forEachBlock<T>(users: Int, stride: Int = 1, _ body: @escaping @Sendable (Range<Int>) -> T,
                                 _ sink: (T) throws(StorageError) -> Void) throws(StorageError) {
        let blocks = (users + Self.blockUsers - 1) / Self.blockUsers
        var next = 0
        while next < blocks {
            let batch = min(blocks - next, threads * 2)
            let outputs = SlotBox<T>(count: batch)
            let start = next
            WorkerPool.current.forEach(batch) { b in
                let lo = (start + b) * Self.blockUsers
                outputs.set(b, body(lo..<min(users, lo + Self.blockUsers)))
            }
            for b in 0..<batch { try sink(outputs.take(b)) }
            next += batch
        }
    }

    private func writeRatings(_ catalogue: Catalogue, _ users: UserActivity, to path: String) throws(StorageError) -> Int {
        let w = try CSVTextWriter(path: path)
        w.line("userId,movieId,rating,timestamp")
        // Centre and scale the latent rating: user biases weighted by their counts exactly; the
        // movies' quality over the picks of every 32nd user (a pre-pass, ~3% of the work).
        let seed = seed
        var sum = 0.0, square = 0.0, picked = 0
        try forEachBlock(users: users.count, { range -> (Double, Double, Int) in
            var picker = MoviePicker(movies: catalogue.count)
            var picks: [Int32] = []
            var s = 0.0, q = 0.0, n = 0
            for u in range where u % 32 == 0 {
                picker.pick(user: u, catalogue: catalogue, users: users, seed: seed, into: &picks)
                for i in picks { let x = catalogue.quality[Int(i)]; s += x; q += x * x }
                n += picks.count
            }
            return (s, q, n)
        }) { (block: (Double, Double, Int)) throws(StorageError) in
            sum += block.0; square += block.1; picked += block.2
        }
        let qualityMean = picked > 0 ? sum / Double(picked) : 0
        let qualityVariance = picked > 0 ? max(0, square / Double(picked) - qualityMean * qualityMean) : 0
        var cumulative: [Double] = []
        var acc = 0.0
        for p in GeneratorModel.laterHistogram { acc += p; cumulative.append(acc) }
        let context = RatingContext(
            catalogue: catalogue, users: users, centre: users.biasMean + qualityMean,
            scale: (users.biasVariance + qualityVariance + GeneratorModel.ratingNoiseSD * GeneratorModel.ratingNoiseSD).squareRoot(),
            cumulative: cumulative)
        var written = 0
        try forEachBlock(users: users.count, { range in ratingsBlock(range, context) }) { (bytes: (Int, [UInt8])) throws(StorageError) in
            written += bytes.0
            try w.append(bytes.1)
        }
        try w.close()
        return written
    }

    /// The ratings of a block of users, formatted: picks, then each pick's session and
    /// timestamp, then its value.
    private func ratingsBlock(_ range: Range<Int>, _ context: RatingContext) -> (Int, [UInt8]) {
        let model = GeneratorModel.self
        let catalogue = context.catalogue, users = context.users
        var picker = MoviePicker(movies: catalogue.count)
        var out = [UInt8]()
        var total = 0
        for u in range { total += Int(users.counts[u]) }
        out.reserveCapacity(total * 30)
        var picks: [Int32] = [], session: [Int32] = [], order: [Int32] = [], bucket: [Int32] = [], stamps: [Int] = []
        for u in range {
            picker.pick(user: u, catalogue: catalogue, users: users, seed: seed, into: &picks)
            var rng = SplitMix64(seed: seed, stream: GeneratorStream.userRatings + UInt64(u))
            let sessions = users.sessionRange(u)
            let sessionCount = sessions.count
            let fw = model.firstSessionWeight
            // Each rating goes to a session that starts after its movie joined the catalogue;
            // the first session weighs `fw`, the others 1.
            session.removeAll(keepingCapacity: true)
            for i in picks {
                let joined = catalogue.added[Int(i)].rounded(.up)
                var lo = sessions.lowerBound, hi = sessions.upperBound
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if users.sessions[mid] < joined { lo = mid + 1 } else { hi = mid }
                }
                let first = min(lo - sessions.lowerBound, sessionCount - 1)
                let low = first == 0 ? 0 : Double(first) + fw - 1
                let x = low + rng.unit() * (Double(sessionCount) + fw - 1 - low)
                let j = x < fw ? 0 : Int(x - fw + 1)
                session.append(Int32(min(max(j, first), sessionCount - 1)))
            }
            // Within a session: a random order, Exp(30 s) apart.
            bucket.removeAll(keepingCapacity: true)
            bucket.append(contentsOf: repeatElement(0, count: sessionCount + 1))
            for j in session { bucket[Int(j) + 1] += 1 }
            for j in 0..<sessionCount { bucket[j + 1] += bucket[j] }
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: repeatElement(0, count: picks.count))
            for (k, j) in session.enumerated() { order[Int(bucket[Int(j)])] = Int32(k); bucket[Int(j)] += 1 }
            stamps.removeAll(keepingCapacity: true)
            stamps.append(contentsOf: repeatElement(0, count: picks.count))
            var from = 0
            for j in 0..<sessionCount {
                let to = Int(bucket[j])
                if to - from > 1 {
                    for k in stride(from: to - 1, to: from, by: -1) { order.swapAt(k, from + rng.below(k - from + 1)) }
                }
                var t = users.sessions[sessions.lowerBound + j]
                for k in from..<to {
                    let p = Int(order[k])
                    t += rng.exponential(mean: model.gapMeanSeconds)
                    let joined = catalogue.added[Int(picks[p])].rounded(.up)
                    stamps[p] = Int(max(min(t, model.lastTimestamp).rounded(.down), joined))
                }
                from = to
            }
            // Values: latent quality + user bias + noise, mapped through the normal CDF onto the
            // later histogram; before 2003-02-18 a half star becomes a whole-star neighbour.
            for (k, i) in picks.enumerated() {
                let x = catalogue.quality[Int(i)] + users.bias[u] + model.ratingNoiseSD * rng.normal()
                let p = Distribution.normalCDF((x - context.centre) / context.scale)
                var stars = 0
                while stars < 9 && context.cumulative[stars] <= p { stars += 1 }
                if Double(stamps[k]) < model.halfStarsFrom && stars % 2 == 0 {
                    stars = stars == 0 || rng.chance(0.5) ? stars + 1 : stars - 1
                }
                CSVFormat.int(u + 1, &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.int(Int(catalogue.ids[Int(i)]), &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.decimal((stars + 1) * 5, decimals: 1, &out)
                out.append(UInt8(ascii: ","))
                CSVFormat.int(stamps[k], &out)
                out.append(10)
            }
        }
        return (total, out)
    }

    // MARK: Tags

    /// A tag's text by number: a quirky one, a vocabulary word, or a word with a number.
    static func tagText(_ k: Int) -> String {
        let quirks = Vocabulary.tagQuirks, words = Vocabulary.tagWords
        if k < quirks.count { return quirks[k] }
        let w = k - quirks.count
        if w < words.count { return words[w] }
        let x = w - words.count
        return words[x / 200] + " " + String(x % 200)
    }

    private func drawTagText(_ rng: inout SplitMix64) -> Int {
        let quirks = Vocabulary.tagQuirks.count, words = Vocabulary.tagWords.count
        if rng.chance(0.05) { return rng.below(quirks) }
        let word = rng.below(words)
        return rng.chance(0.2) ? quirks + words + word * 200 + rng.below(200) : quirks + word
    }

    /// Tags: heavy raters are likelier taggers, tagger k of K applies a share ~ k^-1.15 of all
    /// tags, mostly to the hottest movies; a movie is tagged only after it joined, between the
    /// tagger's first and last session. Ordered by userId, movieId like MovieLens's file.
    private func writeTags(_ catalogue: Catalogue, _ users: UserActivity, to path: String) throws(StorageError) -> Int {
        let w = try CSVTextWriter(path: path)
        w.line("userId,movieId,tag,timestamp")
        let target = GeneratorModel.tagApplications(ratings)
        guard target > 0, users.count > 0 else { try w.close(); return 0 }
        var choice = SplitMix64(seed: seed, stream: GeneratorStream.taggerChoice)
        let keys = (0..<users.count).map { 0.5 * log(Double(users.counts[$0])) + choice.gumbel() }
        let k = min(users.count, GeneratorModel.taggers(ratings))
        let taggers = (0..<users.count).sorted { keys[$0] != keys[$1] ? keys[$0] > keys[$1] : $0 < $1 }.prefix(k)
        let shares = (1...k).map { pow(Double($0), -GeneratorModel.taggerDecay) }
        let shareSum = shares.reduce(0, +)
        var per = shares.map { Int(Double(target) * $0 / shareSum) }
        per[0] += target - per.reduce(0, +)
        let p = GeneratorModel.scaled(ratings)
        let hot = AliasTable(weights: catalogue.weight.map { pow($0, p.tagHotPower) })
        let broad = AliasTable(weights: catalogue.weight.map { pow($0, p.tagBroadPower) })
        struct Row { var user: Int32, movie: Int32, tag: Int32, time: Int }
        var rows: [Row] = []
        rows.reserveCapacity(target)
        var seen = Set<Int>()
        for (rank, u) in taggers.enumerated() {
            var rng = SplitMix64(seed: seed, stream: GeneratorStream.tagger + UInt64(u))
            let first = users.firstSession(u), last = users.lastSession(u)
            seen.removeAll(keepingCapacity: true)
            for _ in 0..<per[rank] {
                var movie = -1
                for _ in 0..<20 {
                    let i = rng.chance(p.tagHotShare) ? hot.draw(&rng) : broad.draw(&rng)
                    if catalogue.added[i] <= last { movie = i; break }
                }
                guard movie >= 0 else { continue }
                var tag = -1
                for _ in 0..<8 {
                    let t = drawTagText(&rng)
                    if seen.insert(movie << 20 | t).inserted { tag = t; break }
                }
                guard tag >= 0 else { continue }
                let from = max(first, catalogue.added[movie].rounded(.up))
                let time = from + rng.unit() * max(0, last - from)
                rows.append(Row(user: Int32(u), movie: Int32(movie), tag: Int32(tag),
                                time: Int(min(time, GeneratorModel.lastTimestamp))))
            }
        }
        rows.sort { ($0.user, $0.movie, $0.tag) < ($1.user, $1.movie, $1.tag) }
        for r in rows {
            CSVFormat.int(Int(r.user) + 1, &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.int(Int(catalogue.ids[Int(r.movie)]), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.text(Self.tagText(Int(r.tag)), &w.buffer)
            w.buffer.append(UInt8(ascii: ","))
            CSVFormat.int(r.time, &w.buffer)
            w.buffer.append(10)
            try w.flushIfLarge()
        }
        try w.close()
        return rows.count
    }

    // MARK: Genome

    func makeGenomeTags() -> [String] {
        var rng = SplitMix64(seed: seed, stream: GeneratorStream.genomeNames)
        var names: [String] = ["007", "007 (series)", "18th century", "1920s", "1930s"]
        var seen = Set(names)
        let pools = [Vocabulary.tagWords, Vocabulary.adjectives.map { $0.lowercased() }, Vocabulary.nouns.map { $0.lowercased() }]
        for w in Vocabulary.tagWords where seen.insert(w).inserted { names.append(w) }
        while names.count < GeneratorModel.genomeTags {
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

    /// Genome scores for the most popular movies: per tag a low typical relevance (logistic of a
    /// normal around the tag's mean), and for a handful of movies per tag a strong one (0.85-1).
    private func writeGenomeScores(_ catalogue: Catalogue, to path: String) throws(StorageError) -> Int {
        let w = try CSVTextWriter(path: path)
        w.line("movieId,tagId,relevance")
        guard ratings > 0 else { try w.close(); return 0 }
        let count = min(catalogue.count, GeneratorModel.genomeMovies(ratings))
        let movies = catalogue.byRank.prefix(count).map { Int($0) }.sorted()
        var tagRng = SplitMix64(seed: seed, stream: GeneratorStream.genomeTags)
        let tagMeans = (0..<GeneratorModel.genomeTags).map { _ in -3.0 + 0.6 * tagRng.normal() }
        let strong = max(3.0 / Double(count), 0.0035)
        let seed = seed, ids = catalogue.ids
        var next = 0
        while next < movies.count {
            let batch = min(movies.count - next, threads * 16)
            let outputs = SlotBox<[UInt8]>(count: batch)
            let start = next
            WorkerPool.current.forEach(batch) { b in
                let i = movies[start + b]
                var rng = SplitMix64(seed: seed, stream: GeneratorStream.genomeMovie + UInt64(i))
                var out = [UInt8]()
                out.reserveCapacity(tagMeans.count * 20)
                for (t, mean) in tagMeans.enumerated() {
                    let z = rng.normal()
                    let relevance = rng.chance(strong) ? 0.85 + 0.15 * rng.unit().squareRoot() : 1 / (1 + exp(-(mean + 1.1 * z)))
                    CSVFormat.int(Int(ids[i]), &out)
                    out.append(UInt8(ascii: ","))
                    CSVFormat.int(t + 1, &out)
                    out.append(UInt8(ascii: ","))
                    CSVFormat.decimal(min(100_000, Int((relevance * 100_000).rounded())), decimals: 5, &out)
                    out.append(10)
                }
                outputs.set(b, out)
            }
            for b in 0..<batch { try w.append(outputs.take(b)) }
            next += batch
        }
        try w.close()
        return movies.count * GeneratorModel.genomeTags
    }
}

/// Per-slot results of a parallel batch, written by distinct iterations.
final class SlotBox<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<T?>
    init(count: Int) { slots = .allocate(capacity: count); slots.initialize(repeating: nil) }
    deinit { slots.deinitialize(); slots.deallocate() }
    /// Each iteration writes only its own slot, so no two threads touch the same memory.
    func set(_ i: Int, _ v: T) { slots[i] = v }
    func take(_ i: Int) -> T { slots[i]! }
}
