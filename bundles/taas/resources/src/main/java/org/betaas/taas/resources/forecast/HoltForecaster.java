package org.betaas.taas.resources.forecast;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.analysis.UnivariateFunction;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.Forecaster;

/**
 * Holt's linear method (additive level and trend, no seasonality), as R's {@code HoltWinters(x, gamma = FALSE)}.
 *
 * <p><b>Fit.</b> α and β in [0, 1] minimise the sum of squared one-step errors over {@code t = 3..n}, starting
 * from {@code l = x[2]}, {@code b = x[2] - x[1]}. R runs one L-BFGS-B from (0.3, 0.1), which can stop in a local
 * minimum; here an 11 × 11 grid over [0,1]² (edges included) picks the two best starts besides R's own, BOBYQA
 * (Commons Math, bounded) refines each, and one coordinate-wise Brent pass (end points included) polishes the best
 * point. The result is the best of everything evaluated, so it is never worse than any start it tried.
 *
 * <p><b>Prediction interval.</b> As R's {@code predict.HoltWinters(prediction.interval = TRUE)}: for step h,
 * {@code var(h) = σ² (1 + Σ_{j=1}^{h-1} (α (1 + j β))²)} with σ² the sample variance (n − 1) of the one-step
 * errors (its square when there is only one error), and the bounds are {@code forecast(h) ± z · sqrt(var(h))},
 * z the normal quantile of the level (default 95 %, z = 1.96).
 *
 * <p><b>Missing samples</b> (NaN or infinite) are filled by the filter's own one-step prediction: no error is
 * counted for them and the level moves on by the trend. Leading gaps are skipped; the trend starts as the slope
 * between the first two present samples. <b>Short series</b> (fewer than 3 present samples) and an empty series
 * give a flat forecast of the last present value (0 when none) with α = 1, β = 0 and a zero-width interval.
 * A constant series fits with SSE 0 and gives a flat forecast. No output is ever NaN.
 */
public final class HoltForecaster implements Forecaster {

    /** R's starting point for the optimiser. */
    private static final double[] R_START = {0.3, 0.1};
    private static final int GRID = 11;
    private static final int STARTS = 2;
    private static final int MAX_EVAL = 500;

    private final double alpha;
    private final double beta;
    private final double z;

