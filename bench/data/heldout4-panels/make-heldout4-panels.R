# A fourth set of held-out panels for the panel forecaster's generalisation check (issue 10), from data that no
# earlier panel folder used: data sets of Debian `r-cran-*` packages installed for this set (bayesm, fBasics,
# fPortfolio, GGally, googleVis, ggridges, Epi, waveslim, VGAM), two data files shipped by Debian's
# python3-statsmodels and two of Debian's python-matplotlib-data (read as CSV; Python is not run). The series list and the rule that chose it (README.md)
# were committed before any score on these panels was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), and r-benchmarks-<panel>.csv: R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE)
# scored at rolling origins o = 1, 2, 3 (../panel-benchmarks.R holds the loop and the protocol).
# Run (in this folder): Rscript make-heldout4-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout4-panels.R none   (the panels only)
#                       Rscript make-heldout4-panels.R weekly monthly   (the panels, and those panels' benchmarks)
# Debian packages needed (not project dependencies):
#   apt-get install r-cran-bayesm r-cran-fbasics r-cran-fportfolio r-cran-ggally r-cran-googlevis r-cran-ggridges r-cran-epi r-cran-waveslim r-cran-vgam python3-statsmodels python-matplotlib-data
source("../panel-benchmarks.R")
d <- panel_data; run <- panel_stretch; named <- panel_named   # ../panel-benchmarks.R
# fun over each group of consecutive equal keys, in time order; NA where a group has fewer than k values or an NA.
agg <- function(key, x, fun, k) {
  x <- as.numeric(x); key <- as.character(key); r <- rle(key); ends <- cumsum(r$lengths); starts <- ends - r$lengths + 1
  mapply(function(s, e) { v <- x[s:e]; if (length(v) < k || any(is.na(v))) NA else fun(v) }, starts, ends)
}
# The last value of each group of consecutive equal keys (end-of-period close of a price).
last_of <- function(key, x) { key <- as.character(key); r <- rle(key); as.numeric(x)[cumsum(r$lengths)] }
clean <- function(s) gsub("^_+|_+$", "", gsub("[^A-Za-z0-9]+", "_", s))
cols <- function(df, prefix, which = names(df), f = identity) setNames(lapply(which, function(k) run(f(df[[k]]))), paste0(prefix, clean(which)))
sm_dir <- "/usr/lib/python3/dist-packages/statsmodels/datasets"
mpl_dir <- "/usr/share/matplotlib/mpl-data/sample_data"

## daily (h 14, m 1): googleVis Cairo (daily mean temperature 2002-04, on a daily grid: a missing day is NA),
## ggridges lincoln_weather (Lincoln, Nebraska, 2016), waveslim ibm (IBM daily close 1961-62, Box & Jenkins'
## series B), fPortfolio SPISECTOR (Swiss sector indices, 2000-08; its SPI column is left out: LPP2005 in
## ../heldout-panels/), fPortfolio GCCINDEX (Gulf stock indices 2005-08), trading days as given.
cairo <- d("Cairo", "googleVis"); cairo <- cairo[order(cairo$Date), ]
cd <- seq(min(cairo$Date), max(cairo$Date), by = "day")
lw <- as.data.frame(d("lincoln_weather", "ggridges"), check.names = FALSE)
stopifnot(all(diff(as.Date(lw$CST)) == 1))
lw_cols <- c("Max Temperature [F]", "Mean Temperature [F]", "Min Temperature [F]", "Max Dew Point [F]", "Mean Dew Point [F]",
             "Max Humidity", "Mean Humidity", "Min Humidity", "Max Sea Level Pressure [In]", "Mean Sea Level Pressure [In]",
             "Min Sea Level Pressure [In]", "Max Wind Speed [MPH]", "Mean Wind Speed[MPH]", "Max Gust Speed [MPH]")
suppressPackageStartupMessages(library(timeSeries))
spi <- d("SPISECTOR", "fPortfolio"); spi <- as.data.frame(spi)[, setdiff(colnames(spi), "SPI")]
# GCCINDEX holds Bahrain, Oman and the UAE twice (BAHDSC/BAHSC, OMADSC/OMASC, UAEDSC/UAESC: the same market's
# index in two versions, equal on most days); one of each pair (the *SC one) is kept.
gcc <- as.data.frame(d("GCCINDEX", "fPortfolio")); gcc <- gcc[, setdiff(colnames(gcc), c("BAHDSC", "OMADSC", "UAEDSC"))]

