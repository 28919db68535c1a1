# A sixth set of held-out panels for the panel forecaster's generalisation check (issue 10), from the St. Louis
# Fed (FRED) database that Debian's gretl-data 2022c-1 ships as a gretl binary database (/usr/share/gretl/db/
# fedstl.idx and fedstl.bin), which no earlier panel folder read. The rule and the series list (README.md) were
# committed before any score on these panels was computed.
#
# Writes, per panel, <panel>.csv in M4's wide layout (id, then every value of the series, oldest first; ragged
# rows), provenance.csv (per series: panel, FRED name, description, units, adjustment, frequency, range, length
# kept), excluded.csv (every fedstl series not written, with the rule that left it out), and
# r-benchmarks-<panel>.csv: R's ets(), auto.arima(), thetaf(), snaive() and holt(damped = TRUE) at rolling
# origins o = 1, 2, 3 (../panel-benchmarks.R holds the loop and the protocol).
# Run (in this folder): Rscript make-heldout6-panels.R        (panels and every panel's R benchmarks)
#                       Rscript make-heldout6-panels.R none   (the panels only)
#                       Rscript make-heldout6-panels.R quarterly monthly   (the panels, and those panels' benchmarks)
# Debian package needed (not a project dependency): apt-get install gretl-data
source("../panel-benchmarks.R")
DB <- "/usr/share/gretl/db/fedstl"

## ---- The database: gretl's text index and binary values ----
# fedstl.idx: a comment line, then per series two lines: "name  description" and "F  start - end  n = N"
# (F = A, Q or M). fedstl.bin: every series' N values as 4-byte little-endian floats, series after series in the
# index's order, missing values stored as -999. Checked below: the values add up to the file's size, and known
# values of FRED series sit where the index puts them.
idx <- readLines(paste0(DB, ".idx"), warn = FALSE)
stopifnot(grepl("^#", idx[1]), length(idx) %% 2 == 1)
l1 <- idx[seq(2, length(idx), 2)]; l2 <- idx[seq(3, length(idx), 2)]
db <- data.frame(name = sub("\\s.*", "", l1), description = trimws(sub("^\\S+\\s+", "", l1)),
                 freq = sub("\\s.*", "", l2), start = sub("^\\S+\\s+(\\S+)\\s+-.*", "\\1", l2),
                 end = sub(".*-\\s+(\\S+)\\s+n =.*", "\\1", l2),
                 n = as.integer(sub(".*n =\\s*([0-9]+).*", "\\1", l2)), stringsAsFactors = FALSE)
stopifnot(nrow(db) == 732, all(db$freq %in% c("A", "Q", "M")), !any(duplicated(db$name)),
          sum(db$n) * 4 == file.size(paste0(DB, ".bin")))
con <- file(paste0(DB, ".bin"), "rb"); vals <- readBin(con, "numeric", size = 4, n = sum(db$n), endian = "little"); close(con)
stopifnot(length(vals) == sum(db$n))
off <- cumsum(c(0, db$n))
# Values as stored (4-byte floats: about 7 significant digits), -999 as NA, rounded to 7 significant digits so
# that 3.4 is written 3.4 and not 3.40000009536743.
series_of <- function(i) { x <- vals[(off[i] + 1):off[i + 1]]; x[x == -999] <- NA; signif(x, 7) }
S <- setNames(lapply(seq_len(nrow(db)), series_of), db$name)
# Checks of the layout against published FRED values (FRED's current vintage; these were not revised):
# UNRATE 1948-01..06 = 3.4 3.8 4.0 3.9 3.5 3.6 and 2022-09 = 3.5; CPIAUCNS 1913-01 = 9.8; EXJPUS 1971-01 = 358.02;
# FEDFUNDS 2022-09 = 2.56; GDP 2022Q3 (advance estimate, Oct 2022) = 25663.3; every rate in % lies in 0..100.
stopifnot(all.equal(S$unrate[1:6], c(3.4, 3.8, 4.0, 3.9, 3.5, 3.6)), S$unrate[897] == 3.5, S$cpiaucns[1] == 9.8,
          S$exjpus[1] == 358.02, tail(S$fedfunds, 1) == 2.56, tail(S$gdp, 1) == 25663.3)
pct <- grepl(", %, ", db$description) & !grepl("Treasury|Yield|Rate|Own Rate|Return", db$description)
stopifnot(all(sapply(S[pct], function(x) all(is.na(x) | (x >= 0 & x <= 100)))))
stopifnot(all(sapply(S[grepl("Unemployment Rate|Participation Rate|Vacancy Rate|Homeownership Rate", db$description)],
                     function(x) all(is.na(x) | (x > 0 & x < 100)))))
