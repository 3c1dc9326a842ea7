#!/usr/bin/env python3
"""Prototype of the issue-16 generator model, in numpy: writes the six MovieLens CSVs for N ratings
with ml-25m's shape, so that Tests/Generator/generator_stats.py can check the model before it is
ported to Swift (see Tests/Generator/DESIGN.md for the model and its parameters).

    python3 Tests/Generator/generator_prototype.py --out OUT_DIR --ratings 1000000 [--seed 42]
    python3 Tests/Generator/generator_prototype.py --calibrate 6 --ratings 1000000  # re-fit the genre tables

The prototype draws from numpy's PCG64; the Swift port draws the same distributions from
per-movie / per-user SplitMix64 streams (the design says which stream draws what).
"""
import argparse
import math
import os
import time

import duckdb
import numpy as np
from scipy.special import ndtr, ndtri

# ------------------------------------------------------------------------------------------------
# Design tables (the Swift generator hard-codes these)
# ------------------------------------------------------------------------------------------------
FIRST_TS = 789_652_800      # 1995-01-09
LAST_TS = 1_574_294_400     # 2019-11-21
HALF_FROM = 1_045_526_400   # 2003-02-18

GENRES = ["Action", "Adventure", "Animation", "Children", "Comedy", "Crime", "Documentary", "Drama",
          "Fantasy", "Film-Noir", "Horror", "IMAX", "Musical", "Mystery", "Romance", "Sci-Fi",
          "Thriller", "War", "Western"]
# ml-25m movies per genre (of 62,423); the targets of the genre draw.
GENRE_MOVIES = {"Drama": 25606, "Comedy": 16870, "Thriller": 8654, "Romance": 7719, "Action": 7348,
                "Horror": 5989, "Documentary": 5605, "Crime": 5319, "Adventure": 4145, "Sci-Fi": 3595,
                "Children": 2935, "Animation": 2929, "Mystery": 2925, "Fantasy": 2731, "War": 1874,
                "Western": 1399, "Musical": 1054, "Film-Noir": 353, "IMAX": 195}
NO_GENRE_SHARE = 5062 / 62423
# Genres per movie (movies with genres): ml-25m 25,569 / 18,326 / 9,852 / 2,784 / 680 / 123 / 24+2+1.
GENRE_COUNT = np.array([25569, 18326, 9852, 2784, 680, 123, 27], dtype=float)
GENRE_COUNT /= GENRE_COUNT.sum()

# Genre draw weights (calibrated by --calibrate so the shares above come out; Gumbel-top-k draw).
GENRE_WEIGHT = {"Action": 0.1117, "Adventure": 0.0617, "Animation": 0.0431, "Children": 0.0427, "Comedy": 0.2815, "Crime": 0.0789, "Documentary": 0.0740, "Drama": 0.4761, "Fantasy": 0.0399, "Film-Noir": 0.0081, "Horror": 0.0890, "IMAX": 0.0029, "Musical": 0.0116, "Mystery": 0.0428, "Romance": 0.1150, "Sci-Fi": 0.0519, "Thriller": 0.1344, "War": 0.0226, "Western": 0.0174}


def year_factor(g, y):
    """How much more (or less) likely genre g is for a movie of year y."""
    if g == "Film-Noir":
        return np.where((y >= 1940) & (y <= 1959), 12.0, 0.03)
    if g == "IMAX":
        return np.where(y >= 1995, 1.5, 0.0)
    if g in ("Western", "War", "Musical"):
        return np.where(y < 1970, 2.5, 1.0)
    if g == "Documentary":
        return np.where(y >= 2000, 1.4, 0.7)
    return np.ones_like(y, dtype=float)


# Target rating-weighted genre averages (issue 16: Horror ~3.1 lowest, Film-Noir ~3.9 highest;
# War, Documentary, Crime, Drama above the mean; Comedy, Children, Action below; the rest filled in).
GENRE_TARGET = {"Film-Noir": 3.96, "War": 3.78, "Documentary": 3.72, "Crime": 3.69, "Drama": 3.68,
                "Mystery": 3.66, "Animation": 3.61, "IMAX": 3.60, "Western": 3.58, "Musical": 3.56,
                "Romance": 3.55, "Thriller": 3.52, "Adventure": 3.51, "Fantasy": 3.50, "Sci-Fi": 3.47,
                "Action": 3.43, "Children": 3.41, "Comedy": 3.40, "Horror": 3.12}
# Latent quality offset per genre (calibrated by --calibrate; a movie takes the mean over its genres).
GENRE_OFFSET = {"Action": -0.1293, "Adventure": -0.0569, "Animation": 0.0434, "Children": -0.1682, "Comedy": -0.1721, "Crime": 0.1252, "Documentary": 0.1768, "Drama": 0.1185, "Fantasy": -0.0792, "Film-Noir": 0.4042, "Horror": -0.4542, "IMAX": 0.0456, "Musical": -0.0426, "Mystery": 0.1107, "Romance": -0.0185, "Sci-Fi": -0.0895, "Thriller": -0.0507, "War": 0.2353, "Western": 0.0014}
NO_GENRE_OFFSET = -0.30