    private HoltForecaster(double alpha, double beta, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("prediction interval level must be in (0, 1), got " + level);
        }
        this.alpha = alpha;
        this.beta = beta;
        this.z = new NormalDistribution().inverseCumulativeProbability((1 + level) / 2);
    }

    /** A forecaster that fits α and β to each series, with 95 % prediction intervals. */
    public HoltForecaster() {
        this(Double.NaN, Double.NaN, 0.95);
    }

    /** A forecaster that fits α and β to each series, with prediction intervals of the given level (0..1). */
    public static HoltForecaster fitted(double intervalLevel) {
        return new HoltForecaster(Double.NaN, Double.NaN, intervalLevel);
    }

    /** A forecaster with fixed α and β (each in [0, 1]), with 95 % prediction intervals. */
    public static HoltForecaster fixed(double alpha, double beta) {
        checkUnit("alpha", alpha);
        checkUnit("beta", beta);
        return new HoltForecaster(alpha, beta, 0.95);
    }

    private static void checkUnit(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
        }
    }

    @Override
    public Forecast forecast(double[] series, int horizon) {
        if (series == null) {
            throw new IllegalArgumentException("series is null");
        }
        if (horizon < 0) {
            throw new IllegalArgumentException("horizon must be >= 0, got " + horizon);
        }
        HoltFilter.Prepared p = HoltFilter.prepare(series);
        if (p.present < 3) {
            return flat(p.last, horizon);
        }
        double a = alpha;
        double b = beta;
        if (Double.isNaN(a)) {
            double[] fit = fit(p);
            a = fit[0];
            b = fit[1];
        }
        HoltFilter.Result r = HoltFilter.run(p, a, b);
        List<Double> forecasts = new ArrayList<>(horizon);
        List<Double> lower = new ArrayList<>(horizon);
        List<Double> upper = new ArrayList<>(horizon);
        double psiSquares = 0;
        for (int h = 1; h <= horizon; h++) {
            if (h > 1) {
                double psi = a * (1 + (h - 1) * b);
                psiSquares += psi * psi;
            }
            double f = r.level() + h * r.trend();
            double half = z * Math.sqrt(r.errorVariance() * (1 + psiSquares));
            forecasts.add(f);
            lower.add(f - half);
            upper.add(f + half);
        }
        return new Forecast(a, b, r.sse(), r.level(), r.trend(), forecasts, lower, upper);
    }

    private static Forecast flat(double last, int horizon) {
        List<Double> values = new ArrayList<>(horizon);
        for (int h = 0; h < horizon; h++) {
            values.add(last);
        }
        return new Forecast(1, 0, 0, last, 0, values, values, values);
    }

    /** α, β minimising the one-step SSE; see the class comment. */
    static double[] fit(HoltFilter.Prepared p) {
        Objective objective = new Objective(p);
        // R's start first: where the SSE is flat (constant or 3-point series) it is the one kept
        objective.value(R_START);
        // 1. grid, keeping the best few points as starts (R's own start among them)
        List<double[]> grid = new ArrayList<>(GRID * GRID + 1);
        for (int i = 0; i < GRID; i++) {
            for (int j = 0; j < GRID; j++) {
                double a = i / (double) (GRID - 1);
                double b = j / (double) (GRID - 1);
                grid.add(new double[] {a, b, objective.value(new double[] {a, b})});
            }
        }
        grid.sort(Comparator.comparingDouble(g -> g[2]));
        List<double[]> starts = new ArrayList<>();
        starts.add(R_START);
        for (int k = 0; k < STARTS && k < grid.size(); k++) {
            starts.add(new double[] {grid.get(k)[0], grid.get(k)[1]});
        }
        // 2. bounded local refinement from each start
        for (double[] start : starts) {
            try {
                new BOBYQAOptimizer(5, 0.05, 1e-8).optimize(new MaxEval(MAX_EVAL),
                        new ObjectiveFunction(objective), GoalType.MINIMIZE, new InitialGuess(start),
                        new SimpleBounds(new double[] {0, 0}, new double[] {1, 1}));
            } catch (MathIllegalStateException e) {
                // too many evaluations or a degenerate model: the best point seen so far stays
            }
        }
        // 3. coordinate-wise polish: minima of R's fits often sit on an edge (β = 0, α = 1)
        double[] best = objective.best();
        double a = lineSearch(x -> objective.value(new double[] {x, best[1]}));
        lineSearch(y -> objective.value(new double[] {a, y}));
        return objective.best();
    }

    private static double lineSearch(UnivariateFunction f) {
        f.value(0);
        f.value(1);
        try {
            return new BrentOptimizer(1e-10, 1e-14).optimize(new MaxEval(200), new UnivariateObjectiveFunction(f),
                    GoalType.MINIMIZE, new SearchInterval(0, 1)).getPoint();
        } catch (MathIllegalStateException e) {
            return 0;
        }
    }

    /** The SSE as a function of (α, β), remembering the best point ever evaluated. */
    private static final class Objective implements MultivariateFunction {
        private final HoltFilter.Prepared p;
        private final double[] best = {R_START[0], R_START[1]};
        private double bestValue = Double.POSITIVE_INFINITY;

        Objective(HoltFilter.Prepared p) {
            this.p = p;
        }

        @Override
        public double value(double[] point) {
            double a = Math.min(1, Math.max(0, point[0]));
            double b = Math.min(1, Math.max(0, point[1]));
            double v = HoltFilter.sse(p, a, b);
            if (Double.isNaN(v)) {
                v = Double.MAX_VALUE;
            }
            if (v < bestValue) {
                bestValue = v;
                best[0] = a;
                best[1] = b;
            }
            return v;
        }

        double[] best() {
            return Arrays.copyOf(best, 2);
        }
    }
}
