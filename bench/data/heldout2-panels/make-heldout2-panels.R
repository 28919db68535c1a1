# A second set of held-out panels for the panel forecaster's generalisation check (issue 10), from data sets
# of R packages installed here that supplied nothing to ../dev-panels/, ../r-panels/ or ../heldout-panels/.
# The series list and the rule that chose it (README.md) were committed before any score on these panels
# was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), and r-benchmarks-<panel>.csv: R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE)
# scored at rolling origins o = 1, 2, 3 (../panel-benchmarks.R, the loop and the protocol; the hourly panel
# without auto.arima, see README.md).
# Run (in this folder): Rscript make-heldout2-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout2-panels.R none   (the panels only)
#                       Rscript make-heldout2-panels.R weekly monthly   (the panels, and those panels' benchmarks)
source("../panel-benchmarks.R")
suppressPackageStartupMessages({ library(zoo) })
d <- panel_data; run <- panel_stretch; named <- panel_named   # ../panel-benchmarks.R
# fun over each group of consecutive equal keys, in time order; NA where fewer than k values are not NA.
agg <- function(key, x, fun, k) {
  x <- as.numeric(x); key <- as.character(key); r <- rle(key); ends <- cumsum(r$lengths); starts <- ends - r$lengths + 1
  mapply(function(s, e) { v <- x[s:e]; v <- v[!is.na(v)]; if (length(v) < k) NA else fun(v) }, starts, ends)
}
# Values on a regular grid (times t in seconds or days, step dt); times with no row are NA.
on_grid <- function(t, x, dt) { t <- as.numeric(t); g <- seq(min(t), max(t), by = dt); as.numeric(x)[match(g, t)] }

## hourly (h 48, m 24)
kair <- d("air", "ks")          # Chatelet metro station, Paris, hourly 2013-2016
kt <- as.POSIXct(paste(kair$date, kair$time), format = "%Y-%m-%d %H:%M", tz = "UTC")
bio <- d("biocAccess", "latticeExtra")   # Bioconductor web site, hourly access counts, Jan-May 2007
## daily (h 14, m 1)
nox <- d("ambientNOxCH", "robustbase"); mel <- d("MelTemp", "quantreg")
tb <- d("tempb", "ks"); tbt <- as.Date(sprintf("%d-%02d-%02d", tb$year, tb$month, tb$day))
sea <- d("SeatacWeather", "latticeExtra")
## weekly (h 13, m 1)
chi <- d("Chicago", "modeldata"); gas <- d("gasprice", "quantreg")
sair <- new.env(); data("air", package = "spacetime", envir = sair)   # air (stations x days), dates, stations
pm <- sair$air; pmdates <- sair$dates
## monthly (h 18, m 12)
tx <- d("txhousing", "ggplot2"); ec <- d("economics", "ggplot2"); dr <- d("drinks", "modeldata")
## quarterly (h 8, m 4)
wind <- d("wind", "gstat"); by <- d("bondyield", "lmtest"); fr <- freeny
## yearly (h 6, m 1)
cig <- d("Cigar", "plm"); lds <- d("ldsgrowth", "TeachingDemos"); gg <- d("GGDC10S", "collapse")
hart <- d("Hartnagel", "carData"); bfox <- d("Bfox", "carData")

