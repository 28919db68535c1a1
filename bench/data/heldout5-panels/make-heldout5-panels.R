# A fifth set of held-out panels for the panel forecaster's generalisation check (issue 10), from the data files
# of Debian's gretl-data package (/usr/share/gretl/data: misc/, greene/, ramanathan/; gretl's XML `.gdt`, some
# gzip-compressed), which no earlier panel folder used. The rule and the series list (README.md) were committed
# before any score on these panels was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), provenance.csv (per series: panel, gretl file, variable, its label, and the file's description), and
# r-benchmarks-<panel>.csv: R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE) at rolling
# origins o = 1, 2, 3 (../panel-benchmarks.R holds the loop and the protocol).
# Run (in this folder): Rscript make-heldout5-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout5-panels.R none   (the panels only)
#                       Rscript make-heldout5-panels.R quarterly monthly   (the panels, and those panels' benchmarks)
# Debian packages needed (not project dependencies): apt-get install gretl-data gretl-common
source("../panel-benchmarks.R")
run <- panel_stretch   # ../panel-benchmarks.R: the longest stretch neither NA nor <= 0
GRETL <- "/usr/share/gretl/data"

# One .gdt file (gzip-compressed or not: gzfile reads both): its header attributes, description, variables
# (name, label) and the matrix of observations (a row per <obs>, "NA" missing).
read_gdt <- function(file) {
  con <- gzfile(file.path(GRETL, file)); on.exit(close(con))
  txt <- paste(readLines(con, warn = FALSE, encoding = "UTF-8"), collapse = "\n")
  at <- function(s, a) { m <- regmatches(s, regexec(paste0("\\b", a, '="([^"]*)"'), s))[[1]]; if (length(m)) m[2] else NA_character_ }
  unesc <- function(s) gsub("&amp;", "&", gsub("&quot;", '"', gsub("&lt;", "<", gsub("&gt;", ">", s))))
  head <- regmatches(txt, regexpr("<gretldata[^>]*>", txt))
  desc <- if (grepl("<description>", txt)) sub("(?s).*<description>(.*?)</description>.*", "\\1", txt, perl = TRUE) else ""
  vs <- regmatches(txt, gregexpr("<variable\\s[^>]*>", txt))[[1]]
  obs <- regmatches(txt, gregexpr("<obs[^>]*>[^<]*</obs>", txt))[[1]]
  cells <- strsplit(trimws(sub("<obs[^>]*>([^<]*)</obs>", "\\1", obs)), "\\s+")
  stopifnot(length(obs) == as.integer(at(txt, "observations count")), all(lengths(cells) == length(vs)))
  x <- matrix(suppressWarnings(as.numeric(unlist(cells))), ncol = length(vs), byrow = TRUE)
  stopifnot(sum(is.na(x)) == sum(unlist(cells) == "NA"))   # every cell a number or NA
  colnames(x) <- sapply(vs, at, "name")
  list(file = file, frequency = as.numeric(at(head, "frequency")), startobs = at(head, "startobs"), endobs = at(head, "endobs"),
       description = unesc(gsub("\\s+", " ", trimws(desc))), labels = setNames(unesc(sapply(vs, at, "label")), colnames(x)), x = x)
}

