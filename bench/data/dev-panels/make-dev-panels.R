# Development panels at four frequencies for the panel forecaster's generalisation (issue 10), from data
# sets that ship with R and its packages (datasets, forecast, AER, tseries) and from the repository's
# data/ folder (daily prices aggregated to weeks and months). Development data: these series were looked
# at while the combination was designed, so they are not a held-out check.
#
# Writes, per panel, <panel>.csv: M4's wide layout (id, then every value of the series, ragged rows), and
# r-benchmarks.csv: for every rolling origin o = 1, 2, 3 (the series cut after n - o*h values, the next h
# values the test) the sMAPE and MASE (M4 definitions, MASE scaled by the in-sample seasonal naive error
# at lag m) of R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE) fitted on the cut.
# ArgentinaCPI (AER) is left out: its hyperinflation (MASE over 1000 for every method) would decide every mean.
# NelPlo holds logarithms: they are exponentiated back to levels. bench/panels/rolling.ts cuts the same origins.
# Run (in this folder): Rscript make-dev-panels.R
suppressPackageStartupMessages({ library(forecast); library(AER); library(tseries) })
data_dir <- "../../../data"
maxlen <- c(weekly = 1000, monthly = 480, quarterly = 240, yearly = 200)
d <- function(name, pkg) { e <- new.env(); data(list = name, package = pkg, envir = e); get(name, envir = e) }
col <- function(x, name) as.numeric(x[, name])
# The longest run of values without NA at the end of a series.
tail_run <- function(x) { x <- as.numeric(x); bad <- which(is.na(x)); if (length(bad)) x[(max(bad) + 1):length(x)] else x }
# Block aggregation: the last value of each block of k observations (complete blocks only).
every <- function(x, k, f = function(v) v[length(v)]) { x <- as.numeric(x); n <- length(x) %/% k; sapply(seq_len(n), function(i) f(x[((i - 1) * k + 1):(i * k)])) }
by_period <- function(dates, x, fmt) { key <- format(dates, fmt); as.numeric(tapply(x, factor(key, levels = unique(key)), function(v) v[length(v)])) }

sp <- read.csv(file.path(data_dir, "sp500_daily_ohlcv_2000_2020.csv")); sp$date <- as.Date(sp$date)
gs <- read.csv(file.path(data_dir, "gold_silver_daily_1978_2012.csv")); gs$date <- as.Date(gs$date)
st <- read.csv(file.path(data_dir, "stocks_monthly_5tickers_2000_2010.csv"))
eu <- EuStockMarkets; tcmd <- d("tcmd", "tseries"); ice <- d("ice.river", "tseries")
sb <- Seatbelts; fj <- d("FrozenJuice", "AER"); pp <- d("PepperPrice", "AER"); nino <- d("nino", "tseries")
tcm <- d("tcm", "tseries"); swm <- d("USMacroSWM", "AER")
mg <- d("USMacroG", "AER"); msw <- d("USMacroSW", "AER"); mb <- d("USMacroB", "AER"); mon <- d("USMoney", "AER")
oc <- d("OrangeCounty", "AER"); gu <- d("GermanUnemployment", "AER"); upi <- d("USProdIndex", "AER")
ci <- d("ChinaIncome", "AER"); uc <- d("USConsump1993", "AER"); gg <- d("USGasG", "AER"); np <- d("NelPlo", "tseries")

