# R's benchmark scores on a folder of panels (rolling origins), shared by the panel scripts that source it
# (heldout2-panels/make-heldout2-panels.R; the older make-dev-panels.R and make-heldout-panels.R keep their
# own copies of the same loop and are left as they were).
#
# Protocol: for origin o = 1, 2, 3 a series of n values is cut after n - o*h values and the next h values
# are the test; a cut shorter than 3h + max(m, 1) values sits that origin out. Each method is fitted on the
# cut only (a ts of frequency m) and forecasts h steps. Scores are M4's:
#   sMAPE = mean over the h steps of 200 |y - f| / (|y| + |f|)   (a step where both are 0 counts 0)
#   MASE  = mean |y - f| / mean over the cut of |x_t - x_{t-m}|  (lag 1 when the cut is not longer than m)
# Methods (Hyndman's forecast package): ets(), auto.arima(), thetaf(), snaive(), holt(damped = TRUE); their
# short names in the output are ets, arima, theta, snaive, damped.
suppressPackageStartupMessages(library(forecast))

panel_smape <- function(a, f) mean(ifelse(abs(a) + abs(f) > 0, 200 * abs(a - f) / (abs(a) + abs(f)), 0))
panel_mase <- function(tr, a, f, m) { if (length(tr) <= m) m <- 1; mean(abs(a - f)) / mean(abs(diff(tr, lag = m))) }

# The h-step forecast of one method from the cut tr (a ts).
panel_forecast <- function(method, tr, h) {
  as.numeric(switch(method,
    ets = forecast(ets(tr), h = h)$mean,
    arima = forecast(auto.arima(tr), h = h)$mean,
    theta = thetaf(tr, h = h)$mean,
    snaive = snaive(tr, h = h)$mean,
    damped = holt(tr, h = h, damped = TRUE)$mean,
    stop("unknown method ", method)))
}

# One data frame (panel, origin, series, method, smape, mase) for a named list of series.
panel_benchmarks <- function(panel, series, h, m, methods = c("ets", "arima", "theta", "snaive", "damped"), origins = 1:3) {
  rows <- list()
  for (n in names(series)) {
    x <- as.numeric(series[[n]])
    for (o in origins) {
      cut <- length(x) - o * h
      if (cut < 3 * h + max(m, 1)) next
      tr <- ts(x[1:cut], frequency = m); te <- x[(cut + 1):(cut + h)]
      for (meth in methods) {
        f <- panel_forecast(meth, tr, h)
        rows[[length(rows) + 1]] <- data.frame(panel = panel, origin = o, series = n, method = meth,
                                               smape = panel_smape(te, f), mase = panel_mase(as.numeric(tr), te, f, m))
      }
    }
  }
  do.call(rbind, rows)
}

# Writes a named list of series in M4's wide layout (a header V1..Vk, then one row per series: its quoted id,
# then its values oldest first; rows ragged).
write_wide_panel <- function(series, file) {
  width <- max(sapply(series, length)) + 1
  lines <- mapply(function(n, x) paste(c(sprintf('"%s"', n), format(x, digits = 15, trim = TRUE)), collapse = ","), names(series), series)
  writeLines(c(paste(sprintf('"V%d"', 1:width), collapse = ","), lines), file)
}