# Description = "title, units, adjustment" (adjustment SA, NSA or SAAR).
parts <- strsplit(db$description, ", ")
db$adjustment <- sapply(parts, function(p) p[length(p)])
db$units <- sapply(parts, function(p) p[length(p) - 1])
db$title <- sapply(parts, function(p) paste(p[1:(length(p) - 2)], collapse = ", "))
stopifnot(all(db$adjustment %in% c("SA", "NSA", "SAAR")))

out <- setNames(rep(NA_character_, nrow(db)), db$name)   # the reason each series is left out
drop <- function(names, reason) { stopifnot(all(names %in% db$name)); new <- names[is.na(out[names])]; out[new] <<- reason }

## ---- Rule 2: the same quantity for the same country as a series of an earlier set (any frequency, overlapping years) ----
drop(c("gdp", "gdpc1", "gdpc96", "gdpa", "gdpca", "gnp", "gnpc96", "gnpa", "gnpca", "gdppot"),
     "earlier: US GDP/GNP (AER USMacroG gdp, USMacroSWQ gdp, USMacroB gnp, USMoney gnp, OrangeCounty gnp; tseries NelPlo; urca Raotbl1/6 rgnp; gretl data4-2, data4-3a, data13-1 GDP)")
drop(c("pce", "pcec", "pceca", "pcecc96", "pcecca", "pcec96"),
     "earlier: US personal consumption expenditures (AER USMacroG consumption, USConsump1993; ggplot2 economics pce; strucchange USIncExp; gretl data4-2 Ct, data13-1 CONS)")
drop(c("gpdi", "gpdic1", "gpdic96", "gpdia", "gpdica"), "earlier: US gross private domestic investment (AER USMacroG invest; gretl data13-1 INV)")
drop(c("gce", "gcec1", "gcec96", "gcea", "gceca"), "earlier: US government consumption expenditures and gross investment (AER USMacroG government; gretl data13-1 GOVEXP)")
drop(c("dpi", "dpic96", "dspi", "dspic96", "a229rc0", "a229rx0"),
     "earlier: US disposable personal income, total or per capita (AER USMacroG dpi, USConsump1993 income, USGasG income; gretl data9-12 pcdpy, data9-7 INCOME)")
drop(c("finsal", "finslc1", "finslca", "finslc96"), "earlier, in doubt: US final sales of domestic product (GDP less the change in inventories; see GDP)")
drop(c("pi", "pincome", "rpi"), "earlier: US personal income (strucchange USIncExp income)")
drop(c("cpiaucns", "cpiaucsl"), "earlier: US CPI, all items (AER USMacroSWM cpi, USMacroG cpi, USMacroSW cpi; tseries NelPlo cpi; waveslim cpi)")
drop(c("pcepi", "pcectpi"), "earlier: US PCE price index (lmtest gmdc; gretl data4-2 PRDEFL)")
drop(c("pcepilfe", "jcxfe"), "earlier: US PCE price index excluding food and energy (urca Raotbl6 gdfco)")
drop(c("ulcbs", "ulcnfb", "prs88003113"), "earlier, in doubt: US unit labour costs of the whole economy or business (urca Raotbl6 ulc names no sector)")
drop(c("gdpdef", "gdppidxca", "gdppidxq"), "earlier: US GDP/GNP deflator (AER USMoney deflator; urca Raotbl6 pgnp, gdf; tseries NelPlo gnp.def; gretl data13-1 Pt)")
drop(c("ppiaco", "ppiidc", "ppieng"), "earlier, in doubt: US producer price indices (AER FrozenJuice ppi; lmtest pw561; gretl data6-5 PRODPRIC, data10-8 priceu were left out as in doubt)")
drop(c("unrate", "unratensa", "unemploy"), "earlier: US unemployment rate and level (lmtest lhur, unemployment UN; AER USMacroG unemp, USMacroSW unemp; ggplot2 economics unemploy; tseries NelPlo unemp)")
drop("uempmed", "earlier: US median weeks unemployed (ggplot2 economics uempmed)")
drop("psavert", "earlier: US personal saving rate (ggplot2 economics psavert)")
drop(c("pop", "popthm"), "earlier: US population (AER USMacroG population, USGasG population; datasets uspop; ggplot2 economics pop)")
drop(c("payems", "paynsa", "uspriv", "usgood", "srvprd", "usmine", "uscons", "manemp", "dmanemp", "ndmanemp", "ustpu",
       "uswtrade", "ustrade", "usinfo", "usfire", "uspbs", "usehs", "uslah", "usserv", "usgovt"),
     "earlier: BLS CES employment by supersector (vega-datasets us-employment, heldout3)")