prov <- list()   # one row per series taken: id, file, variable, label, description
# The series `vars` of a gdt file (all but `drop` when vars is NULL), as a named list prefix.var, each the longest
# stretch neither NA nor <= 0; `f` transforms a column first (exp for columns stored as logs).
take <- function(g, prefix, vars = NULL, drop = character(0), f = identity, freq = NULL) {
  if (!is.null(freq)) stopifnot(g$frequency == freq)
  if (is.null(vars)) vars <- setdiff(colnames(g$x), drop)
  stopifnot(all(vars %in% colnames(g$x)))
  ids <- paste0(prefix, gsub("[^A-Za-z0-9_]", "_", vars))
  for (i in seq_along(vars)) prov[[ids[i]]] <<- data.frame(id = ids[i], file = g$file, variable = vars[i],
    label = g$labels[[vars[i]]], description = g$description)
  setNames(lapply(vars, function(v) run(f(g$x[, v]))), ids)
}
# Pairs of columns of one file that are copies (the same quantity in another unit, base year or as a reciprocal:
# x/y or x*y constant, relative spread < 1e-3 over the rows where both are positive); the later one of each pair.
copies <- function(g, vars) {
  out <- character(0)
  for (i in seq_along(vars)) for (j in seq_along(vars)) if (i < j) {
    x <- g$x[, vars[i]]; y <- g$x[, vars[j]]; ok <- !is.na(x) & !is.na(y) & x > 0 & y > 0
    if (sum(ok) < 8) next
    cv <- function(r) sd(r) / mean(r)
    if (cv(x[ok] / y[ok]) < 1e-3 || cv(x[ok] * y[ok]) < 1e-3) { cat("copy:", g$file, vars[j], "of", vars[i], "\n"); out <- c(out, vars[j]) }
  }
  unique(out)
}

## ---- daily (h 14, m 1): misc/bikesharing.gdt (Capital Bikeshare, Washington DC, 2011-12, 731 days) ----
bike <- read_gdt("misc/bikesharing.gdt"); stopifnot(bike$frequency == 7, nrow(bike$x) == 731)
# cnt is casual + registered in every row (checked): an identity of two kept series, left out. atemp ("feeling"
# temperature) is computed from temperature, humidity and wind: left out. season, holiday, workingday, weathersit: codes.
stopifnot(all(bike$x[, "cnt"] == bike$x[, "casual"] + bike$x[, "registered"]))
daily <- take(bike, "bike.", c("casual", "registered", "temp", "hum", "windspeed"))

## ---- weekly (h 13, m 1): ramanathan/data9-10.gdt (weekly sales of a Del Mar supermarket, 1991-01-06 to 1992-04-26) ----
dm <- read_gdt("ramanathan/data9-10.gdt"); stopifnot(dm$frequency == 52, nrow(dm$x) == 69)
# X3 (the same store's sales 52 weeks earlier: the quantity Y over an overlapping period), X4-X10, X12 (dummies),
# X16 (rainfall: dry weeks, no stretch of 53) are left out.
weekly <- take(dm, "delmar.", c("Y", "X2", "X11", "X13", "X14", "X15"))

## ---- monthly (h 18, m 12) ----
ham <- read_gdt("misc/hamilton.gdt")        # 1973-01..1989-10; PZUNEW (US CPI-U) is left out: AER USMacroSWM cpi (dev-panels)
r911 <- read_gdt("ramanathan/data9-11.gdt") # 1980-01..1995-09
r912 <- read_gdt("ramanathan/data9-12.gdt") # 1975-01..1991-10
r913 <- read_gdt("ramanathan/data9-13.gdt") # 1990-01..1998-12
monthly <- c(
  take(ham, "hamilton.", c("PC6IT", "EXRITL"), freq = 12),
  take(r911, "data9_11.", c("volume", "sp500", "cconf", "cexpect", "csent"), freq = 12),
  # cpinew, cpiused, cpigas, pubtrans: US price indices of new cars, used cars, gasoline and public transport, the
  # quantities of AER USGasG's newcar, usedcar, price, transport (yearly 1960-95, dev-panels); pop, pcdpy, cpiall, unemprt: USMacroG's, lmtest's.
  take(r912, "data9_12.", c("pcecars", "cpiinsur", "repair", "credit", "primert"), freq = 12),
  take(r913, "data9_13.", c("bkdiv", "btdiv", "cmbdiv", "cdiv", "ftudiv", "meldiv", "onediv", "wfcdiv", "discrate"), freq = 12))

