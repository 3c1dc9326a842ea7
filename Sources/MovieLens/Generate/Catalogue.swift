// The generated movie catalogue: ids, release years, genres, popularity, when each movie joined
// MovieLens and a latent quality, all from one stream per movie plus global passes in a fixed
// order (ranking, expected counts, the genre pin), so the catalogue depends only on the seed.

#if canImport(Glibc)
import Glibc
#endif

/// Movies in movieId order, with what the rating model needs of each.
struct Catalogue: Sendable {
    var ids: [Int32] = []
    var years: [Int16] = []
    /// Bit g set: the movie has genre g (`GeneratorModel.genres`).
    var genreMasks: [UInt32] = []
    /// Movie index of popularity rank 0, 1, ... (0 = most popular).
    var byRank: [Int32] = []
    /// Share of draws (sums to 1).
    var weight: [Double] = []
    /// Latent quality in standard units.
    var quality: [Double] = []
    /// When the movie joined the catalogue (seconds since 1970): it is rated only after.
    var added: [Double] = []
    /// `added`, ascending: heavy users must come late enough to find their movies.
    var addedAscending: [Double] = []
    /// Draws movies in proportion to `weight`.
    var popularity: AliasTable

    var count: Int { ids.count }

    init(movies m: Int, ratings n: Int, seed: UInt64) {
        popularity = AliasTable(weights: [1])  // replaced once the weights are known
        let model = GeneratorModel.self
        let genreCount = model.genres.count
        let periodTotal = model.yearPeriods.reduce(0) { $0 + $1.share }
        let kTotal = model.genreCounts.reduce(0, +)
        var race = [Double](repeating: 0, count: m)
        var catalogueNoise = [Double](repeating: 0, count: m)
        var jitter = [Double](repeating: 0, count: m)
        var lateness = [Double](repeating: 0, count: m)
        var noise = [Double](repeating: 0, count: m)
        ids.reserveCapacity(m)
        var id: Int32 = 0
        var keys = [Double](repeating: 0, count: genreCount)
        for i in 0..<m {
            var rng = SplitMix64(seed: seed, stream: GeneratorStream.movie + UInt64(i))
            id += rng.chance(0.5) ? 1 : 1 + Int32(rng.below(8))
            ids.append(id)
            var u = rng.unit() * periodTotal
            var period = model.yearPeriods[model.yearPeriods.count - 1]
            for p in model.yearPeriods { if u < p.share { period = p; break }; u -= p.share }
            let year = period.first + rng.below(period.last - period.first + 1)
            years.append(Int16(year))
            // Genres: none, or k by Gumbel-top-k on ln(weight x year factor).
            let none = rng.chance(model.noGenreShare)
            var kDraw = rng.unit() * kTotal, k = model.genreCounts.count
            for (j, c) in model.genreCounts.enumerated() { if kDraw < c { k = j + 1; break }; kDraw -= c }
            for g in 0..<genreCount {
                let w = model.genreWeights[g] * model.genreYearFactor(g, year)
                let key = rng.gumbel()
                keys[g] = w > 0 ? log(w) + key : -.infinity
            }
            var mask: UInt32 = 0
            if !none {
                for _ in 0..<k {
                    var best = -1
                    for g in 0..<genreCount where mask & (1 << g) == 0 && keys[g] > -.infinity {
                        if best < 0 || keys[g] > keys[best] { best = g }
                    }
                    if best < 0 { break }
                    mask |= 1 << best
                }
            }
            genreMasks.append(mask)
            race[i] = -log(1 - rng.unit()) / model.popularityPreference(year)
            catalogueNoise[i] = rng.normal()
            jitter[i] = rng.unit()
            lateness[i] = rng.unit()
            noise[i] = rng.normal()
        }

        // Popularity: rank by the race, weight by rank (a head by rank alone, a body by quantile).
        byRank = (0..<m).sorted { race[$0] != race[$1] ? race[$0] < race[$1] : $0 < $1 }.map { Int32($0) }
        let p = model.scaled(n)
        var head = [Double](repeating: 0, count: m), body = [Double](repeating: 0, count: m)
        func slope(_ q: Double, _ l: Double) -> Double { l * exp(-l * q) / -expm1(-l) }
        for r in 0..<m {
            let k = Double(r + 1), q = (k - 0.5) / Double(m)
            head[r] = pow(k + model.popularityHeadOffset, -model.popularityHeadExponent)
            body[r] = p.steepShare * slope(q, model.popularitySteepBody) + (1 - p.steepShare) * slope(q, p.bodySlope)
        }
        let headSum = head.reduce(0, +), bodySum = body.reduce(0, +)
        weight = [Double](repeating: 0, count: m)
        var rankOf = [Int](repeating: 0, count: m)
        for r in 0..<m {
            let i = Int(byRank[r])
            rankOf[i] = r
            weight[i] = p.headShare * head[r] / headSum + (1 - p.headShare) * body[r] / bodySum
        }

        // When each movie joined: popular ones early, along the catalogue's growth; never before
        // January 1 of the release year. Small catalogues fill sooner (gamma <= 1).
        let order = (0..<m).sorted {
            let a = log((Double(rankOf[$0]) + 0.5) / Double(m)) + model.catalogueNoise * catalogueNoise[$0]
            let b = log((Double(rankOf[$1]) + 0.5) / Double(m)) + model.catalogueNoise * catalogueNoise[$1]
            return a != b ? a < b : $0 < $1
        }
        let gamma = pow(min(1, log(Double(m)) / log(62_423.0)), model.catalogueExponent)
        let growth = model.catalogueGrowth.map { (pow($0.1, gamma), $0.0) }
        added = [Double](repeating: 0, count: m)
        for (position, i) in order.enumerated() {
            var t = Distribution.interpolate(growth, at: (Double(position) + jitter[i]) / Double(m))
            let released = model.januaryFirst(Int(years[i]))
            if released > t {
                t = released + lateness[i] * min(120 * model.day, model.lastTimestamp - model.day - released)
            }
            added[i] = t
        }
        addedAscending = added.sorted()

        // Quality: the genres' offsets, noise, and a lift for popular and for old movies.
        let logWeights = weight.map { log($0) }
        let meanLog = logWeights.reduce(0, +) / Double(m)
        let sdLog = (logWeights.reduce(0) { $0 + ($1 - meanLog) * ($1 - meanLog) } / Double(m)).squareRoot()
        quality = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let zpop = sdLog > 0 ? (logWeights[i] - meanLog) / sdLog : 0
            let age = min(1, max(0, (1985 - Double(years[i])) / 40))
            quality[i] = Self.meanOverGenres(genreMasks[i], model.genreOffsets) ?? model.noGenreOffset
            quality[i] += model.movieQualitySD * noise[i] + model.popularQuality * zpop + model.oldQuality * age
        }