drop("nppttl", "earlier, in doubt: US private payroll employment (ADP's estimate of the quantity of vega us-employment private)")
drop("ce16ov", "earlier, in doubt: US total employment (collapse GGDC10S USA EMP 1947-2011; tseries NelPlo emp)")
drop("indpro", "earlier: US industrial production index (AER USMacroSWM production, USProdIndex; tseries NelPlo ip)")
drop(c("m1ns", "m1sl"), "earlier: US M1 (AER USMacroG m1, USMoney m1; tseries USeconomic; urca Raotbl2 m1p)")
drop(c("m2ns", "m2sl", "msim2"), "earlier: US M2 (tseries NelPlo money.stock; urca Raotbl2 m2p; gretl data13-1 MONYSUP; msim2 is a Divisia index of M2)")
drop(c("nom1m2", "nom1m2n"), "earlier: US non-M1 M2 (urca Raotbl2 nm1m2p)")
drop(c("ambns", "ambsl", "sbasens"), "earlier: US monetary base (AER USMacroB mbase; lmtest valueofstocks MB; urca Raotbl2 mbp; sbasens is the base before the reserve adjustment, in doubt)")
drop("fedfunds", "earlier: federal funds rate (lmtest fyff; AER USMacroSW ffrate)")
drop(c("tb3ms", "gs3m"), "earlier: US 3-month Treasury bill rate (AER USMacroG, USMacroSW, USMacroSWQ, USMacroB tbill; urca Raotbl1 r3m)")
drop(c("gs1", "gs3", "gs5", "gs10"), "earlier: US Treasury constant-maturity yields at 1, 3, 5, 10 years (tseries tcm, tcmd; urca Raotbl1 r10y; AER USMacroSW tbond)")
drop(c("gs20", "gs30"), "earlier, in doubt: yield on long-term US Treasury bonds (tseries USeconomic rl)")
drop("aaa", "earlier: Moody's Aaa corporate bond yield (AER BondYield; gretl data13-1 rt)")
drop("mprime", "earlier: US bank prime rate (gretl data9-7 PRIME)")
drop("mortg", "earlier, in doubt: US home mortgage rate (gretl data4-3a intrate, new home mortgage yields)")
drop(c("exusuk", "aexusuk"), "earlier: US$ per pound sterling (AER USMacroSW gbpusd)")
drop(c("exjpus", "aexjpus"), "earlier: yen per US$ (waveslim exchange JPY/USD)")
drop(c("exszus", "aexszus"), "earlier: Swiss francs per US$ (timeSeries USDCHF, 1996-97)")
drop(c("exuseu", "aexuseu"), "earlier: US$ per euro (gretl AWM18 EXR)")
drop(c("exusal", "aexusal"), "earlier: US$ per Australian $ (gretl australia E, its reciprocal)")
drop(c("exkous", "aexkous"), "earlier: won per US$ (gretl data10-8 exrate)")
drop(c("mcoilwtico", "acoilwtico", "oilprice"), "earlier: WTI crude oil price (fPortfolio ECON85LONG WTI)")
drop(c("gasregm", "gasallm", "gasmidm", "gasprmm"),
     "earlier: US retail gasoline price (quantreg gasprice, weekly 1990-2003; AER USGasG price); all grades, midgrade and premium in doubt")
drop("ahetpi", "earlier: US average hourly earnings (gretl data10-5 uswage)")
drop("aheman", "earlier, in doubt: US manufacturing earnings (tseries NelPlo nom.wages)")
drop(c("coe", "w209rc1"), "earlier: US compensation of employees (gretl data4-2 WAGES)")
drop(c("houst", "houstnsa"), "earlier: US housing starts (gretl data4-3a housing, data6-5 HOUSTART)")
drop(c("totalns", "totalsl"), "earlier: US consumer (instalment) credit outstanding (gretl data9-12 credit)")
drop("grecpt", "earlier: US government (federal, state and local) receipts (gretl data13-1 GOVREC)")
drop("fyonet", "earlier, in doubt: US federal outlays (gretl data10-4 ug)")
drop("fdefx", "earlier, in doubt: US national defence spending (gretl data10-4 um, military outlays)")
drop(c("expgs", "expgsc1", "expgsc96", "expgsa", "expgsca", "boptexp"),
     "earlier: US exports of goods and services (lmtest unemployment x; gretl data13-1 EXPORTS, 1959-93)")
drop(c("impgs", "impgsc1", "impgsc96", "impgsa", "impgsca", "boptimp"),
     "earlier: US imports of goods and services (gretl data13-1 IMPORTS, 1959-93)")

