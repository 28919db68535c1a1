# Held-out panels at six frequencies for the panel forecaster's generalisation check (issue 10), from data
# sets that ship with R packages installed here (datasets, AER, urca, lmtest, strucchange, dynlm, tseries,
# boot, timeSeries, xts, forecast). Nothing here was looked at while the forecaster was designed; the series
# list was fixed (README.md, "Selection rule") before any score was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), and r-benchmarks.csv: for every rolling origin o = 1, 2, 3 (the series cut after n - o*h values, the
# next h values the test; a cut shorter than 3h + max(m, 1) sits that origin out) the sMAPE and MASE (M4's
# definitions, MASE scaled by the in-sample seasonal naive error at lag m of the cut) of R's ets(),
# auto.arima(), thetaf(), snaive() and holt(damped = TRUE) fitted on the cut. Same protocol as
# ../dev-panels/make-dev-panels.R.
# Run (in this folder): Rscript make-heldout-panels.R
suppressPackageStartupMessages({ library(forecast); library(zoo); library(xts); library(timeSeries) })
maxlen <- c(hourly = 1000, daily = 1000, weekly = 1000, monthly = 480, quarterly = 240, yearly = 200)
d <- function(name, pkg) { e <- new.env(); data(list = name, package = pkg, envir = e); get(name, envir = e) }
col <- function(x, name) as.numeric(x[, name])
# The longest stretch of values without NA (stats::na.contiguous).
tail_run <- function(x) as.numeric(na.contiguous(as.numeric(x)))
# The last value of each group of consecutive equal keys (ISO week, day, hour), in time order.
last_by <- function(key, x) { x <- as.numeric(x); r <- rle(as.character(key)); x[cumsum(r$lengths)] }
# Sum of each block of k observations (complete blocks only).
block_sum <- function(x, k) { x <- as.numeric(x); n <- length(x) %/% k; colSums(matrix(x[1:(n * k)], nrow = k)) }

taylor <- d("taylor", "forecast")                       # half-hourly electricity demand, England and Wales, 2000
chf <- d("USDCHF", "timeSeries"); chf_t <- as.POSIXct(format(time(chf)), tz = "GMT")
djia <- d("DJIA8012", "AER"); msci <- d("MSCISwitzerland", "AER"); nyse <- d("NYSESW", "AER")
djw <- d("DJIA", "strucchange"); wool <- d("wool", "boot"); cg <- d("ConsumerGood", "AER")
msft <- d("MSFT", "timeSeries"); smx <- d("sample_matrix", "xts"); lpp <- d("LPP2005REC", "timeSeries")
inc <- d("USIncExp", "strucchange")
ly <- function(n) col(d(n, "lmtest"), "y")
dk <- d("denmark", "urca"); fi <- d("finland", "urca"); uk <- d("UKpppuip", "urca"); ukc <- d("UKconsumption", "urca")
r1 <- d("Raotbl1", "urca"); r2 <- d("Raotbl2", "urca"); r3 <- d("Raotbl3", "urca"); r6 <- d("Raotbl6", "urca")
m1g <- d("M1Germany", "dynlm"); ukinf <- d("UKInflation", "AER"); swq <- d("USMacroSWQ", "AER")
use <- d("USeconomic", "tseries"); cs <- d("currencysubstitution", "lmtest"); vs <- d("valueofstocks", "lmtest")
lppx <- lpp@.Data
r4 <- d("Raotbl4", "urca"); r5 <- d("Raotbl5", "urca"); un <- d("unemployment", "lmtest"); mc <- d("ManufactCosts", "AER")
tc <- d("TechChange", "AER"); ce <- d("ChickEgg", "lmtest"); bz <- d("BenderlyZwick", "AER")
# Logarithms (documented as such) are exponentiated back to levels.
ex <- function(v) exp(as.numeric(v))