# Release years: share of movies per period (design; ml-25m: few before 1930, most after 1990).
YEAR_BINS = [(1902, 1929, 0.015), (1930, 1949, 0.045), (1950, 1969, 0.075), (1970, 1979, 0.055),
             (1980, 1989, 0.08), (1990, 1999, 0.13), (2000, 2009, 0.26), (2010, 2019, 0.34)]

# Sign-up year weights of users (design; calibrated so rating timestamps have ml-25m's quartiles
# 2002-01 / 2007-12 / 2015-11 from the public describe() of ratings.csv).
START_YEAR_WEIGHT = {1995: 0.4, 1996: 3.8, 1997: 2.6, 1998: 1.9, 1999: 3.1, 2000: 5.8, 2001: 3.0, 2002: 2.2,
                     2003: 2.1, 2004: 2.2, 2005: 2.7, 2006: 2.4, 2007: 2.2, 2008: 2.0, 2009: 1.7, 2010: 1.5,
                     2011: 1.5, 2012: 1.5, 2013: 1.5, 2014: 1.7, 2015: 4.0, 2016: 4.6, 2017: 3.8, 2018: 3.2,
                     2019: 2.6}

# ml-25m histogram 0.5 .. 5.0.
HIST = np.array([0.01572, 0.03107, 0.01598, 0.06563, 0.05051, 0.19588, 0.12709, 0.26559, 0.08802, 0.14450])
PRE2003_SHARE = 0.28   # expected share of ratings before 2003-02-18 (only whole stars then)

P = dict(
    # users (see user_counts)
    user_median=70, user_top_share=32202 / 25_000_095, user_beta=1.2, user_ceiling=9000.0, user_ceiling_exp=0.6,
    # movies: popularity = rank-based head + quantile-based body (see popularity(), POP_* anchors)
    pop_head_k0=8.0, pop_head_a=1.3,
    # quality (latent, standard units): movie, user, noise; popularity and age lift quality
    sd_movie=0.50, sd_user=0.42, sd_noise=0.78, pop_quality=0.16, old_quality=0.25, heavy_user_bias=-0.06,
    # sessions: 1 + Poisson(rate c^exp) per user; first session weighs 3; in-session gaps Exp(30 s);
    # lifetime lognormal(median 45 d * (c/70)^0.6, sigma 1.6)
    first_session_weight=3.0, session_rate=0.08, session_exp=0.85, gap_mean=30.0,
    life_median_days=45.0, life_sigma=1.6, life_exp=0.6,
    # picking: users with count >= M/16 are sampled systematically (pi-ps); genre taste thins draws
    heavy_fraction=16, taste_sd=0.7,
    # catalogue growth: popularity-ordered with noise; small catalogues fill sooner
    catalogue_noise=1.0, catalogue_k=4.0,
    # tags (see POP_* anchors for the movie choice)
    tags_per_rating=1 / 23, ratings_per_tagger=1713, tagger_alpha=1.15,
    # genome
    genome_per_rating=1 / 1809, genome_tags=1128,
)


# ------------------------------------------------------------------------------------------------

def pick_genres(rng, years, weights):
    m = len(years)
    k = rng.choice(len(GENRE_COUNT), size=m, p=GENRE_COUNT) + 1
    none = rng.random(m) < NO_GENRE_SHARE
    w = np.stack([weights[g] * year_factor(g, years) for g in GENRES], axis=1)
    keys = np.where(w > 0, np.log(np.maximum(w, 1e-300)) + rng.gumbel(size=w.shape), -np.inf)
    order = np.argsort(-keys, axis=1)
    member = np.zeros((m, len(GENRES)), dtype=bool)
    for j in range(order.shape[1]):
        sel = (k > j) & ~none & np.isfinite(keys[np.arange(m), order[:, j]])
        member[np.arange(m)[sel], order[sel, j]] = True
    return member


# MovieLens's catalogue over time (movies in the release of that date / 62,423): ml-100k (1998,
# 1,682), ml-10m (2009-01-05, 10,681), ml-20m (2015-03-31, 27,278), ml-25m (2019-11-21, 62,423);
# 2003 and 1995 interpolated. A movie is rated only after it joined the catalogue.
GROWTH = [(789_652_800, 0.015), (893_203_200, 0.027), (1_046_390_400, 0.062), (1_231_113_600, 0.171),
          (1_427_760_000, 0.437), (1_574_294_400, 1.0)]


# Share of ml-25m's ratings made by a time (its quartiles 2002-01 / 2007-12 / 2015-11).
RATING_TIME_CDF = (np.array([789_652_800, 1_011_747_000, 1_198_868_000, 1_447_205_000, 1_574_294_400], dtype=float),
                   np.array([0.0, 0.25, 0.5, 0.75, 1.0]))