## ---- Rule 3: not levels, not observations, or computed from other series ----
drop(c("bopgstb", "bopgtb", "bopstb", "netexp", "netexc", "netexc96", "netfi", "fyfsd", "afdef", "fgdef", "sldef", "tgdef", "ggsave"),
     "not a level: a balance or net saving (a difference that changes sign)")
drop(c("cbi", "cbic1", "cbic96", "cbia", "cbica", "civa", "dcbcca"), "not a level: a change in inventories or a valuation/consumption adjustment (changes sign)")
drop("kcfsi", "not a level: a standardised stress index (mean 0, changes sign)")
drop(c("m1v", "m2v", "mzmv"), "computed: GDP divided by a money stock (GDP is left out; tseries NelPlo vel)")
drop(c("ram", "adjresns", "adjressl"), "computed: St. Louis Fed adjustments for reserve-requirement changes (the adjusted base is left out)")
drop("gdppot", "model-built: CBO's potential GDP, with projections to 2032")

## ---- Rule 4: one series per quantity inside fedstl ----
# (a) Older vintages (DISCONTINUED, chained 2009 $ or 2009 = 100) of a quantity fedstl also holds in its current vintage.
drop(c("gcec96", "fgcec96", "slcec96", "fpic96", "prfic96"), "older vintage (DISCONTINUED, chained 2009 $) of a current fedstl series")
# (b) A quantity fedstl holds at several frequencies enters once, at its highest: annual -> quarterly or monthly,
# quarterly -> monthly (same title or the same NIPA line under another title).
higher <- c(acoilbrenteu = "mcoilbrenteu", adfuella = "mdfuella", adfuelnyh = "mdfuelnyh", adfuelusgulf = "mdfuelusgulf",
  agasnyh = "mgasnyh", agasusgulf = "mgasusgulf", ahoilnyh = "mhoilnyh", ajfuelusgulf = "mjfuelusgulf",
  apropanembtx = "mpropanembtx", argasla = "mrgasla", aexbzus = "exbzus", aexcaus = "excaus", aexchus = "exchus",
  aexdnus = "exdnus", aexhkus = "exhkus", aexinus = "exinus", aexmaus = "exmaus", aexmxus = "exmxus", aexnous = "exnous",
  aexsdus = "exsdus", aexsfus = "exsfus", aexsius = "exsius", aexslus = "exslus", aextaus = "extaus", aexthus = "exthus",
  aexusnz = "exusnz", aexvzus = "exvzus", twexbanl = "twexbmth", twexmanl = "twexmmth", twexoanl = "twexomth",
  fpia = "fpi", fpica = "fpic1", pnfia = "pnfi", pnfica = "pnfic1", prfia = "prfi", prfica = "prfic1",
  afexpnd = "fgexpnd", afgsl = "fgsl", afrecpt = "fgrecpt", aslexpnd = "slexpnd", fgcea = "fgce", fgceca = "fgcec1",
  slcea = "slce", slceca = "slcec1", pcdga = "pcedg", pcdgcca = "pcedgc96", pcesva = "pces", pcesvca = "pcesc96",
  pcnda = "pcend", pcndgca = "pcendc96",
  pcdg = "pcedg", pcdgcc96 = "pcedgc96", pcnd = "pcend", pcndgc96 = "pcendc96", pcesv = "pces", pcesvc96 = "pcesc96",
  psave = "pmsave", wascur = "a576rc1", rentin = "a048rc1", propinc = "a041rc1")
stopifnot(all(names(higher) %in% db$name), all(higher %in% db$name))
for (k in names(higher)) drop(k, paste0("the same quantity at a higher frequency in fedstl: ", higher[[k]]))
# (c) Seasonally adjusted copies: where fedstl holds a quantity (same title and units, same frequency) both not
# adjusted (NSA) and adjusted (SA, SAAR), the NSA series enters.
key <- paste(db$freq, db$title, db$units)
for (i in seq_len(nrow(db))) if (db$adjustment[i] != "NSA") {
  j <- which(key == key[i] & db$adjustment == "NSA")
  if (length(j)) drop(db$name[i], paste0("seasonally adjusted copy of ", db$name[j[1]]))
}

## ---- Rule 5: kept values ----
freqs <- c(M = "monthly", Q = "quarterly", A = "yearly")
spec <- list(monthly = list(h = 18, m = 12, maxlen = 240, cap = 50), quarterly = list(h = 8, m = 4, maxlen = 120, cap = 80),
             yearly = list(h = 6, m = 1, maxlen = 200, cap = Inf))