panels <- list(
  hourly = list(h = 48, m = 24, series = list(
    taylor = block_sum(taylor, 2),
    USDCHF = last_by(format(chf_t, "%Y-%m-%d %H"), chf@.Data[, 1]))),
  daily = list(h = 14, m = 1, series = c(list(
    MSFT.close = col(msft@.Data, "Close"), MSFT.volume = col(msft@.Data, "Volume"), sample_matrix = col(smx, "Close")),
    setNames(lapply(colnames(lppx), function(k) 100 * exp(cumsum(lppx[, k]))), paste0("LPP.", colnames(lppx))))),
  weekly = list(h = 13, m = 1, series = list(
    DJIA8012 = last_by(format(time(djia), "%G-%V"), djia), MSCISwitzerland = last_by(format(time(msci), "%G-%V"), msci),
    NYSESW = last_by(format(time(nyse), "%G-%V"), nyse), DJIA.1971 = as.numeric(djw), wool = as.numeric(wool),
    cg.distribution = col(cg, "distribution"), cg.share = col(cg, "share"), cg.price = col(cg, "price"))),
  monthly = list(h = 18, m = 12, series = list(
    income = col(inc, "income"), expenditure = col(inc, "expenditure"),
    fyff = ly("fyff"), gmdc = ly("gmdc"), jocci = ly("jocci"), lhur = ly("lhur"), pw561 = ly("pw561"))),
  quarterly = list(h = 8, m = 4, series = list(
    dk.LRM = ex(dk$LRM), dk.LRY = ex(dk$LRY), dk.LPY = ex(dk$LPY), dk.IBO = dk$IBO, dk.IDE = dk$IDE,
    fi.lrm1 = ex(fi$lrm1), fi.lny = ex(fi$lny), fi.lnmr = ex(fi$lnmr),
    uk.p1 = ex(uk$p1), uk.p2 = ex(uk$p2), uk.e12 = ex(uk$e12), uk.i1 = uk$i1, uk.i2 = uk$i2,
    ukc.cons = col(ukc, "cons"), ukc.inc = col(ukc, "inc"), ukc.price = col(ukc, "price"),
    r1.k = ex(r1$k), r1.r3m = ex(r1$r3m), r1.r10y = ex(tail_run(r1$r10y)),
    r2.m1p = ex(r2$m1p), r2.m2p = ex(r2$m2p), r2.mbp = ex(r2$mbp), r2.nm1m2p = ex(r2$nm1m2p),
    r3.lc = ex(r3$lc), r3.li = ex(r3$li), r3.lw = ex(r3$lw),
    r6.pgnp = r6$pgnp, r6.ulc = r6$ulc, r6.gdfco = r6$gdfco, r6.gdfim = r6$gdfim, r6.gdfcf = r6$gdfcf, r6.gdfce = r6$gdfce,
    de.m1 = ex(tail_run(m1g[, "logm1"])), de.price = ex(tail_run(m1g[, "logprice"])), de.gnp = ex(tail_run(m1g[, "loggnp"])),
    de.interest = tail_run(m1g[, "interest"]),
    ukinf.actual = col(ukinf, "actual"), ukinf.expected = col(ukinf, "expected"), presidents = tail_run(presidents),
    tbill = col(swq, "tbill"), rs = col(use, "rs"), rl = col(use, "rl"),
    cs.CUS = ex(col(cs, "logCUS")), cs.Iu = col(cs, "Iu"), cs.Ic = col(cs, "Ic"), cs.Y = ex(col(cs, "logY")),
    vs.VST = col(vs, "VST"), vs.RTPD = col(vs, "RTPD"), vs.RTPS = col(vs, "RTPS"), vs.XBC = col(vs, "XBC"))),
  yearly = list(h = 6, m = 1, series = c(
    setNames(lapply(c("aus", "can", "den", "fin", "fra", "ger"), function(k) ex(tail_run(r4[[k]]))), paste0("r4.", c("aus", "can", "den", "fin", "fra", "ger"))),
    setNames(lapply(c("ita", "nor", "swe", "ukg"), function(k) ex(r5[[k]])), paste0("r5.", c("ita", "nor", "swe", "ukg"))),
    setNames(lapply(c("UN", "p", "G", "x"), function(k) col(un, k)), paste0("un.", c("UN", "p", "G", "x"))),
    setNames(lapply(colnames(mc), function(k) col(mc, k)), paste0("mc.", colnames(mc))),
    setNames(lapply(colnames(tc), function(k) col(tc, k)), paste0("tc.", colnames(tc))),
    list(chicken = col(ce, "chicken"), egg = col(ce, "egg"), bz.inflation2 = col(bz, "inflation2"))))
)