def added_times(rng, q, years):
    """When each movie joined the catalogue: popular movies (small popularity quantile q) early,
    by the growth curve above, and never before January 1 of the release year."""
    m = len(q)
    key = np.log(q) + P["catalogue_noise"] * rng.standard_normal(m)
    p = np.empty(m)
    p[np.argsort(key)] = (np.arange(m) + rng.random(m)) / m
    gt = np.array([g[0] for g in GROWTH], dtype=float)
    gp = np.array([g[1] for g in GROWTH])
    # small catalogues fill up sooner (a 2,500-movie catalogue cannot hold ml-25m's heavy users
    # in 2003's 6%): the growth fractions are raised to gamma = (ln m / ln 62,423)^k <= 1
    gamma = min(1.0, math.log(m) / math.log(62423)) ** P["catalogue_k"]
    t = np.interp(p, gp ** gamma, gt, left=gt[0])
    rel = np.array([_ts(int(y)) for y in years], dtype=float)
    late = rel > t
    t[late] = rel[late] + rng.random(late.sum()) * np.minimum(120 * 86400, LAST_TS - 86400 - rel[late])
    return t


# Popularity and tag parameters at 1M, 5M and 25M ratings; in between they follow log N linearly,
# outside they are clamped. (Saturation differs: at 1M a user rates 6% of the catalogue on
# average, at 25M 0.25%, so one curve cannot give both scales ml-25m's top share and tail.)
POP_1M = dict(pop_head_share=0.04, pop_body_s=11.0, pop_body_mix=0.0, pop_body_steep=60.0,
              tag_hot_share=0.75, tag_hot_power=3.0, tag_broad_power=0.7)
POP_25M = dict(pop_head_share=0.13, pop_body_s=4.0, pop_body_mix=0.6, pop_body_steep=60.0,
               tag_hot_share=0.5, tag_hot_power=2.0, tag_broad_power=0.3)

POP_5M = dict(pop_head_share=0.085, pop_body_s=5.5, pop_body_mix=0.3, pop_body_steep=60.0,
              tag_hot_share=0.625, tag_hot_power=2.5, tag_broad_power=0.5)


def scaled(name, n):
    """A popularity/tag parameter for n ratings: piecewise linear in log n through the anchors."""
    anchors = [(1e6, POP_1M)] + ([(5e6, POP_5M)] if POP_5M else []) + [(25e6, POP_25M)]
    x = math.log(min(max(n, 1e6), 25e6))
    for (n0, a), (n1, b) in zip(anchors, anchors[1:]):
        if x <= math.log(n1):
            t = (x - math.log(n0)) / (math.log(n1) - math.log(n0))
            return a[name] + t * (b[name] - a[name])
    return anchors[-1][1][name]


def popularity(rank, m):
    """Popularity weight of the movie of popularity rank `rank` (1 = most popular) of m: a head
    that depends on the rank alone (so the most popular movies keep their share of all draws at
    any scale) plus a body that depends on the rank quantile (so the tail keeps its shape):
    w = eta h(k) / sum h + (1 - eta) b(q) / sum b, h(k) = (k + k0)^-a,
    b(q) = rho f(q; steep) + (1 - rho) f(q; s), f(q; l) = l e^(-l q) / (1 - e^-l)."""
    k = rank.astype(float)
    h = (k + P["pop_head_k0"]) ** -P["pop_head_a"]
    q = (k - 0.5) / m

    def f(lam):
        return lam * np.exp(-lam * q) / -np.expm1(-lam)

    rho = scaled("pop_body_mix", P["_n"])
    b = rho * f(scaled("pop_body_steep", P["_n"])) + (1 - rho) * f(scaled("pop_body_s", P["_n"]))
    eta = scaled("pop_head_share", P["_n"])
    return eta * h / h.sum() + (1 - eta) * b / b.sum()


def make_movies(rng, m, n, genre_weight, genre_offset):
    ids = np.cumsum(np.where(rng.random(m) < 0.5, 1, 1 + rng.integers(0, 8, m)))
    bins = np.array([b[2] for b in YEAR_BINS])
    b = rng.choice(len(YEAR_BINS), size=m, p=bins / bins.sum())
    lo = np.array([x[0] for x in YEAR_BINS])[b]
    hi = np.array([x[1] for x in YEAR_BINS])[b]
    years = lo + np.floor(rng.random(m) * (hi - lo + 1)).astype(int)
    member = pick_genres(rng, years, genre_weight)
    # popularity: a weighted random order (1990-2004 movies are favoured, like ml-25m's most rated)
    pref = np.where((years >= 1990) & (years <= 2004), 3.0,
                    np.where((years >= 1975) & (years < 2013), 1.6, 1.0))
    race = -np.log(rng.random(m)) / pref
    rank = np.empty(m, dtype=np.int64)
    rank[np.argsort(race)] = np.arange(1, m + 1)
    P["_n"] = n
    weight = popularity(rank, m)
    a, k0 = scaled("pop_head_share", n), scaled("pop_body_s", n)
    logw = np.log(weight)
    zpop = (logw - logw.mean()) / logw.std()
    off = np.array([genre_offset[g] for g in GENRES])
    cnt = member.sum(axis=1)
    goff = np.where(cnt > 0, (member * off).sum(axis=1) / np.maximum(cnt, 1), NO_GENRE_OFFSET)
    quality = (goff + P["sd_movie"] * rng.standard_normal(m) + P["pop_quality"] * zpop
               + P["old_quality"] * np.clip((1985 - years) / 40, 0, 1))
    added = added_times(rng, (rank - 0.5) / m, years)
    # expected ratings of a movie ~ its weight x the share of rating time after it joined the
    # catalogue (ml-25m's rating-time quartiles), saturating: U (1 - exp(-kappa w after))
    after = 1 - np.interp(added, RATING_TIME_CDF[0], RATING_TIME_CDF[1])
    users = max(1, round(n / 154))
    wa = weight * after / (weight * after).sum()
    lo, hi = 0.0, 1.0
    while (users * -np.expm1(-hi * wa)).sum() < n and hi < 1e12:
        hi *= 2
    for _ in range(60):
        kappa = (lo + hi) / 2
        if (users * -np.expm1(-kappa * wa)).sum() > n:
            hi = kappa
        else:
            lo = kappa
    pw = -np.expm1(-hi * wa)
    pw = pw / pw.sum()
    # pin each genre's expected-rating-weighted mean quality to its offset (a few passes; movies
    # with several genres move by the mean of their genres' corrections), so small catalogues keep
    # the genre ordering whatever the draw
    for _ in range(6):
        delta = np.zeros(len(GENRES))
        for j, g in enumerate(GENRES):
            sel = member[:, j]
            if sel.any():
                delta[j] = genre_offset[g] - (pw[sel] * quality[sel]).sum() / pw[sel].sum()
        quality = quality + np.where(cnt > 0, (member * delta).sum(axis=1) / np.maximum(cnt, 1), 0.0)
    return dict(ids=ids, years=years, member=member, rank=rank, weight=weight, quality=quality, a=a, k0=k0,
                added=added, expected=pw)