kept <- list()
for (i in seq_len(nrow(db))) if (is.na(out[i])) {
  p <- freqs[[db$freq[i]]]; sp <- spec[[p]]
  x <- panel_stretch(S[[i]])          # the longest stretch neither NA nor <= 0
  if (length(x) > sp$maxlen) x <- tail(x, sp$maxlen)
  if (length(x) >= 2 && sd(x) == 0) { drop(db$name[i], "constant"); next }
  if (length(x) < 4 * sp$h + max(sp$m, 1)) { drop(db$name[i], sprintf("too short: longest stretch neither NA nor <= 0 has %d values (< %d)", length(x), 4 * sp$h + max(sp$m, 1))); next }
  kept[[db$name[i]]] <- x
}

# (d) Copies inside a frequency (the same quantity in another unit, base year or as a reciprocal: x/y or x*y
# constant, relative spread < 1e-3 over at least 8 common periods where both are positive): the later one in the
# index's order is left out. Checked on the whole series as stored, aligned by date.
period <- function(i) { s <- db$start[i]; f <- db$freq[i]
  if (f == "A") as.integer(s) else { y <- as.integer(sub("\\..*", "", s)); k <- as.integer(sub(".*\\.", "", s)); y * (if (f == "M") 12 else 4) + k - 1 } }
for (f in c("M", "Q", "A")) {
  ii <- which(db$freq == f & db$name %in% names(kept))
  p0 <- sapply(ii, period); p1 <- p0 + db$n[ii] - 1
  X <- matrix(NA_real_, max(p1) - min(p0) + 1, length(ii))
  for (j in seq_along(ii)) X[(p0[j] - min(p0) + 1):(p1[j] - min(p0) + 1), j] <- S[[ii[j]]]
  for (a in seq_along(ii)) for (b in seq_along(ii)) if (a < b && is.na(out[ii[b]])) {
    x <- X[, a]; y <- X[, b]; ok <- !is.na(x) & !is.na(y) & x > 0 & y > 0
    if (sum(ok) < 8) next
    cv <- function(r) sd(r) / mean(r)
    if (cv(x[ok] / y[ok]) < 1e-3 || cv(x[ok] * y[ok]) < 1e-3) drop(db$name[ii[b]], paste0("copy of ", db$name[ii[a]], " (constant ratio or product)"))
  }
}
kept <- kept[is.na(out[names(kept)])]

## ---- Rule 6: the cap on each panel's size (for cost only), a draw with a fixed seed ----
panels <- list()
for (p in names(spec)) {
  sp <- spec[[p]]
  ids <- names(kept)[db$freq[match(names(kept), db$name)] == names(freqs)[freqs == p]]   # in the index's order
  if (length(ids) > sp$cap) {
    set.seed(6)
    pick <- sort(sample(length(ids), sp$cap))
    for (k in ids[-pick]) drop(k, sprintf("not drawn: the %s panel's cap of %d series (set.seed(6); sample)", p, sp$cap))
    ids <- ids[pick]
  }
  stopifnot(length(ids) >= 5)
  panels[[p]] <- list(h = sp$h, m = sp$m, series = kept[ids])
}
stopifnot(!any(is.na(out[!db$name %in% unlist(lapply(panels, function(pp) names(pp$series)))])),
          all(is.na(out[unlist(lapply(panels, function(pp) names(pp$series)))])))

# provenance.csv: the series written; excluded.csv: every other fedstl series and why.
pr <- do.call(rbind, lapply(names(panels), function(p) {
  ids <- names(panels[[p]]$series); i <- match(ids, db$name)
  data.frame(panel = p, id = ids, fred = toupper(ids), description = db$description[i], title = db$title[i], units = db$units[i],
             adjustment = db$adjustment[i], frequency = db$freq[i], range = paste(db$start[i], "-", db$end[i]), n_stored = db$n[i],
             n = sapply(panels[[p]]$series, length))
}))
write.csv(pr, "provenance.csv.tmp", row.names = FALSE); file.rename("provenance.csv.tmp", "provenance.csv")
ex <- data.frame(fred = toupper(db$name), frequency = db$freq, description = db$description, reason = out)[!is.na(out), ]
write.csv(ex, "excluded.csv.tmp", row.names = FALSE); file.rename("excluded.csv.tmp", "excluded.csv")
cat("written:", nrow(pr), "series; left out:", nrow(ex), "\n")

make_panels(panels)
cat(R.version.string, "|", panel_versions("forecast"), "|",
    paste(system2("dpkg-query", c("-W", "-f='${Package} ${Version}; '", "gretl-data"), stdout = TRUE), collapse = ""), "\n")