## weekly (h 13, m 1): bayesm tuna (Dominick's weekly canned tuna: unit sales, mean price and wholesale price
## per brand (stored as logs: exponentiated), customer count; weeks 1-398 on a grid, a missing week is NA),
## bayesm orangeJuice (Dominick's weekly orange juice unit sales per store: the sum over its 11 brands, stored
## as log units; weeks 40-160 on a grid, a missing week is NA).
tuna <- d("tuna", "bayesm"); stopifnot(all(diff(tuna$WEEK) > 0))
tuna <- tuna[match(min(tuna$WEEK):max(tuna$WEEK), tuna$WEEK), ]  # weeks 1-398 on a grid: the 60 weeks with no row are NA
oj <- d("orangeJuice", "bayesm")$yx
stopifnot(all(table(paste(oj$store, oj$week)) == 11))
ojt <- tapply(exp(oj$logmove), list(oj$store, oj$week), sum); weeks <- min(oj$week):max(oj$week)
ojt <- ojt[, match(weeks, as.integer(colnames(ojt)))]

## monthly (h 18, m 12): fBasics DowJones30 (daily closes of the 30 Dow Jones stocks, the last of each
## calendar month, 1991-2000; MSFT and IBM left out: timeSeries MSFT is in ../heldout-panels/, IBM in the
## project's examples, ../shared/data's monthly stocks, in overlapping years), Epi B.dk (live births in Denmark per
## month, boys and girls added: its split by sex is estimated from the totals in most years), waveslim exchange
## (DEM/USD, JPY/USD: its help page names the quantity, though not its source; waveslim's mexm and tourism are
## left out: their help pages give no source nor, for tourism, the quantity, and mexm's calls its level-like
## values percentage changes), VGAM grain.us (US grain prices 1961-72), matplotlib's sample Stocks.csv (Yahoo monthly adjusted closes 1990-2022:
## XRX, DELL, ADBE and the NASDAQ composite; its IBM, AAPL, MSFT, AMZN, GOOGL and S&P 500 are left out as
## copies of ../shared/data's), statsmodels elec_equip (Eurostat: euro area manufacture of electrical
## equipment, an index) and elnino (Nino 1+2 sea surface temperature).
dj <- d("DowJones30", "fBasics"); djd <- as.Date(as.character(dj[[1]])); stopifnot(all(diff(djd) > 0))
# The data start on 1990-12-31 and end on 2001-01-02: those two one-day months are dropped.
djm <- format(djd, "%Y-%m"); keep <- djm > "1990-12" & djm < "2001-01"; stopifnot(sum(!keep) == 2)
dj <- dj[keep, ]; djm <- djm[keep]; dj_cols <- setdiff(names(dj)[-1], c("MSFT", "IBM"))
bdk <- d("B.dk", "Epi"); bdk <- bdk[order(bdk$year, bdk$month), ]; stopifnot(all(diff(bdk$year * 12 + bdk$month) == 1))
ex <- d("exchange", "waveslim"); stopifnot(frequency(ex) == 12)
gr <- d("grain.us", "VGAM"); stopifnot(nrow(gr) == 142)
# Stocks.csv has a row on the 1st of each month and extra rows (dividend dates, and 2022-06-28 repeating June): only the 1st's are kept.
st <- read.csv(file.path(mpl_dir, "Stocks.csv"), comment.char = "#", check.names = FALSE); st <- st[substr(st$Date, 9, 10) == "01", ]
std <- as.Date(st$Date); stopifnot(all(diff(as.numeric(format(std, "%Y")) * 12 + as.numeric(format(std, "%m"))) == 1))
st_cols <- c("XRX", "DELL", "ADBE", "^IXIC")
ee <- read.csv(file.path(sm_dir, "elec_equip/elec_equip.csv")); eed <- as.Date(ee$DATE, "%b-%d-%Y")
stopifnot(!anyNA(eed), all(diff(as.numeric(format(eed, "%Y")) * 12 + as.numeric(format(eed, "%m"))) == 1))
en <- read.csv(file.path(sm_dir, "elnino/elnino.csv")); stopifnot(all(diff(en$YEAR) == 1))

