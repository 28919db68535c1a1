# Makes data/quarterly_panel_4series.csv, a small long-form panel (series,date,value) for the panel
# model's command-line tests and examples: four quarterly series that ship with R and with Hyndman's
# forecast package, each quarter labelled with its first day (1960-01-01, 1960-04-01, ...):
#   UKgas           datasets::UKgas           UK gas consumption, millions of therms, 1960 Q1 .. 1986 Q4
#   JohnsonJohnson  datasets::JohnsonJohnson  quarterly earnings per Johnson & Johnson share, 1960 .. 1980
#   austres         datasets::austres         Australian residents, thousands, 1971 Q2 .. 1993 Q2
#   woolyrnq        forecast::woolyrnq        Australian woollen yarn production, tonnes, 1965 Q1 .. 1994 Q3
# Run: Rscript data/scripts/quarterly-panel.R   (made with R 4.2.2 and forecast 8.20)
series <- list(UKgas = datasets::UKgas, JohnsonJohnson = datasets::JohnsonJohnson,
               austres = datasets::austres, woolyrnq = forecast::woolyrnq)
rows <- lapply(names(series), function(id) {
  y <- series[[id]]
  t <- stats::time(y)
  year <- floor(t + 1e-9)
  quarter <- round((t - year) * 4)
  data.frame(series = id, date = sprintf("%04d-%02d-01", as.integer(year), as.integer(quarter * 3 + 1)), value = as.numeric(y))
})
out <- do.call(rbind, rows)
utils::write.csv(out, "data/quarterly_panel_4series.csv", row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "rows of", length(series), "series with", R.version.string, "and forecast", as.character(utils::packageVersion("forecast")), "\n")