## ---- quarterly (h 8, m 4) ----
awm18 <- read_gdt("misc/AWM18.gdt"); awm <- read_gdt("misc/AWM.gdt")
stopifnot(awm18$frequency == 4, awm$frequency == 4)
# AWM18 (18th update, 1970Q1-2017Q4): every column except the seasonally adjusted copies of its nsa HICP indices
# and the two balances as shares of GDP (current account, net factor income: they change sign).
awm18_vars <- setdiff(colnames(awm18$x), c("HICPSYA", "HEXSYA", "HEGSYA", "CAN_YEN", "NFN_YEN"))
awm18_vars <- setdiff(awm18_vars, copies(awm18, awm18_vars))
# AWM (the 2001 edition, 1970Q1-1998Q4): only the columns whose name is not in AWM18 (the same quantity over an
# overlapping period: AWM18's is kept), and not a dummy, a statistical discrepancy, a time trend, a model-built
# trend or target (trend employment, long-run employment, trend TFP, trend unit labour costs, trend unemployment,
# potential output, output gap, target net lending), a growth rate (INFQ, INFT), a change in stocks (SCD, SCN, SCR),
# a balance or net position (a difference of two flows or stocks that changes sign: CAN, GLN, GPN, GSN, NFA, NFN,
# TBN, TBR and their ratios to GDP), or STRQ (a quarterly short rate that turns negative in the 1970s: a real rate
# or STN in other units, undocumented).
awm_out <- c(grep("^D[0-9]|^I[0-9]|_DIS", colnames(awm$x), value = TRUE), "TIME", "LNT", "LSL", "TFT", "ULT", "URT", "YET", "YGA",
             "GLN_YEN_TARGET", "INFQ", "INFT", "SCD", "SCN", "SCR", "CAN", "GLN", "GLN_YEN", "GPN", "GPN_YEN", "GSN", "GSN_YEN",
             "NFA", "NFN", "TBN", "TBR", "STRQ")
awm_vars <- setdiff(colnames(awm$x), c(colnames(awm18$x), awm_out))
awm_vars <- setdiff(awm_vars, copies(awm, awm_vars))
aus <- read_gdt("misc/australia.gdt")   # 1972Q1-1991Q1; PUS (US CPI: AER USMacroG cpi), IUS (US 5-year bond rate: tseries tcmd), ius2, iau2, e2 (copies), logs: out
stopifnot(length(copies(aus, c("E", "e2", "IAU", "iau2", "IUS", "ius2"))) == 3)
sph <- read_gdt("misc/swisspharma.gdt") # 1975Q1-2011Q2; salesa (annual figures repeated per quarter) out
wgm <- read_gdt("misc/wgmacro.gdt")     # 1960Q1-1982Q4, West Germany
kor <- read_gdt("ramanathan/data10-8.gdt") # 1980Q1-1995Q3, Korea
sdg <- read_gdt("ramanathan/data9-3.gdt")  # 1972Q2-1993Q4, San Diego Gas and Electric
car <- read_gdt("ramanathan/data9-7.gdt")  # 1975Q1-1990Q4, US new cars
quarterly <- c(
  take(awm18, "awm18.", awm18_vars),
  take(awm, "awm.", awm_vars),
  take(aus, "australia.", c("PAU", "E", "IAU"), freq = 4),
  take(sph, "swisspharma.", c("salesq", "exportsq", "importsq"), freq = 4),
  take(wgm, "wgmacro.", c("investment", "income", "consumption"), freq = 4),
  take(kor, "data10_8.", c("exrate", "m1_k", "irate_k", "pricek"), freq = 4),
  take(sdg, "data9_3.", c("reskwh", "nocust", "price", "cpi", "incm", "cdd", "hdd", "pop"), freq = 4),
  take(car, "data9_7.", c("QNC", "PRIME", "STOCK"), freq = 4))