smape <- function(a, f) mean(ifelse(abs(a) + abs(f) > 0, 200 * abs(a - f) / (abs(a) + abs(f)), 0))
mase <- function(tr, a, f, m) { if (length(tr) <= m) m <- 1; mean(abs(a - f)) / mean(abs(diff(tr, lag = m))) }
only <- commandArgs(trailingOnly = TRUE)   # optional: the panels whose R benchmarks to (re)compute
for (p in names(panels)) {
  xs <- lapply(panels[[p]]$series, function(x) {
    x <- as.numeric(x)
    if (length(x) > maxlen[[p]]) x <- x[(length(x) - maxlen[[p]] + 1):length(x)]
    stopifnot(!any(is.na(x)), all(x > 0))
    x
  })
  panels[[p]]$series <- xs
  width <- max(sapply(xs, length)) + 1
  lines <- mapply(function(n, x) paste(c(sprintf('"%s"', n), format(x, digits = 15, trim = TRUE)), collapse = ","), names(xs), xs)
  writeLines(c(paste(sprintf('"V%d"', 1:width), collapse = ","), lines), paste0(p, ".csv"))
  cat(p, length(xs), "series, lengths", min(sapply(xs, length)), "to", max(sapply(xs, length)), ", h =", panels[[p]]$h, "m =", panels[[p]]$m, "\n")
}
todo <- if (length(only)) only else names(panels)
if (identical(only, "none")) todo <- character(0)
for (p in todo) {
  rows <- list()
  h <- panels[[p]]$h; m <- panels[[p]]$m
  for (n in names(panels[[p]]$series)) {
    x <- panels[[p]]$series[[n]]
    for (o in 1:3) {
      cut <- length(x) - o * h
      if (cut < 3 * h + max(m, 1)) next
      tr <- ts(x[1:cut], frequency = m); te <- x[(cut + 1):(cut + h)]
      fc <- list(ets = forecast(ets(tr), h = h)$mean, arima = forecast(auto.arima(tr), h = h)$mean,
                 theta = thetaf(tr, h = h)$mean, snaive = snaive(tr, h = h)$mean, damped = holt(tr, h = h, damped = TRUE)$mean)
      for (meth in names(fc)) {
        f <- as.numeric(fc[[meth]])
        rows[[length(rows) + 1]] <- data.frame(panel = p, origin = o, series = n, method = meth,
                                               smape = smape(te, f), mase = mase(as.numeric(tr), te, f, m))
      }
    }
  }
  write.csv(do.call(rbind, rows), paste0("r-benchmarks-", p, ".csv"), row.names = FALSE)
  cat(p, "benchmarks done\n")
}
cat(R.version.string, "forecast", as.character(packageVersion("forecast")), "AER", as.character(packageVersion("AER")),
    "urca", as.character(packageVersion("urca")), "lmtest", as.character(packageVersion("lmtest")),
    "strucchange", as.character(packageVersion("strucchange")), "dynlm", as.character(packageVersion("dynlm")),
    "tseries", as.character(packageVersion("tseries")), "boot", as.character(packageVersion("boot")),
    "timeSeries", as.character(packageVersion("timeSeries")), "xts", as.character(packageVersion("xts")), "\n")
