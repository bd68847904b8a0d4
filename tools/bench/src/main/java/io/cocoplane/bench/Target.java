package io.cocoplane.bench;

/** A target a figure must meet: at most or at least a bound. */
public record Target(boolean atMost, double bound) {

    public static Target atMost(double bound) {
        return new Target(true, bound);
    }

    public static Target atLeast(double bound) {
        return new Target(false, bound);
    }

    /**
     * @param value the measured figure
     * @return whether it meets the target (NaN never does)
     */
    public boolean met(double value) {
        if (Double.isNaN(value)) {
            return false;
        }
        return atMost ? value <= bound : value >= bound;
    }

    @Override
    public String toString() {
        return (atMost ? "≤ " : "≥ ") + java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }
}