panels <- list(
  weekly = list(h = 13, m = 1, series = list(
    sp500 = by_period(sp$date, sp$close, "%G-%V"), gold = by_period(gs$date, gs$gold, "%G-%V"),
    silver = by_period(gs$date, gs$silver, "%G-%V"), DJFranses = as.numeric(d("DJFranses", "AER")),
    DAX = every(eu[, "DAX"], 5), SMI = every(eu[, "SMI"], 5), CAC = every(eu[, "CAC"], 5), FTSE = every(eu[, "FTSE"], 5),
    tcm1y = every(tcmd[, "tcm1yd"], 5), tcm3y = every(tcmd[, "tcm3yd"], 5), tcm5y = every(tcmd[, "tcm5yd"], 5),
    tcm10y = every(tcmd[, "tcm10yd"], 5),
    flow.vat = every(ice[, "flow.vat"], 7, mean), flow.jok = every(ice[, "flow.jok"], 7, mean))),
  monthly = list(h = 18, m = 12, series = list(
    AirPassengers = AirPassengers, co2 = co2, nottem = nottem, USAccDeaths = USAccDeaths, UKDriverDeaths = UKDriverDeaths,
    ldeaths = ldeaths, mdeaths = mdeaths, fdeaths = fdeaths, wineind = wineind, gas = gas,
    front = col(sb, "front"), rear = col(sb, "rear"), kms = col(sb, "kms"), PetrolPrice = col(sb, "PetrolPrice"),
    VanKilled = col(sb, "VanKilled"), DutchSales = d("DutchSales", "AER"), BondYield = d("BondYield", "AER"),
    juice.price = col(fj, "price"), juice.ppi = col(fj, "ppi"), pepper.black = col(pp, "black"), pepper.white = col(pp, "white"),
    nino3 = col(nino, "nino3"), tcm10y.m = col(tcm, "tcm10y"), production = tail_run(swm[, "production"]),
    cpi.m = tail_run(swm[, "cpi"]), MSFT = st$MSFT, AMZN = st$AMZN, IBM = st$IBM, GOOG = tail_run(st$GOOG), AAPL = st$AAPL,
    sp500.m = by_period(sp$date, sp$close, "%Y-%m"), gold.m = by_period(gs$date, gs$gold, "%Y-%m"))),
  quarterly = list(h = 8, m = 4, series = list(
    UKgas = UKgas, JohnsonJohnson = JohnsonJohnson, woolyrnq = woolyrnq, austres = austres,
    unemployment.de = col(gu, "unadjusted"), oc.employment = col(oc, "employment"),
    oc.gnp = col(oc, "gnp"), UKNonDurables = d("UKNonDurables", "AER"), gnp.b = col(mb, "gnp"), mbase = col(mb, "mbase"),
    gdp = col(mg, "gdp"), consumption = col(mg, "consumption"), invest = col(mg, "invest"), government = col(mg, "government"),
    dpi = col(mg, "dpi"), cpi.q = col(mg, "cpi"), m1 = col(mg, "m1"), population = col(mg, "population"),
    gbpusd = col(msw, "gbpusd"), gdpjp = col(msw, "gdpjp"), deflator = col(mon, "deflator"),
    prodindex = col(upi, "unadjusted"))),
  yearly = list(h = 6, m = 1, series = list(
    lynx = lynx, Nile = Nile, LakeHuron = LakeHuron, nhtemp = nhtemp, airmiles = airmiles, uspop = uspop,
    treering = treering, bev = d("bev", "tseries"), agriculture = col(ci, "agriculture"), commerce = col(ci, "commerce"),
    construction = col(ci, "construction"), industry = col(ci, "industry"), transport = col(ci, "transport"),
    income.us = col(uc, "income"), expenditure.us = col(uc, "expenditure"), gas.us = col(gg, "gas"), gasprice.us = col(gg, "price"),
    MotorCycles2 = d("MotorCycles2", "AER"), gnp.real = exp(tail_run(np[, "gnp.real"])), cpi.y = exp(tail_run(np[, "cpi"])),
    nom.wages = exp(tail_run(np[, "nom.wages"])), money.stock = exp(tail_run(np[, "money.stock"])), real.wages = exp(tail_run(np[, "real.wages"]))))
)

smape <- function(a, f) mean(ifelse(abs(a) + abs(f) > 0, 200 * abs(a - f) / (abs(a) + abs(f)), 0))
mase <- function(tr, a, f, m) { if (length(tr) <= m) m <- 1; mean(abs(a - f)) / mean(abs(diff(tr, lag = m))) }
# The panels first (cheap), then R's forecasts at every origin.
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
  cat(p, length(xs), "series, h =", panels[[p]]$h, "m =", panels[[p]]$m, "\n")
}
rows <- list()
for (p in names(panels)) {
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
  cat(p, "benchmarks done\n")
}
write.csv(do.call(rbind, rows), "r-benchmarks.csv", row.names = FALSE)
cat(R.version.string, "forecast", as.character(packageVersion("forecast")), "AER", as.character(packageVersion("AER")),
    "tseries", as.character(packageVersion("tseries")), "\n")
