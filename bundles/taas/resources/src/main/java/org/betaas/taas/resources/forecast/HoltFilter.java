package org.betaas.taas.resources.forecast;

/**
 * The additive Holt linear filter with the initial state and error window of R's {@code HoltWinters(x, gamma =
 * FALSE)}: level {@code l = x[2]}, trend {@code b = x[2] - x[1]}, one-step errors summed over {@code t = 3..n}.
 *
 * <p>Missing samples (NaN or infinite) are filled by the filter's own one-step prediction: the level moves on by
 * the trend, the trend is kept, and no error is counted. The initial state is taken from the first two present
 * samples (their slope per step as the trend), so a series without gaps gives exactly R's numbers.
 */
final class HoltFilter {

    /** A series prepared for filtering: leading gaps dropped, start index of the error window known. */
    static final class Prepared {
        final double[] x;
        /** Index of the second present sample: the initial level. */
        final int second;
        final double level0;
        final double trend0;
        final int present;
        final double last;

        private Prepared(double[] x, int second, double level0, double trend0, int present, double last) {
            this.x = x;
            this.second = second;
            this.level0 = level0;
            this.trend0 = trend0;
            this.present = present;
            this.last = last;
        }

        /** True when the filter can start: two present samples. */
        boolean filterable() {
            return second >= 0;
        }
    }

    /** The filter's state after the whole series. */
    record Result(double level, double trend, double sse, int errors, double errorVariance) {
    }

    private HoltFilter() {
    }

    static Prepared prepare(double[] series) {
        int first = -1;
        int second = -1;
        int present = 0;
        double last = 0;
        for (int i = 0; i < series.length; i++) {
            if (Double.isFinite(series[i])) {
                present++;
                last = series[i];
                if (first < 0) {
                    first = i;
                } else if (second < 0) {
                    second = i;
                }
            }
        }
        if (second < 0) {
            return new Prepared(series, -1, last, 0, present, last);
        }
        double level0 = series[second];
        double trend0 = (series[second] - series[first]) / (second - first);
        return new Prepared(series, second, level0, trend0, present, last);
    }

    /** The sum of squared one-step errors: the objective of the fit. Same arithmetic as {@link #run}. */
    static double sse(Prepared p, double alpha, double beta) {
        if (p.present == p.x.length) {
            return sseWithoutGaps(p.x, alpha, beta);
        }
        double[] x = p.x;
        double level = p.level0;
        double trend = p.trend0;
        double sse = 0;
        for (int t = p.second + 1; t < x.length; t++) {
            double xhat = level + trend;
            double xt = x[t];
            double newLevel;
            if (Double.isFinite(xt)) {
                double res = xt - xhat;
                sse += res * res;
                newLevel = alpha * xt + (1 - alpha) * (level + trend);
            } else {
                newLevel = xhat;
            }
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            level = newLevel;
        }
        return sse;
    }

    /** {@link #sse} of a series without gaps: the optimiser's inner loop, kept branch-free. */
    private static double sseWithoutGaps(double[] x, double alpha, double beta) {
        double level = x[1];
        double trend = x[1] - x[0];
        double sse = 0;
        for (int t = 2; t < x.length; t++) {
            double xhat = level + trend;
            double res = x[t] - xhat;
            sse += res * res;
            double newLevel = alpha * x[t] + (1 - alpha) * (level + trend);
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            level = newLevel;
        }
        return sse;
    }

    /** Runs the filter and keeps what a forecast needs: final state, SSE and the variance of the errors. */
    static Result run(Prepared p, double alpha, double beta) {
        double[] x = p.x;
        double level = p.level0;
        double trend = p.trend0;
        double sse = 0;
        int errors = 0;
        double mean = 0;
        double m2 = 0;
        for (int t = p.second + 1; t < x.length; t++) {
            double xhat = level + trend;
            double xt = x[t];
            double newLevel;
            if (Double.isFinite(xt)) {
                double res = xt - xhat;
                sse += res * res;
                errors++;
                // Welford: the variance of the residuals as R's var() computes it (n - 1 denominator)
                double delta = res - mean;
                mean += delta / errors;
                m2 += delta * (res - mean);
                newLevel = alpha * xt + (1 - alpha) * (level + trend);
            } else {
                newLevel = xhat;
            }
            trend = beta * (newLevel - level) + (1 - beta) * trend;
            level = newLevel;
        }
        // one error has no sample variance: its square is the only estimate there is (a zero-width interval
        // would look certain exactly when the history is shortest)
        double variance = errors > 1 ? m2 / (errors - 1) : sse;
        return new Result(level, trend, sse, errors, variance);
    }
}
