// The numbers behind the generated data's shape: ml-25m's published figures (GroupLens READMEs,
// public analyses) and the parameters calibrated so that data of N ratings has ml-25m's shape
// scaled to N. `Tests/Generator/DESIGN.md` derives each one; `docs/generator.md` shows what
// they give next to ml-25m.

#if canImport(Glibc)
import Glibc
#endif

/// Constants and scale-dependent parameters of the generator's model.
enum GeneratorModel {
    static let firstTimestamp = 789_652_800.0   // 1995-01-09, the first rating in ml-25m
    static let lastTimestamp = 1_574_294_400.0  // 2019-11-21, the last
    static let halfStarsFrom = 1_045_526_400.0  // 2003-02-18: MovieLens allowed half stars from then
    static let day = 86_400.0

    // MARK: Sizes per N ratings (ml-25m: 25,000,095 ratings)

    static func users(_ n: Int) -> Int { max(1, Int((Double(n) / 154).rounded())) }
    static func movies(_ n: Int) -> Int { max(100, Int((Double(n) / 400).rounded())) }
    static func tagApplications(_ n: Int) -> Int { Int((Double(n) / 23).rounded()) }
    static func taggers(_ n: Int) -> Int { max(1, Int((Double(n) / 1713).rounded())) }
    static func genomeMovies(_ n: Int) -> Int { max(1, Int((Double(n) / 1809).rounded())) }
    static let genomeTags = 1128

    // MARK: Users

    static let medianUserRatings = 70.0
    static let topUserShare = 32_202.0 / 25_000_095  // ml-25m's most active user
    static let topUserDecay = 1.2                    // top(r) = N share r^-decay
    static let userCeiling = 9_000.0                 // K at 25M, times (N / 25M)^0.6
    static let userCeilingExponent = 0.6
    static let userBiasSD = 0.42
    static let heavyUserBias = -0.06                 // heavy raters rate lower
    static let genreTasteSD = 0.7

    /// Sign-up year weights, 1995...2019 (calibrated to ml-25m's rating-time quartiles).
    static let startYearWeights: [Double] = [0.4, 3.8, 2.6, 1.9, 3.1, 5.8, 3.0, 2.2, 2.1, 2.2, 2.7, 2.4, 2.2,
                                             2.0, 1.7, 1.5, 1.5, 1.5, 1.5, 1.7, 4.0, 4.6, 3.8, 3.2, 2.6]
    static let firstStartYear = 1995

    // Sessions: 1 + Poisson(rate c^exponent); lifetime lognormal, median 45 days x (c/70)^0.6.
    static let sessionRate = 0.08
    static let sessionExponent = 0.85
    static let firstSessionWeight = 3.0
    static let gapMeanSeconds = 30.0
    static let lifetimeMedianDays = 45.0
    static let lifetimeSigma = 1.6
    static let lifetimeExponent = 0.6

    // MARK: Movies

    static let genres = Vocabulary.genres
    /// Share of movies without genres (ml-25m: 5,062 of 62,423).
    static let noGenreShare = 5_062.0 / 62_423
    /// Movies with k = 1...7 genres (ml-25m).
    static let genreCounts: [Double] = [25_569, 18_326, 9_852, 2_784, 680, 123, 27]
    /// Genre draw weights, in `genres` order (calibrated so genre shares come out as ml-25m's).
    static let genreWeights: [Double] = [0.1117, 0.0617, 0.0431, 0.0427, 0.2815, 0.0789, 0.0740, 0.4761, 0.0399,
                                         0.0081, 0.0890, 0.0029, 0.0116, 0.0428, 0.1150, 0.0519, 0.1344, 0.0226, 0.0174]
    /// Latent quality offset per genre (calibrated to per-genre rating averages: Horror ~3.1 ...
    /// Film-Noir ~3.9), in `genres` order.
    static let genreOffsets: [Double] = [-0.1293, -0.0569, 0.0434, -0.1682, -0.1721, 0.1252, 0.1768, 0.1185,
                                         -0.0792, 0.4042, -0.4542, 0.0456, -0.0426, 0.1107, -0.0185, -0.0895,
                                         -0.0507, 0.2353, 0.0014]
    static let noGenreOffset = -0.30

    /// How much likelier genre g is for a movie released in `year`.
    static func genreYearFactor(_ g: Int, _ year: Int) -> Double {
        switch genres[g] {
        case "Film-Noir": return (1940...1959).contains(year) ? 12 : 0.03
        case "IMAX": return year >= 1995 ? 1.5 : 0
        case "Western", "War", "Musical": return year < 1970 ? 2.5 : 1
        case "Documentary": return year >= 2000 ? 1.4 : 0.7
        default: return 1
        }
    }

    /// Release-year periods and their share of movies (few before 1930, most after 1990).
    static let yearPeriods: [(first: Int, last: Int, share: Double)] = [
        (1902, 1929, 0.015), (1930, 1949, 0.045), (1950, 1969, 0.075), (1970, 1979, 0.055),
        (1980, 1989, 0.08), (1990, 1999, 0.13), (2000, 2009, 0.26), (2010, 2019, 0.34)]