# Chicago: the station columns are 14-day lags; Clark_Lake is the lag of `ridership` itself (checked here).
stopifnot(all(diff(chi$date) == 1), isTRUE(all.equal(chi$Clark_Lake[15:nrow(chi)], chi$ridership[1:(nrow(chi) - 14)])))
chi_cols <- c("ridership", setdiff(names(chi)[2:21], "Clark_Lake"))
chi_week <- format(chi$date, "%G-%V")
# spacetime air: daily PM10 at 70 German rural background stations, 1998-2009; weekly means (ISO weeks with
# at least 4 of their days measured; the first and last, incomplete, weeks dropped).
pm_week <- format(pmdates, "%G-%V"); pm_full <- names(which(table(pm_week) == 7))
pm_keep <- pm_week %in% pm_full
pm_series <- lapply(seq_len(nrow(pm)), function(i) run(agg(pm_week[pm_keep], pm[i, pm_keep], mean, 4)))
names(pm_series) <- rownames(pm)
# txhousing: per city, sales and median price (months in order; the data set has a row for every month).
tx <- tx[order(tx$city, tx$year, tx$month), ]
tx_series <- unlist(lapply(split(tx, tx$city), function(g) list(sales = run(g$sales), median = run(g$median))), recursive = FALSE)
names(tx_series) <- gsub(" ", "_", paste0("tx.", names(tx_series)))
# gstat wind: quarterly means of the daily mean wind speed at each of the 12 stations.
wq <- paste(wind$year, (wind$month - 1) %/% 3)
# Cigar: per state, packs sold per capita and price per pack, 1963-1992.
cig <- cig[order(cig$state, cig$year), ]
cig_series <- unlist(lapply(split(cig, cig$state), function(g) list(sales = run(g$sales), price = run(g$price))), recursive = FALSE)
names(cig_series) <- paste0("cigar.state", names(cig_series))
# GGDC10S: persons employed, all 10 sectors (SUM), per country.
ge <- gg[gg$Variable == "EMP", ]; ge <- ge[order(ge$Country, ge$Year), ]
stopifnot(all(tapply(ge$Year, ge$Country, function(y) all(diff(y) == 1))))
gg_series <- lapply(split(ge, ge$Country), function(g) run(g$SUM))
names(gg_series) <- paste0("ggdc.emp.", gsub(" ", "_", names(gg_series)))

panels <- list(
  hourly = list(h = 48, m = 24, methods = c("ets", "theta", "snaive", "damped"), series = c(
    setNames(lapply(c("no", "no2", "pm10", "co2", "temp", "humi"), function(k) run(on_grid(kt, kair[[k]], 3600))),
             paste0("chatelet.", c("no", "no2", "pm10", "co2", "temp", "humi"))),
    list(biocAccess = run(on_grid(as.POSIXct(bio$time, tz = "UTC"), bio$counts, 3600))))),
  daily = list(h = 14, m = 1, series = c(
    named(lapply(nox[, -1], run), "noxch."),
    list(MelTemp = run(mel),
         badajoz.tmax = run(on_grid(tbt, tb$tmax, 1)), seatac.max = run(sea$max.temp), seatac.min = run(sea$min.temp)))),
  weekly = list(h = 13, m = 1, series = c(
    named(lapply(setNames(chi_cols, chi_cols), function(k) run(agg(chi_week, chi[[k]], sum, 7))), "chicago."),
    list(gasprice = run(gas)),
    named(pm_series, "pm10."))),
  monthly = list(h = 18, m = 12, series = c(
    tx_series,
    list(econ.pce = run(ec$pce), econ.psavert = run(ec$psavert), econ.uempmed = run(ec$uempmed),
         drinks = run(dr$S4248SM144NCEN)))),
  quarterly = list(h = 8, m = 4, series = c(
    named(lapply(wind[, 4:15], function(v) run(agg(wq, v, mean, 1))), "wind."),
    list(bondyield.MOOD = run(by[, "MOOD"]), bondyield.EPI = run(by[, "EPI"]),
         freeny.y = run(fr$y), freeny.price.index = run(fr$price.index), freeny.income.level = run(fr$income.level),
         freeny.market.potential = run(fr$market.potential)))),
  yearly = list(h = 6, m = 1, series = c(
    cig_series,
    gg_series,
    named(lapply(lds[, c("Members", "Wards", "Stakes", "Missions", "Missionaries")], run), "lds."),
    named(lapply(hart[, c("tfr", "partic", "degrees", "fconvict", "ftheft", "mconvict", "mtheft")], run), "hartnagel."),
    named(lapply(bfox[, c("menwage", "womwage", "debt", "parttime")], run), "bfox."),
    list(evd.oxford = run(d("oxford", "evd")), evd.portpirie = run(d("portpirie", "evd")), evd.sask = run(d("sask", "evd")))))
)

make_panels(panels)
cat(R.version.string, "|", panel_versions(c("forecast", "zoo", "ks", "latticeExtra", "robustbase", "quantreg", "modeldata", "spacetime",
                                          "ggplot2", "gstat", "lmtest", "plm", "TeachingDemos", "collapse", "carData", "evd")), "\n")
