# Held-out panels at other frequencies for the panel forecaster (issue 10), from R's own data sets.
# Writes, per panel, <name>-train.csv and <name>-test.csv in M4's wide layout (id, then values) and
# r-benchmarks.csv: each series' sMAPE and MASE (M4 definitions) for R's ets(), auto.arima(), thetaf()
# and snaive() from Hyndman's forecast package, fitted on the training part.
# Run: Rscript make-panels.R  (in this folder)
suppressPackageStartupMessages(library(forecast))
panels <- list(
  monthly = list(h = 18, m = 12, names = c("AirPassengers", "co2", "nottem", "USAccDeaths", "UKDriverDeaths", "ldeaths",
                                   "mdeaths", "fdeaths", "wineind", "gas", "sunspot.month")),
  quarterly = list(h = 8, m = 4, names = c("UKgas", "JohnsonJohnson", "woolyrnq", "austres")),
  yearly = list(h = 6, m = 1, names = c("lynx", "Nile", "LakeHuron", "nhtemp", "airmiles", "uspop"))
)
getts <- function(n) {
  x <- tryCatch(get(n), error = function(e) NULL)
  if (is.null(x)) return(NULL)
  if (any(is.na(x))) return(NULL)
  x
}
smape <- function(a, f) mean(200 * abs(a - f) / (abs(a) + abs(f)))
mase <- function(tr, a, f, m) {
  if (length(tr) <= m) m <- 1
  s <- mean(abs(diff(as.numeric(tr), lag = m)))
  mean(abs(a - f)) / s
}
rows <- list()
for (p in names(panels)) {
  h <- panels[[p]]$h
  tr_lines <- c(); te_lines <- c()
  for (n in panels[[p]]$names) {
    x <- getts(n)
    if (is.null(x)) next
    m <- panels[[p]]$m
    nn <- length(x)
    tr <- ts(x[1:(nn - h)], frequency = m)
    te <- as.numeric(x[(nn - h + 1):nn])
    tr_lines <- c(tr_lines, paste(c(sprintf('"%s"', n), format(as.numeric(tr), digits = 15, trim = TRUE)), collapse = ","))
    te_lines <- c(te_lines, paste(c(sprintf('"%s"', n), format(te, digits = 15, trim = TRUE)), collapse = ","))
    fc <- list(
      ets = forecast(ets(tr), h = h)$mean,
      arima = forecast(auto.arima(tr), h = h)$mean,
      theta = thetaf(tr, h = h)$mean,
      snaive = snaive(tr, h = h)$mean
    )
    for (meth in names(fc)) {
      f <- as.numeric(fc[[meth]])
      rows[[length(rows) + 1]] <- data.frame(panel = p, series = n, period = m, method = meth,
                                             smape = smape(te, f), mase = mase(tr, te, f, m))
    }
  }
  maxlen <- max(sapply(strsplit(tr_lines, ","), length))
  writeLines(c(paste(sprintf('"V%d"', 1:maxlen), collapse = ","), tr_lines), paste0(p, "-train.csv"))
  writeLines(c(paste(sprintf('"V%d"', 1:(h + 1)), collapse = ","), te_lines), paste0(p, "-test.csv"))
}
out <- do.call(rbind, rows)
write.csv(out, "r-benchmarks.csv", row.names = FALSE)
cat(R.version.string, "forecast", as.character(packageVersion("forecast")), "\n")