def user_counts(n):
    """Ratings per user by activity rank r (1 = most active), summing to n:
    c(r) = max(20 + softmin(A e^(sigma z_r), K), top(r)), softmin(b, K) = 1 / (1/b + 1/K),
    z_r = Phi^-1(1 - (r - 0.5) / U), A = median - 20, K = K0 (n / 25M)^gamma (a ceiling that keeps
    the head within the catalogue), top(r) = n * 0.001288 * r^-1.2 (ml-25m's most active user,
    at most 0.6 of the catalogue); sigma is solved so the counts sum to n."""
    u = max(1, round(n / 154))
    m = max(100, round(n / 400))
    r = np.arange(1, u + 1, dtype=float)
    z = ndtri(1 - (r - 0.5) / u)
    A = P["user_median"] - 20
    K = max(P["user_ceiling"] * (n / 25e6) ** P["user_ceiling_exp"], 20.0)
    top = np.minimum(n * P["user_top_share"] * r ** -P["user_beta"], 0.6 * m)

    def curve(sig):
        b = A * np.exp(sig * z)
        return np.maximum(20 + 1 / (1 / b + 1 / K), top)

    lo, hi = 0.3, 6.0
    for _ in range(80):
        sig = (lo + hi) / 2
        if curve(sig).sum() > n:
            hi = sig
        else:
            lo = sig
    c = np.minimum(np.floor(curve(sig)).astype(np.int64), m)
    rest = n - c.sum()
    i = 0
    while rest != 0:   # hand out the remainder one by one from the top ranks
        step = 1 if rest > 0 else -1
        j = i % u
        if (step > 0 and c[j] < m) or (step < 0 and c[j] > 20):
            c[j] += step
            rest -= step
        i += 1
    return c, sig


def sessions(rng, counts):
    """Per user: sorted session start times (ragged, as flat arrays + offsets)."""
    u = len(counts)
    yrs = np.array(list(START_YEAR_WEIGHT.keys()))
    wy = np.array(list(START_YEAR_WEIGHT.values()))
    y = yrs[rng.choice(len(yrs), size=u, p=wy / wy.sum())]
    y0 = np.array([_ts(int(v)) for v in y])
    y1 = np.array([_ts(int(v) + 1) for v in y])
    start = np.maximum(FIRST_TS, y0 + rng.random(u) * (y1 - y0))
    start = np.minimum(start, LAST_TS - 2 * 86400)
    life = np.exp(math.log(P["life_median_days"] * 86400) + P["life_sigma"] * rng.standard_normal(u))
    life *= (counts / 70.0) ** P["life_exp"]
    life = np.minimum(life, LAST_TS - 86400 - start)
    s = 1 + rng.poisson(P["session_rate"] * counts ** P["session_exp"])
    off = np.concatenate([[0], np.cumsum(s)])
    flat = np.empty(off[-1])
    owner = np.repeat(np.arange(u), s)
    frac = rng.random(off[-1])
    frac[off[:-1]] = 0.0
    flat = start[owner] + frac * life[owner]
    # sort within user
    order = np.lexsort((flat, owner))
    flat = flat[order]
    return flat, off, owner


def _ts(year):
    return int(np.datetime64(f"{year}-01-01", "s").astype(np.int64))


