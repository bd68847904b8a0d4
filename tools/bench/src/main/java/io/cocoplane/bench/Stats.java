package io.cocoplane.bench;

import java.util.Arrays;

/** Small statistics used by the load harnesses (JMH and HdrHistogram do their own). */
public final class Stats {

    private Stats() {
    }

    /**
     * @param values samples, at least one
     * @return their median
     * @throws IllegalArgumentException when empty
     */
    public static double median(java.util.List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * @param values at least one value
     * @return the median (mean of the two middle values for an even count)
     */
    public static double median(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2.0;
    }

    /**
     * @param ours   our figure
     * @param theirs the reference figure
     * @return ours / theirs, or NaN when the reference is zero
     */
    public static double ratio(double ours, double theirs) {
        return theirs == 0 ? Double.NaN : ours / theirs;
    }

    /**
     * @param value a figure
     * @param digits decimals to keep
     * @return the figure rounded half-up
     */
    public static double round(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return java.math.BigDecimal.valueOf(value).setScale(digits, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