    /// Popularity race preference by release year (ml-25m's most rated movies are 1990s films).
    static func popularityPreference(_ year: Int) -> Double {
        if (1990...2004).contains(year) { return 3 }
        if (1975..<2013).contains(year) { return 1.6 }
        return 1
    }

    static let movieQualitySD = 0.50
    static let popularQuality = 0.16   // popular films are liked more
    static let oldQuality = 0.25       // and old films still watched are the good ones
    static let popularityHeadOffset = 8.0
    static let popularityHeadExponent = 1.3
    static let popularitySteepBody = 60.0

    /// MovieLens's catalogue over time: (time, share of the final catalogue), from the GroupLens
    /// READMEs (ml-100k 1998, ml-10m 2009, ml-20m 2015, ml-25m 2019; 1995 and 2003 interpolated).
    static let catalogueGrowth: [(Double, Double)] = [
        (789_652_800, 0.015), (893_203_200, 0.027), (1_046_390_400, 0.062), (1_231_113_600, 0.171),
        (1_427_760_000, 0.437), (1_574_294_400, 1.0)]
    static let catalogueNoise = 1.0
    static let catalogueExponent = 4.0

    /// Share of ml-25m's ratings made by a time (its quartiles 2002-01, 2007-12, 2015-11).
    static let ratingTimeShare: [(Double, Double)] = [
        (789_652_800, 0), (1_011_747_000, 0.25), (1_198_868_000, 0.5), (1_447_205_000, 0.75), (1_574_294_400, 1)]

    // MARK: Ratings

    static let ratingNoiseSD = 0.78
    /// Histogram 0.5 ... 5.0 that ratings from 2003-02-18 on follow; with earlier half stars
    /// moved to a whole-star neighbour (28% of ratings) it mixes to ml-25m's histogram
    /// (0.5 1.57%, 1.0 3.11%, ..., 4.0 26.56%, 5.0 14.45%; mean 3.534).
    static let laterHistogram: [Double] = [0.02183, 0.02185, 0.02219, 0.05270, 0.07015, 0.16135, 0.17652,
                                           0.22377, 0.12225, 0.12739]

    // MARK: Tags and genome

    static let taggerDecay = 1.15

    // MARK: Scale-dependent parameters

    /// Parameters anchored at 1M, 5M and 25M ratings: a user rates 6% of a 1M catalogue but
    /// 0.25% of a 25M one, so one popularity curve cannot give both scales ml-25m's top share and
    /// tail. Between anchors they follow ln N linearly; outside they are clamped.
    struct Scaled {
        var headShare: Double      // η: share of draws from the rank-based head
        var bodySlope: Double      // s: slope of the quantile-based body
        var steepShare: Double     // ρ: share of the steep body component
        var tagHotShare: Double
        var tagHotPower: Double
        var tagBroadPower: Double
    }

    static let anchors: [(n: Double, p: Scaled)] = [
        (1e6, Scaled(headShare: 0.04, bodySlope: 11, steepShare: 0, tagHotShare: 0.75, tagHotPower: 3, tagBroadPower: 0.7)),
        (5e6, Scaled(headShare: 0.085, bodySlope: 5.5, steepShare: 0.3, tagHotShare: 0.625, tagHotPower: 2.5, tagBroadPower: 0.5)),
        (25e6, Scaled(headShare: 0.13, bodySlope: 4, steepShare: 0.6, tagHotShare: 0.5, tagHotPower: 2, tagBroadPower: 0.3)),
    ]

    static func scaled(_ n: Int) -> Scaled {
        let x = log(min(max(Double(n), anchors[0].n), anchors[anchors.count - 1].n))
        for k in 1..<anchors.count where x <= log(anchors[k].n) {
            let a = anchors[k - 1], b = anchors[k]
            let t = (x - log(a.n)) / (log(b.n) - log(a.n))
            func mix(_ f: KeyPath<Scaled, Double>) -> Double { a.p[keyPath: f] + t * (b.p[keyPath: f] - a.p[keyPath: f]) }
            return Scaled(headShare: mix(\.headShare), bodySlope: mix(\.bodySlope), steepShare: mix(\.steepShare),
                          tagHotShare: mix(\.tagHotShare), tagHotPower: mix(\.tagHotPower), tagBroadPower: mix(\.tagBroadPower))
        }
        return anchors[anchors.count - 1].p
    }

    /// Seconds since 1970 of January 1 of `year` (proleptic Gregorian, UTC).
    static func januaryFirst(_ year: Int) -> Double {
        let y = year - 1
        let days = 365 * (year - 1970) + (y / 4 - 1969 / 4) - (y / 100 - 1969 / 100) + (y / 400 - 1969 / 400)
        return Double(days) * day
    }
}