        // Pin each genre's expected-rating-weighted quality to its offset, so even a small
        // catalogue keeps the genre ordering whatever the draw. Expected ratings of a movie:
        // U (1 - exp(-kappa w a)), a = share of rating time after it joined.
        let users = Double(model.users(n))
        var wa = (0..<m).map { weight[$0] * (1 - Distribution.interpolate(model.ratingTimeShare, at: added[$0])) }
        let waSum = wa.reduce(0, +)
        if waSum > 0 { for i in 0..<m { wa[i] /= waSum } }
        func expected(_ kappa: Double) -> Double { wa.reduce(0) { $0 + users * -expm1(-kappa * $1) } }
        var lo = 0.0, hi = 1.0
        while expected(hi) < Double(n) && hi < 1e12 { hi *= 2 }
        for _ in 0..<60 {
            let kappa = (lo + hi) / 2
            if expected(kappa) > Double(n) { hi = kappa } else { lo = kappa }
        }
        let share = wa.map { -expm1(-hi * $0) }
        // Movies without genres are pinned too, as one more group (else the popularity and age
        // lifts, which the pin takes back from every genre, would leave them on top).
        let targets = model.genreOffsets + [model.noGenreOffset]
        for _ in 0..<6 {
            var weighted = [Double](repeating: 0, count: genreCount + 1), total = [Double](repeating: 0, count: genreCount + 1)
            for i in 0..<m {
                var mask = genreMasks[i]
                if mask == 0 {
                    weighted[genreCount] += share[i] * quality[i]
                    total[genreCount] += share[i]
                }
                while mask != 0 {
                    let g = mask.trailingZeroBitCount
                    mask &= mask - 1
                    weighted[g] += share[i] * quality[i]
                    total[g] += share[i]
                }
            }
            let delta = (0...genreCount).map { total[$0] > 0 ? targets[$0] - weighted[$0] / total[$0] : 0 }
            for i in 0..<m { quality[i] += Self.meanOverGenres(genreMasks[i], delta) ?? delta[genreCount] }
        }
        popularity = AliasTable(weights: weight)
    }

    /// Mean of `values` over the genres in `mask`; nil without genres.
    @inline(__always)
    static func meanOverGenres(_ mask: UInt32, _ values: [Double]) -> Double? {
        guard mask != 0 else { return nil }
        var m = mask, sum = 0.0
        while m != 0 { sum += values[m.trailingZeroBitCount]; m &= m - 1 }
        return sum / Double(mask.nonzeroBitCount)
    }

    /// "Drama|Comedy" in genre order, or "(no genres listed)".
    func genreText(_ i: Int) -> String {
        let mask = genreMasks[i]
        guard mask != 0 else { return "(no genres listed)" }
        return (0..<GeneratorModel.genres.count).filter { mask & (1 << $0) != 0 }.map { GeneratorModel.genres[$0] }
            .joined(separator: "|")
    }
}

/// Stream numbers: one per purpose and entity, far apart so no two purposes share a stream.
enum GeneratorStream {
    static let movie: UInt64 = 1 << 40
    static let title: UInt64 = 2 << 40
    static let userProfile: UInt64 = 3 << 40
    static let userPicks: UInt64 = 4 << 40
    static let userRatings: UInt64 = 5 << 40
    static let tagger: UInt64 = 6 << 40
    static let genomeMovie: UInt64 = 7 << 40
    static let userOrder: UInt64 = 8 << 40
    static let taggerChoice: UInt64 = 9 << 40
    static let genomeTags: UInt64 = 10 << 40
    static let links: UInt64 = 11 << 40
    static let genomeNames: UInt64 = 12 << 40
}