def taste_of(mv, taste, uu, mi):
    """A user's liking for a movie: exp(sd * (mean over the movie's genres of the user's genre
    affinities - the user's largest affinity)), an acceptance probability."""
    if "member_f" not in mv:
        mv["member_f"] = mv["member"].astype(np.float32)
        mv["genre_n"] = np.maximum(mv["member"].sum(axis=1), 1)
    t32 = taste.astype(np.float32)
    tmax = taste.max(axis=1)
    out = np.empty(len(uu))
    step = 1 << 20
    for i in range(0, len(uu), step):
        u_, m_ = uu[i:i + step], mi[i:i + step]
        a = np.einsum("ij,ij->i", mv["member_f"][m_], t32[u_]) / mv["genre_n"][m_]
        out[i:i + step] = np.exp(P["taste_sd"] * (a - tmax[u_]))
    return out


def affinity_of(mv, t):
    """Mean over each movie's genres of one user's genre affinities t (0 for no genres)."""
    if "member_f" not in mv:
        mv["member_f"] = mv["member"].astype(np.float32)
        mv["genre_n"] = np.maximum(mv["member"].sum(axis=1), 1)
    return (mv["member_f"] @ t.astype(np.float32)) / mv["genre_n"]


STATS = {}   # sampling effort, for the design's cost estimate