## ---- yearly (h 6, m 1) ----
hen <- read_gdt("misc/hendry_jae.gdt")  # UK 1873-1991; columns stored as logs are exponentiated
y <- function(file, prefix, vars, f = identity) { g <- read_gdt(file); stopifnot(g$frequency == 1); take(g, prefix, vars, f = f) }
yearly <- c(
  y("misc/broiler.gdt", "broiler.", c("Q", "PCHICK", "PBEEF", "PCOR", "PF", "QPRODA", "MEATEX")),
  take(hen, "hendry.", c("LW85", "pgdp", "LPrm", "LNatdebt", "m", "LKtotUK"), f = exp),
  take(hen, "hendry.", c("RL", "un", "nh")),
  y("misc/jgm-data.gdt", "jgm.", c("r_s", "r_m", "r_l")),
  y("greene/greene8_3.gdt", "solow.", c("q", "k")),
  y("ramanathan/data3-3.gdt", "data3_3.", c("PATENTS", "R_D")),
  y("ramanathan/data4-2.gdt", "data4_2.", "WAGES"),
  y("ramanathan/data4-3a.gdt", "data4_3a.", c("housing", "intrate")),
  y("ramanathan/data4-7.gdt", "data4_7.", c("chd", "cal", "cig", "edfat", "meat", "spirits", "beer", "wine")),
  y("ramanathan/data6-2.gdt", "data6_2.", c("catch", "effort")),
  y("ramanathan/data6-5.gdt", "data6_5.", c("HARVEST", "EXPORTS", "INDPROD", "TIMBPRIC")),
  y("ramanathan/data6-6.gdt", "data6_6.", "farmpop"),
  y("ramanathan/data7-19.gdt", "data7_19.", c("Q", "Y", "P", "ED1", "ED2")),
  y("ramanathan/data9-5.gdt", "data9_5.", c("output", "labor", "land", "machines", "energy", "fert", "seedfeed", "others")),
  y("ramanathan/data9-8.gdt", "data9_8.", c("rpm", "nop", "oprev", "accid", "fatal")),
  y("ramanathan/data10-4.gdt", "data10_4.", c("ug", "um", "gnpdef", "hdem", "sdem")),
  y("ramanathan/data10-5.gdt", "data10_5.", c("calwage", "uswage")),
  y("ramanathan/data10-6.gdt", "data10_6.", "M"),
  y("ramanathan/data10-7.gdt", "data10_7.", "pop"),
  y("ramanathan/data13-1.gdt", "data13_1.", c("IMPORTS", "GOVREC")))

panels <- list(daily = list(h = 14, m = 1, series = daily), weekly = list(h = 13, m = 1, series = weekly),
               monthly = list(h = 18, m = 12, series = monthly), quarterly = list(h = 8, m = 4, series = quarterly),
               yearly = list(h = 6, m = 1, series = yearly))
# A panel needs at least 5 series (checked after the length rule below; make_panels prints the ones left out).
for (p in names(panels)) { pp <- panels[[p]]; n <- sum(sapply(pp$series, length) >= 4 * pp$h + max(pp$m, 1)); stopifnot(n >= 5) }

# provenance.csv: the series written (those long enough), with the panel each is in.
pr <- do.call(rbind, lapply(names(panels), function(p) {
  pp <- panels[[p]]; keep <- names(pp$series)[sapply(pp$series, length) >= 4 * pp$h + max(pp$m, 1)]
  cbind(panel = p, do.call(rbind, prov[keep]), n = sapply(pp$series[keep], function(x) min(length(x), panel_maxlen[[p]])))
}))
write.csv(pr, "provenance.csv.tmp", row.names = FALSE); file.rename("provenance.csv.tmp", "provenance.csv")

make_panels(panels)
cat(R.version.string, "|", panel_versions("forecast"), "|",
    paste(system2("dpkg-query", c("-W", "-f='${Package} ${Version}; '", "gretl-data", "gretl-common"), stdout = TRUE), collapse = ""), "\n")
