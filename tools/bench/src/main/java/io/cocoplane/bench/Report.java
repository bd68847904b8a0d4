package io.cocoplane.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The figures of one benchmark run: written to {@code <dir>/<date>-<name>.json}, appended as a section to
 * {@code <dir>/<date>.md}, and printed.
 */
public final class Report {

    /**
     * What a figure is compared with when it has no target of its own: the limit the figure cannot exceed on this
     * machine (e.g. the rate of the primitive it is made of) or a peer doing the same work (e.g. OpenSSL).
     *
     * @param what  a short description, shown beside the ratio
     * @param value the reference in the figure's unit
     */
    public record Reference(String what, double value) {
    }

    /** One figure; {@code target} and {@code reference} may be null. */
    public record Figure(String name, double value, String unit, Target target, Reference reference) {
        public Figure(String name, double value, String unit, Target target) {
            this(name, value, unit, target, null);
        }

        /** @return value / the reference's value; NaN without a reference or when it is zero */
        public double ofReference() {
            return reference == null ? Double.NaN : Stats.ratio(value, reference.value());
        }

        public Boolean met() {
            return target == null ? null : target.met(value);
        }

        /** @return value / the target's bound (≥ 1 meets an at-least target, ≤ 1 an at-most one); NaN without one */
        public double ofTarget() {
            return target == null || target.bound() == 0 ? Double.NaN : value / target.bound();
        }
    }

    private static final String MACHINE = Machine.describe();
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final String name;
    private final String title;
    private final OffsetDateTime started = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    private final String loadBefore = LoadAverage.now();
    private String loadAfter;
    private final Map<String, Object> config = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, Object> raw = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public Report(String name, String title) {
        this.name = name;
        this.title = title;
    }

    public String name() {
        return name;
    }

    public Report config(String key, Object value) {
        config.put(key, value);
        return this;
    }

    public Report figure(String figure, double value, String unit, Target target) {
        return figure(figure, value, unit, target, null);
    }

    /** A figure with its limit or peer: the report shows both and their ratio. */
    public Report figure(String figure, double value, String unit, Target target, Reference reference) {
        figures.add(new Figure(figure, value, unit, target, reference));
        return this;
    }

    public Report raw(String key, Object value) {
        raw.put(key, value);
        return this;
    }

    public Report note(String note) {
        notes.add(note);
        return this;
    }

    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /** Records the load average at the end of the run. */
    public Report finish() {
        loadAfter = LoadAverage.now();
        return this;
    }

