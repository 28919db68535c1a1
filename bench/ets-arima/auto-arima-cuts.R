# R's auto.arima on every cut of one panel file, for bench/ets-arima/arima-vs-r.ts.
#   Rscript bench/ets-arima/auto-arima-cuts.R <panel.csv> <h> <m> <out.tsv>
# Cuts as bench/panels/fit.ts and bench/data/panel-benchmarks.R: origin o = 1, 2, 3 cuts a series of n values
# after n - o*h values; a cut shorter than 3h + max(m, 1) sits out. Each cut is fitted as the benchmark
# script fits it: auto.arima(ts(cut, frequency = m)) with its defaults, then forecast(h = h).
# One line per cut: series, origin, p d q P D Q m, constant (1/0), loglik, aicc, sigma2, the coefficients
# (name=value;...), the h point forecasts (;-separated), and the CPU seconds.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
file <- args[1]; h <- as.integer(args[2]); m <- as.integer(args[3]); out <- args[4]
tab <- read.csv(file, header = TRUE, stringsAsFactors = FALSE, colClasses = "character")
g <- function(x) sprintf("%.17g", x)
con <- file(out, "w")
for (i in seq_len(nrow(tab))) {
  id <- tab[i, 1]
  x <- suppressWarnings(as.numeric(unlist(tab[i, -1])))
  x <- x[!is.na(x)]
  for (o in 1:3) {
    cut <- length(x) - o * h
    if (cut < 3 * h + max(m, 1)) next
    t0 <- proc.time()[["elapsed"]]
    fit <- auto.arima(ts(x[1:cut], frequency = m))
    fc <- as.numeric(forecast(fit, h = h)$mean)
    el <- proc.time()[["elapsed"]] - t0
    a <- fit$arma  # p q P Q m d D
    cf <- coef(fit)
    constant <- as.integer(any(names(cf) %in% c("intercept", "drift", "mean")))
    cfs <- if (length(cf)) paste(paste0(names(cf), "=", g(cf)), collapse = ";") else ""
    writeLines(paste(id, o, a[1], a[6], a[2], a[3], a[7], a[4], a[5], constant, g(fit$loglik), g(fit$aicc),
                     g(fit$sigma2), cfs, paste(g(fc), collapse = ";"), sprintf("%.3f", el), sep = "\t"), con)
    flush(con)
  }
}
close(con)