## quarterly (h 8, m 4): GGally pigs (UK pig production 1967-78), fPortfolio
## ECON85LONG (month-end values 1985-2010, the mean of the three of each quarter: MSCI World, WTI oil price,
## EUR/CHF, GBP/CHF, JPY/CHF, SDR/CHF).
pigs <- d("pigs", "GGally"); stopifnot(all(diff(pigs$time) == 0.25))
e85 <- d("ECON85LONG", "fPortfolio"); e85d <- as.Date(as.character(e85[[1]]))
stopifnot(all(diff(as.numeric(format(e85d, "%Y")) * 12 + as.numeric(format(e85d, "%m"))) == 1))
e85q <- paste(format(e85d, "%Y"), (as.numeric(format(e85d, "%m")) - 1) %/% 3)
e85_cols <- c("MSCIW.USD", "WTI.USD", "EUR.CHF", "GBP.CHF", "JPY.CHF", "SDR.CHF")

## yearly (h 6, m 1): fBasics swissEconomy (Swiss GDP per capita, imports, interest rate, inflation,
## unemployment, 1964-99; its population is left out: pwt9.1 is in ../heldout3-panels/), matplotlib's sample
## percent_bachelors_degrees_women_usa.csv (US bachelor's degrees per field: the percentage awarded to women,
## 1970-2011).
# Its EXPO column is equal to GDPR in every year (a copy in the data set): left out.
se <- d("swissEconomy", "fBasics"); stopifnot(all(se[, "EXPO"] == se[, "GDPR"]))
bach <- read.csv(file.path(mpl_dir, "percent_bachelors_degrees_women_usa.csv"), check.names = FALSE); stopifnot(all(diff(bach$Year) == 1))

panels <- list(
  daily = list(h = 14, m = 1, series = c(
    list(cairo.temp = run(cairo$Temp[match(cd, cairo$Date)])),
    cols(lw, "lincoln.", lw_cols),
    list(ibm.B = run(d("ibm", "waveslim"))),
    cols(spi, "spisector."), cols(gcc, "gcc."))),
  weekly = list(h = 13, m = 1, series = c(
    setNames(lapply(1:7, function(b) run(tuna[[paste0("MOVE", b)]])), paste0("tuna.move", 1:7)),
    setNames(lapply(1:7, function(b) run(exp(tuna[[paste0("LPRICE", b)]]))), paste0("tuna.price", 1:7)),
    setNames(lapply(1:7, function(b) run(exp(tuna[[paste0("LWHPRIC", b)]]))), paste0("tuna.wholesale", 1:7)),
    list(tuna.customers = run(tuna$FULLCUST)),
    setNames(lapply(rownames(ojt), function(s) run(ojt[s, ])), paste0("oj.store", rownames(ojt))))),
  monthly = list(h = 18, m = 12, series = c(
    setNames(lapply(dj_cols, function(k) run(last_of(djm, dj[[k]]))), paste0("dj.", dj_cols)),
    list(bdk.births = run(bdk$m + bdk$f), exch.DEM_USD = run(ex[, "DEM.USD"]), exch.JPY_USD = run(ex[, "JPY.USD"])),
    cols(gr, "grain."),
    cols(st, "stocks.", st_cols),
    list(elec_equip = run(ee[[2]]),
         elnino.nino12 = run(as.vector(t(as.matrix(en[, -1]))))))),
  quarterly = list(h = 8, m = 4, series = c(
    cols(pigs, "pigs.", c("gilts", "profit", "s_per_herdsz", "production", "herdsz")),
    setNames(lapply(e85_cols, function(k) run(agg(e85q, e85[[k]], mean, 3))), paste0("econ85.", clean(e85_cols))))),
  yearly = list(h = 6, m = 1, series = c(
    cols(as.data.frame(se), "swiss.", c("GDPR", "IMPO", "INTR", "INFL", "UNEM")),
    cols(bach, "bachelors_women.", names(bach)[-1])))
)

make_panels(panels)
cat(R.version.string, "|", panel_versions(c("forecast", "bayesm", "fBasics", "fPortfolio", "timeSeries", "GGally", "googleVis", "ggridges", "Epi", "waveslim", "VGAM")),
    "|", paste(system2("dpkg-query", c("-W", "-f='${Package} ${Version}; '", "python3-statsmodels", "python-matplotlib-data"), stdout = TRUE), collapse = ""), "\n")