    /** @return every target met (true when there is none) */
    public boolean allTargetsMet() {
        return figures.stream().allMatch(f -> f.met() == null || f.met());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("benchmark", name);
        m.put("title", title);
        m.put("started", started.toString());
        m.put("cpus", LoadAverage.cpus());
        m.put("machine", MACHINE);
        m.put("loadAverageBefore", loadBefore);
        m.put("loadAverageAfter", loadAfter == null ? LoadAverage.now() : loadAfter);
        m.put("config", config);
        List<Map<String, Object>> fs = new ArrayList<>();
        for (Figure f : figures) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("name", f.name());
            fm.put("value", Double.isFinite(f.value()) ? f.value() : null);
            fm.put("unit", f.unit());
            if (f.target() != null) {
                fm.put("target", f.target().toString());
                fm.put("ofTarget", Double.isFinite(f.ofTarget()) ? Stats.round(f.ofTarget(), 3) : null);
                fm.put("met", f.met());
            }
            if (f.reference() != null) {
                fm.put("reference", f.reference().what());
                fm.put("referenceValue", f.reference().value());
                fm.put("ofReference", Double.isFinite(f.ofReference()) ? Stats.round(f.ofReference(), 3) : null);
            }
            fs.add(fm);
        }
        m.put("figures", fs);
        m.put("raw", raw);
        m.put("notes", notes);
        return m;
    }

    public String json() {
        return JSON.writeValueAsString(toMap());
    }

    /** @return a Markdown section: heading, context line, figure table, notes */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("## ").append(title).append(" (`").append(name).append("`, ").append(started).append(")\n\n");
        b.append("Load average (1/5/15 min) before ").append(loadBefore).append(", after ")
                .append(loadAfter == null ? LoadAverage.now() : loadAfter).append("; ").append(MACHINE).append('.');
        List<String> cs = new ArrayList<>();
        config.forEach((k, v) -> cs.add(k + "=" + v));
        if (!cs.isEmpty()) {
            b.append(" Config: ").append(String.join(", ", cs));
        }
        b.append("\n\n");
        boolean refs = figures.stream().anyMatch(f -> f.reference() != null);
        b.append("| figure | value | target | of target | met |").append(refs ? " limit or peer | of it |" : "")
                .append("\n|---|---:|---|---:|---|").append(refs ? "---|---:|" : "").append('\n');
        for (Figure f : figures) {
            b.append("| ").append(f.name()).append(" | ").append(withUnit(f))
                    .append(" | ").append(f.target() == null ? "" : f.target().toString()).append(" | ")
                    .append(f.target() == null || !Double.isFinite(f.ofTarget()) ? ""
                            : String.format(Locale.ROOT, "%.2f×", f.ofTarget()))
                    .append(" | ").append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |");
            if (refs) {
                b.append(' ').append(f.reference() == null ? ""
                        : f.reference().what() + ": " + format(f.reference().value()) + unitSuffix(f.unit()))
                        .append(" | ").append(f.reference() == null || !Double.isFinite(f.ofReference()) ? ""
                                : String.format(Locale.ROOT, "%.2f×", f.ofReference())).append(" |");
            }
            b.append('\n');
        }
        for (String n : notes) {
            b.append("\n- ").append(n);
        }
        if (!notes.isEmpty()) {
            b.append('\n');
        }
        return b.append('\n').toString();
    }

    /** @return the figures as plain text lines for the console */
    public String text() {
        StringBuilder b = new StringBuilder("== ").append(title).append(" [load ").append(loadBefore).append(" -> ")
                .append(loadAfter == null ? LoadAverage.now() : loadAfter).append("]\n");
        for (Figure f : figures) {
            b.append(String.format(Locale.ROOT, "  %-40s %14s %-6s", f.name(), format(f.value()), f.unit()));
            if (f.target() != null) {
                b.append(" target ").append(f.target()).append(f.met() ? "  MET" : "  NOT MET");
            }
            if (f.reference() != null) {
                b.append(String.format(Locale.ROOT, " %.2fx of %s (%s)", f.ofReference(), f.reference().what(),
                        format(f.reference().value())));
            }
            b.append('\n');
        }
        notes.forEach(n -> b.append("  note: ").append(n).append('\n'));
        return b.toString();
    }

    /**
     * Writes this report into {@code <date>.json} (an object keyed by benchmark name: this benchmark's entry is
     * replaced, the other benchmarks' entries of that day are kept) and appends the Markdown section to
     * {@code <date>.md}.
     *
     * @param dir  the results directory (created if needed)
     * @param date the date in the file names
     * @return the JSON file
     * @throws IOException when a file cannot be read or written, or {@code <date>.json} is not a JSON object
     */
    public Path write(Path dir, LocalDate date) throws IOException {
        Files.createDirectories(dir);
        Path json = dir.resolve(date + ".json");
        Map<String, Object> all = new LinkedHashMap<>();
        if (Files.exists(json)) {
            JsonNode old = JSON.readTree(Files.readString(json));
            if (!old.isObject()) {
                throw new IOException(json + " is not a JSON object");
            }
            for (Map.Entry<String, JsonNode> e : old.properties()) {
                all.put(e.getKey(), e.getValue());
            }
        }
        all.put(name, toMap());
        Files.writeString(json, JSON.writeValueAsString(all) + "\n");
        Path md = dir.resolve(date + ".md");
        if (!Files.exists(md)) {
            Files.writeString(md, "# cocoplane benchmarks " + date + "\n\n");
        }
        Files.writeString(md, markdown(), StandardOpenOption.APPEND);
        return json;
    }

    private static String withUnit(Figure f) {
        return format(f.value()) + unitSuffix(f.unit());
    }

    private static String unitSuffix(String unit) {
        return unit.isEmpty() ? "" : " " + unit;
    }

    static String format(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : "%.3f", v);
    }
}
