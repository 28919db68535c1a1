# Makes data/ukgas_quarterly_1960_1986.csv from R's built-in datasets::UKgas (UK quarterly gas
# consumption, millions of therms, 1960 Q1 .. 1986 Q4; Durbin & Koopman). Each quarter is labelled
# with its first day (1960-01-01, 1960-04-01, ...).
# Run: Rscript data/scripts/ukgas-quarterly.R   (made with R 4.2.2, Debian r-base-core 4.2.2.20221110-2)
y <- datasets::UKgas
t <- stats::time(y)
year <- floor(t + 1e-9)
quarter <- round((t - year) * 4)
dates <- sprintf("%04d-%02d-01", as.integer(year), as.integer(quarter * 3 + 1))
out <- data.frame(date = dates, gas = as.numeric(y))
utils::write.csv(out, "data/ukgas_quarterly_1960_1986.csv", row.names = FALSE, quote = FALSE)
cat("wrote", nrow(out), "quarters,", dates[1], "..", dates[length(dates)], "with", R.version.string, "\n")
