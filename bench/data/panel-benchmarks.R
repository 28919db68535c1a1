# R's benchmark scores on a folder of panels (rolling origins), shared by the panel scripts that source it
# (heldout2-, heldout3- and heldout4-panels/make-*.R, which also share the helpers at its end; the older make-dev-panels.R and make-heldout-panels.R keep their
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

# ---- Helpers the held-out panel scripts share (heldout2-, heldout3-, heldout4-panels/make-*.R) ----

# The most values each frequency's series keeps (its last ones).
panel_maxlen <- c(hourly = 1000, daily = 1000, weekly = 1000, monthly = 480, quarterly = 240, yearly = 200)
# A data set of a package, without attaching it.
panel_data <- function(name, pkg) { e <- new.env(); data(list = name, package = pkg, envir = e); get(name, envir = e) }
# The longest stretch of values that are neither NA nor <= 0 (stats::na.contiguous: of equally long stretches, the first not at the series' start).
panel_stretch <- function(x) { x <- as.numeric(x); x[!is.na(x) & x <= 0] <- NA; if (all(is.na(x))) return(numeric(0)); as.numeric(na.contiguous(x)) }
# Each name of a list with a prefix.
panel_named <- function(xs, prefix) setNames(xs, paste0(prefix, names(xs)))
# "name version" of each package, joined by commas.
panel_versions <- function(pkgs) paste(sapply(pkgs, function(k) paste(k, as.character(packageVersion(k)))), collapse = ", ")

# Writes every panel (a named list of list(h, m, series, methods = optional subset of panel_benchmarks'
# methods)) as <panel>.csv, each series cut to its last panel_maxlen values and left out when it is shorter
# than one rolling origin needs (4h + max(m, 1)); then R's benchmarks of the panels named on the command line
# (all without a name, none with "none") as r-benchmarks-<panel>.csv, written atomically.
make_panels <- function(panels, only = commandArgs(trailingOnly = TRUE)) {
  bad <- setdiff(only, c("none", names(panels)))
  if (length(bad)) stop("unknown panel ", paste(bad, collapse = ", "), "; expected none or any of: ", paste(names(panels), collapse = ", "))
  for (p in names(panels)) {
    h <- panels[[p]]$h; m <- panels[[p]]$m; keep <- panel_maxlen[[p]]
    xs <- lapply(panels[[p]]$series, function(x) { x <- as.numeric(x); if (length(x) > keep) x <- x[(length(x) - keep + 1):length(x)]; x })
    short <- names(xs)[sapply(xs, length) < 4 * h + max(m, 1)]
    if (length(short)) cat(p, ": left out (fewer than 4h + max(m, 1) values):", paste(short, collapse = " "), "\n")
    xs <- xs[!names(xs) %in% short]
    stopifnot(!any(duplicated(names(xs))), all(sapply(xs, function(x) !any(is.na(x)) && all(x > 0))))
    panels[[p]]$series <- xs
    write_wide_panel(xs, paste0(p, ".csv"))
    cat(p, length(xs), "series, lengths", min(sapply(xs, length)), "to", max(sapply(xs, length)), ", h =", h, "m =", m, "\n")
    cat("  ", paste(sprintf("%s %d", names(xs), sapply(xs, length)), collapse = ", "), "\n")
  }
  todo <- if (identical(only, "none")) character(0) else if (length(only)) only else names(panels)
  for (p in todo) {
    t0 <- Sys.time()
    pp <- panels[[p]]
    res <- if (is.null(pp$methods)) panel_benchmarks(p, pp$series, pp$h, pp$m) else panel_benchmarks(p, pp$series, pp$h, pp$m, methods = pp$methods)
    write.csv(res, paste0("r-benchmarks-", p, ".csv.tmp"), row.names = FALSE)
    file.rename(paste0("r-benchmarks-", p, ".csv.tmp"), paste0("r-benchmarks-", p, ".csv"))
    cat(p, "benchmarks done in", format(round(difftime(Sys.time(), t0, units = "mins"), 1)), "\n")
  }
}
