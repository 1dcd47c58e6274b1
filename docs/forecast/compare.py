#!/usr/bin/env python3
"""Compares one-step-ahead forecasts of the WorldCup98 per-minute load, 3 minutes ahead (the backtest's start
delay plus one interval), over 1998-05-15..1998-07-20: persistence, the trend of the latest 20 minutes (as
dev.scaler.forecast.Forecaster fits it), the level-corrected daily profile of the last 14 days, and additive
Holt-Winters with a daily season, its constants chosen on the first week by a grid (the best case for it).
Error: sum |forecast - load| / sum load. Pure Python, no libraries; usage: compare.py worldcup98_per_minute.csv"""
import csv, sys, math
from datetime import datetime, timezone

rows = list(csv.reader(open(sys.argv[1])))[1:]
t0 = datetime(1998, 4, 30, 21, 30, tzinfo=timezone.utc)
start = int(t0.timestamp()) // 60
n = 125310
y = [0.0] * n
for p, c in rows:
    m = int(datetime.strptime(p, "%Y-%m-%d %H:%M:%S").replace(tzinfo=timezone.utc).timestamp()) // 60 - start
    y[m] = int(c) / 60.0
H = 3
first = int(datetime(1998, 5, 15, tzinfo=timezone.utc).timestamp()) // 60 - start
last = int(datetime(1998, 7, 21, tzinfo=timezone.utc).timestamp()) // 60 - start


def score(pred):
    a = s = 0.0
    for t in range(first, last - H):
        a += abs(pred(t) - y[t + H])
        s += y[t + H]
    return 100 * a / s


def trend(t, w=20):
    xs = list(range(-w, 1))
    vs = [y[t + x] for x in xs]
    k = len(xs)
    sx, sy = sum(xs), sum(vs)
    sxx = sum(x * x for x in xs)
    sxy = sum(x * v for x, v in zip(xs, vs))
    d = k * sxx - sx * sx
    b = (k * sxy - sx * sy) / d
    a = (sy - b * sx) / k
    res = math.sqrt(sum((v - a - b * x) ** 2 for x, v in zip(xs, vs)) / (k - 2))
    se = res * math.sqrt(k / d)
    if abs(b) < se:
        b = 0
    return max(0.0, a + b * H)


# the daily profile at 5 minutes, mean of the last 14 days, rebuilt every 15 minutes as the service does
prof_cache = {}


def profile(t):
    key = t // 15
    if key not in prof_cache:
        bins = [0.0] * 288
        cnt = [0] * 288
        for m in range(max(0, t - 14 * 1440), t - t % 5):
            b = ((m + start) % 1440) // 5
            bins[b] += y[m]
            cnt[b] += 1
        prof_cache.clear()
        prof_cache[key] = [bins[i] / cnt[i] if cnt[i] else float('nan') for i in range(288)]
    return prof_cache[key]


def seasonal(t):
    p = profile(t)
    obs = sum(y[t - k] for k in range(20))
    exp = sum(p[((t - k + start) % 1440) // 5] for k in range(20))
    r = obs / exp if exp > 0 else 1
    return p[((t + H + start) % 1440) // 5] * r


def holt_winters(alpha, beta, gamma, season=1440):
    """Additive Holt-Winters over the whole series; returns the list of H-step forecasts made at each t."""
    level = sum(y[:season]) / season
    tr = 0.0
    s = [y[i] - level for i in range(season)]
    out = [0.0] * n
    for t in range(season, n):
        out[t] = max(0.0, level + H * tr + s[(t + H) % season])
        v = y[t]
        prev = level
        level = alpha * (v - s[t % season]) + (1 - alpha) * (level + tr)
        tr = beta * (level - prev) + (1 - beta) * tr
        s[t % season] = gamma * (v - level) + (1 - gamma) * s[t % season]
    return out


def hw_error(out, lo, hi):
    a = s = 0.0
    for t in range(lo, hi - H):
        a += abs(out[t] - y[t + H])
        s += y[t + H]
    return 100 * a / s


best = None
for alpha in (0.1, 0.3, 0.5, 0.8):
    for beta in (0.0, 0.01, 0.05):
        for gamma in (0.05, 0.2, 0.5):
            out = holt_winters(alpha, beta, gamma)
            e = hw_error(out, first - 7 * 1440, first)
            if best is None or e < best[0]:
                best = (e, alpha, beta, gamma, out)
_, alpha, beta, gamma, hw = best
print(f"persistence                      {score(lambda t: y[t]):6.2f} %")
print(f"trend of the latest 20 minutes   {score(trend):6.2f} %")
print(f"level-corrected daily profile    {score(seasonal):6.2f} %")
print(f"Holt-Winters (a={alpha}, b={beta}, g={gamma})  {score(lambda t: hw[t]):6.2f} %")