def choose_movies(rng, counts, last, mv, taste):
    """Per user, `counts[u]` distinct movies in the catalogue by the user's last session: successive
    weighted draws (with duplicates and too-new movies rejected) for light users, systematic
    pi-ps sampling for heavy ones. Returns (user, movie index) arrays."""
    m = len(mv["ids"])
    years = mv["years"]
    added = mv["added"]
    by_rank = np.argsort(mv["rank"])          # movie index of rank 1, 2, ...
    w_rank = mv["weight"][by_rank]
    cum = np.cumsum(w_rank)
    heavy_min = max(40, m // P["heavy_fraction"])
    heavy = counts >= heavy_min
    out_u, out_m = [], []

    # expected taste acceptance per user (to size the draws)
    member_share = mv["member"].mean(axis=0)
    accept = np.clip(np.exp(P["taste_sd"] * (taste @ member_share / max(member_share.sum(), 1e-9)
                                             - taste.max(axis=1))), 0.05, 1.0)
    light = np.nonzero(~heavy)[0]
    need = counts[light].copy()
    pending = light.copy()
    got_u, got_m = [], []
    factor = 1.3
    rounds = 0
    while len(pending) and rounds < 12:
        rounds += 1
        d = np.ceil(need * factor / accept[pending]).astype(np.int64) + 8
        uu = np.repeat(pending, d)
        STATS["draws"] = STATS.get("draws", 0) + len(uu)
        pos = np.arange(len(uu))
        mi = by_rank[np.searchsorted(cum, rng.random(len(uu)) * cum[-1], side="right").clip(0, m - 1)]
        ok = added[mi] <= last[uu]
        uu, mi, pos = uu[ok], mi[ok], pos[ok]
        ok = rng.random(len(uu)) < taste_of(mv, taste, uu, mi)
        uu, mi, pos = uu[ok], mi[ok], pos[ok]
        key = uu * m + mi
        if rounds > 1:   # drop movies a user already has
            prev = np.sort(np.concatenate(got_u) * m + np.concatenate(got_m))
            at = np.searchsorted(prev, key).clip(0, len(prev) - 1)
            fresh = prev[at] != key
            uu, mi, pos, key = uu[fresh], mi[fresh], pos[fresh], key[fresh]
        _, first = np.unique(key, return_index=True)
        uu, mi, pos = uu[first], mi[first], pos[first]
        order = np.lexsort((pos, uu))
        uu, mi = uu[order], mi[order]
        # rank within user
        starts = np.r_[0, np.nonzero(np.diff(uu))[0] + 1]
        grp = np.zeros(len(uu), dtype=np.int64)
        grp[starts] = 1
        gid = np.cumsum(grp) - 1
        within = np.arange(len(uu)) - starts[gid]
        need_of = np.zeros(len(counts), dtype=np.int64)
        need_of[pending] = need
        keep = within < need_of[uu]
        got_u.append(uu[keep])
        got_m.append(mi[keep])
        have = np.bincount(uu[keep], minlength=len(counts))
        need_of[pending] -= have[pending]
        still = pending[need_of[pending] > 0]
        need = need_of[still]
        pending = still
        factor *= 2
    if len(pending):
        heavy[pending] = True   # give the rest to the systematic sampler
        # (it excludes nothing they already have: redo them from scratch)
        gu = np.concatenate(got_u)
        gm = np.concatenate(got_m)
        keep = ~np.isin(gu, pending, kind="sort")
        got_u, got_m = [gu[keep]], [gm[keep]]
    out_u.extend(got_u)
    out_m.extend(got_m)

    STATS["heavy_users"] = int(heavy.sum())
    STATS["heavy_ratings"] = int(counts[heavy].sum())
    STATS["light_ratings"] = int(counts[~heavy].sum())
    for u in np.nonzero(heavy)[0]:
        c = counts[u]
        elig = added[by_rank] <= last[u]
        tw = np.exp(P["taste_sd"] * (affinity_of(mv, taste[u])[by_rank] - taste[u].max()))
        w = np.where(elig, w_rank * tw, 0.0)
        # inclusion probabilities of successive sampling, approximately: pi = 1 - exp(-theta w)
        lo, hi = 0.0, 1.0
        while (1 - np.exp(-hi * w)).sum() < c:
            hi *= 2
        for _ in range(50):
            th = (lo + hi) / 2
            if (1 - np.exp(-th * w)).sum() > c:
                hi = th
            else:
                lo = th
        pi = 1 - np.exp(-hi * w)
        # systematic sampling over a random order of the eligible movies
        idx = np.nonzero(pi > 0)[0]
        idx = idx[rng.permutation(len(idx))]
        cp = np.cumsum(pi[idx])
        cp *= c / cp[-1]
        pts = rng.random() + np.arange(c)
        sel = idx[np.searchsorted(cp, pts, side="right").clip(0, len(idx) - 1)]
        sel = np.unique(sel)
        if len(sel) < c:   # rounding: top up with the most popular eligible not yet chosen
            rest = np.setdiff1d(np.nonzero(elig)[0], sel)[: c - len(sel)]
            sel = np.concatenate([sel, rest])
        out_u.append(np.full(len(sel[:c]), u))
        out_m.append(by_rank[sel[:c]])
    return np.concatenate(out_u), np.concatenate(out_m)


def post2003_hist():
    """Histogram to map to after 2003 so that, with whole stars only before 2003 (each half star
    split between its whole neighbours), the overall mix is ml-25m's."""
    f = PRE2003_SHARE
    C = np.zeros((10, 10))   # collapse matrix: C[i, j] = share of post value j going to i
    for j in range(10):
        v = 0.5 * (j + 1)
        if j % 2 == 1:
            C[j, j] = 1
        elif j == 0:
            C[1, 0] = 1
        else:
            C[j - 1, j] = 0.5
            C[j + 1, j] = 0.5
    Mx = (1 - f) * np.eye(10) + f * C
    h = np.linalg.solve(Mx, HIST)
    h = np.maximum(h, 1e-4)
    return h / h.sum()


def generate(n, seed, out=None, genre_weight=GENRE_WEIGHT, genre_offset=GENRE_OFFSET, quiet=False):
    t0 = time.time()
    rng = np.random.default_rng(seed)
    m = max(100, round(n / 400))
    mv = make_movies(rng, m, n, genre_weight, genre_offset)
    counts_by_rank, sig = user_counts(n)
    u = len(counts_by_rank)
    counts = counts_by_rank[rng.permutation(u)]       # user id order is random
    sess, soff, sowner = sessions(rng, counts)
    last = sess[soff[1:] - 1]
    # heavy users need enough movies in the catalogue: move their last session later if needed
    added_sorted = np.sort(mv["added"])
    t_need = added_sorted[np.minimum(m - 1, np.ceil(1.5 * counts).astype(np.int64))]
    late = last < t_need
    t = np.minimum(t_need + rng.random(u) * 120 * 86400, LAST_TS - 86400)
    last = np.where(late, t, last)
    sess[soff[1:] - 1] = last
    if not quiet:
        print(f"  movies {m:,} (popularity head {mv['a']:.2f} body s {mv['k0']:.2f}), users {u:,} (sigma {sig:.3f}), "
              f"{time.time() - t0:.1f}s")
    taste = rng.standard_normal((u, len(GENRES)))
    ru, rm = choose_movies(rng, counts, last, mv, taste)
    if not quiet:
        print(f"  chose {len(ru):,} movies, {time.time() - t0:.1f}s")
    # --- each rating goes to a session that starts after the movie joined the catalogue
    rel_ts = np.ceil(mv["added"][rm])
    key_s = sowner.astype(np.float64) * 1e10 + sess        # user-major, time-sorted
    first = np.searchsorted(key_s, ru.astype(np.float64) * 1e10 + rel_ts, side="left")
    lo_idx = first - soff[ru]                              # first eligible session index within user
    s_cnt = soff[ru + 1] - soff[ru]
    lo_idx = np.minimum(lo_idx, s_cnt - 1)
    fw = P["first_session_weight"]
    # cumulative weight before session j: j + (fw - 1) for j >= 1, 0 for j = 0
    cw_lo = np.where(lo_idx == 0, 0.0, lo_idx + fw - 1)
    cw_hi = s_cnt + fw - 1
    x = cw_lo + rng.random(len(ru)) * (cw_hi - cw_lo)
    j = np.where(x < fw, 0, np.floor(x - fw + 1)).astype(np.int64)
    j = np.clip(j, lo_idx, s_cnt - 1)
    sid = soff[ru] + j
    # within a session: random order, gaps ~ Exp(gap_mean)
    order = np.lexsort((rng.random(len(ru)), sid))
    gaps = rng.exponential(P["gap_mean"], len(ru))
    sid_o = sid[order]
    cg = np.cumsum(gaps)
    starts = np.r_[0, np.nonzero(np.diff(sid_o))[0] + 1]
    grp_first = np.zeros(len(sid_o), dtype=np.int64)
    grp_first[starts] = 1
    gstart = starts[np.cumsum(grp_first) - 1]
    offset = cg - cg[gstart] + gaps[gstart]
    ts = np.empty(len(ru), dtype=np.int64)
    ts[order] = np.minimum(sess[sid_o] + offset, LAST_TS).astype(np.int64)
    ts = np.maximum(ts, rel_ts)                            # (only if a session is clamped)
    # --- rating values: latent quality -> ml-25m quantiles
    ubias = P["sd_user"] * rng.standard_normal(u) + P["heavy_user_bias"] * np.log(counts / 70.0)
    x = mv["quality"][rm] + ubias[ru] + P["sd_noise"] * rng.standard_normal(len(ru))
    # Centre and scale x before mapping it to ml-25m's quantiles: user biases are weighted by the
    # known counts exactly; the movie side by the picks of every 32nd user (the Swift generator
    # replays those users' pick streams in a pre-pass, ~3% extra work)
    sample = (ru % 32) == 0
    qs = mv["quality"][rm[sample]]
    mq, vq = qs.mean(), qs.var()
    cw = counts / counts.sum()
    mb = (cw * ubias).sum()
    vb = (cw * (ubias - mb) ** 2).sum()
    sd = math.sqrt(vq + vb + P["sd_noise"] ** 2)
    cdf = np.cumsum(post2003_hist())
    stars = np.searchsorted(cdf, ndtr((x - mq - mb) / sd), side="right").clip(0, 9)    # 0..9 -> 0.5..5.0
    pre = ts < HALF_FROM
    half = (stars % 2 == 0)   # 0.5, 1.5, ... (index even)
    up = rng.random(len(ru)) < 0.5
    stars = np.where(pre & half, np.where((stars == 0) | up, stars + 1, stars - 1), stars)
    rating = (stars + 1) * 0.5
    if not quiet:
        print(f"  ratings done, {time.time() - t0:.1f}s")
    res = dict(mv=mv, counts=counts, ru=ru, rm=rm, ts=ts, rating=rating, sess=sess, soff=soff,
               last=last)
    if out:
        write(rng, out, n, res)
        if not quiet:
            print(f"  wrote {out}, {time.time() - t0:.1f}s")
    return res


NOUNS = ["City", "Heart", "Night", "Road", "River", "Dream", "Game", "House", "King", "Queen", "Man", "Woman", "Girl",
         "Boy", "Story", "War", "Love", "Life", "World", "Star", "Sky", "Island", "Summer", "Winter", "Shadow", "Ghost"]
ADJ = ["Lost", "Dark", "Silent", "Last", "Secret", "Wild", "Broken", "Golden", "Hidden", "Little", "Big", "Crazy"]
TAGWORDS = ["funny", "dark comedy", "atmospheric", "classic", "twist ending", "based on a book", "sci-fi",
            "visually appealing", "thought-provoking", "dystopia", "space", "quirky", "cult film", "surreal",
            "romance", "violence", "great soundtrack", "time travel", "psychology", "nonlinear", "stylized"]


def write(rng, out, n, res):
    os.makedirs(out, exist_ok=True)
    mv = res["mv"]
    m = len(mv["ids"])
    con = duckdb.connect()
    con.execute("SET threads = 2")
    # movies
    titles = []
    for i in range(m):
        t = f"{ADJ[rng.integers(len(ADJ))]} {NOUNS[rng.integers(len(NOUNS))]}"
        q = rng.random()
        if q < 0.06:
            t = f"{NOUNS[rng.integers(len(NOUNS))]}, The"
        elif q < 0.08:
            t = f'{t} ("{NOUNS[rng.integers(len(NOUNS))]}")'
        y = int(mv["years"][i])
        yq = rng.random()
        titles.append(t if yq < 0.01 else f"{t} ({y})")
    genres = ["|".join(GENRES[j] for j in np.nonzero(row)[0]) or "(no genres listed)" for row in mv["member"]]
    movies = {"movieId": mv["ids"].astype(np.int64), "title": np.array(titles), "genres": np.array(genres)}
    con.execute(f"COPY (SELECT * FROM movies) TO '{out}/movies.csv' (HEADER)")
    links = {"movieId": mv["ids"], "imdbId": np.char.zfill((1000 + np.cumsum(rng.integers(1, 121, m))).astype(str), 7),
             "tmdbId": mv["ids"] * 3}
    con.execute(f"COPY (SELECT * FROM links) TO '{out}/links.csv' (HEADER)")
    # ratings, ordered by user then movie
    ids = mv["ids"]
    r = {"userId": (res["ru"] + 1).astype(np.int32), "movieId": ids[res["rm"]].astype(np.int32),
         "rating": res["rating"].astype(np.float32), "timestamp": res["ts"]}
    con.execute(f"""COPY (SELECT * FROM r ORDER BY userId, movieId) TO '{out}/ratings.csv' (HEADER)""")
    # tags
    counts = res["counts"]
    u = len(counts)
    T = round(n * P["tags_per_rating"])
    K = max(1, min(u, round(n / P["ratings_per_tagger"])))
    key = np.log(counts.astype(float)) * 0.5 + rng.gumbel(size=u)
    taggers = np.argsort(-key)[:K]
    share = np.arange(1, K + 1, dtype=float) ** -P["tagger_alpha"]
    per = np.floor(T * share / share.sum()).astype(np.int64)
    per[0] += T - per.sum()
    tu = np.repeat(taggers, per)
    by_rank = np.argsort(mv["rank"])
    # a tag goes to a "hot" movie (weight^hot) or, less often, anywhere popular (weight^broad)
    hot = np.cumsum(mv["weight"][by_rank] ** scaled("tag_hot_power", n))
    broad = np.cumsum(mv["weight"][by_rank] ** scaled("tag_broad_power", n))

    def draw_tag_movies(k):
        h = rng.random(k) < scaled("tag_hot_share", n)
        x = rng.random(k)
        return by_rank[np.where(h, np.searchsorted(hot, x * hot[-1], side="right"),
                                np.searchsorted(broad, x * broad[-1], side="right")).clip(0, m - 1)]
    cum = None
    tm = draw_tag_movies(len(tu))
    # too new for the tagger: take the movie of the same popularity rank among old-enough ones
    bad = mv["added"][tm] > res["last"][tu]
    for _ in range(20):
        if not bad.any():
            break
        tm[bad] = draw_tag_movies(bad.sum())
        bad = mv["added"][tm] > res["last"][tu]
    tm, tu = tm[~bad], tu[~bad]
    rel = np.ceil(mv["added"][tm])
    last = res["sess"][res["soff"][tu + 1] - 1]
    first = res["sess"][res["soff"][tu]]
    tts = np.maximum(first, rel) + rng.random(len(tu)) * np.maximum(0, last - np.maximum(first, rel))
    words = np.array(TAGWORDS)[rng.integers(0, len(TAGWORDS), len(tu))]
    tags = {"userId": (tu + 1).astype(np.int32), "movieId": ids[tm].astype(np.int32), "tag": words,
            "timestamp": np.minimum(tts, LAST_TS).astype(np.int64)}
    con.execute(f"COPY (SELECT * FROM tags ORDER BY userId, movieId) TO '{out}/tags.csv' (HEADER)")
    # genome: the G most popular movies x 1,128 tags
    G = max(1, min(m, round(n * P["genome_per_rating"])))
    gm = np.sort(ids[by_rank[:G]])
    nt = P["genome_tags"]
    mu = -3.0 + 0.6 * rng.standard_normal(nt)
    z = rng.standard_normal((G, nt))
    rel = 1 / (1 + np.exp(-(mu[None, :] + 1.1 * z)))
    p_strong = max(3.0 / G, 0.0035)
    strong = rng.random((G, nt)) < p_strong
    rel = np.where(strong, 0.85 + 0.15 * np.sqrt(rng.random((G, nt))), rel)
    genome = {"movieId": np.repeat(gm, nt).astype(np.int32), "tagId": np.tile(np.arange(1, nt + 1), G).astype(np.int32),
              "relevance": np.round(rel.ravel(), 5)}
    con.execute(f"COPY (SELECT movieId, tagId, printf('%.5f', relevance) AS relevance FROM genome) TO '{out}/genome-scores.csv' (HEADER)")
    gt = {"tagId": np.arange(1, nt + 1), "tag": np.array([f"tag {i}" for i in range(1, nt + 1)])}
    con.execute(f"COPY (SELECT * FROM gt) TO '{out}/genome-tags.csv' (HEADER)")


def calibrate(n, seed, rounds):
    """Fit the genre draw weights (movie shares) and quality offsets (rating-weighted averages)."""
    gw = dict(GENRE_WEIGHT)
    go = dict(GENRE_OFFSET)
    total = sum(GENRE_MOVIES.values())
    for it in range(rounds):
        rng = np.random.default_rng(seed + it)
        m = max(20000, round(n / 400))
        years = None
        mv = make_movies(rng, m, n, gw, go)
        share = mv["member"].mean(axis=0)
        for j, g in enumerate(GENRES):
            target = GENRE_MOVIES[g] / 62423
            gw[g] *= (target / max(share[j], 1e-6)) ** 0.8
        errs = np.zeros(len(GENRES))
        for rep in range(3):
            res = generate(n, seed + 100 + 10 * it + rep, None, gw, go, quiet=True)
            mem = res["mv"]["member"][res["rm"]]
            mean = res["rating"].mean()
            for j, g in enumerate(GENRES):
                avg = res["rating"][mem[:, j]].mean()
                errs[j] += ((GENRE_TARGET[g] - 3.534) - (avg - mean)) / 3
        worst = np.abs(errs).max()
        for j, g in enumerate(GENRES):
            go[g] += 0.8 * errs[j]
        shift = np.mean(list(go.values()))
        go = {g: v - shift for g, v in go.items()}
        print(f"round {it}: mean {mean:.3f}, worst genre error {worst:.3f}, share error "
              f"{max(abs(share[j] - GENRE_MOVIES[g] / 62423) for j, g in enumerate(GENRES)):.4f}")
    print("GENRE_WEIGHT = {" + ", ".join(f'"{g}": {gw[g]:.4f}' for g in GENRES) + "}")
    print("GENRE_OFFSET = {" + ", ".join(f'"{g}": {go[g]:.4f}' for g in GENRES) + "}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--ratings", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--calibrate", type=int, default=0, help="calibration rounds (no output written)")
    a = ap.parse_args()
    if a.calibrate:
        calibrate(a.ratings, a.seed, a.calibrate)
    else:
        generate(a.ratings, a.seed, a.out)
