// The generated users: how many ratings each makes (a long tail with no plateau: ml-25m's
// most active user has 0.13% of all ratings, the median user 70), when they rate (sessions:
// bursts of activity over a lifetime, heavy users later, when the catalogue holds their
// movies), their genre tastes and how generously they rate.

#if canImport(Glibc)
import Glibc
#endif

/// Per-user activity, in user-id order (user id = index + 1).
struct UserActivity: Sendable {
    var counts: [Int32] = []
    /// Sessions of user u: `sessions[sessionStart[u] ..< sessionStart[u + 1]]`, ascending times.
    var sessionStart: [Int32] = [0]
    var sessions: [Double] = []
    /// Genre affinities, `genreCount` per user.
    var taste: [Float] = []
    var tasteMax: [Float] = []
    /// Latent generosity in standard units.
    var bias: [Double] = []
    /// Count-weighted mean and variance of `bias`: ratings are centred and scaled with them.
    var biasMean = 0.0, biasVariance = 0.0

    var count: Int { counts.count }

    init(ratings n: Int, catalogue: Catalogue, seed: UInt64) {
        guard n > 0 else { return }
        let model = GeneratorModel.self
        let m = catalogue.count
        // Enough users that no one must rate more than the catalogue holds.
        let users = max(model.users(n), (n + m - 1) / m)
        let byRank = Self.countsByRank(ratings: n, users: users, movies: m)
        var order = Array(0..<users)
        var shuffle = SplitMix64(seed: seed, stream: GeneratorStream.userOrder)
        for i in stride(from: users - 1, to: 0, by: -1) { order.swapAt(i, shuffle.below(i + 1)) }
        counts = order.map { Int32(byRank[$0]) }

        let genreCount = model.genres.count
        let yearTotal = model.startYearWeights.reduce(0, +)
        taste.reserveCapacity(users * genreCount)
        var times: [Double] = []
        for u in 0..<users {
            var rng = SplitMix64(seed: seed, stream: GeneratorStream.userProfile + UInt64(u))
            let c = Double(counts[u])
            var y = rng.unit() * yearTotal, year = model.firstStartYear + model.startYearWeights.count - 1
            for (k, w) in model.startYearWeights.enumerated() { if y < w { year = model.firstStartYear + k; break }; y -= w }
            let y0 = model.januaryFirst(year), y1 = model.januaryFirst(year + 1)
            let start = min(max(model.firstTimestamp, y0 + rng.unit() * (y1 - y0)), model.lastTimestamp - 2 * model.day)
            var life = exp(log(model.lifetimeMedianDays * model.day) + model.lifetimeSigma * rng.normal())
            life = min(life * pow(c / 70, model.lifetimeExponent), model.lastTimestamp - model.day - start)
            let sessionCount = 1 + rng.poisson(mean: model.sessionRate * pow(c, model.sessionExponent))
            times.removeAll(keepingCapacity: true)
            times.append(start)
            for _ in 1..<sessionCount { times.append(start + rng.unit() * life) }
            times.sort()
            // Heavy users come when the catalogue holds 1.5x their count.
            let need = catalogue.addedAscending[min(m - 1, Int((1.5 * c).rounded(.up)))]
            if times[times.count - 1] < need {
                times[times.count - 1] = min(need + rng.unit() * 120 * model.day, model.lastTimestamp - model.day)
            }
            sessions.append(contentsOf: times)
            sessionStart.append(Int32(sessions.count))
            var best = -Float.infinity
            for _ in 0..<genreCount {
                let t = Float(rng.normal())
                taste.append(t)
                best = max(best, t)
            }
            tasteMax.append(best)
            bias.append(model.userBiasSD * rng.normal() + model.heavyUserBias * log(c / model.medianUserRatings))
        }
        var sum = 0.0
        for u in 0..<users { sum += Double(counts[u]) * bias[u] }
        biasMean = sum / Double(n)
        var square = 0.0
        for u in 0..<users { square += Double(counts[u]) * (bias[u] - biasMean) * (bias[u] - biasMean) }
        biasVariance = square / Double(n)
    }

    /// Ratings per user by activity rank r = 1, 2, ... (1 = most active), summing to n:
    /// c(r) = max(20 + 1 / (1 / (A e^(sigma z_r)) + 1 / K), top(r)), z_r = Phi^-1(1 - (r - 1/2) / U),
    /// A = median - 20, K a ceiling that keeps the head inside the catalogue, top(r) ml-25m's
    /// most active user's share times r^-1.2 (at most 0.6 of the catalogue); sigma solved so the
    /// counts sum to n, the rounding remainder handed out from the top.
    static func countsByRank(ratings n: Int, users u: Int, movies m: Int) -> [Int] {
        let model = GeneratorModel.self
        let floorCount = min(20, n / u)
        let a = model.medianUserRatings - 20
        let ceiling = max(model.userCeiling * pow(Double(n) / 25e6, model.userCeilingExponent), 20)
        let z = (0..<u).map { Distribution.normalQuantile(1 - (Double($0) + 0.5) / Double(u)) }
        let top = (0..<u).map { min(Double(n) * model.topUserShare * pow(Double($0 + 1), -model.topUserDecay), 0.6 * Double(m)) }
        func curve(_ r: Int, _ sigma: Double) -> Double {
            max(20 + 1 / (1 / (a * exp(sigma * z[r])) + 1 / ceiling), top[r])
        }
        var lo = 0.3, hi = 6.0, sigma = 0.0
        for _ in 0..<80 {
            sigma = (lo + hi) / 2
            var total = 0.0
            for r in 0..<u { total += curve(r, sigma) }
            if total > Double(n) { hi = sigma } else { lo = sigma }
        }
        var counts = (0..<u).map { min(m, max(floorCount, Int(curve($0, sigma)))) }
        var rest = n - counts.reduce(0, +)
        var i = 0
        while rest != 0 {
            let r = i % u
            if rest > 0 && counts[r] < m { counts[r] += 1; rest -= 1 }
            else if rest < 0 && counts[r] > floorCount { counts[r] -= 1; rest += 1 }
            i += 1
        }
        return counts
    }

    func sessionRange(_ u: Int) -> Range<Int> { Int(sessionStart[u])..<Int(sessionStart[u + 1]) }
    func lastSession(_ u: Int) -> Double { sessions[Int(sessionStart[u + 1]) - 1] }
    func firstSession(_ u: Int) -> Double { sessions[Int(sessionStart[u])] }

    /// How readily user u accepts a movie with these genres, in (0, 1]: exp(sd x (mean of the
    /// user's affinities over the genres - the user's largest affinity)).
    @inline(__always)
    func acceptance(_ u: Int, _ mask: UInt32) -> Double {
        let base = u * GeneratorModel.genres.count
        var mean: Float = 0
        if mask != 0 {
            var m = mask
            while m != 0 { mean += taste[base + m.trailingZeroBitCount]; m &= m - 1 }
            mean /= Float(mask.nonzeroBitCount)
        }
        return exp(GeneratorModel.genreTasteSD * Double(mean - tasteMax[u]))
    }
}
