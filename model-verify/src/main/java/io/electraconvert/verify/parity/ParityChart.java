package io.electraconvert.verify.parity;

import io.electraconvert.verify.parity.ParityReport.FormatResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The per-layer chart of one weight format, as inline SVG: for every input of the battery, its largest absolute
 * difference at each stage (hidden states, then head outputs) on a log scale, and its cosine below; the tolerance as
 * a line; the first divergence as a band over its stage and a ring round its point. An input appears only at the
 * stages it reached (the vocabulary sweep at {@code hidden_states[0]}, the long input through layer 0).
 *
 * <p>Every point carries its figures as data attributes ({@code data-tensor}, {@code data-input},
 * {@code data-max-abs-diff}, {@code data-max-rel-diff}, {@code data-cosine}: {@link Double#toString} of the
 * report's values; {@code data-pass}), the first divergence is the one element of class {@code divergence}, so
 * tools and tests read the chart as data. Exact zeros sit on a row of their own under the log scale, non-finite
 * differences and shape mismatches on a row over it.
 */
final class ParityChart {
    static final int WIDTH = 1000;
    /** Red: failing points' outline, the tolerance line and the divergence ring; no input's series takes it. */
    static final String FAIL_COLOR = "#d62728";
    /** The band behind the first diverging stage (opaque, so a screenshot shows it in exactly this colour). */
    static final String DIVERGENCE_FILL = "#fde0dd";
    private static final String[] COLORS = {"#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf",
        "#e377c2", "#7f7f7f"};
    private static final String[] DASHES = {null, "7 3", "2 3", "9 3 2 3"};
    private static final String GRID = "#e3e3e3";
    private static final String AXIS = "#888888";

    private static final int LEFT = 80;
    private static final int RIGHT = 16;
    private static final int PLOT_WIDTH = WIDTH - LEFT - RIGHT;
    /** The difference panel: the non-finite row, the log scale, the zero row. */
    private static final int A_TOP = 24;
    private static final int NAN_Y = A_TOP + 10;
    private static final int LOG_TOP = A_TOP + 30;
    private static final int LOG_BOTTOM = A_TOP + 246;
    private static final int ZERO_Y = A_TOP + 266;
    private static final int A_BOTTOM = A_TOP + 276;
    /** The cosine panel. */
    private static final int B_TOP = A_BOTTOM + 26;
    private static final int B_BOTTOM = B_TOP + 130;
    /** Columns narrower than this get their labels slanted. */
    private static final double SLANT_BELOW = 74;

    private ParityChart() {}

    /** The inputs drawn, each a series: the report's in its order, then any other a comparison names. */
    static List<String> series(List<String> reportInputs, FormatResult format) {
        Set<String> names = new LinkedHashSet<>(reportInputs);
        format.comparisons().forEach(c -> names.add(c.input()));
        return List.copyOf(names);
    }

    static String color(int series) {
        return COLORS[series % COLORS.length];
    }

    static String dash(int series) {
        return DASHES[(series / COLORS.length + series) % DASHES.length];
    }

    /** Nothing when the format has no comparisons (its model did not load). */
    static void write(Markup m, FormatResult format, List<String> series) {
        List<TensorComparison> comparisons = format.comparisons();
        if (comparisons.isEmpty()) {
            return;
        }
        List<String> stages = new ArrayList<>(new LinkedHashSet<>(comparisons.stream().map(TensorComparison::tensor).toList()));
        double column = (double) PLOT_WIDTH / stages.size();
        boolean slant = column < SLANT_BELOW;
        int height = B_BOTTOM + (slant ? 96 : 40);
        LogScale scale = LogScale.of(comparisons, format.tolerance());
        CosineScale cosine = CosineScale.of(comparisons);
        List<double[]> at = new ArrayList<>(); // per comparison: x, y of its difference, y of its cosine
        for (TensorComparison c : comparisons) {
            int s = series.indexOf(c.input());
            double spread = Math.min(6, column / (series.size() + 1));
            double x = LEFT + (stages.indexOf(c.tensor()) + 0.5) * column + (s - (series.size() - 1) / 2.0) * spread;
            at.add(new double[] {x, scale.y(c.maxAbsDiff()), cosine.y(c.cosine())});
        }
        Optional<TensorComparison> first = format.firstDivergence();

        m.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "parity-chart", "width", Integer.toString(WIDTH),
                "height", Integer.toString(height), "viewBox", "0 0 " + WIDTH + " " + height, "role", "img",
                "data-format", format.format(), "data-tolerance", Double.toString(format.tolerance()),
                "data-stages", Integer.toString(stages.size()));
        m.element("title", format.format() + ": max abs diff and cosine per stage and input");
        if (first.isPresent()) { // behind everything else
            double x = LEFT + stages.indexOf(first.get().tensor()) * column;
            m.empty("rect", "class", "divergence-band", "x", n(x), "y", n(A_TOP), "width", n(column),
                    "height", n(B_BOTTOM - A_TOP), "fill", DIVERGENCE_FILL);
        }
        differenceAxes(m, scale, format.tolerance());
        cosineAxes(m, cosine);
        for (int i = 0; i < stages.size(); i++) {
            double x = LEFT + (i + 0.5) * column;
            if (i > 0) {
                m.empty("line", "x1", n(x - column / 2), "y1", n(A_TOP), "x2", n(x - column / 2), "y2", n(B_BOTTOM),
                        "stroke", GRID);
            }
            String label = shortLabel(stages.get(i));
            if (slant) {
                m.open("text", "class", "stage", "data-tensor", stages.get(i), "x", n(x), "y", n(B_BOTTOM + 14),
                        "text-anchor", "end", "transform", "rotate(-40 " + n(x) + " " + n(B_BOTTOM + 14) + ")");
            } else {
                m.open("text", "class", "stage", "data-tensor", stages.get(i), "x", n(x), "y", n(B_BOTTOM + 18),
                        "text-anchor", "middle");
            }
            m.element("title", ParityCheck.label(stages.get(i))).text(label).close("text");
        }
        for (int s = 0; s < series.size(); s++) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < comparisons.size(); i++) {
                if (comparisons.get(i).input().equals(series.get(s))) {
                    mine.add(i);
                }
            }
            polyline(m, mine.stream().map(i -> n(at.get(i)[0]) + "," + n(at.get(i)[1])).toList(), s);
            polyline(m, mine.stream().filter(i -> Double.isFinite(comparisons.get(i).cosine()))
                    .map(i -> n(at.get(i)[0]) + "," + n(at.get(i)[2])).toList(), s);
            for (int i : mine) {
                point(m, comparisons.get(i), at.get(i), s);
            }
        }
        if (first.isPresent()) {
            TensorComparison d = first.get();
            double[] p = at.get(comparisons.indexOf(d)); // the first failing one: the first equal to it
            double x = LEFT + (stages.indexOf(d.tensor()) + 0.5) * column;
            m.open("g", "class", "divergence", "data-tensor", d.tensor(), "data-input", d.input());
            m.element("title", "first divergence: " + ParityCheck.describe(d, format.tolerance()));
            m.empty("circle", "cx", n(p[0]), "cy", n(p[1]), "r", "9", "fill", "none", "stroke", FAIL_COLOR,
                    "stroke-width", "2.5");
            boolean right = x < LEFT + PLOT_WIDTH / 2.0;
            m.element("text", "first divergence: " + ParityCheck.label(d.tensor()), "x", n(x + (right ? 4 - column / 2 : column / 2 - 4)),
                    "y", n(A_TOP - 8), "text-anchor", right ? "start" : "end", "fill", FAIL_COLOR, "font-weight", "bold");
            m.close("g");
        }
        m.close("svg");
    }

    /** The legend as HTML: each input's line and marker as drawn, its name, shape and how deep it went. */
    static void legend(Markup m, List<String> series, Map<String, String> detail) {
        m.open("ul", "class", "legend");
        for (int s = 0; s < series.size(); s++) {
            m.open("li", "data-input", series.get(s));
            m.open("svg", "xmlns", "http://www.w3.org/2000/svg", "width", "34", "height", "12", "viewBox", "0 0 34 12");
            m.empty("line", "x1", "1", "y1", "6", "x2", "33", "y2", "6", "stroke", color(s), "stroke-width", "2",
                    "stroke-dasharray", dash(s));
            m.empty("circle", "cx", "17", "cy", "6", "r", "4", "fill", color(s));
            m.close("svg");
            m.text(" " + series.get(s));
            String more = detail.get(series.get(s));
            if (more != null) {
                m.element("span", " " + more, "class", "depth");
            }
            m.close("li");
        }
        m.close("ul");
    }

    private static void differenceAxes(Markup m, LogScale scale, double tolerance) {
        m.empty("rect", "x", n(LEFT), "y", n(A_TOP), "width", n(PLOT_WIDTH), "height", n(A_BOTTOM - A_TOP),
                "fill", "none", "stroke", AXIS);
        m.element("text", "max |converted \u2212 original| (log)", "class", "axis-title",
                "transform", "translate(16 " + n((A_TOP + A_BOTTOM) / 2.0) + ") rotate(-90)", "text-anchor", "middle");
        int step = Math.max(1, (int) Math.ceil((scale.hi - scale.lo) / 12.0));
        for (int e = scale.lo; e <= scale.hi; e++) {
            double y = scale.y(Math.pow(10, e));
            m.empty("line", "x1", n(LEFT), "y1", n(y), "x2", n(LEFT + PLOT_WIDTH), "y2", n(y), "stroke", GRID);
            if ((e - scale.lo) % step == 0) {
                m.element("text", e == 0 ? "1" : "1e" + e, "class", "tick", "x", n(LEFT - 6), "y", n(y + 4),
                        "text-anchor", "end");
            }
        }
        for (double y : new double[] {(NAN_Y + LOG_TOP) / 2.0, (LOG_BOTTOM + ZERO_Y) / 2.0}) {
            m.empty("line", "x1", n(LEFT), "y1", n(y), "x2", n(LEFT + PLOT_WIDTH), "y2", n(y), "stroke", AXIS,
                    "stroke-dasharray", "3 3");
        }
        m.element("text", "NaN / shape", "class", "tick", "x", n(LEFT - 6), "y", n(NAN_Y + 4), "text-anchor", "end");
        m.element("text", "0 (exact)", "class", "tick", "x", n(LEFT - 6), "y", n(ZERO_Y + 4), "text-anchor", "end");
        double y = tolerance > 0 ? scale.y(tolerance) : (LOG_BOTTOM + ZERO_Y) / 2.0;
        m.empty("line", "class", "tolerance", "data-tolerance", Double.toString(tolerance), "x1", n(LEFT), "y1", n(y),
                "x2", n(LEFT + PLOT_WIDTH), "y2", n(y), "stroke", FAIL_COLOR, "stroke-width", "1.5",
                "stroke-dasharray", "8 4");
        m.element("text", String.format(Locale.ROOT, "tolerance %.0e (relative above 1)", tolerance), "class", "tick",
                "x", n(LEFT + PLOT_WIDTH - 4), "y", n(y - 5), "text-anchor", "end", "fill", FAIL_COLOR);
    }

    private static void cosineAxes(Markup m, CosineScale scale) {
        m.empty("rect", "x", n(LEFT), "y", n(B_TOP), "width", n(PLOT_WIDTH), "height", n(B_BOTTOM - B_TOP),
                "fill", "none", "stroke", AXIS);
        m.element("text", "cosine", "class", "axis-title",
                "transform", "translate(16 " + n((B_TOP + B_BOTTOM) / 2.0) + ") rotate(-90)", "text-anchor", "middle");
        for (int k = 0; k <= 4; k++) {
            double v = scale.lo + k * (1 - scale.lo) / 4;
            double y = scale.y(v);
            m.empty("line", "x1", n(LEFT), "y1", n(y), "x2", n(LEFT + PLOT_WIDTH), "y2", n(y), "stroke", GRID);
            m.element("text", String.format(Locale.ROOT, "%.3f", v), "class", "tick", "x", n(LEFT - 6), "y", n(y + 4),
                    "text-anchor", "end");
        }
    }

    private static void polyline(Markup m, List<String> points, int series) {
        if (points.size() > 1) {
            m.empty("polyline", "points", String.join(" ", points), "fill", "none", "stroke", color(series),
                    "stroke-width", "1.6", "stroke-dasharray", dash(series));
        }
    }

    private static void point(Markup m, TensorComparison c, double[] at, int series) {
        String kind = !Double.isFinite(c.maxAbsDiff()) ? " nan" : c.maxAbsDiff() == 0 ? " zero" : "";
        String tip = String.format(Locale.ROOT, "%s, input %s: max abs diff %.3e, max rel diff %.3e, cosine %.6f, %s",
                ParityCheck.label(c.tensor()), c.input(), c.maxAbsDiff(), c.maxRelDiff(), c.cosine(),
                c.pass() ? "ok" : c.shapeMismatch() != null ? "FAIL (" + c.shapeMismatch() + ")" : "FAIL");
        String color = color(series);
        m.open("circle", "class", "point " + (c.pass() ? "pass" : "fail") + kind, "cx", n(at[0]), "cy", n(at[1]),
                "r", c.pass() ? "4" : "5", "fill", kind.equals(" zero") ? "#ffffff" : color,
                "stroke", c.pass() ? color : FAIL_COLOR, "stroke-width", c.pass() ? "1.5" : "2",
                "data-tensor", c.tensor(), "data-input", c.input(), "data-max-abs-diff", Double.toString(c.maxAbsDiff()),
                "data-max-rel-diff", Double.toString(c.maxRelDiff()), "data-cosine", Double.toString(c.cosine()),
                "data-pass", Boolean.toString(c.pass()));
        m.element("title", tip).close("circle");
        if (Double.isFinite(c.cosine())) {
            m.open("circle", "class", "cosine-point " + (c.pass() ? "pass" : "fail"), "cx", n(at[0]), "cy", n(at[2]),
                    "r", "3.5", "fill", color, "stroke", c.pass() ? color : FAIL_COLOR,
                    "data-tensor", c.tensor(), "data-input", c.input(), "data-cosine", Double.toString(c.cosine()));
            m.element("title", tip).close("circle");
        }
    }

    /** {@code embeddings}, {@code layer i}, or the head output's name. */
    static String shortLabel(String tensor) {
        if (tensor.startsWith("hidden_states[") && tensor.endsWith("]")) {
            try {
                int i = Integer.parseInt(tensor.substring("hidden_states[".length(), tensor.length() - 1));
                return i == 0 ? "embeddings" : "layer " + (i - 1);
            } catch (NumberFormatException e) {
                return tensor;
            }
        }
        return tensor;
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Decades {@code lo..hi} (powers of ten) from the smallest positive difference or 1/1000 of the tolerance up. */
    record LogScale(int lo, int hi) {
        static LogScale of(List<TensorComparison> comparisons, double tolerance) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (TensorComparison c : comparisons) {
                double v = c.maxAbsDiff();
                if (Double.isFinite(v) && v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (tolerance > 0) {
                min = Math.min(min, tolerance / 1000);
                max = Math.max(max, tolerance * 10);
            } else if (max == 0) {
                min = 1e-8;
                max = 1;
            }
            // bounded both ways: a tolerance near Double.MAX_VALUE (ten times it is infinite) must not ask for 2^31
            // decades, nor a subnormal difference for hundreds
            int lo = (int) Math.max(-45, Math.floor(Math.log10(min)));
            int hi = (int) Math.min(309, Math.max(lo + 1, Math.ceil(Math.log10(max))));
            return new LogScale(lo, hi);
        }

        /** Non-finite: the top row; zero: the bottom row; below {@code 10^lo}: on the bottom decade. */
        double y(double v) {
            if (!Double.isFinite(v)) {
                return NAN_Y;
            }
            if (v <= 0) {
                return ZERO_Y;
            }
            double e = Math.max(lo, Math.min(hi, Math.log10(v)));
            return LOG_BOTTOM - (e - lo) / (hi - lo) * (LOG_BOTTOM - LOG_TOP);
        }
    }

    /** From the lowest cosine (rounded down to a tenth, at most 0.9) to 1. */
    record CosineScale(double lo) {
        static CosineScale of(List<TensorComparison> comparisons) {
            double min = 0.9;
            for (TensorComparison c : comparisons) {
                if (Double.isFinite(c.cosine())) {
                    min = Math.min(min, Math.floor(c.cosine() * 10) / 10);
                }
            }
            return new CosineScale(Math.max(-1, min));
        }

        double y(double v) {
            double clamped = Double.isFinite(v) ? Math.max(lo, Math.min(1, v)) : lo;
            return B_BOTTOM - 6 - (clamped - lo) / (1 - lo) * (B_BOTTOM - B_TOP - 12);
        }
    }
}
