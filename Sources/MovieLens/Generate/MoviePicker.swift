// Which movies a user rates: distinct movies already in the catalogue by the user's last
// session, drawn by popularity and thinned by the user's genre taste. Light users draw and
// reject (successive sampling); heavy users, who would reject most draws as duplicates, get
// the same inclusion probabilities approximately (pi = 1 - exp(-theta w tau)) and a
// systematic sample over a shuffled list: O(catalogue) per heavy user, never a retry loop.

#if canImport(Glibc)
import Glibc
#endif

/// Reusable buffers for picking, one per worker block.
struct MoviePicker {
    private var stamp: [UInt32]
    private var epoch: UInt32 = 0
    private var eligible: [Int32] = []
    private var inclusion: [Double] = []
    let heavyFrom: Int

    init(movies m: Int) {
        stamp = [UInt32](repeating: 0, count: m)
        heavyFrom = max(40, m / 16)
    }

    private mutating func nextEpoch() -> UInt32 {
        epoch &+= 1
        if epoch == 0 { for i in stamp.indices { stamp[i] = 0 }; epoch = 1 }
        return epoch
    }

    /// The movie indices user u rates, ascending (movieId order), into `picks`.
    mutating func pick(user u: Int, catalogue: Catalogue, users: UserActivity, seed: UInt64, into picks: inout [Int32]) {
        var rng = SplitMix64(seed: seed, stream: GeneratorStream.userPicks + UInt64(u))
        let c = Int(users.counts[u])
        picks.removeAll(keepingCapacity: true)
        if c >= heavyFrom || !pickLight(u, c, catalogue, users, &rng, &picks) {
            pickHeavy(u, c, catalogue, users, &rng, &picks)
        }
        picks.sort()
    }

    /// Successive weighted draws; false if the user's draws ran out (a tiny eligible set).
    private mutating func pickLight(_ u: Int, _ c: Int, _ catalogue: Catalogue, _ users: UserActivity,
                                    _ rng: inout SplitMix64, _ picks: inout [Int32]) -> Bool {
        let mark = nextEpoch()
        let last = users.lastSession(u)
        var budget = 200 * c + 10_000
        while picks.count < c {
            budget -= 1
            if budget == 0 { picks.removeAll(keepingCapacity: true); return false }
            let i = catalogue.popularity.draw(&rng)
            guard catalogue.added[i] <= last, stamp[i] != mark else { continue }
            guard rng.unit() < users.acceptance(u, catalogue.genreMasks[i]) else { continue }
            stamp[i] = mark
            picks.append(Int32(i))
        }
        return true
    }

    private mutating func pickHeavy(_ u: Int, _ c: Int, _ catalogue: Catalogue, _ users: UserActivity,
                                    _ rng: inout SplitMix64, _ picks: inout [Int32]) {
        let mark = nextEpoch()
        let last = users.lastSession(u)
        eligible.removeAll(keepingCapacity: true)
        inclusion.removeAll(keepingCapacity: true)
        for r in 0..<catalogue.count {
            let i = Int(catalogue.byRank[r])
            guard catalogue.added[i] <= last else { continue }
            eligible.append(Int32(i))
            inclusion.append(catalogue.weight[i] * users.acceptance(u, catalogue.genreMasks[i]))
        }
        if eligible.count > c {
            // theta with sum(1 - exp(-theta w)) = c: Newton from 0 climbs monotonically (the
            // sum is concave in theta).
            var theta = 0.0
            for _ in 0..<100 {
                var f = -Double(c), slope = 0.0
                for w in inclusion {
                    let e = exp(-theta * w)
                    f += 1 - e
                    slope += w * e
                }
                if f > -1e-7 * Double(c) || slope <= 0 { break }
                theta -= f / slope
            }
            var total = 0.0
            for k in inclusion.indices {
                inclusion[k] = -expm1(-theta * inclusion[k])
                total += inclusion[k]
            }
            // Systematic sampling over a random order: points U, U + 1, ... on the cumulative
            // inclusion scaled to c select c movies, each at most once when every pi <= 1.
            for k in stride(from: eligible.count - 1, to: 0, by: -1) {
                let j = rng.below(k + 1)
                eligible.swapAt(k, j)
                inclusion.swapAt(k, j)
            }
            let scale = total > 0 ? Double(c) / total : 0
            var point = rng.unit(), cumulative = 0.0
            for k in eligible.indices where picks.count < c {
                cumulative += inclusion[k] * scale
                while point < cumulative && picks.count < c {
                    let i = Int(eligible[k])
                    if stamp[i] != mark { stamp[i] = mark; picks.append(Int32(i)) }
                    point += 1
                }
            }
        }
        // Top up (rounding, or fewer eligible movies than c) from the most popular: first those
        // already in the catalogue, then any.
        for onlyEligible in [true, false] {
            for r in 0..<catalogue.count where picks.count < c {
                let i = Int(catalogue.byRank[r])
                guard stamp[i] != mark, !onlyEligible || catalogue.added[i] <= last else { continue }
                stamp[i] = mark
                picks.append(Int32(i))
            }
        }
    }
}
